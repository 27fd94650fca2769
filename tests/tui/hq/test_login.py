"""The HQ workspace's login: nothing of the network before a good PIN; a wrong PIN is said
and makes the next try wait; a database without users says how to add the first one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from repairdesk.hq.facade import Hq
from repairdesk.i18n import _
from screens.hq.app import HqApp
from screens.hq.inbox import InboxScreen
from screens.hq.login import FIRST_USER, HqLoginScreen
from tests.conftest import FrozenClock
from tests.tui.conftest import burst, settle

from .conftest import ADMIN, ADMIN_PIN, later, screen_text


async def test_wrong_pin_then_the_right_one(make_hq: Callable[[], Hq], hq_clock: FrozenClock,
                                            view: tuple[int, int]) -> None:
    hq = make_hq()
    app = HqApp(hq)
    async with app.run_test(size=view) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HqLoginScreen)
        shown = screen_text(app)
        assert _("hqui.login_title") in shown
        assert "SH01" not in shown and "BJ02" not in shown  # nothing of the network yet
        await pilot.press("escape", "f2", "f3")  # no way around the login
        assert isinstance(app.screen, HqLoginScreen)

        await burst(pilot, ADMIN, "enter")
        await burst(pilot, "999999", "enter")
        assert isinstance(app.screen, HqLoginScreen)
        assert _("access.wrong_pin_wait", seconds=1) in screen_text(app)
        assert hq.user is None

        await burst(pilot, ADMIN_PIN, "enter")  # the right PIN, too soon: it says how long
        assert isinstance(app.screen, HqLoginScreen)
        assert _("access.wait", seconds=1) in screen_text(app)

        later(hq_clock, 1.5)
        await burst(pilot, ADMIN_PIN, "enter")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        assert hq.user == ADMIN
        shown = screen_text(app)
        assert ADMIN in shown  # who is logged in, in the header
        assert _("hqui.inbox_folder") in shown
        for key in ("hq-inbox", "hq-network", "hq-reports"):  # the workspaces' keys
            assert _(f"hqui.cmd.{key}") in shown


async def test_a_database_without_users_says_how_to_add_one(
        tmp_path: Path, view: tuple[int, int]) -> None:
    url = str(tmp_path / "empty-hq.sqlite3")
    setup = Hq.open(url, check=False)
    setup.init(tmp_path / "hq.key")
    setup.close()
    hq = Hq.open(url)
    try:
        app = HqApp(hq)
        async with app.run_test(size=view) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, HqLoginScreen)
            assert FIRST_USER in screen_text(app)
            await pilot.press("enter", "f2", "ctrl+p")
            assert isinstance(app.screen, HqLoginScreen)
            await pilot.press("ctrl+q")
        assert app.return_code == 0
    finally:
        hq.close()


@pytest.mark.parametrize("end", [("enter", "\r"), ("ctrl+j", "\n")])
async def test_a_name_and_pin_typed_in_one_go_log_in(make_hq: Callable[[], Hq],
                                                     view: tuple[int, int],
                                                     end: tuple[str, str]) -> None:
    """The name, Enter, the PIN and Enter as one burst (a fast typist, a badge scanner): the
    PIN lands in the PIN field, and HQ opens. A line feed is an Enter too: typed before the
    app took the terminal over, an Enter reaches it as one."""
    from textual import events

    hq = make_hq()
    app = HqApp(hq)
    async with app.run_test(size=view) as pilot:
        driver = app._driver
        assert driver is not None
        keys = [*(events.Key(c if c.isalnum() else "space", c) for c in ADMIN),
                events.Key(*end), *(events.Key(c, c) for c in ADMIN_PIN), events.Key(*end)]
        for key in keys:
            key.set_sender(app)
            driver.send_message(key)
        await settle(pilot)
        assert hq.user == ADMIN, screen_text(app)
        assert isinstance(app.screen, InboxScreen)
