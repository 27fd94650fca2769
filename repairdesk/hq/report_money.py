"""The money figures of the report, from the counters' own rows as the batches carry them:
parts consumed (stock moves drawn for a ticket, less those returned; by part, and by the
brand and model of the phone they went into), takings by payment
method (payments recorded at the counters, as their day-end reports add them up), and the
warranty repair amounts (the price-list value of the parts drawn for 三包 repairs: what the
network claims from the brands).

Amounts are fen in the database, yuan (Decimal, two places) in the report.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from repairdesk.amounts import fen_to_yuan
from repairdesk.hq import schema
from repairdesk.hq.report_scope import Scope
from repairdesk.hq.report_sql import at
from repairdesk.hq.schema import COUNTER, DELETED
from repairdesk.tickets.codes import PAYMENT_METHODS as METHODS

#: The bases a part is drawn on (repairdesk/money/basis.py, a sibling HQ may not import).
WARRANTY, GUARANTEE, PAID = "warranty", "guarantee", "paid"
BASES = (WARRANTY, GUARANTEE, PAID)

KINDS = ("deposit", "payment", "refund")


def parts(conn: sa.Connection, scope: Scope, first: date, end: date,
          english: bool) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Parts used in the month by part number and basis, and the warranty value per counter
    (fen)."""
    m = schema.mirrors()
    sm, p = m["stock_move"], m["part"]
    sign = sa.case((sm.c.kind == "drawn", 1), else_=-1)
    basis = sa.func.coalesce(sm.c.basis, PAID).label("basis")
    query = (
        sa.select(sm.c[COUNTER], p.c.part_number, sa.func.max(p.c.name_zh),
                  sa.func.max(p.c.name_en), basis,
                  sa.func.sum(sa.case((sm.c.kind == "drawn", sm.c.qty), else_=0)),
                  sa.func.sum(sa.case((sm.c.kind == "returned", sm.c.qty), else_=0)),
                  sa.func.sum(sign * sm.c.qty * sm.c.unit_price_fen))
        .select_from(sm.join(p, sa.and_(sm.c[COUNTER] == p.c[COUNTER],
                                        p.c.id == sm.c.part_id)))
        .where(sm.c[DELETED].is_(False), *scope.on(sm), sm.c.kind.in_(("drawn", "returned")),
               sm.c.at >= at(first), sm.c.at < at(end))
        .group_by(sm.c[COUNTER], p.c.part_number, basis))
    used: dict[tuple[str, str], dict[str, Any]] = {}
    warranty: dict[str, int] = defaultdict(int)
    for code, number, name_zh, name_en, kind, drawn, returned, value in conn.execute(query):
        row = used.setdefault((number, kind), {
            "part_number": number, "name": (name_en or name_zh) if english else name_zh,
            "basis": kind, "drawn": 0, "returned": 0, "used": 0, "value_fen": 0})
        row["drawn"] += int(drawn or 0)
        row["returned"] += int(returned or 0)
        row["used"] = row["drawn"] - row["returned"]
        row["value_fen"] += int(value or 0)
        if kind == WARRANTY:
            warranty[code] += int(value or 0)
    rows = []
    for key in sorted(used, key=lambda k: (BASES.index(k[1]) if k[1] in BASES else 9, k[0])):
        row = used[key]
        rows.append({**{k: v for k, v in row.items() if k != "value_fen"},
                     "value": fen_to_yuan(row["value_fen"])})
    return rows, dict(warranty)


def parts_by_model(conn: sa.Connection, scope: Scope, first: date, end: date,
                   ) -> list[dict[str, Any]]:
    """Parts used in the month by the brand and model of the phone they went into, part
    number and basis (warranty vs paid): what the brands are told of their models."""
    m = schema.mirrors()
    sm, p, t, d = m["stock_move"], m["part"], m["ticket"], m["device"]
    sign = sa.case((sm.c.kind == "drawn", 1), else_=-1)
    basis = sa.func.coalesce(sm.c.basis, PAID).label("basis")
    query = (
        sa.select(d.c.brand, d.c.model, p.c.part_number, basis, sa.func.sum(sign * sm.c.qty),
                  sa.func.sum(sign * sm.c.qty * sm.c.unit_price_fen))
        .select_from(
            sm.join(p, sa.and_(p.c[COUNTER] == sm.c[COUNTER], p.c.id == sm.c.part_id))
            .join(t, sa.and_(t.c[COUNTER] == sm.c[COUNTER], t.c.id == sm.c.ticket_id))
            .join(d, sa.and_(d.c[COUNTER] == t.c[COUNTER], d.c.id == t.c.device_id)))
        .where(sm.c[DELETED].is_(False), *scope.on(sm), sm.c.kind.in_(("drawn", "returned")),
               sm.c.at >= at(first), sm.c.at < at(end))
        .group_by(d.c.brand, d.c.model, p.c.part_number, basis))
    rows = [{"brand": brand or "", "model": model or "", "part_number": number, "basis": kind,
             "used": int(used or 0), "value": fen_to_yuan(int(value or 0))}
            for brand, model, number, kind, used, value in conn.execute(query) if used]
    return sorted(rows, key=lambda r: (r["brand"], r["model"], r["part_number"],
                                       BASES.index(r["basis"]) if r["basis"] in BASES else 9))


def takings(conn: sa.Connection, scope: Scope, first: date, end: date
            ) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Per payment method: deposits, payments, refunds and net (yuan); and each counter's net
    (fen). Waived balances are no takings."""
    pay = schema.mirrors()["payment"]
    query = (sa.select(pay.c[COUNTER], pay.c.method, pay.c.kind, sa.func.sum(pay.c.amount_fen))
             .where(pay.c[DELETED].is_(False), *scope.on(pay), pay.c.kind.in_(KINDS),
                    pay.c.at >= at(first), pay.c.at < at(end))
             .group_by(pay.c[COUNTER], pay.c.method, pay.c.kind))
    sums: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KINDS, 0))
    net: dict[str, int] = defaultdict(int)
    for code, method, kind, amount in conn.execute(query):
        sums[method or "other"][kind] += int(amount or 0)
        net[code] += (-1 if kind == "refund" else 1) * int(amount or 0)
    methods = [*METHODS, *sorted(set(sums) - set(METHODS))]
    rows = []
    for method in methods:
        s = sums[method] if method in sums else dict.fromkeys(KINDS, 0)
        rows.append({"method": method, "deposits": fen_to_yuan(s["deposit"]),
                     "payments": fen_to_yuan(s["payment"]),
                     "refunds": fen_to_yuan(s["refund"]),
                     "net": fen_to_yuan(s["deposit"] + s["payment"] - s["refund"])})
    return rows, dict(net)


def total(rows: list[dict[str, Any]], *fields: str) -> dict[str, Decimal]:
    return {f: sum((r[f] for r in rows), Decimal("0.00")) for f in fields}
