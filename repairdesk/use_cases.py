"""The counter's use cases: the facade methods a person starts, from a screen or the
command line. Each has a command-line twin (``repairdesk.cli.twins``), so a script or a
counter without a screen can take a ticket from intake to hand-back;
tests/unit/test_cli_use_cases.py fails when a screen calls a facade method that is in
neither set below, or a use case has no command.
"""

from __future__ import annotations

USE_CASES = frozenset({
    # intake and lookup
    "intake", "lookup", "search", "customer_by_phone", "device_history", "open_ticket_of",
    # the ticket, the board
    "ticket", "move", "board_view", "decision", "deadlines", "update_repair", "update_ticket",
    "checklist", "save_checklist",
    # parts, quotes, money, loaners
    "parts", "part", "draw_part", "return_part", "keep_old_part", "make_quote",
    "approve_quote", "decline_quote", "ticket_money", "take_deposit", "take_payment",
    "refund", "waive", "loaners", "add_loaner", "issue_loaner", "return_loaner",
    # printing and the day's end
    "print_slip", "printed_slips", "day_report", "month_report",
})

#: What the screens ask of the facade that is not a use case of its own: the clock and the
#: session (``today``, ``login``), warming up (``prepare_search``), the counter's identity
#: for headers, the daily backup the app makes at start, and the first screen's opening
#: desk loading the full facade (``load``, repairdesk/opening.py).
SUPPORT = frozenset({
    "today", "clock", "region", "user", "close", "prepare_search", "daily_backup",
    "count_users", "counter", "login", "load",
})
