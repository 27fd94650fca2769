"""Day arithmetic of docs/domain/sanbao.md rules 1-4, 13 and 14, and the rest-day calendar."""

from __future__ import annotations

from datetime import date

import pytest

from repairdesk.policy.calendar import RestDayCalendar
from repairdesk.policy.periods import add_months, add_years, period_end, period_start

D = date.fromisoformat


@pytest.mark.parametrize(
    ("day", "rest"),
    [
        ("2025-10-01", True),  # 国庆 holiday, a Wednesday
        ("2025-10-08", True),  # last day of 国庆、中秋 2025
        ("2025-10-09", False),  # Thursday after the holidays
        ("2025-10-11", False),  # Saturday, adjusted working day (调休上班)
        ("2025-09-28", False),  # Sunday, adjusted working day
        ("2025-09-27", True),  # ordinary Saturday
        ("2026-02-28", False),  # Saturday, adjusted working day after 春节 2026
        ("2026-02-23", True),  # 春节 2026, a Monday
        ("2026-03-02", False),  # ordinary Monday
        ("2027-11-13", True),  # Saturday in a year without data: weekends only
        ("2027-10-01", False),  # Friday: no data for 2027, so 国庆 is not known
    ],
)
def test_rest_days(calendar: RestDayCalendar, day: str, rest: bool) -> None:
    assert calendar.is_rest_day(D(day)) is rest


def test_calendar_years(calendar: RestDayCalendar) -> None:
    assert {2024, 2025, 2026} <= set(calendar.years)
    assert not calendar.has_year(2027)


@pytest.mark.parametrize(
    ("day", "end", "moved", "guessed"),
    [
        ("2025-10-03", "2025-10-09", True, ()),  # in 国庆 2025: next working day
        ("2026-10-05", "2026-10-08", True, ()),  # in 国庆 2026
        ("2025-09-28", "2025-09-28", False, ()),  # Sunday but a working day
        ("2026-02-28", "2026-02-28", False, ()),  # Saturday but a working day
        ("2026-02-15", "2026-02-24", True, ()),  # 春节 2026: nine rest days
        ("2025-03-10", "2025-03-10", False, ()),  # a Monday
        ("2027-11-13", "2027-11-15", True, (2027,)),  # weekends only, and it says so
        ("2027-11-15", "2027-11-15", False, (2027,)),  # even when nothing moves
        ("2026-12-31", "2026-12-31", False, ()),
    ],
)
def test_last_day(
    calendar: RestDayCalendar, day: str, end: str, moved: bool, guessed: tuple[int, ...]
) -> None:
    last = calendar.last_day(D(day))
    assert (last.day, last.moved, last.guessed_years) == (D(end), moved, guessed)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        ("2024-02-29", 12, "2025-02-28"),  # docs/domain/sanbao.md rule 2: no 29 February in 2025
        ("2024-02-29", 48, "2028-02-29"),
        ("2025-08-31", 6, "2026-02-28"),  # battery: no 31 February
        ("2025-03-31", 1, "2025-04-30"),
        ("2025-01-31", 1, "2025-02-28"),
        ("2023-11-30", 3, "2024-02-29"),  # headset, leap year
        ("2026-11-15", 12, "2027-11-15"),
        ("2025-12-15", 1, "2026-01-15"),
        ("2025-10-15", 3, "2026-01-15"),
    ],
)
def test_add_months_clamps_to_month_end(start: str, months: int, end: str) -> None:
    assert add_months(D(start), months) == D(end)


def test_add_years() -> None:
    assert add_years(D("2024-02-29"), 1) == D("2025-02-28")
    assert add_years(D("2025-06-30"), 2) == D("2027-06-30")


@pytest.mark.parametrize(
    ("kwargs", "start", "basis"),
    [
        ({}, "2026-01-05", "invoice"),
        ({"exchange_date": D("2026-03-01")}, "2026-03-01", "exchange"),
        ({"exchange_date": D("2026-03-01"), "exchange_restarts": False}, "2026-01-05", "invoice"),
        ({"production_only": True}, "2025-04-10", "production"),  # 2025-01-10 + 90 days
        ({"production_only": True, "exchange_date": D("2026-03-01")}, "2026-03-01", "exchange"),
    ],
)
def test_period_start(kwargs: dict[str, object], start: str, basis: str) -> None:
    args: dict[str, object] = {
        "invoice_date": D("2026-01-05"),
        "production_date": D("2025-01-10"),
        "exchange_date": None,
        "production_only": False,
        "exchange_restarts": True,
        "production_offset_days": 90,
    }
    args.update(kwargs)
    assert period_start(**args) == (D(start), basis)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "months", "repair_days", "nominal", "end"),
    [
        ("2025-03-10", 12, 0, "2026-03-10", "2026-03-10"),
        ("2025-03-10", 12, 10, "2026-03-10", "2026-03-20"),  # extended by repair days
        ("2024-10-03", 12, 0, "2025-10-03", "2025-10-09"),  # ends in 国庆 2025: rolls over
        ("2024-09-23", 12, 10, "2025-09-23", "2025-10-09"),  # extension lands in 国庆
        ("2024-02-29", 12, 0, "2025-02-28", "2025-02-28"),  # a Friday
    ],
)
def test_period_end(
    calendar: RestDayCalendar, start: str, months: int, repair_days: int, nominal: str, end: str
) -> None:
    period = period_end(D(start), months, repair_days, calendar)
    assert (period.nominal_end, period.end) == (D(nominal), D(end))


def test_period_end_refuses_negative_repair_days(calendar: RestDayCalendar) -> None:
    with pytest.raises(ValueError):
        period_end(D("2025-01-01"), 12, -1, calendar)
