"""The counter's side of warranty settlement: what HQ's packs bring (member
``settlement.json``, :mod:`repairdesk.sync.packs`) kept in the ``sync_*`` tables of
:mod:`repairdesk.models_settlement`, read back as views, and what a repair will earn.

A pack made for another counter is refused before anything is applied: its lines and
statements are that counter's. HQ's words are never stored here: checks travel as codes with
their parameters and are rendered in the reader's language (:mod:`repairdesk.settle_reasons`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from repairdesk import ratecard, settle_reasons
from repairdesk.amounts import fen_to_text
from repairdesk.i18n import _
from repairdesk.models import StockMove, Ticket
from repairdesk.models_settlement import (
    SettlementDispute,
    SyncClaimLine,
    SyncDisputeAnswer,
    SyncRateCard,
    SyncStatement,
)
from repairdesk.money.basis import WARRANTY, charge_basis, record_of
from repairdesk.sync.batch import BatchRefused
from repairdesk.sync.settlement_views import (
    CheckView,
    ClaimLineView,
    DisputeView,
    EarningView,
    StatementView,
)


def check_member(member: dict[str, Any] | None, own_code: str | None, file: str) -> None:
    """Refuse a pack whose settlement member was made for another counter."""
    if member is None or member.get("counter") in (None, own_code):
        return
    raise BatchRefused("counter", file, _("sync.pack_other_counter",
                                          counter=str(member["counter"]), own=own_code or "-"))


def store_member(s: Session, member: dict[str, Any], seq: int) -> None:
    """Keep what the member says: every rate card version; for a pack made for this counter,
    HQ's lines as they stand now, its statements and the answers to its disputes."""
    s.execute(sa.delete(SyncRateCard))
    for card in member["rate_cards"]:
        s.add(SyncRateCard(version=int(card["version"]),
                           effective=date.fromisoformat(str(card["effective"])),
                           card=str(card["card"]), pack_seq=seq))
    if member.get("counter") is None:
        return
    for line in member["lines"]:
        s.merge(SyncClaimLine(
            id=int(line["id"]), ticket_number=str(line["ticket"]), kind=str(line["kind"]),
            month=str(line["month"]), status=str(line["status"]),
            amount_fen=int(line["amount_fen"]), checks=list(line.get("checks") or []),
            statement_id=line.get("statement"), line=dict(line), pack_seq=seq))
    for doc in member["statements"]:
        s.merge(SyncStatement(
            id=int(doc["id"]), month=str(doc["month"]), document=dict(doc["document"]),
            sha256=str(doc["sha256"]), signature=str(doc["signature"]), pack_seq=seq))
    for doc in member["answers"]:
        s.merge(SyncDisputeAnswer(
            dispute_id=int(doc["dispute_id"]), line_id=int(doc["line_id"]),
            outcome=str(doc["outcome"]), reason=str(doc["reason"]),
            adjustment_line=doc.get("adjustment_line"), amount_fen=doc.get("amount_fen"),
            at=datetime.fromisoformat(str(doc["at"])), pack_seq=seq))


# -- reading ------------------------------------------------------------------------------


def _money(fen: object) -> str:
    return fen_to_text(int(fen or 0))  # type: ignore[call-overload]  # JSON numbers


def checks_of(checks: list[dict[str, Any]]) -> list[CheckView]:
    return [CheckView(str(c.get("code")), str(c.get("outcome")), settle_reasons.reason(c))
            for c in checks]


def disputes(s: Session, line_ids: list[int] | None = None) -> dict[int, list[DisputeView]]:
    """The counter's disputes with HQ's answers, per line."""
    query = select(SettlementDispute).order_by(col(SettlementDispute.id))
    if line_ids is not None:
        query = query.where(col(SettlementDispute.line_id).in_(line_ids))
    answers = {a.dispute_id: a for a in s.exec(select(SyncDisputeAnswer))}
    found: dict[int, list[DisputeView]] = {}
    for d in s.exec(query):
        a = answers.get(d.id)  # type: ignore[arg-type]  # a stored row: its id is set
        found.setdefault(d.line_id, []).append(DisputeView(
            id=int(d.id), line=d.line_id, ticket=d.ticket_number,  # type: ignore[arg-type]
            reason=d.reason, at=d.at, user=d.user,
            outcome=a.outcome if a else None, answer=a.reason if a else None,
            adjustment_line=a.adjustment_line if a else None,
            amount=None if a is None or a.amount_fen is None else fen_to_text(a.amount_fen),
        ))
    return found


