"""One line of the benchmark table: what was measured, against which floor, and the targets."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Target:
    """``actual`` compared with ``limit``: at most (``at_least`` False) or at least."""

    what: str  # as the issue states it, e.g. "p99 ≤ 1 ms"
    actual: float | None
    limit: float
    at_least: bool = False

    @property
    def met(self) -> bool | None:
        if self.actual is None:
            return None
        return self.actual >= self.limit if self.at_least else self.actual <= self.limit

    @property
    def margin(self) -> float | None:
        """How far from the limit, as a factor: 2.0 = twice the allowed (or half the
        required), 0.5 = half the allowed; below 1 is met for an "at most" target."""
        if self.actual is None or self.actual == 0 or self.limit == 0:
            return None
        return self.limit / self.actual if self.at_least else self.actual / self.limit

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "met": self.met, "margin": self.margin}


@dataclass
class Figure:
    key: str
    title: str
    unit: str
    value: dict[str, Any] | None = None  # stats.summary of the per-run figure
    floor_title: str | None = None
    floor: dict[str, Any] | None = None
    ratio: dict[str, Any] | None = None  # stats.summary of the paired ratios
    targets: list[Target] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    available: bool = True
    seconds: float = 0.0  # what measuring it took

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["targets"] = [t.to_dict() for t in self.targets]
        return data


def not_available(key: str, title: str, unit: str, why: str,
                  targets: list[Target] | None = None) -> Figure:
    return Figure(key, title, unit, targets=targets or [], note=why, available=False)
