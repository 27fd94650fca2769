"""The guarantee on a repair's own work (pure: dates in, dates out).

A 三包/warranty repair is guaranteed for the rest of the phone's 三包 period or a number of
days after hand-back, whichever ends later; a paid repair for a number of days, for the same
fault only (data/money.toml). A phone that comes back inside such a guarantee is a repeat
repair: free of charge, and counted by the 三包 engine as an earlier repair.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from repairdesk.paths import data_dir

WARRANTY = "warranty"
PAID = "paid"


@dataclass(frozen=True)
class GuaranteeTerms:
    """How long a repair's own work is guaranteed (the ``[guarantee]`` table of
    data/money.toml), and whether for the same fault only."""

    warranty_repair_days: int
    warranty_same_fault_only: bool
    paid_repair_days: int
    paid_same_fault_only: bool


@cache
def guarantee_terms() -> GuaranteeTerms:
    with (data_dir() / "money.toml").open("rb") as fh:
        raw = tomllib.load(fh)["guarantee"]
    return GuaranteeTerms(
        warranty_repair_days=int(raw["warranty_repair_days"]),
        warranty_same_fault_only=bool(raw["warranty_same_fault_only"]),
        paid_repair_days=int(raw["paid_repair_days"]),
        paid_same_fault_only=bool(raw["paid_same_fault_only"]),
    )


@dataclass(frozen=True)
class Guarantee:
    """The guarantee of one collected repair."""

    ticket: str
    kind: str  # warranty | paid
    end: date  # the last day inside the guarantee
    handed_back: date
    fault: str | None  # the fault that was repaired
    same_fault_only: bool
    period_end: date | None = None  # a warranty repair: the 三包 period end it runs to

    def covers(self, fault: str | None, on: date) -> bool:
        """Does this guarantee cover ``fault`` found on ``on``?"""
        if not self.handed_back <= on <= self.end:
            return False
        return not self.same_fault_only or (fault is not None and fault == self.fault)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ticket": self.ticket, "kind": self.kind, "end": self.end.isoformat(),
            "handed_back": self.handed_back.isoformat(), "fault": self.fault,
            "same_fault_only": self.same_fault_only,
            "period_end": self.period_end.isoformat() if self.period_end else None,
        }


def warranty_guarantee(ticket: str, handed_back: date, fault: str | None,
                       period_end: date | None) -> Guarantee:
    policy = guarantee_terms()
    own = handed_back + timedelta(days=policy.warranty_repair_days)
    end = max(own, period_end) if period_end else own
    return Guarantee(ticket, WARRANTY, end, handed_back, fault,
                     policy.warranty_same_fault_only, period_end)


def paid_guarantee(ticket: str, handed_back: date, fault: str | None) -> Guarantee:
    policy = guarantee_terms()
    return Guarantee(ticket, PAID, handed_back + timedelta(days=policy.paid_repair_days),
                     handed_back, fault, policy.paid_same_fault_only)


def paid_repair_still_guaranteed(handed_back: date, repaired: str | None, fault: str,
                                 handed_in: date) -> bool:
    """Does a paid repair handed back on ``handed_back`` still guarantee ``fault``, found when
    the phone came back on ``handed_in``? (The 三包 claim counts such a return as a repeat.)"""
    return paid_guarantee("", handed_back, repaired).covers(fault, handed_in)
