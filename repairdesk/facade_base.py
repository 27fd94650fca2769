"""What every part of the facade shares: the open store, the counter's clock and user.

The facade is one class, :class:`repairdesk.desk.Desk`, assembled from one mixin per area of
the product (printing, sync, ...) so each area keeps its use cases in its own package.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from repairdesk.db import Store

Clock = Callable[[], datetime]


def local_now() -> datetime:
    """The counter's clock: now, in the machine's time zone."""
    return datetime.now().astimezone()


class DeskBase:
    store: Store
    clock: Clock
    user: str
    region: str

    def today(self) -> date:
        return self.clock().date()
