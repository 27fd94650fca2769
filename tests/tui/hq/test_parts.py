"""The Parts workspace by keys: F9 lists SH01's requests with its deposit position under
them; A approves within the headroom (beyond it: refused in the dialog, nothing stored),
F changes the state shown, S ships the approved requests under a waybill; a viewer reads
and is refused. SH01's October (tests/hq/settle_world.py) exposes 780.00; its deposit of
1000.00 leaves 220.00 of headroom."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from repairdesk.i18n import _, set_language
from screens.hq.app import HqApp
from screens.hq.parts import FieldDialog, PartsScreen
from tests.hq import settle_world
from tests.hq.settle_world import PARTS, VIEWER, World, staff
from tests.tui.conftest import burst, settle

from .conftest import SIZES, log_in, screen_text


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    made = settle_world.build(tmp_path, str(tmp_path / "hq.sqlite3"))
    desk = made.desk()
    try:
        desk.parts.request("AL-OT332-LCD", 1)
        desk.parts.request("AL-OT332-BAT", 3)
    finally:
        desk.close()
    made.send()
    hq = made.hq
    staff(made, (PARTS, "parts"), (VIEWER, "viewer"))
    hq.deposit_pay("SH01", "1000", ref="ICBC-1")
    yield made
    hq.close()


async def _parts(pilot, app: HqApp) -> PartsScreen:
    await pilot.press("f9")
    await settle(pilot)
    assert isinstance(app.screen, PartsScreen)
    return app.screen


@pytest.mark.parametrize(("lang", "size"), [("en", "wide"), ("zh", "small")])
async def test_approve_within_headroom_and_ship_by_keys(world: World, lang: str,
                                                       size: str) -> None:
    set_language(lang)
    app = HqApp(type(world.hq).open(world.hq.store.url, clock=world.hq_clock))
    try:
        async with app.run_test(size=SIZES[size]) as pilot:
            await log_in(pilot, *PARTS)
            screen = await _parts(pilot, app)
            assert [(v.part_number, v.state) for v in screen.rows] == [
                ("AL-OT332-LCD", "open"), ("AL-OT332-BAT", "open")]
            position = str(screen.query_one("#parts-position").render())
            assert "¥220.00" in position and "¥780.00" in position
            assert not screen.query_one("#parts-read-only").display
            await pilot.press("a")
            await settle(pilot)
            assert isinstance(app.screen, FieldDialog)
            await burst(pilot, "", "enter")  # all of the 1 asked: 120.00 of 220.00
            await settle(pilot)
            assert app.screen is screen
            assert [v.part_number for v in screen.rows] == ["AL-OT332-BAT"]  # still open
            await pilot.press("a")
            await settle(pilot)
            dialog = app.screen
            await burst(pilot, "", "enter")  # 3 x 45.00 = 135.00 > the 100.00 left
            assert app.screen is dialog
            assert "100.00" in str(dialog.query_one("#settle-error").render())
            assert [v.state for v in app.hq.part_requests()] == ["approved", "open"]
            await burst(pilot, "", "backspace")
            await burst(pilot, "2", "enter")
            await settle(pilot)
            assert app.screen is screen and screen.rows == []
            for _state in ("second", "approved"):
                await pilot.press("f")
                await settle(pilot)
            assert screen.state == "approved" and len(screen.rows) == 2
            await pilot.press("s")
            await settle(pilot)
            await burst(pilot, "", "enter")  # no waybill: refused, the label named
            assert _("field.waybill") in str(app.screen.query_one("#settle-error").render())
            await burst(pilot, "SF-7700112", "enter")
            await settle(pilot)
            assert app.screen is screen
            (shipped,) = app.hq.shipments("SH01")
            assert (shipped.waybill, [(li.part_number, li.qty) for li in shipped.lines]) == (
                "SF-7700112", [("AL-OT332-LCD", 1), ("AL-OT332-BAT", 2)])
            rows = screen_text(app).split("\n")
            assert len(rows) == SIZES[size][1]
            desk = world.desk()  # SH01 receives it one battery short; HQ's panel says so
            try:
                desk.sync.apply_pack(world.pack("pack-2.rdpack"))
                desk.parts.receive_shipment(shipped.id, {2: 1}, None, {2: "少一块"})
            finally:
                desk.close()
            world.send()
            await pilot.press("f")  # shipped
            await settle(pilot)
            said = str(screen.query_one("#parts-position").render())
            assert "SF-7700112" in said and "少一块" in said
    finally:
        app.hq.close()
        set_language("en")


async def test_a_viewer_reads_the_queue_and_is_refused(world: World) -> None:
    set_language("en")
    app = HqApp(type(world.hq).open(world.hq.store.url, clock=world.hq_clock))
    try:
        async with app.run_test(size=SIZES["small"]) as pilot:
            await log_in(pilot, *VIEWER)
            screen = await _parts(pilot, app)
            assert screen.query_one("#parts-read-only").display
            assert len(screen.rows) == 2
            await pilot.press("a")
            await settle(pilot)
            await burst(pilot, "", "enter")
            said = str(app.screen.query_one("#settle-error").render())
            assert VIEWER[0] in said
            assert [v.state for v in app.hq.part_requests()] == ["open", "open"]
    finally:
        app.hq.close()
