"""The few SQL expressions the report needs that PostgreSQL and SQLite spell differently,
and the percentiles both engines must agree on to the decimal.

Datetimes are stored as UTC without a zone (UTCDateTime), dates as dates; China keeps no
summer time, so a local month is the UTC time shifted by eight hours.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from repairdesk.sync.ords import CHINA_TZ

UTC_OFFSET_HOURS = 8


def at(day: date) -> datetime:
    """The first moment of ``day`` in China."""
    return datetime.combine(day, time.min, CHINA_TZ)


def next_month(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def months_back(first: date, count: int) -> list[date]:
    """The ``count`` months ending with ``first``, oldest first."""
    found = [first]
    while len(found) < count:
        prev = (found[0] - timedelta(days=1)).replace(day=1)
        found.insert(0, prev)
    return found


def is_pg(conn: sa.Connection) -> bool:
    return conn.dialect.name == "postgresql"


def hours_between(conn: sa.Connection, start: Any, end: Any) -> Any:
    if is_pg(conn):
        return sa.extract("epoch", end - start) / 3600.0
    return (sa.func.julianday(end) - sa.func.julianday(start)) * 24.0


def days_between(conn: sa.Connection, start: Any, end: Any) -> Any:
    """Whole days from the date ``start`` to the date ``end`` (a later day is positive)."""
    if is_pg(conn):
        return sa.cast(end, sa.Date) - sa.cast(start, sa.Date)
    return sa.cast(sa.func.julianday(end) - sa.func.julianday(start), sa.Integer)


def local_month(conn: sa.Connection, moment: Any) -> Any:
    """'YYYY-MM' of a stored UTC datetime, in China."""
    if is_pg(conn):
        return sa.func.to_char(moment + sa.text(f"interval '{UTC_OFFSET_HOURS} hours'"),
                               "YYYY-MM")
    return sa.func.strftime("%Y-%m", moment, f"+{UTC_OFFSET_HOURS} hours")


def date_month(conn: sa.Connection, day: Any) -> Any:
    """'YYYY-MM' of a date column."""
    if is_pg(conn):
        return sa.func.to_char(day, "YYYY-MM")
    return sa.func.strftime("%Y-%m", day)


def as_text(column: Any) -> Any:
    return sa.cast(column, sa.Text)


def percentile(ordered: Sequence[float], q: float) -> float | None:
    """The ``q`` quantile with linear interpolation between the closest ranks: what
    PostgreSQL's ``percentile_cont`` answers, so both engines report the same hours."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def rounded(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(float(value), places)


def share(part: int, whole: int) -> float | None:
    """A rate in percent, one decimal (None when there is nothing to divide by)."""
    return None if not whole else round(100.0 * part / whole, 1)
