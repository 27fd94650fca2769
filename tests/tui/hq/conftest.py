"""Fixtures of the HQ workspace's tests: an HQ database (SQLite and PostgreSQL, as every HQ
test) with the scenario's two counters registered and trusted, an admin and a viewer; the
app at both screen sizes and in both languages; ways to drive and read it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from repairdesk.hq.facade import Hq
from repairdesk.i18n import set_language
from screens.hq.app import HqApp
from tests.conftest import FrozenClock
from tests.hq.conftest import hq_url, postgres, scenario  # noqa: F401 - the HQ fixtures
from tests.hq.helpers import COUNTERS, HQ_NOW, Scenario
from tests.hq.test_report import hq_with_month, month_of_work  # noqa: F401 - the Reports'
from tests.tui.conftest import burst, settle

ADMIN, ADMIN_PIN = "总部王", "246810"
VIEWER, VIEWER_PIN = "小李", "1357"
#: Each counter's registry fields: SH01's agreement ends within 30 days of HQ_NOW.
REGISTERED = {
    "SH01": {"level": "gold", "region": "310104", "agreement_start": date(2025, 12, 11),
             "agreement_end": date(2026, 12, 10)},
    "BJ02": {"level": "a", "region": "110108", "agreement_start": date(2026, 7, 1),
             "agreement_end": date(2027, 6, 30)},
}
SIZES = {"wide": (120, 36), "small": (80, 24)}


@pytest.fixture(params=[("en", "wide"), ("zh", "small")], ids=lambda p: f"{p[0]}-{p[1]}")
def view(request: pytest.FixtureRequest) -> tuple[int, int]:
    """The language (set before the app is built) and the terminal's size: English at
    120×36, Chinese (wider text) at 80×24, where the columns give way."""
    lang, size = request.param
    set_language(lang)
    return SIZES[size]


@pytest.fixture
def hq_clock() -> FrozenClock:
    return FrozenClock(HQ_NOW)


@pytest.fixture
def hq_db(hq_url: str, tmp_path: Path, scenario: Scenario, hq_clock: FrozenClock) -> str:  # noqa: F811
    """An initialised HQ database: both counters registered and trusted, two users."""
    setup = Hq.open(hq_url, check=False, clock=hq_clock)
    setup.init(tmp_path / "hq.key")
    setup.close()
    hq = Hq.open(hq_url, clock=hq_clock)
    try:
        hq.add_user(ADMIN, "admin", ADMIN_PIN)
        hq.login(ADMIN, ADMIN_PIN)
        hq.add_user(VIEWER, "viewer", VIEWER_PIN)
        for code, name, _seed in COUNTERS:
            hq.add_counter(code, name, **REGISTERED[code])
            hq.trust(code, scenario.public_keys[code])
    finally:
        hq.close()
    return hq_url


@pytest.fixture
def make_hq(hq_db: str, hq_clock: FrozenClock) -> Iterator[Callable[[], Hq]]:
    """Opens the HQ database as the app does (nobody logged in); closed after the test."""
    opened: list[Hq] = []

    def make() -> Hq:
        opened.append(Hq.open(hq_db, clock=hq_clock))
        return opened[-1]

    yield make
    for hq in opened:
        hq.close()


def screen_text(app: HqApp) -> str:
    """What the terminal shows now, line by line (dialogs and notifications included)."""
    return "\n".join("".join(segment.text for segment in strip)
                     for strip in app.screen._compositor.render_strips())


async def log_in(pilot: Pilot[Any], name: str, pin: str) -> None:
    await settle(pilot)
    await burst(pilot, name, "enter")
    await burst(pilot, pin, "enter")
    await settle(pilot)


async def wait_for(pilot: Pilot[Any], done: Callable[[], bool], seconds: float = 30) -> None:
    """Let the app work (an import in its worker thread) until ``done``."""
    for _ in range(int(seconds / 0.05)):
        if done():
            await settle(pilot)  # and what it changed drawn
            return
        await pilot.pause(0.05)
    raise AssertionError(screen_text(pilot.app))  # type: ignore[arg-type]


def later(clock: FrozenClock, seconds: float) -> None:
    clock.now += timedelta(seconds=seconds)
