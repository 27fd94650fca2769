"""What ``hq settle close|statements|statement|verify|disputes`` print with ``--json`` and
what the workspace shows of the month's statements and the counters' disputes. Amounts are
yuan text (:func:`repairdesk.amounts.fen_to_text`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from repairdesk.amounts import fen_to_text
from repairdesk.tickets.views import _View


@dataclass(frozen=True)
class StatementView(_View):
    id: int
    counter: str
    month: str
    closed_at: datetime
    closed_by: str | None
    lines: int
    labour: str
    parts: str
    adjustments: str
    total: str
    sha256: str
    new: bool = False  # closed by this call (False: it was closed before)
    document: dict[str, Any] = field(default_factory=dict)


def statement_view(m: Any, new: bool = False) -> StatementView:
    totals = m["document"]["totals"]
    return StatementView(
        id=m["id"], counter=m["counter"], month=m["month"], closed_at=m["closed_at"],
        closed_by=m["closed_by"], lines=m["lines"], labour=fen_to_text(totals["labour_fen"]),
        parts=fen_to_text(totals["parts_fen"]), adjustments=fen_to_text(
            totals["adjustments_fen"]), total=fen_to_text(totals["total_fen"]),
        sha256=m["sha256"], new=new, document=dict(m["document"]),
    )


@dataclass(frozen=True)
class VerifyView(_View):
    """A frozen statement recomputed: ``ok``, or each difference found (what, where, the
    frozen value, the recomputed one)."""

    counter: str
    month: str
    ok: bool
    differences: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class DisputeView(_View):
    counter: str
    dispute: int
    line: int
    ticket: str
    reason: str
    at: datetime
    by: str
    outcome: str | None  # None: open; accepted | refused
    answer: str | None
    adjustment_line: int | None
    amount: str | None
