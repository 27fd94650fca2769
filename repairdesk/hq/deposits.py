"""A counter's deposit with HQ and what it covers.

The deposit is the sum of the ledger's entries (``hq_deposit_entry``): paid in, refunded,
deducted (for parts lost or not returned). The counter's credit is its deposit times its
credit multiple; its exposure is what HQ stands to lose in its parts, at HQ's standard
cost (the price list of HQ's newest pack that names the part):

- the parts on its shelf, as its own batches report its stock moves;
- the parts HQ shipped that the counter has not yet received;
- the faulty parts of its warranty repairs that HQ has not received back
  (:mod:`repairdesk.hq.part_returns`).

Headroom is credit minus exposure: what HQ may still ship against the deposit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk.amounts import fen_to_text, yuan_to_fen
from repairdesk.errors import InputError
from repairdesk.freetext import check_text
from repairdesk.hq import schema
from repairdesk.hq.part_returns import outcomes
from repairdesk.hq.parts_pack import received
from repairdesk.hq.parts_schema import DEPOSIT_SIGNS
from repairdesk.i18n import _
from repairdesk.stock_kinds import ADDS

#: A deposit no one pays: a mistyped amount caught before it enters the ledger.
MAX_ENTRY_FEN = 100_000_000_00


@dataclass(frozen=True)
class Exposure:
    held_fen: int
    in_transit_fen: int
    due_back_fen: int

    @property
    def total_fen(self) -> int:
        return self.held_fen + self.in_transit_fen + self.due_back_fen


def standard_costs(conn: Connection) -> dict[str, int]:
    """Each part's standard cost: its price in the newest pack HQ issued that lists it."""
    prices = schema.table("hq_price")
    newest = (sa.select(prices.c.part_number, sa.func.max(prices.c.pack).label("pack"))
              .group_by(prices.c.part_number).subquery())
    return {number: int(fen) for number, fen in conn.execute(
        sa.select(prices.c.part_number, prices.c.price_fen).join(
            newest, sa.and_(newest.c.part_number == prices.c.part_number,
                            newest.c.pack == prices.c.pack)))}


def _parts(conn: Connection, counter: str) -> dict[int, tuple[str, int]]:
    """The counter's parts by their id there: (part number, the counter's price)."""
    parts = schema.mirrors()["part"]
    return {int(r.id): (r.part_number, int(r.price_fen)) for r in conn.execute(
        sa.select(parts.c.id, parts.c.part_number, parts.c.price_fen).where(
            parts.c[schema.COUNTER] == counter, parts.c[schema.DELETED].is_(False)))}


def on_hand(conn: Connection, counter: str) -> dict[int, int]:
    """The counter's stock per part id, summed from its stock moves as the counter sums them
    (repairdesk/stock_kinds.py)."""
    moves = schema.mirrors()["stock_move"]
    signed = sa.case((moves.c.kind.in_(ADDS), moves.c.qty), else_=-moves.c.qty)
    return {int(part): int(qty) for part, qty in conn.execute(
        sa.select(moves.c.part_id, sa.func.sum(signed)).where(
            moves.c[schema.COUNTER] == counter, moves.c[schema.DELETED].is_(False))
        .group_by(moves.c.part_id)) if qty}


def due_back(conn: Connection, counter: str) -> dict[int, int]:
    """The faulty parts the counter keeps or has sent that HQ has not received, per part."""
    old = schema.mirrors()["old_part"]
    back = {k for k, v in outcomes(conn, counter).items() if v == "received"}
    found: dict[int, int] = {}
    for old_id, part, qty in conn.execute(
            sa.select(old.c.id, old.c.part_id, old.c.qty).where(
                old.c[schema.COUNTER] == counter, old.c[schema.DELETED].is_(False))):
        if int(old_id) not in back:
            found[int(part)] = found.get(int(part), 0) + int(qty)
    return found


