"""What F9's actions do on a ticket: each one call of the facade, and the question asked
before money leaves the drawer (a 三包 refund, a credit paid back)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from repairdesk.i18n import _
from repairdesk.money.views import TicketMoneyView

if TYPE_CHECKING:
    from repairdesk.desk import Desk  # only named: a screen calls the facade it is given


def run_money_action(desk: Desk, number: str, action: str, values: dict[str, str]) -> str:
    """Quote, answer, payment or refund through the facade; returns what to tell the
    counter. A refusal raises (RepairDeskError) and nothing is stored."""
    if action == "quote":
        lines: list[dict[str, object]] = []
        if values["work"] or values["price"]:
            lines.append({"kind": "labour", "description": values["work"],
                          "price": values["price"]})
        if values["part"]:
            lines.append({"kind": "part", "part": values["part"], "qty": 1})
        desk.money.make_quote(number, lines)
        return _("tui.money_done_quote", ticket=number)
    if action.startswith("approve_"):
        desk.money.approve_quote(number, action.removeprefix("approve_"))
        return _("tui.money_done_approve", ticket=number)
    if action == "decline":
        desk.money.decline_quote(number, "in_person")
        return _("tui.money_done_decline", ticket=number)
    if action.startswith("credit:"):
        paid = desk.money.refund(number, action.removeprefix("credit:"))
        return _("ticketui.money_done_credit", ticket=number, amount=f"{paid.amount:,.2f}")
    if action.startswith("refund:"):
        _refund, remedy, method = action.split(":")
        paid = desk.money.refund(number, method, reason="sanbao", remedy=remedy)
        return _("ticketui.money_done_refund", ticket=number, amount=f"{paid.amount:,.2f}")
    desk.money.take_payment(number, values["amount"] or "0", action.removeprefix("pay_"))
    return _("tui.money_done_pay", ticket=number)


def refund_question(found: TicketMoneyView, action: str) -> str | None:
    """The question asked before ``action`` pays money out, or None for an action that
    does not (a stray Enter must never empty the drawer)."""
    if action.startswith("credit:"):
        return _("ticketui.confirm_credit", ticket=found.ticket,
                 amount=f"{-found.money.balance:,.2f}",
                 method=_(f"money.method_{action.removeprefix('credit:')}"))
    if action.startswith("refund:"):
        _refund, remedy, method = action.split(":")
        return _("ticketui.confirm_refund", ticket=found.ticket,
                 method=_(f"money.method_{method}"),
                 amount=f"{found.refund_due.get(remedy, 0):,.2f}",
                 remedy=_(f"policy.remedy.{remedy}"))
    return None
