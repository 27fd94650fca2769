"""The loaner pool (备用机): phones lent to customers while theirs is in repair.

A loaner is issued on a ticket and comes back to the pool; the store knows at any moment who
holds which. 第十五条: a covered 三包 handset still in repair on day 8 is owed one.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from repairdesk.errors import InputError
from repairdesk.freetext import check_optional, check_text
from repairdesk.i18n import _
from repairdesk.imei import parse_imei
from repairdesk.models import Customer, Loaner, LoanerIssue, Ticket
from repairdesk.money.views import LoanerView


def get(s: Session, imei: str, field: str = "imei") -> Loaner:
    number = parse_imei(imei, field=field)
    loaner = s.exec(select(Loaner).where(Loaner.imei == number)).first()
    if loaner is None:
        raise InputError(field, _("money.loaner_unknown", imei=number))
    return loaner


def current_issue(s: Session, loaner: Loaner) -> LoanerIssue | None:
    return s.exec(select(LoanerIssue).where(LoanerIssue.loaner_id == loaner.id,
                                            col(LoanerIssue.returned_at).is_(None))).first()


def issue_of_ticket(s: Session, ticket: Ticket) -> LoanerIssue | None:
    return s.exec(select(LoanerIssue).where(LoanerIssue.ticket_id == ticket.id,
                                            col(LoanerIssue.returned_at).is_(None))).first()


def add(s: Session, imei: str, model: str, condition: str, now: datetime) -> Loaner:
    number = parse_imei(imei, field="imei")
    model = check_text("model", model, rule="loaner.model")
    condition = check_text("condition", condition, rule="loaner.condition")
    if not model:
        raise InputError("model", _("core.required"))
    if s.exec(select(Loaner).where(Loaner.imei == number)).first():
        raise InputError("imei", _("money.loaner_exists", imei=number))
    loaner = Loaner(imei=number, model=model, condition=condition,
                    created_at=now)
    s.add(loaner)
    s.flush()
    return loaner


def issue(s: Session, loaner: Loaner, ticket: Ticket, condition: str, now: datetime,
          user: str) -> LoanerIssue:
    condition = check_text("condition", condition, rule="loaner.condition")
    if not loaner.active:
        raise InputError("imei", _("money.loaner_retired", imei=loaner.imei))
    held = current_issue(s, loaner)
    if held is not None:
        holder = s.get(Ticket, held.ticket_id)
        raise InputError("imei", _("money.loaner_out", imei=loaner.imei,
                                   ticket=holder.number if holder else "?"))
    if issue_of_ticket(s, ticket) is not None:
        raise InputError("ticket", _("money.loaner_has_one", ticket=ticket.number))
    row = LoanerIssue(loaner_id=loaner.id, ticket_id=ticket.id, issued_at=now,  # type: ignore[arg-type]  # stored loaner and ticket: their ids are set
                      issued_by=user, condition_out=condition or loaner.condition)
    s.add(row)
    s.flush()
    return row


def give_back(s: Session, loaner: Loaner, condition: str | None, now: datetime,
              user: str) -> LoanerIssue:
    held = current_issue(s, loaner)
    if held is None:
        raise InputError("imei", _("money.loaner_not_out", imei=loaner.imei))
    condition = check_optional("condition", condition, rule="loaner.condition")
    held.returned_at, held.returned_by = now, user
    held.condition_back = (condition or "").strip() or held.condition_out
    if condition and condition.strip():
        loaner.condition = condition.strip()
        s.add(loaner)
    s.add(held)
    s.flush()
    return held


def views(s: Session, only_out: bool = False) -> list[LoanerView]:
    stmt = (select(Loaner, LoanerIssue, Ticket, Customer)
            .join(LoanerIssue, (col(LoanerIssue.loaner_id) == col(Loaner.id))
                  & col(LoanerIssue.returned_at).is_(None), isouter=True)
            .join(Ticket, col(Ticket.id) == col(LoanerIssue.ticket_id), isouter=True)
            .join(Customer, col(Customer.id) == col(Ticket.customer_id), isouter=True)
            .order_by(col(Loaner.imei)))
    found = [
        LoanerView(loaner.imei, loaner.model, loaner.condition, loaner.active,
                   ticket.number if ticket else None, customer.name if customer else None,
                   held.issued_at if held else None, held.issued_by if held else None)
        for loaner, held, ticket, customer in s.exec(stmt)
    ]
    return [v for v in found if v.ticket] if only_out else found


def view_of(s: Session, loaner: Loaner) -> LoanerView:
    return next(v for v in views(s) if v.imei == loaner.imei)
