"""The counter's clock in every figure (a Saturday afternoon), without importing anything."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 21, 16, 0, tzinfo=CST)
