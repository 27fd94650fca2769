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

from repairdesk.users import NO_USER

if TYPE_CHECKING:
    from repairdesk.db import Store

Clock = Callable[[], datetime]


def local_now() -> datetime:
    """The counter's clock: now, in the machine's time zone."""
    return datetime.now().astimezone()


@dataclass
class Acting:
    """Who is at the counter (``user``), the counter's clock and its phone ``region``."""

    user: str = NO_USER
    clock: Clock = local_now
    region: str = "CN"

    def today(self) -> date:
        return self.clock().date()

    def midnight(self) -> datetime:
        """The start of today in the clock's time zone: where "today's tickets" begin."""
        now = self.clock()
        return datetime.combine(now.date(), time.min, tzinfo=now.tzinfo)


class Acted:
    """Who acts and when, read off (and set on) the one ``acting``: the desk, the opening
    desk and every area show the same user, clock and region."""

    acting: Acting

    @property
    def user(self) -> str:
        return self.acting.user

    @user.setter
    def user(self, value: str) -> None:
        self.acting.user = value

    @property
    def clock(self) -> Clock:
        return self.acting.clock

    @clock.setter
    def clock(self, value: Clock) -> None:
        self.acting.clock = value

    @property
    def region(self) -> str:
        return self.acting.region

    def today(self) -> date:
        return self.acting.today()


class Area(Acted):
    """One area of the facade over an open store."""

    def __init__(self, store: Store, acting: Acting) -> None:
        self.store = store
        self.acting = acting
