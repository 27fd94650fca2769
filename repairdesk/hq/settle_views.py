"""Plain read models of HQ's claim lines and rate cards (what ``hq settle …`` prints with
``--json`` and what the HQ workspace's Settlement screen shows).

Amounts are yuan text ("85.00", :func:`repairdesk.amounts.fen_to_text`): exact in JSON,
unlike a float. A check carries its reason already rendered in the current language
(:func:`repairdesk.settle_reasons.reason`), so every face words it the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from repairdesk.amounts import fen_to_text
from repairdesk.settle_reasons import reason
from repairdesk.tickets.views import _View


@dataclass(frozen=True)
class RateCardView(_View):
    """One version of the rate card HQ loaded."""

    version: int
    effective: date
    name: str
    sha256: str
    loaded_at: datetime
    loaded_by: str | None
    cap: str
    return_days: int
    labour: dict[str, str] = field(default_factory=dict)
    levels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LinePart(_View):
    part_number: str
    name: str
    qty: int
    claimed: str
    cost: str | None
    old_part: str  # sent | kept | missing


@dataclass(frozen=True)
class LineCheck(_View):
    code: str
    outcome: str  # reject | hold | flag | cut
    reason: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        # The shape the spec names: code, outcome, reason (params stay in the detail).
        return {"code": self.code, "outcome": self.outcome, "reason": self.reason}


@dataclass(frozen=True)
class ClaimLineView(_View):
    """A claim line (or an adjustment line) as HQ holds it."""

    id: int
    counter: str
    ticket: str
    kind: str
    adjusts: int | None
    imei: str | None
    brand: str | None
    model: str | None
    fault: str | None
    remedy: str
    grade: str | None
    handed_in: date | None
    handed_back: date | None
    level: str | None
    card_version: int | None
    parts: list[LinePart]
    labour: str
    parts_amount: str
    amount: str
    approved: str | None
    checks: list[LineCheck]
    status: str
    review: str | None
    review_reason: str | None
    reviewed_by: str | None
    month: str
    statement: int | None

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["checks"] = [c.to_dict() for c in self.checks]
        return data

    @property
    def frozen(self) -> bool:
        return self.statement is not None


@dataclass(frozen=True)
class ClaimLineDetail(_View):
    """A line with what it was computed from: the ticket's facts, the ticket's audit
    events as the counter sent them, and the line's own history at HQ."""

    line: ClaimLineView
    facts: dict[str, Any]
    checks: list[dict[str, Any]]  # with their params
    audit: list[dict[str, Any]]
    history: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["line"] = self.line.to_dict()
        return data


def line_view(row: Any) -> ClaimLineView:
    """The view of one ``hq_claim_line`` row."""
    m = row._mapping
    return ClaimLineView(
        id=m["id"], counter=m["counter"], ticket=m["ticket_number"], kind=m["kind"],
        adjusts=m["adjusts"], imei=m["imei"], brand=m["brand"], model=m["model"],
        fault=m["fault"], remedy=m["remedy"], grade=m["grade"], handed_in=m["handed_in"],
        handed_back=m["handed_back"], level=m["level"], card_version=m["card_version"],
        parts=[LinePart(p["part_number"], p.get("name") or "", int(p["qty"]),
                        fen_to_text(int(p["claimed_fen"])),
                        None if p.get("cost_fen") is None else fen_to_text(int(p["cost_fen"])),
                        p.get("old_part") or "missing")
               for p in (m["parts"] or [])],
        labour=fen_to_text(m["labour_fen"]), parts_amount=fen_to_text(m["parts_fen"]),
        amount=fen_to_text(m["amount_fen"]),
        approved=None if m["approved_fen"] is None else fen_to_text(m["approved_fen"]),
        checks=[LineCheck(c["code"], c["outcome"], reason(c), dict(c.get("params") or {}))
                for c in (m["checks"] or [])],
        status=m["status"], review=m["review"], review_reason=m["review_reason"],
        reviewed_by=m["reviewed_by"], month=m["month"], statement=m["statement_id"],
    )
