"""The counter's parts with HQ by keys (day end, P): ask HQ for a suggested part, receive
HQ's shipment line by line with a difference, count the shelf with a scanner; and a part
asked for from the ticket's parts dialog. What the facade stored is what is checked.

SH01's October (tests/hq/settle_world.py) with HQ's shipment of two batteries applied.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from repairdesk.i18n import _, set_language
from screens.app import RepairDeskApp
from screens.parts_hq import CountDialog, PartsHqScreen, ReceiveDialog, RequestDialog
from tests.hq import settle_world
from tests.hq.settle_world import World
from tests.tui.conftest import burst, from_day_end, settle


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    made = settle_world.build(tmp_path, str(tmp_path / "hq.sqlite3"))
    desk = made.desk()
    try:
        asked = desk.parts.request("AL-OT332-BAT", 2).id
    finally:
        desk.close()
    made.send()
    made.hq.deposit_pay("SH01", "1000", ref="ICBC-1")
    made.hq.approve_part_request("SH01", asked)
    made.hq.ship_parts("SH01", "SF-5501")
    desk = made.desk()
    try:
        desk.sync.apply_pack(made.pack("pack-2.rdpack"))
    finally:
        desk.close()
    yield made
    made.hq.close()


async def _open(pilot, app: RepairDeskApp) -> PartsHqScreen:
    return await from_day_end(pilot, "p", PartsHqScreen)


@pytest.mark.parametrize(("lang", "size"), [("en", (120, 36)), ("zh", (80, 24))])
async def test_ask_receive_and_count_by_keys(world: World, lang: str,
                                             size: tuple[int, int]) -> None:
    set_language(lang)
    desk = world.desk()
    app = RepairDeskApp(desk)
    try:
        async with app.run_test(size=size) as pilot:
            screen = await _open(pilot, app)
            first = screen.suggested[0]
            # 3 LCDs on the shelf, minimum 2, 2 used in the last 30 days: ask for 1
            assert (first.part_number, first.suggested) == ("AL-OT332-LCD", 1)
            table = screen.query_one("#parts-hq-suggest")
            # what to ask for is shown, however narrow the terminal
            assert (str(table.get_cell_at((0, 0))), str(table.get_cell_at((0, 2)))) == (
                "AL-OT332-LCD", "1")
            drawn = "\n".join("".join(seg.text for seg in strip)
                               for strip in screen._compositor.render_strips()).split("\n")
            (row,) = [r for r in drawn if "AL-OT332-LCD" in r]
            assert row.split(first.name, 1)[1].split()[0] == "1"  # on screen, whole
            await pilot.press("r")
            await settle(pilot)
            assert isinstance(app.screen, RequestDialog)
            await burst(pilot, "", "backspace")
            await burst(pilot, "0", "enter")  # 0: refused in the dialog
            await burst(pilot, "备货", "enter")
            assert isinstance(app.screen, RequestDialog)
            assert _("field.qty") in str(app.screen.query_one(".field-error").render())
            assert [r.part_number for r in desk.parts.requests()] == ["AL-OT332-BAT"]
            app.screen.query_one("#request-qty").value = ""
            app.screen.query_one("#request-qty").focus()
            await burst(pilot, "3", "enter", "enter")
            await settle(pilot)
            assert app.screen is screen
            asked = desk.parts.requests()[-1]
            assert (asked.part_number, asked.qty, asked.note, asked.free) == (
                "AL-OT332-LCD", 3, "备货", False)

            await pilot.press("tab")
            await pilot.press("enter")  # the shipment of two batteries
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, ReceiveDialog)
            await burst(pilot, "", "backspace")
            await burst(pilot, "1", "enter", "enter")  # one came good, none damaged
            await burst(pilot, "", "ctrl+s")  # no reason: refused, nothing stored
            assert app.screen is dialog
            assert "--reason" in str(dialog.query_one(".field-error").render()) or \
                _("field.reason") in str(dialog.query_one(".field-error").render())
            assert desk.parts.shipments(pending=True)
            await burst(pilot, "少一块", "ctrl+s")
            await settle(pilot)
            assert app.screen is screen
            (got,) = desk.parts.shipments()
            assert [(li.shipped, li.received, li.damaged, li.reason) for li in got.lines] == [
                (2, 1, 0, "少一块")]
            assert screen.pending == []

            await pilot.press("c")
            await settle(pilot)
            assert isinstance(app.screen, CountDialog)
            await burst(pilot, "NO-SUCH", "enter")  # an unknown part: said, not counted
            assert "NO-SUCH" in str(app.screen.query_one(".field-error").render())
            app.screen.query_one("#count-part").value = ""
            await burst(pilot, "al-ot332-lcd", "enter")
            await burst(pilot, "2", "enter")
            await burst(pilot, "AL-OT332-BAT", "enter")
            await burst(pilot, "5", "enter", "ctrl+s")
            await settle(pilot)
            assert app.screen is screen
            (count,) = desk.parts.counts()
            # LCD: 3 by the moves, 2 on the shelf; battery: 4 + 1 received = 5
            assert [(li.part_number, li.expected, li.counted) for li in count.lines] == [
                ("AL-OT332-LCD", 3, 2), ("AL-OT332-BAT", 5, 5)]
            assert {p.part_number: p.on_hand for p in desk.stock.parts()}["AL-OT332-LCD"] == 2
            assert any(_("tui.parts_hq_counted", id=count.id, lines=2, changed=1) in str(n.message)
                       for n in app._notifications)
            rows = "\n".join("".join(seg.text for seg in strip)
                             for strip in screen._compositor.render_strips()).split("\n")
            assert len(rows) == size[1]
            assert rows[-1].rstrip().endswith(_("tui.cmd.command-palette"))
            await pilot.press("escape")
            await settle(pilot)
            assert not isinstance(app.screen, PartsHqScreen)
    finally:
        desk.close()
        set_language("en")
