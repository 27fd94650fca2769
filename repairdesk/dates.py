"""Dates as a counter types them: the full ISO form, or a short one the counter reads back.

``2026-11-15`` and ``20261115``; ``11-15``, ``11/15``, ``11.15`` and ``1115`` (month and
day: the nearest such day on the side of today the field allows, so a sale date is never
next year's); ``-6`` six days ago, ``+3`` in three days; ``0`` today.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from repairdesk.i18n import _

_FULL = re.compile(r"^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})$")
_MONTH_DAY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})$|^(\d{2})(\d{2})$")
_OFFSET = re.compile(r"^([+-])\s*(\d{1,4})$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def is_month(text: str) -> bool:
    """Whether ``text`` is a month as statements and claim lines name it: ``YYYY-MM``."""
    return bool(_MONTH.match(text))


def parse_date(raw: str, today: date, *, past: bool = True) -> date:
    """The day ``raw`` names; ``past``: a month and day without a year is the latest one not
    after today (else the first one not before today). ValueError with the message."""
    text = raw.strip()
    try:
        return _parse(text, today, past)
    except (ValueError, OverflowError):
        raise ValueError(_("core.bad_date", value=text)) from None


def _parse(text: str, today: date, past: bool) -> date:
    if text == "0":
        return today
    offset = _OFFSET.match(text)
    if offset:
        days = int(offset.group(2))
        return today - timedelta(days=days) if offset.group(1) == "-" else \
            today + timedelta(days=days)
    full = _FULL.match(text)
    if full and (len(text) == 8 or not text.isdigit()):
        return date(int(full.group(1)), int(full.group(2)), int(full.group(3)))
    short = _MONTH_DAY.match(text)
    if short:
        month, day = (int(g) for g in (short.group(1) or short.group(3),
                                       short.group(2) or short.group(4)))
        return _nearest(month, day, today, past)
    raise ValueError(text)


def _nearest(month: int, day: int, today: date, past: bool) -> date:
    step = -1 if past else 1
    for year in (today.year, today.year + step, today.year + 2 * step,
                 today.year + 3 * step, today.year + 4 * step):
        try:
            found = date(year, month, day)
        except ValueError:  # 02-29 outside a leap year: try the next year round
            continue
        if (found <= today) if past else (found >= today):
            return found
    raise ValueError(f"{month}-{day}")
