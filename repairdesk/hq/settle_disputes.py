"""The counters' disputes of claim lines, and HQ's answers.

A dispute is the counter's own ``settlement_dispute`` row, come up in a batch like any other
counter row (HQ's copy of it is the mirror). HQ answers once: accepted, with an adjustment
line approved at the amount agreed, which the next statement pays; or refused, with HQ's
reason. The answer goes back to the counter in its next pack.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk.amounts import fen_to_text, yuan_to_fen
from repairdesk.errors import InputError
from repairdesk.freetext import check_text
from repairdesk.hq import schema, settle_facts
from repairdesk.hq.settle_close_views import DisputeView
from repairdesk.hq.settle_lines import month_of
from repairdesk.i18n import _


def disputes(conn: Connection, counter: str | None, open_only: bool,
             dispute_id: int | None = None) -> list[DisputeView]:
    raised, answers = schema.mirrors()["settlement_dispute"], schema.table("hq_dispute_answer")
    query = (
        sa.select(raised.c.hq_counter, raised.c.id, raised.c.line_id, raised.c.ticket_number,
                  raised.c.reason, raised.c.at, raised.c.user, answers.c.outcome,
                  answers.c.reason.label("answer"), answers.c.adjustment_line,
                  answers.c.amount_fen)
        .select_from(raised.outerjoin(answers, sa.and_(
            answers.c.counter == raised.c.hq_counter, answers.c.dispute_id == raised.c.id)))
        .where(raised.c.hq_deleted.is_(False))
        .order_by(raised.c.at, raised.c.hq_counter, raised.c.id)
    )
    if counter:
        query = query.where(raised.c.hq_counter == counter)
    if dispute_id is not None:
        query = query.where(raised.c.id == dispute_id)
    if open_only:
        query = query.where(answers.c.outcome.is_(None))
    return [DisputeView(
        counter=r.hq_counter, dispute=int(r.id), line=int(r.line_id), ticket=r.ticket_number,
        reason=r.reason, at=r.at, by=r.user, outcome=r.outcome, answer=r.answer,
        adjustment_line=r.adjustment_line,
        amount=None if r.amount_fen is None else fen_to_text(int(r.amount_fen)),
    ) for r in conn.execute(query)]


def resolve(conn: Connection, counter: str, dispute_id: int, *, accept: bool, reason: str,
            amount: str | None, now: datetime, user: str | None) -> dict[str, Any]:
    """Answer one dispute; returns what was recorded (HQ's trail keeps it)."""
    reason = check_text("reason", reason)
    if not reason.strip():
        raise InputError("reason", _("hqclose.reason_required"))
    found = disputes(conn, counter, False, dispute_id=dispute_id)
    if not found:
        raise InputError("dispute", _("hqclose.no_dispute", counter=counter, dispute=dispute_id))
    dispute = found[0]
    if dispute.outcome is not None:
        raise InputError("dispute", _("hqclose.dispute_answered", dispute=dispute_id,
                                      outcome=_(f"hqclose.outcome_{dispute.outcome}")))
    lines = schema.table("hq_claim_line")
    line = conn.execute(sa.select(lines).where(lines.c.id == dispute.line,
                                               lines.c.counter == counter)).first()
    if line is None:
        raise InputError("dispute", _("hqclose.no_line", line=dispute.line))
    adjustment, fen = None, None
    if accept:
        fen = _amount(line, amount)
        facts = {"dispute": dispute_id, "line": line.id, "reason": dispute.reason}
        adjustment = conn.execute(sa.insert(lines).values(
            counter=counter, ticket_id=line.ticket_id, ticket_number=line.ticket_number,
            kind="adjustment", adjusts=line.id, imei=line.imei, brand=line.brand,
            model=line.model, fault=line.fault, remedy=line.remedy, grade=line.grade,
            handed_in=line.handed_in, handed_back=line.handed_back, level=line.level,
            card_version=line.card_version, parts=[], labour_fen=0, parts_fen=0,
            amount_fen=fen, approved_fen=fen, checks=[], status="approved", review="adjusted",
            review_reason=reason, reviewed_by=user, reviewed_at=now, facts=facts,
            facts_sha256=settle_facts.sha256(facts), source_seq=None,
            month=month_of(conn, counter, now.date()), created_at=now, updated_at=now,
        ).returning(lines.c.id)).scalar_one()
    record = {"counter": counter, "dispute_id": dispute_id, "line_id": line.id,
              "outcome": "accepted" if accept else "refused", "reason": reason,
              "adjustment_line": adjustment, "amount_fen": fen, "by_user": user, "at": now}
    conn.execute(sa.insert(schema.table("hq_dispute_answer")).values(**record))
    return {k: v for k, v in record.items() if k != "at"}


def _amount(line: Any, amount: str | None) -> int:
    """The adjustment agreed: as typed, or what the card pays beyond what was approved."""
    if amount is not None:
        return yuan_to_fen(amount, "amount", positive=True)
    rest = int(line.amount_fen) - int(line.approved_fen or 0)
    if rest <= 0:
        raise InputError("amount", _("hqclose.amount_required"))
    return rest
