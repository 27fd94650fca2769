"""The parts a counter asks HQ for, and how many to ask for.

A request for a ticket's 三包 or warranty repair (or a repair under the counter's own
guarantee) is free; one for stock is charged against the counter's credit at HQ. HQ decides
(repairdesk/hq/): the counter's request is what it asked, kept as it was asked.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import case
from sqlmodel import Session, col, func, select

from repairdesk.errors import InputError
from repairdesk.freetext import check_text
from repairdesk.i18n import _, zh_or_en
from repairdesk.models import Part, StockMove, Ticket
from repairdesk.models_parts import PartRequest
from repairdesk.money import stock
from repairdesk.money.basis import PAID, charge_basis
from repairdesk.money.gates import open_ticket
from repairdesk.money.parts_views import PartRequestView, SuggestionView

REASONS = ("stock", "ticket")
#: The days of use a suggestion covers beyond the minimum stock.
SUGGEST_DAYS = 30


def make(s: Session, part: Part, qty: int, *, ticket: str | None, reason: str | None,
         free: bool, note: str, now: datetime, user: str) -> PartRequest:
    """A request, checked: a ticket's request must be for an open ticket, and only a
    warranty repair's part is free."""
    note = check_text("note", note)
    found: Ticket | None = None
    if ticket is not None and ticket.strip():
        found = open_ticket(s, ticket)
    reason = reason or ("ticket" if found else "stock")
    if reason not in REASONS:
        raise InputError("reason", _("core.bad_code", value=reason, allowed=", ".join(REASONS)))
    if reason == "ticket" and found is None:
        raise InputError("ticket", _("parts.request_needs_ticket"))
    if reason == "stock" and found is not None:
        raise InputError("reason", _("parts.request_stock_with_ticket", ticket=found.number))
    warranty = found is not None and charge_basis(s, found, now.date()) != PAID
    if free and not warranty:
        raise InputError("free", _("parts.request_not_free") if found is None else
                         _("parts.request_paid_ticket", ticket=found.number))
    request = PartRequest(part_id=part.id, qty=qty,  # type: ignore[arg-type]  # a stored part: its id is set
                          ticket_id=found.id if found else None, reason=reason,
                          free=warranty, note=note, at=now, user=user)
    s.add(request)
    s.flush()
    return request


def views(s: Session, requests: list[PartRequest]) -> list[PartRequestView]:
    parts = {p.id: p for p in s.exec(select(Part).where(
        col(Part.id).in_({r.part_id for r in requests})))}
    tickets = {t.id: t.number for t in s.exec(select(Ticket).where(
        col(Ticket.id).in_({r.ticket_id for r in requests if r.ticket_id})))}
    return [PartRequestView(
        id=int(r.id), part_number=parts[r.part_id].part_number,  # type: ignore[arg-type]  # stored: its id is set
        name=zh_or_en(parts[r.part_id].name_zh, parts[r.part_id].name_en), qty=r.qty,
        ticket=tickets.get(r.ticket_id) if r.ticket_id else None, reason=r.reason,
        free=r.free, note=r.note, at=r.at, user=r.user) for r in requests]


def listed(s: Session) -> list[PartRequest]:
    return list(s.exec(select(PartRequest).order_by(col(PartRequest.id))))


def open_requested(s: Session) -> dict[int, int]:
    """Per part, what was asked for and not yet here: the requests made since the part last
    came in from HQ (a delivery answers the requests before it)."""
    last: dict[int, datetime] = {}
    for part, at in s.exec(select(StockMove.part_id, StockMove.at)
                           .where(StockMove.kind == "received")):
        last[part] = max(at, last.get(part, at))  # max() in SQL would lose the column's type
    found: dict[int, int] = {}
    for r in listed(s):
        came = last.get(r.part_id)
        if came is None or r.at > came:
            found[r.part_id] = found.get(r.part_id, 0) + r.qty
    return found


def suggest(s: Session, today: date, requested: dict[int, int]) -> list[SuggestionView]:
    """Per part: its minimum plus the last 30 days' use (drawn less returned), less what is on
    the shelf and ``requested`` (asked for, not yet here); the parts that need some."""
    since = datetime.combine(today - timedelta(days=SUGGEST_DAYS), datetime.min.time())
    used = {part: int(qty or 0) for part, qty in s.exec(
        select(StockMove.part_id, func.sum(
            case((col(StockMove.kind) == "drawn", StockMove.qty), else_=-col(StockMove.qty))))
        .where(col(StockMove.kind).in_(("drawn", "returned")),
               col(StockMove.at) >= since.astimezone())
        .group_by(col(StockMove.part_id)))}
    parts = list(s.exec(select(Part).order_by(col(Part.part_number))))
    found = []
    for view, part in zip(stock.part_views(s, parts), parts, strict=True):
        use = max(used.get(part.id, 0), 0)  # type: ignore[arg-type]  # stored: its id is set
        asked = requested.get(part.id, 0)  # type: ignore[arg-type]  # stored: its id is set
        need = view.min_stock + use - view.on_hand - asked
        if need > 0:
            found.append(SuggestionView(view.part_number, view.name, view.on_hand,
                                        view.min_stock, use, asked, need))
    return found
