"""The money rules of a status move, checked inside the move's own transaction.

``desk.tickets.move`` calls :func:`check_move` (handed to it by repairdesk/desk.py as the
ticket area's ``move_rule``) right before it records the move, so a refused move
stores nothing:

- paid work enters the statuses of ``quote.approval_before`` (data/money.toml: awaiting
  parts, repairing, ...) only with its current quote approved; a changed quote needs approval
  again; a declined quote ends as returned unrepaired (the diagnostic fee only);
- a ticket enters ``payments.settle_before`` (collected, returned unrepaired, cancelled) only
  with its balance settled: paid, waived by a manager, or a credit refunded;
- a ticket is refunded (三包) only once the refund is recorded;
- cancelling a ticket that has money recorded on it is a manager's decision.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from repairdesk import permissions
from repairdesk.amounts import fen_to_text
from repairdesk.errors import InputError, RepairDeskError
from repairdesk.i18n import _
from repairdesk.models import Ticket
from repairdesk.money.basis import PAID
from repairdesk.money.ledger import UNREPAIRED, Ledger, ledger
from repairdesk.money.policy import money_policy
from repairdesk.tickets.records import get_ticket
from repairdesk.tickets.workflow import MOVES, TERMINAL, status_name
from repairdesk.tickets.workflow import check_move as check_workflow
from repairdesk.trust import PermissionDenied


def check_move(session: Session, ticket: Ticket, target: str, user_role: str | None,
               on: date | None = None) -> None:
    """Refuse (InputError, PermissionDenied) a move the money rules do not allow.

    ``user_role`` is the role of whoever moves the ticket ("manager" when the store has no
    users yet); ``on`` is the counter's today (the 三包 decision depends on the date)."""
    check_workflow(ticket.status, target)
    _check(ledger(session, ticket, on or date.today()), target, user_role)


def blocked_moves(session: Session, ticket: Ticket, user_role: str | None,
                  on: date) -> dict[str, str]:
    """Each allowed next status that the money rules stop now, with the reason: what the
    ticket screen shows next to its move buttons."""
    state = ledger(session, ticket, on)
    blocked: dict[str, str] = {}
    for target in MOVES[ticket.status]:
        try:
            _check(state, target, user_role)
        except RepairDeskError as exc:
            blocked[target] = exc.reason if isinstance(exc, InputError) else exc.message
    return blocked


def _check(state: Ledger, target: str, role: str | None) -> None:
    policy = money_policy()
    quote = state.quote
    if state.basis == PAID and target in policy.approval_before:
        if quote is None:
            raise InputError("status", _("money.gate_no_quote", target=status_name(target)))
        if quote.status == "declined":
            raise InputError("status", _("money.gate_declined", revision=quote.revision))
        if quote.status != "approved":
            raise InputError("status", _("money.gate_not_approved", revision=quote.revision,
                                         target=status_name(target)))
    if state.basis == PAID and quote is not None and quote.status == "declined" \
            and target == "cancelled":
        raise InputError("status", _("money.gate_declined", revision=quote.revision))
    # The phone leaves unrepaired: a part still drawn for it must go back to stock first.
    if target in UNREPAIRED and state.parts_drawn:
        raise InputError("status", _("money.gate_parts_drawn", target=status_name(target),
                                     parts=", ".join(state.parts_drawn)))
    if target == "cancelled" and state.has_money \
            and not permissions.allows("tickets.cancel_with_money", role):
        raise PermissionDenied(_("money.gate_cancel_manager"))
    if target in policy.settle_before:
        balance = state.balance_for(target)
        if balance > 0:
            raise InputError("status", _("money.gate_balance", amount=fen_to_text(balance),
                                         target=status_name(target)))
        if balance < 0:
            raise InputError("status", _("money.gate_credit", amount=fen_to_text(-balance),
                                         target=status_name(target)))
    if target == "refunded" and not state.sums["sanbao"]:
        raise InputError("status", _("money.gate_refund_first", target=status_name(target)))


def open_ticket(s: Session, number: str) -> Ticket:
    """The ticket money is recorded on: refused once it is closed."""
    ticket = get_ticket(s, number)
    if ticket.status in TERMINAL:
        raise InputError("ticket", _("money.ticket_closed", ticket=ticket.number,
                                     status=_(f"status.{ticket.status}")))
    return ticket
