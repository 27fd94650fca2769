"""Who acts at the store, and when: one :class:`Acting` that every area of the facade, the
store's audit trail and the opening desk all read, so that a login or a test's clock set on
one is seen by all of them.

:class:`Area` is what each area of the facade (tickets, money, stock, printing, sync,
trust) starts from: the open store and that one ``Acting``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from repairdesk.db import Store

Clock = Callable[[], datetime]


def local_now() -> datetime:
    """The counter's clock: now, in the machine's time zone."""
    return datetime.now().astimezone()


@dataclass
class Acting:
    """Who is at the counter (``user``), the counter's clock and its phone ``region``."""

    user: str = "counter"
    clock: Clock = local_now
    region: str = "CN"

    def today(self) -> date:
        return self.clock().date()

    def midnight(self) -> datetime:
        """The start of today in the clock's time zone: where "today's tickets" begin."""
        now = self.clock()
        return datetime.combine(now.date(), time.min, tzinfo=now.tzinfo)


class Area:
    """One area of the facade over an open store; who acts and when is ``acting``'s."""

    def __init__(self, store: Store, acting: Acting) -> None:
        self.store = store
        self.acting = acting

    @property
    def user(self) -> str:
        return self.acting.user

    @property
    def region(self) -> str:
        return self.acting.region

    def clock(self) -> datetime:
        return self.acting.clock()

    def today(self) -> date:
        return self.acting.today()
