"""What a pack made for one counter tells it of its parts (member ``parts.json``,
:mod:`repairdesk.sync.packs`): HQ's shipments to it that it has not received yet, with
their lines at HQ's standard cost, and HQ's answers to its part requests."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk.hq import schema


def received(conn: Connection, counter: str) -> set[int]:
    """The shipments the counter's batches say it received."""
    receipts = schema.mirrors()["shipment_receipt"]
    return {int(r[0]) for r in conn.execute(
        sa.select(receipts.c.shipment_id).distinct().where(
            receipts.c[schema.COUNTER] == counter, receipts.c[schema.DELETED].is_(False)))}


def member(conn: Connection, counter: str) -> dict[str, Any]:
    shipments, lines = schema.table("hq_shipment"), schema.table("hq_shipment_line")
    answers = schema.table("hq_part_answer")
    done = received(conn, counter)
    sent = [s for s in conn.execute(sa.select(shipments).where(shipments.c.counter == counter)
                                    .order_by(shipments.c.id)) if s.id not in done]
    by_shipment: dict[int, list[dict[str, Any]]] = {}
    for li in conn.execute(sa.select(lines).where(lines.c.shipment_id.in_([s.id for s in sent]))
                           .order_by(lines.c.shipment_id, lines.c.line)):
        by_shipment.setdefault(li.shipment_id, []).append({
            "line": li.line, "part_number": li.part_number, "qty": li.qty,
            "cost_fen": li.cost_fen, "request_id": li.request_id, "free": li.free})
    return {
        "counter": counter,
        "shipments": [{"id": s.id, "waybill": s.waybill, "shipped_at": s.shipped_at.isoformat(),
                       "lines": by_shipment.get(s.id, [])} for s in sent],
        "answers": [{"request_id": a.request_id, "outcome": a.outcome, "qty": a.qty,
                     "reason": a.reason, "shipment_id": a.shipment_id}
                    for a in conn.execute(sa.select(answers).where(answers.c.counter == counter)
                                          .order_by(answers.c.request_id))],
    }
