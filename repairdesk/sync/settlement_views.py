"""Plain read models of the counter's side of warranty settlement (``desk.settlement``):
HQ's claim lines of this counter's tickets, its statements, the counter's disputes and what a
repair will earn. Amounts are exact strings ("160.25"); reasons are in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from repairdesk.tickets.views import _View


@dataclass(frozen=True)
class CheckView(_View):
    """One of HQ's checks of a line, with its reason in words."""

    code: str
    outcome: str  # reject | hold | flag | cut
    reason: str


@dataclass(frozen=True)
class DisputeView(_View):
    """The counter's dispute of a line and, once HQ answered, its answer."""

    id: int
    line: int
    ticket: str
    reason: str
    at: datetime
    user: str
    outcome: str | None = None  # accepted | refused; None: not answered yet
    answer: str | None = None
    adjustment_line: int | None = None
    amount: str | None = None
    sent: bool = False  # in a batch already


@dataclass(frozen=True)
class ClaimLineView(_View):
    id: int
    ticket: str
    kind: str  # claim | adjustment
    adjusts: int | None
    month: str
    status: str  # pending | held | rejected | approved
    grade: str | None
    labour: str
    parts_amount: str
    amount: str
    approved: str | None
    checks: list[CheckView]
    review_reason: str | None
    statement: int | None
    parts: list[dict[str, object]] = field(default_factory=list)
    disputes: list[DisputeView] = field(default_factory=list)


@dataclass(frozen=True)
class StatementView(_View):
    id: int
    month: str
    closed_at: str
    labour: str
    parts_amount: str
    adjustments: str
    total: str
    approved: int
    rejected: int
    adjusted: int
    carried: int
    lines: list[ClaimLineView] = field(default_factory=list)


@dataclass(frozen=True)
class EarningView(_View):
    """What a ticket's repair will earn by the rate card HQ sent (an estimate: HQ prices the
    parts at its own standard cost and runs its checks when the batch arrives)."""

    ticket: str
    grade: str | None
    level: str | None
    card_version: int | None
    labour: str
    parts_amount: str
    total: str
    capped: bool
    missing: str | None = None  # why nothing can be said yet: no_card | no_grade | not_warranty