def line_view(doc: dict[str, Any], statement: int | None,
              raised: list[DisputeView]) -> ClaimLineView:
    return ClaimLineView(
        id=int(doc["id"]), ticket=str(doc["ticket"]), kind=str(doc["kind"]),
        adjusts=doc.get("adjusts"), month=str(doc["month"]), status=str(doc["status"]),
        grade=doc.get("grade"), labour=_money(doc.get("labour_fen")),
        parts_amount=_money(doc.get("parts_fen")), amount=_money(doc.get("amount_fen")),
        approved=None if doc.get("approved_fen") is None else _money(doc["approved_fen"]),
        checks=checks_of(list(doc.get("checks") or [])), review_reason=doc.get("review_reason"),
        statement=statement, parts=list(doc.get("parts") or []), disputes=raised,
    )


def lines(s: Session, month: str | None, status: str | None,
          ticket: str | None = None) -> list[ClaimLineView]:
    query = select(SyncClaimLine).order_by(col(SyncClaimLine.id))
    if month:
        query = query.where(SyncClaimLine.month == month)
    if status:
        query = query.where(SyncClaimLine.status == status)
    if ticket:
        query = query.where(SyncClaimLine.ticket_number == ticket)
    rows = list(s.exec(query))
    raised = disputes(s, [int(r.id) for r in rows])
    return [line_view(r.line, r.statement_id, raised.get(r.id, [])) for r in rows]


def statement_view(row: SyncStatement, raised: dict[int, list[DisputeView]]) -> StatementView:
    doc, totals = row.document, row.document.get("totals", {})
    shown = [line_view(d, row.id, raised.get(int(d["id"]), []))
             for key in ("approved", "adjustments", "rejected", "carried")
             for d in doc.get(key, [])]
    return StatementView(
        id=int(row.id), month=row.month, closed_at=str(doc.get("closed_at", "")),
        labour=_money(totals.get("labour_fen")), parts_amount=_money(totals.get("parts_fen")),
        adjustments=_money(totals.get("adjustments_fen")), total=_money(totals.get("total_fen")),
        approved=len(doc.get("approved", [])), rejected=len(doc.get("rejected", [])),
        adjusted=len(doc.get("adjustments", [])), carried=len(doc.get("carried", [])),
        lines=shown,
    )


def statements(s: Session, month: str | None) -> list[StatementView]:
    query = select(SyncStatement).order_by(col(SyncStatement.month))
    if month:
        query = query.where(SyncStatement.month == month)
    raised = disputes(s)
    return [statement_view(r, raised) for r in s.exec(query)]


# -- what a repair will earn --------------------------------------------------------------


def cards(s: Session) -> list[ratecard.RateCard]:
    found = []
    for row in s.exec(select(SyncRateCard)):
        card = ratecard.parse_card(row.card)
        found.append(ratecard.RateCard(**{**card.__dict__, "version": row.version}))
    return found


def earning(s: Session, ticket: Ticket, level: str | None, on: date) -> EarningView:
    """What ``ticket`` will earn if HQ approves it, by the card in force ``on``."""
    record = record_of(s, ticket)
    grade = ratecard.REMEDY_GRADES.get(ticket.status) or (record.grade if record else None)
    card = ratecard.in_force(cards(s), on)
    missing = None
    if charge_basis(s, ticket, on) != WARRANTY:
        missing = "not_warranty"
    elif card is None:
        missing = "no_card"
    elif not grade:
        missing = "no_grade"
    if missing or card is None or grade is None:
        return EarningView(ticket.number, grade, level, card.version if card else None,
                           "0.00", "0.00", "0.00", False, missing)
    drawn: dict[int, list[int]] = {}
    for move in s.exec(select(StockMove).where(
            StockMove.ticket_id == ticket.id, StockMove.basis == WARRANTY,
            col(StockMove.kind).in_(("drawn", "returned")))):
        entry = drawn.setdefault(move.part_id, [0, move.unit_price_fen])
        entry[0] += move.qty if move.kind == "drawn" else -move.qty
    parts = [(qty, unit) for qty, unit in drawn.values() if qty > 0]
    earned = ratecard.earn(card, grade, level, parts)
    return EarningView(ticket.number, grade, level, card.version, fen_to_text(earned.labour_fen),
                       fen_to_text(earned.parts_fen), fen_to_text(earned.total_fen),
                       earned.capped)
