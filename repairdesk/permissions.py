"""Who may do what: one table for every state-changing use case, its command and its key.

``TrustDesk.require(action)`` reads it on entry to each facade method, so the counter app
(whose screens call the facades) and the command line are held to the same rule; the CLI
reads it too, by command, to know which commands must run as an identified user
(``--as NAME``) once the counter has users. README.md's "Who may do what" is
:func:`markdown` of this table (tests/unit/trust/test_access.py compares them).

A counter with no users yet is one person doing everything: nothing is refused there.

HQ has its own people and roles (``HQ_ROLES``) and its own rows (``HQ_RULES``), read by the
HQ facade (:meth:`repairdesk.hq.facade.Hq.require`) for the HQ workspace and ``repairdesk hq``
alike; an HQ database without users refuses nothing, its first user is the admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from repairdesk.users import ROLES

ANYONE = frozenset(ROLES)
BENCH = frozenset({"technician", "manager"})
MANAGER = frozenset({"manager"})


@dataclass(frozen=True)
class Rule:
    """``action`` (the facade method, ``area.method``, or a case of one) and who may do it.

    ``command`` is its command-line twin as typer names it ("" for none), ``case`` what
    makes it this action (an option, a status), ``screen`` where the counter app offers it
    ("" for nowhere).
    """

    action: str
    command: str
    screen: str
    roles: frozenset[str]
    case: str = ""


RULES: tuple[Rule, ...] = (
    # intake, the ticket, the checklist
    Rule("tickets.intake", "intake", "Intake · Ctrl+S", ANYONE),
    Rule("tickets.move", "ticket move", "Ticket · F6, Checklist", ANYONE),
    Rule("tickets.cancel_with_money", "ticket move", "Ticket · F6", MANAGER,
         "to cancelled once money was taken"),
    Rule("tickets.reopen", "ticket reopen", "", MANAGER),
    Rule("tickets.void", "ticket void", "", MANAGER),
    Rule("tickets.reveal_passcode", "", "", BENCH),
    Rule("tickets.update_repair", "ticket record", "Ticket · Ctrl+S", ANYONE),
    Rule("tickets.correct_handed_back", "ticket record", "Ticket · Ctrl+S", MANAGER,
         "handed back before today"),
    Rule("tickets.update_ticket", "ticket update", "", ANYONE),
    Rule("tickets.save_checklist", "ticket checklist", "Checklist · Ctrl+S", ANYONE,
         "with a FILE"),
    # quotes and money
    Rule("money.make_quote", "quote make", "Ticket · F9", ANYONE),
    Rule("money.approve_quote", "quote approve", "Ticket · F9", ANYONE),
    Rule("money.decline_quote", "quote decline", "Ticket · F9", ANYONE),
    Rule("money.take_deposit", "money deposit", "", ANYONE),
    Rule("money.take_payment", "money pay", "Ticket · F9", ANYONE),
    Rule("money.refund", "money refund", "Ticket · F9", MANAGER),
    Rule("money.waive", "money waive", "", MANAGER),
    # parts, stock, loaners
    Rule("stock.import_price_list", "parts import", "", ANYONE),
    Rule("stock.set_price", "parts price", "", MANAGER,
         "also `parts import` that changes a price"),
    Rule("stock.set_min_stock", "parts min", "", ANYONE),
    Rule("stock.receive_stock", "parts receive", "", ANYONE),
    Rule("stock.draw_part", "parts draw", "Ticket · F10", ANYONE),
    Rule("stock.return_part", "parts return", "Ticket · F10", ANYONE),
    Rule("stock.keep_old_part", "parts keep-old", "Ticket · F10", ANYONE),
    Rule("stock.write_off", "parts write-off", "", ANYONE),
    Rule("stock.send_old_parts", "parts send-old", "", ANYONE),
    Rule("parts.request", "parts request", "Ticket · F10, Day end", ANYONE),
    Rule("parts.receive_shipment", "parts receive", "", ANYONE, "--shipment N"),
    Rule("parts.count", "parts count", "", ANYONE),
    Rule("parts.adjust_count", "parts count", "", MANAGER, "that finds a difference"),
    Rule("stock.add_loaner", "loaner add", "Loaners", ANYONE),
    Rule("stock.issue_loaner", "loaner issue", "Ticket · Ctrl+L", ANYONE),
    Rule("stock.return_loaner", "loaner return", "Ticket · Ctrl+L", ANYONE),
    # printing
    Rule("printing.print_slip", "print", "Ticket · F8, Intake · Enter", ANYONE),
    # sync with HQ
    Rule("sync.export_batch", "export", "", ANYONE),
    Rule("sync.export_again", "export", "", ANYONE, "--again SEQ"),
    Rule("sync.export_ords", "export", "", ANYONE, "--ords FILE"),
    Rule("sync.trust_hq", "key trust-hq", "", MANAGER),
    Rule("sync.apply_pack", "apply", "", MANAGER),
    Rule("settlement.dispute", "settlement dispute", "Settlement · d", MANAGER),
    # the counter, its store, its people
    Rule("counter.init", "init", "", MANAGER),
    Rule("store.backup", "backup", "", ANYONE),
    Rule("store.restore", "restore", "", MANAGER),
    Rule("store.restore_other_counter", "restore", "", MANAGER, "--other-counter"),
    Rule("trust.add_user", "user add", "", MANAGER),
    Rule("trust.disable_user", "user disable", "", MANAGER),
    Rule("trust.reset_pin", "user reset-pin", "", MANAGER),
    Rule("trust.bind_audit", "audit bind", "", MANAGER),
)

#: HQ's roles: the admin (people, everything), the network's managers (the registry, the
#: inbox, packs), settlement, parts, customer care, and viewers (reports only).
HQ_ROLES = ("admin", "network", "settlement", "parts", "care", "viewer")
HQ_ADMIN = frozenset({"admin"})
HQ_NETWORK = frozenset({"admin", "network"})
HQ_SETTLEMENT = frozenset({"admin", "settlement"})
HQ_PARTS = frozenset({"admin", "parts"})

HQ_RULES: tuple[Rule, ...] = (
    Rule("hq.init", "hq init", "", HQ_ADMIN),
    Rule("hq.add_user", "hq user add", "", HQ_ADMIN),
    Rule("hq.disable_user", "hq user disable", "", HQ_ADMIN),
    Rule("hq.reset_pin", "hq user reset-pin", "", HQ_ADMIN),
    Rule("hq.add_counter", "hq counter add", "Network · Ctrl+N", HQ_NETWORK),
    Rule("hq.edit_counter", "hq counter edit", "Network · Enter", HQ_NETWORK),
    Rule("hq.suspend_counter", "hq counter suspend", "Network · F6", HQ_NETWORK),
    Rule("hq.resume_counter", "hq counter resume", "Network · F7", HQ_NETWORK),
    Rule("hq.retire_counter", "hq counter retire", "Network · F8", HQ_NETWORK),
    Rule("hq.trust", "hq trust", "", HQ_NETWORK),
    Rule("hq.pack", "hq pack", "", HQ_NETWORK),
    Rule("hq.import", "hq import", "Inbox", HQ_NETWORK),
    Rule("hq.load_card", "hq settle card load", "", HQ_SETTLEMENT),
    Rule("hq.review_lines", "hq settle approve", "Settlement · a", HQ_SETTLEMENT),
    Rule("hq.review_lines", "hq settle reject", "Settlement · r", HQ_SETTLEMENT, "--reason"),
    Rule("hq.review_lines", "hq settle adjust", "Settlement · e", HQ_SETTLEMENT, "--amount"),
    Rule("hq.review_lines", "hq settle check", "", HQ_SETTLEMENT, "re-run the checks"),
    Rule("hq.close_month", "hq settle close", "Settlement · Ctrl+K", HQ_SETTLEMENT),
    Rule("hq.resolve_dispute", "hq settle resolve", "Settlement · d", HQ_SETTLEMENT),
    Rule("hq.deposit_pay", "hq deposit pay", "", HQ_PARTS),
    Rule("hq.deposit_refund", "hq deposit refund", "", HQ_PARTS),
    Rule("hq.deposit_deduct", "hq deposit deduct", "", HQ_PARTS),
    Rule("hq.approve_part_request", "hq parts approve", "", HQ_PARTS),
    Rule("hq.reject_part_request", "hq parts reject", "", HQ_PARTS),
    Rule("hq.ship_parts", "hq parts ship", "", HQ_PARTS),
    Rule("hq.receive_return", "hq parts receive-return", "", HQ_PARTS),
)

_BY_ACTION = {rule.action: rule for rule in (*RULES, *HQ_RULES)}

#: The commands that change the store or write its files ("ticket move", "export"): each
#: runs as an identified user once the counter has users.
STATE_CHANGING_COMMANDS = frozenset(r.command for r in RULES if r.command)
#: The same for HQ's commands ("hq counter add"), once the HQ database has users.
HQ_STATE_CHANGING_COMMANDS = frozenset(r.command for r in HQ_RULES if r.command)


def rule(action: str) -> Rule:
    """The rule of ``action``; KeyError for an action that has none (a programming error:
    every state-changing use case has a row)."""
    return _BY_ACTION[action]


def allows(action: str, role: str | None) -> bool:
    return role is not None and role in rule(action).roles


def _table(rules: tuple[Rule, ...], roles: tuple[str, ...]) -> str:
    lines = ["| Action | Command | In the app | " + " | ".join(roles) + " |",
             "|---|---|---|" + ":-:|" * len(roles)]
    for r in rules:
        marks = " | ".join("✓" if role in r.roles else "" for role in roles)
        command = f"`{r.command}`" if r.command else "-"
        if r.case:
            command += f" ({r.case})"
        lines.append(f"| `{r.action}` | {command} | {r.screen or '-'} | {marks} |")
    return "\n".join(lines) + "\n"


def markdown() -> str:
    """The counter's table as README.md shows it (section "Who may do what")."""
    return _table(RULES, ROLES)


def hq_markdown() -> str:
    """HQ's table as README.md shows it (section "Who may do what at HQ")."""
    return _table(HQ_RULES, HQ_ROLES)
