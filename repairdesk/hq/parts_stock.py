"""HQ's view of the counters' stock, per counter and part, from their batches and HQ's
shipments: on the shelf, shipped and not received, faulty parts due back, used in a month,
and the slow movers (on the shelf, none come in and none used for 90 days)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk.hq import deposits, schema

#: Days on the shelf without a part coming in or going out that make it a slow mover.
SLOW_DAYS = 90


def _moves(conn: Connection, counter: str) -> list[Any]:
    sm = schema.mirrors()["stock_move"]
    return list(conn.execute(sa.select(sm.c.part_id, sm.c.kind, sm.c.qty, sm.c.at).where(
        sm.c[schema.COUNTER] == counter, sm.c[schema.DELETED].is_(False))))


def _in_transit(conn: Connection, counter: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for number, qty, _cost in deposits.transit_lines(conn, counter):
        found[number] = found.get(number, 0) + qty
    return found


def rows(conn: Connection, counter: str, first: datetime, end: datetime,
         today: date) -> list[dict[str, Any]]:
    """``counter``'s parts with anything to say (on the shelf, on the way, due back, used
    between ``first`` and ``end``)."""
    parts = schema.mirrors()["part"]
    names = {int(r.id): r for r in conn.execute(
        sa.select(parts.c.id, parts.c.part_number, parts.c.name_zh, parts.c.name_en,
                  parts.c.price_fen).where(parts.c[schema.COUNTER] == counter,
                                           parts.c[schema.DELETED].is_(False)))}
    costs = deposits.standard_costs(conn)
    shelf = deposits.on_hand(conn, counter)
    due = deposits.due_back(conn, counter)
    transit = _in_transit(conn, counter)
    used: dict[int, int] = {}
    last_in: dict[int, datetime] = {}
    last_out: dict[int, datetime] = {}
    for part, kind, qty, at in _moves(conn, counter):
        if kind in ("drawn", "returned") and first <= at < end:
            used[part] = used.get(part, 0) + (qty if kind == "drawn" else -qty)
        if kind in ("received", "bought", "count_found"):
            last_in[part] = max(at, last_in.get(part, at))
        if kind == "drawn":
            last_out[part] = max(at, last_out.get(part, at))
    slow_since = datetime.combine(today - timedelta(days=SLOW_DAYS), datetime.min.time()) \
        .replace(tzinfo=first.tzinfo)
    found = []
    for part_id, part in sorted(names.items(), key=lambda kv: kv[1].part_number):
        on_hand = max(shelf.get(part_id, 0), 0)
        row = {
            "counter": counter, "part_number": part.part_number,
            "name_zh": part.name_zh, "name_en": part.name_en, "on_hand": on_hand,
            "in_transit": transit.get(part.part_number, 0), "due_back": due.get(part_id, 0),
            "used": used.get(part_id, 0),
            "cost_fen": costs.get(part.part_number, int(part.price_fen)),
            "last_in": last_in.get(part_id), "last_used": last_out.get(part_id),
        }
        row["slow"] = on_hand > 0 and all(
            when is None or when < slow_since for when in (row["last_in"], row["last_used"]))
        if any(row[k] for k in ("on_hand", "in_transit", "due_back", "used")):
            found.append(row)
    return found
