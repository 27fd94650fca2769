"""Stock: every movement of a part is a row; stock on hand is their sum and never negative.

Received (from HQ against a deposit), bought and returned add; drawn (for a ticket) and
written off take away. A draw beyond stock is refused with the quantity there is. Writes run
in the facade's write transaction, which holds SQLite's write lock from its first statement
(BEGIN IMMEDIATE), so two terminals cannot both draw the last part.

A faulty part taken out of a phone is kept for the manufacturer (:class:`OldPart`) until it
is sent; it is not usable stock.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, case, func
from sqlmodel import Session, col, select

from repairdesk.amounts import fen_to_yuan
from repairdesk.errors import InputError
from repairdesk.i18n import _
from repairdesk.models import OldPart, Part, StockMove, Ticket
from repairdesk.money.views import OldPartView, PartView, StockMoveView
from repairdesk.stock_kinds import ADDS, KINDS, TAKES


def _signed() -> ColumnElement[int]:
    return case((col(StockMove.kind).in_(ADDS), StockMove.qty), else_=-col(StockMove.qty))


def on_hand(s: Session, part_ids: list[int] | None = None) -> dict[int, int]:
    stmt = select(StockMove.part_id, func.sum(_signed())).group_by(col(StockMove.part_id))
    if part_ids is not None:
        stmt = stmt.where(col(StockMove.part_id).in_(part_ids))
    return {part_id: int(total or 0) for part_id, total in s.exec(stmt)}


def old_pending(s: Session) -> dict[int, int]:
    stmt = (select(OldPart.part_id, func.sum(OldPart.qty))
            .where(col(OldPart.sent_at).is_(None)).group_by(col(OldPart.part_id)))
    return {part_id: int(total or 0) for part_id, total in s.exec(stmt)}


def part_views(s: Session, parts: list[Part]) -> list[PartView]:
    stock = on_hand(s, [p.id for p in parts])  # type: ignore[misc]  # parts read from the store: their ids are set
    old = old_pending(s)
    return [
        PartView(p.part_number, p.name_zh, p.name_en, list(p.models), fen_to_yuan(p.price_fen),
                 p.kind, p.min_stock, stock.get(p.id, 0), old.get(p.id, 0))  # type: ignore[arg-type]  # parts read from the store: their ids are set
        for p in parts
    ]


def net_drawn(s: Session, ticket: Ticket, part: Part) -> int:
    """Parts of this number drawn for the ticket and not returned to stock."""
    stmt = select(func.sum(_signed())).where(
        StockMove.ticket_id == ticket.id, StockMove.part_id == part.id,
        col(StockMove.kind).in_(("drawn", "returned")))
    return -int(s.exec(stmt).one() or 0)


def drawn_parts(s: Session, ticket: Ticket) -> list[str]:
    """Part numbers drawn for the ticket and not all returned to stock."""
    stmt = (select(Part.part_number, func.sum(_signed()))
            .join(Part, col(StockMove.part_id) == col(Part.id))
            .where(StockMove.ticket_id == ticket.id,
                   col(StockMove.kind).in_(("drawn", "returned")))
            .group_by(Part.part_number))
    return sorted(number for number, total in s.exec(stmt) if (total or 0) < 0)


def record(s: Session, part: Part, kind: str, qty: int, *, now: datetime, user: str,
           ticket: Ticket | None = None, basis: str | None = None, ref: str = "",
           cost_fen: int | None = None) -> StockMoveView:
    """Store one movement; a take beyond stock is refused naming what is there."""
    assert kind in KINDS and qty > 0
    assert part.id is not None  # a part read from the store
    available = on_hand(s, [part.id]).get(part.id, 0)
    if kind in TAKES and qty > available:
        raise InputError("qty", _("money.stock_short", part=part.part_number, qty=qty,
                                  available=available))
    move = StockMove(part_id=part.id, kind=kind, qty=qty,
                     ticket_id=ticket.id if ticket else None, basis=basis,
                     unit_price_fen=part.price_fen, cost_fen=cost_fen, ref=ref.strip(),
                     at=now, user=user)
    s.add(move)
    s.flush()
    after = available + (qty if kind in ADDS else -qty)
    return move_view(move, part.part_number, ticket.number if ticket else None, after)


def move_view(move: StockMove, number: str, ticket: str | None, on_hand_after: int = 0
              ) -> StockMoveView:
    assert move.id is not None
    return StockMoveView(move.id, number, move.kind, move.qty, ticket, move.basis,
                         fen_to_yuan(move.unit_price_fen), move.at, move.user, move.ref,
                         on_hand_after)


def keep_old(s: Session, part: Part, ticket: Ticket, qty: int, now: datetime,
             user: str) -> OldPart:
    row = OldPart(part_id=part.id, ticket_id=ticket.id, qty=qty, kept_at=now,  # type: ignore[arg-type]  # stored part and ticket: their ids are set
                  kept_by=user)
    s.add(row)
    s.flush()
    return row


def unkeep_old(s: Session, part: Part, ticket: Ticket, qty: int) -> None:
    """A drawn part went back to stock unused: the faulty part it replaced was not taken out
    after all, so fewer old parts wait for the manufacturer (those already sent stay)."""
    rows = s.exec(select(OldPart).where(
        OldPart.ticket_id == ticket.id, OldPart.part_id == part.id,
        col(OldPart.sent_at).is_(None)).order_by(col(OldPart.id).desc())).all()
    for row in rows:
        if qty <= 0:
            break
        take = min(qty, row.qty)
        qty -= take
        if take == row.qty:
            s.delete(row)
        else:
            row.qty -= take
            s.add(row)
    s.flush()


def old_part_views(s: Session, where: ColumnElement[bool] | bool = True) -> list[OldPartView]:
    stmt = (select(OldPart, Part.part_number, Ticket.number)
            .join(Part, col(OldPart.part_id) == col(Part.id))
            .join(Ticket, col(OldPart.ticket_id) == col(Ticket.id))
            .where(where).order_by(col(OldPart.id)))
    return [
        OldPartView(o.id, number, ticket, o.qty, o.kept_at, o.kept_by, o.sent_at, o.sent_by,  # type: ignore[arg-type]  # rows read from the store: their ids are set
                    o.sent_ref)
        for o, number, ticket in s.exec(stmt)
    ]


def ticket_moves(s: Session, ticket: Ticket) -> list[StockMoveView]:
    stmt = (select(StockMove, Part.part_number).join(Part, col(StockMove.part_id) == col(Part.id))
            .where(StockMove.ticket_id == ticket.id).order_by(col(StockMove.id)))
    return [move_view(m, number, ticket.number) for m, number in s.exec(stmt)]
