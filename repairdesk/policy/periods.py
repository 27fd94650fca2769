"""Period arithmetic of 三包 (民法典 第二百零一至二百零三条; docs/domain/sanbao.md rules 1-4, 13, 14).

The start day is not counted; a period of months ends on the corresponding day of the end
month, or that month's last day when it has none, and that last day is inside the period. Days
spent in 三包 repair lengthen the period; a last day on a rest day moves to the next working day.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from repairdesk.policy.calendar import RestDayCalendar

__all__ = ["Period", "add_months", "add_years", "period_end", "period_start"]


def add_months(start: date, months: int) -> date:
    """The corresponding day ``months`` later, clamped to the end month's last day."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def add_years(start: date, years: int) -> date:
    """2024-02-29 + 1 year = 2025-02-28: a year is twelve months, with the same clamp."""
    return add_months(start, 12 * years)


def period_start(
    *,
    invoice_date: date | None,
    production_date: date | None,
    exchange_date: date | None,
    production_only: bool,
    exchange_restarts: bool,
    production_offset_days: int,
) -> tuple[date, str]:
    """The day the period runs from, and why: ``invoice``, ``exchange`` or ``production``.

    An exchange restarts the period (a setting) even for a unit whose sale date is unproven:
    the exchange itself is on the repair record.
    """
    if exchange_date is not None and exchange_restarts:
        return exchange_date, "exchange"
    if production_only:
        if production_date is None:
            raise ValueError("a production-date start needs the production date")
        return production_date + timedelta(days=production_offset_days), "production"
    if invoice_date is None:
        raise ValueError("a period needs an invoice date")
    return invoice_date, "invoice"


@dataclass(frozen=True)
class Period:
    start: date
    basis: str  # invoice | exchange | production
    nominal_end: date  # start + the part's months
    repair_days: int  # added for 三包 repairs inside the period
    end: date  # the last day of the period, after extension and rest-day roll-over
    moved: bool  # the extended last day was a rest day
    guessed_years: tuple[int, ...]  # years without calendar data: weekends only were used

    @property
    def extended_end(self) -> date:
        return self.nominal_end + timedelta(days=self.repair_days)


def period_end(
    start: date, months: int, repair_days: int, calendar: RestDayCalendar, *, basis: str = "invoice"
) -> Period:
    """The period from ``start``: ``months`` long, plus ``repair_days``, then to a working day."""
    if repair_days < 0:
        raise ValueError("repair days cannot be negative")
    nominal = add_months(start, months)
    last = calendar.last_day(nominal + timedelta(days=repair_days))
    return Period(start, basis, nominal, repair_days, last.day, last.moved, last.guessed_years)
