"""Short date forms at the counter (repairdesk.dates): the day meant, never next year's sale."""

from __future__ import annotations

from datetime import date

import pytest

from repairdesk.dates import parse_date

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(("typed", "past", "day"), [
    ("2026-11-15", True, date(2026, 11, 15)),
    ("20261115", True, date(2026, 11, 15)),
    ("2026-3-5", True, date(2026, 3, 5)),
    ("1115", True, date(2026, 11, 15)),
    ("11-15", True, date(2026, 11, 15)),
    ("11/15", True, date(2026, 11, 15)),
    ("1126", True, date(2025, 11, 26)),  # a sale date is never in the future
    ("1126", False, date(2026, 11, 26)),
    ("11-20", False, date(2027, 11, 20)),  # a promise is never in the past
    ("-6", True, date(2026, 11, 15)),
    ("+3", False, date(2026, 11, 24)),
    ("0", True, TODAY),
    ("02-29", True, date(2024, 2, 29)),
])
def test_a_short_date_is_the_day_the_counter_means(typed: str, past: bool, day: date) -> None:
    assert parse_date(typed, TODAY, past=past) == day


@pytest.mark.parametrize("typed", ["13-01", "1132", "2026-02-30", "abc", "-", "6", "11-",
                                   "+99999", "2026-11-15x"])
def test_a_date_that_is_no_day_says_so(typed: str) -> None:
    with pytest.raises(ValueError, match="date"):
        parse_date(typed, TODAY)
