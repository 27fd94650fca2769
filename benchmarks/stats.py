"""Summaries of repeated measurements: median with min and max, percentiles, paired ratios."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100), nearest-rank: a value that was actually measured."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(values: Sequence[float], digits: int = 6) -> dict[str, Any]:
    """Median, min and max of ``values`` (one per run) and how many runs."""
    return {
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
        "runs": len(values),
    }


def ratios(values: Sequence[float], floors: Sequence[float]) -> list[float]:
    """Run by run: each run's figure over the floor measured right next to it, so a slow
    moment of the machine weighs on both sides of a ratio instead of on one."""
    return [v / f for v, f in zip(values, floors, strict=True)]
