"""What a pack tells the counters of settlement (member ``settlement.json``,
:mod:`repairdesk.sync.packs`): every version of the rate card, so a counter shows what a
repair will earn; and, in a pack made for one counter, HQ's lines of its tickets (the open
ones and those of its last statements), its statements as HQ signed them and the answers to
its disputes."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk.errors import InputError
from repairdesk.hq import schema
from repairdesk.hq.settle_close import line_document
from repairdesk.i18n import _

#: The statements whose lines a pack repeats (older ones the counter has already).
RECENT_STATEMENTS = 3


def member(conn: Connection, counter: str | None) -> dict[str, Any] | None:
    """The member for ``counter`` (or for every counter); None when there is nothing to say
    (no rate card and no counter named)."""
    cards = schema.table("hq_rate_card")
    rate_cards = [{"version": r.version, "effective": r.effective.isoformat(), "card": r.card}
                  for r in conn.execute(sa.select(cards).order_by(cards.c.version))]
    if counter is None:
        if not rate_cards:
            return None
        return {"counter": None, "level": None, "rate_cards": rate_cards, "lines": [],
                "statements": [], "answers": []}
    registry = schema.table("hq_counter")
    level = conn.execute(sa.select(registry.c.level).where(registry.c.code == counter)).first()
    if level is None:
        raise InputError("counter", _("hqclose.unknown_counter", counter=counter))
    statements, lines = schema.table("hq_statement"), schema.table("hq_claim_line")
    answers = schema.table("hq_dispute_answer")
    signed = conn.execute(sa.select(statements).where(statements.c.counter == counter)
                          .order_by(statements.c.month)).all()
    recent = [s.id for s in signed[-RECENT_STATEMENTS:]]
    shown = conn.execute(sa.select(lines).where(
        lines.c.counter == counter,
        sa.or_(lines.c.statement_id.is_(None), lines.c.statement_id.in_(recent)))
        .order_by(lines.c.id)).all()
    return {
        "counter": counter, "level": level[0], "rate_cards": rate_cards,
        "lines": [{**line_document(r._mapping), "statement": r.statement_id} for r in shown],
        "statements": [{"id": s.id, "month": s.month, "document": s.document,
                        "sha256": s.sha256, "signature": s.signature} for s in signed],
        "answers": [{"dispute_id": a.dispute_id, "line_id": a.line_id, "outcome": a.outcome,
                     "reason": a.reason, "adjustment_line": a.adjustment_line,
                     "amount_fen": a.amount_fen, "at": a.at.isoformat()}
                    for a in conn.execute(sa.select(answers).where(answers.c.counter == counter)
                                          .order_by(answers.c.dispute_id))],
    }


def keep_pack(conn: Connection, seq: int, prices: list[Any], blacklist: list[Any] | None) -> None:
    """HQ keeps what it sent: the pack's price list (a part's standard cost on a day) and,
    when the pack carries one, the blacklist in force."""
    price = schema.table("hq_price")
    rows = {p.part_number: p.price_fen for p in prices}
    if rows:
        conn.execute(sa.insert(price), [{"pack": seq, "part_number": k, "price_fen": v}
                                        for k, v in sorted(rows.items())])
    if blacklist is not None:
        listed = schema.table("hq_blacklist")
        conn.execute(sa.delete(listed))
        if blacklist:
            conn.execute(sa.insert(listed), [{"imei": e.imei, "reason": e.reason,
                                              "reported": e.reported, "pack": seq}
                                             for e in blacklist])
