"""The rest-day calendar of mainland China, for the last-day rule of a 三包 period.

A period whose last day is a rest day ends on the next working day instead (民法典 第二百零三条).
Which days are rest days is decided each year by the State Council, so the calendar is data
(``data/holidays-cn.toml``). For a year the data does not hold, the calendar falls back to
weekends only and says which years it guessed, so that a decision can tell the customer.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from repairdesk.paths import data_dir

__all__ = ["LastDay", "RestDayCalendar", "load_calendar"]


@dataclass(frozen=True)
class LastDay:
    """Where a period really ends once rest days are taken into account."""

    day: date
    moved: bool
    #: Years examined for which there is no calendar data (weekends only were assumed).
    guessed_years: tuple[int, ...]


@dataclass(frozen=True)
class RestDayCalendar:
    holidays: frozenset[date]
    workdays: frozenset[date]  # adjusted working days (调休上班) that fall on a weekend
    years: frozenset[int]

    def has_year(self, year: int) -> bool:
        return year in self.years

    def is_rest_day(self, day: date) -> bool:
        # An adjusted working day beats the weekend; a holiday beats the weekday.
        if day in self.workdays:
            return False
        return day in self.holidays or day.weekday() >= 5

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day`` (never ``day`` itself)."""
        day += timedelta(days=1)
        while self.is_rest_day(day):
            day += timedelta(days=1)
        return day

    def last_day(self, day: date) -> LastDay:
        """``day`` if it is a working day, else the next working day (以休假日的次日为最后一天)."""
        end = self.next_working_day(day) if self.is_rest_day(day) else day
        guessed = tuple(y for y in range(day.year, end.year + 1) if not self.has_year(y))
        return LastDay(end, end != day, guessed)


def load_calendar(path: Path | None = None) -> RestDayCalendar:
    """The calendar in ``path`` (default: the shipped ``data/holidays-cn.toml``)."""
    return _load(path or data_dir() / "holidays-cn.toml")


@cache
def _load(path: Path) -> RestDayCalendar:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    holidays: set[date] = set()
    workdays: set[date] = set()
    for year, entry in raw.items():
        for first, last in entry.get("holidays", []):
            start, end = date.fromisoformat(first), date.fromisoformat(last)
            if start > end or int(year) not in (start.year, end.year):
                raise ValueError(f"{path}: bad holiday range {first}..{last} in [{year}]")
            holidays.update(start + timedelta(days=n) for n in range((end - start).days + 1))
        workdays.update(date.fromisoformat(d) for d in entry.get("workdays", []))
    return RestDayCalendar(frozenset(holidays), frozenset(workdays), frozenset(map(int, raw)))
