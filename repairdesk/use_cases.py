"""The counter's use cases: the facade's area methods a person starts (``area.method``), from a screen or the
command line. Each has a command-line twin (``repairdesk.cli.twins``), so a script or a
counter without a screen can take a ticket from intake to hand-back;
tests/unit/test_cli_use_cases.py fails when a screen calls a facade method that is in
neither set below, or a use case has no command.
"""

from __future__ import annotations

USE_CASES = frozenset({
    # intake and lookup
    "tickets.intake", "tickets.lookup", "tickets.search", "tickets.customer_by_phone",
    "tickets.device_history", "tickets.open_ticket_of",
    # the ticket, the board
    "tickets.ticket", "tickets.move", "tickets.reopen", "tickets.void", "tickets.board_view", "tickets.decision",
    "tickets.deadlines", "tickets.update_repair", "tickets.update_ticket",
    "tickets.checklist", "tickets.save_checklist",
    # parts, loaners
    "stock.parts", "stock.part", "stock.draw_part", "stock.return_part", "stock.keep_old_part",
    "stock.loaners", "stock.add_loaner", "stock.issue_loaner", "stock.return_loaner",
    "parts.request", "parts.requests", "parts.suggest", "parts.shipments",
    "parts.receive_shipment", "parts.count_stock", "parts.counts",
    # quotes, money
    "money.make_quote", "money.approve_quote", "money.decline_quote", "money.ticket_money",
    "money.take_deposit", "money.take_payment", "money.refund", "money.waive",
    # printing and the day's end
    "printing.print_slip", "printing.printed_slips", "money.day_report", "money.month_report",
    # HQ's settlement of the counter's warranty work (from the day's end)
    "settlement.lines", "settlement.statements", "settlement.dispute",
})

#: What the screens ask of the facade that is not a use case of its own: the clock and the
#: session (``today``, ``login``), warming up (``prepare_search``), the counter's identity
#: for headers, the daily backup the app makes at start, and the first screen's opening
#: desk loading the full facade (``load``, repairdesk/opening.py).
SUPPORT = frozenset({
    "today", "clock", "region", "user", "close", "tickets.prepare_search", "daily_backup",
    "trust.count_users", "counter", "trust.login", "load",
})