def exposure(conn: Connection, counter: str, costs: dict[str, int] | None = None) -> Exposure:
    costs = standard_costs(conn) if costs is None else costs
    parts = _parts(conn, counter)

    def value(quantities: dict[int, int]) -> int:
        total = 0
        for part_id, qty in quantities.items():
            number, price = parts.get(part_id, ("", 0))
            total += max(qty, 0) * costs.get(number, price)
        return total

    return Exposure(value(on_hand(conn, counter)), in_transit(conn, counter),
                    value(due_back(conn, counter)))


def transit_lines(conn: Connection, counter: str) -> list[tuple[str, int, int]]:
    """The lines HQ shipped ``counter`` that it has not received: (part number, quantity,
    cost each). A received shipment's good parts are on the shelf (its stock moves); what
    came short or damaged is a difference HQ settles with the carrier, no longer the
    counter's."""
    shipments, lines = schema.table("hq_shipment"), schema.table("hq_shipment_line")
    done = received(conn, counter)
    return [(number, int(qty), int(cost)) for shipment, number, qty, cost in conn.execute(
        sa.select(lines.c.shipment_id, lines.c.part_number, lines.c.qty, lines.c.cost_fen)
        .select_from(lines.join(shipments, shipments.c.id == lines.c.shipment_id))
        .where(shipments.c.counter == counter)) if shipment not in done]


def in_transit(conn: Connection, counter: str) -> int:
    """What HQ shipped ``counter`` that it has not received, at its shipped cost."""
    return sum(qty * cost for _number, qty, cost in transit_lines(conn, counter))


def balance(conn: Connection, counter: str) -> int:
    entries = schema.table("hq_deposit_entry")
    signed = sa.case(*((entries.c.kind == kind, entries.c.amount_fen * sign)
                       for kind, sign in DEPOSIT_SIGNS.items()))
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.sum(signed), 0))
                            .where(entries.c.counter == counter)).scalar_one())


def credit_fen(deposit_fen: int, multiple: Decimal) -> int:
    return int((Decimal(deposit_fen) * Decimal(multiple)).to_integral_value())


def headroom_fen(conn: Connection, row: Any) -> int:
    """Credit less exposure of the registry's ``row`` (negative: beyond its credit)."""
    return (credit_fen(int(row.deposit_fen or 0), row.credit_multiple)
            - exposure(conn, row.code).total_fen)


def enter(conn: Connection, counter: str, kind: str, amount: object, ref: str, note: str,
          now: datetime, user: str | None) -> dict[str, Any]:
    """One entry, checked: an amount above zero, a reference, and never a refund or a
    deduction beyond the deposit there is. Returns the entry as stored."""
    if kind not in DEPOSIT_SIGNS:
        raise InputError("kind", _("core.bad_code", value=kind,
                                   allowed=", ".join(DEPOSIT_SIGNS)))
    fen = yuan_to_fen(amount, "amount", positive=True, limit_fen=MAX_ENTRY_FEN)
    ref = check_text("ref", ref)
    if not ref:
        raise InputError("ref", _("hqparts.ref_required"))
    note = check_text("note", note)
    before = balance(conn, counter)
    after = before + DEPOSIT_SIGNS[kind] * fen
    if after < 0:
        raise InputError("amount", _("hqparts.deposit_short", amount=fen_to_text(fen),
                                     deposit=fen_to_text(before)))
    row = {"counter": counter, "kind": kind, "amount_fen": fen, "balance_fen": after,
           "ref": ref, "note": note, "at": now, "by_user": user}
    entries, counters = schema.table("hq_deposit_entry"), schema.table("hq_counter")
    entry_id = conn.execute(sa.insert(entries).values(**row)
                            .returning(entries.c.id)).scalar_one()
    conn.execute(sa.update(counters).where(counters.c.code == counter)
                 .values(deposit_fen=after))
    return {"id": int(entry_id), **row}


def entries(conn: Connection, counter: str) -> list[Any]:
    table = schema.table("hq_deposit_entry")
    return list(conn.execute(sa.select(table).where(table.c.counter == counter)
                             .order_by(table.c.id)))
