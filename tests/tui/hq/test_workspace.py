"""The workspace's frame: F2/F3/F4 switch screens, F1 lists the keys of the screen shown,
Ctrl+P finds every action by name (a workspace's too), all in the reader's language."""

from __future__ import annotations

from collections.abc import Callable

from repairdesk.hq.facade import Hq
from repairdesk.i18n import _
from screens.dialogs import HelpScreen
from screens.hq.app import HqApp
from screens.hq.inbox import InboxScreen
from screens.hq.network import NetworkScreen
from screens.hq.reports import ReportsScreen
from tests.tui.conftest import burst, settle

from .conftest import ADMIN, ADMIN_PIN, log_in, screen_text


async def test_keys_help_and_palette(make_hq: Callable[[], Hq], view: tuple[int, int]) -> None:
    app = HqApp(make_hq())
    async with app.run_test(size=view) as pilot:
        await log_in(pilot, ADMIN, ADMIN_PIN)
        for key, screen in (("f3", NetworkScreen), ("f4", ReportsScreen), ("f2", InboxScreen)):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, screen), key

        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        for key in ("hq-add-counter", "hq-suspend", "hq-inbox", "hq-reports"):
            assert _(f"hqui.cmd.{key}") in shown, key
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("ctrl+p")
        await settle(pilot)
        await burst(pilot, _("hqui.cmd.hq-inbox"))
        await pilot.pause(0.5)
        title = _("tui.palette_title", category=_("tui.category.view"),
                  label=_("hqui.cmd.hq-inbox"))
        assert title in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
