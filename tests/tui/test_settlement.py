"""The counter's Settlement screen (day end, S): HQ's lines as the pack brought them, why
each stands where it does, and a dispute typed in the screen that the facade stores (a
blank reason refused in the dialog, nothing stored)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from repairdesk.i18n import _, set_language
from screens.app import RepairDeskApp
from screens.settlement import DisputeDialog, SettlementScreen
from tests.hq import settle_world
from tests.hq.settle_world import World
from tests.tui.conftest import burst, from_day_end, settle


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    made = settle_world.build(tmp_path, str(tmp_path / "hq.sqlite3"))
    desk = made.desk()
    try:
        desk.sync.apply_pack(made.pack("pack-2.rdpack"))
    finally:
        desk.close()
    yield made
    made.hq.close()


def _text(app: RepairDeskApp) -> str:
    return "\n".join("".join(segment.text for segment in strip)
                     for strip in app.screen._compositor.render_strips())


async def _open(pilot, app: RepairDeskApp) -> SettlementScreen:
    return await from_day_end(pilot, "s", SettlementScreen)


@pytest.mark.parametrize(("lang", "size"), [("en", (120, 36)), ("zh", (80, 24))])
async def test_the_lines_and_why_then_a_dispute(world: World, lang: str,
                                               size: tuple[int, int]) -> None:
    set_language(lang)
    hq_lines = world.lines()
    desk = world.desk()
    app = RepairDeskApp(desk)
    try:
        async with app.run_test(size=size) as pilot:
            screen = await _open(pilot, app)
            table = screen.query_one("#settlement-lines")
            shown = {str(table.get_cell_at((i, 1))): str(table.get_cell_at((i, 3)))
                     for i in range(table.row_count)}
            assert shown == {hq_lines[role].ticket: _(f"hqsettle.status_{hq_lines[role].status}")
                             for role in ("module", "software", "kept", "ungraded")}
            text = _text(app)
            assert _("hqsettle.status_held") in text
            rows = text.split("\n")
            assert len(rows) == size[1]
            # the line under the cursor in full below: the module line, labour 40.25
            assert "¥40.25" in str(screen.query_one("#settlement-detail").render())

            ungraded = hq_lines["ungraded"]
            ids = [v.id for v in screen.lines]
            for _step in range(ids.index(ungraded.id)):
                await pilot.press("down")
            await pilot.press("d")
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, DisputeDialog)
            await burst(pilot, "   ", "enter")  # no reason: refused in the dialog
            assert app.screen is dialog
            assert _("settlement.reason_required") in str(
                dialog.query_one("#dispute-error").render())
            assert desk.settlement.line(ungraded.id).disputes == []
            await burst(pilot, "等级漏填，实为刷机", "enter")
            await settle(pilot)
            assert app.screen is screen
            (raised,) = desk.settlement.line(ungraded.id).disputes
            assert (raised.reason, raised.outcome) == ("等级漏填，实为刷机", None)
            assert screen.current().id == ungraded.id  # the cursor stays on the line
            assert _("settlement.dispute_open", dispute=raised.id) in str(
                screen.query_one("#settlement-detail").render())
            await pilot.press("escape")
            await settle(pilot)
            assert not isinstance(app.screen, SettlementScreen)
    finally:
        desk.close()
        set_language("en")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_f_and_m_narrow_the_lines_to_one_state_and_one_month(world: World,
                                                                   lang: str) -> None:
    set_language(lang)
    hq_lines = world.lines()
    desk = world.desk()
    app = RepairDeskApp(desk)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _open(pilot, app)

            def tickets() -> set[str]:
                table = screen.query_one("#settlement-lines")
                return {str(table.get_cell_at((i, 1))) for i in range(table.row_count)}

            every = {hq_lines[r].ticket for r in ("module", "software", "kept", "ungraded")}
            assert tickets() == every
            # the footer at 80 columns ends whole, with the palette's own label
            assert _text(app).split("\n")[-1].rstrip().endswith(
                _("tui.cmd.command-palette"))
            seen = {}
            for state in ("pending", "held", "rejected", "approved"):
                await pilot.press("f")
                await settle(pilot)
                seen[state] = tickets()
                summary = str(screen.query_one("#settlement-summary").render())
                assert _("hqsettle.status_" + state) in summary
                assert f"{len(seen[state])}/4" in summary
            assert seen == {
                "pending": {hq_lines["module"].ticket, hq_lines["software"].ticket},
                "held": {hq_lines["kept"].ticket},
                "rejected": {hq_lines["ungraded"].ticket},
                "approved": set(),
            }
            assert _("settlement.no_lines") in str(
                screen.query_one("#settlement-detail").render())
            await pilot.press("d")  # no line under the cursor: nothing to dispute
            await settle(pilot)
            assert app.screen is screen
            await pilot.press("f")  # after the last state: every line again
            await settle(pilot)
            assert tickets() == every
            await pilot.press("m")  # October, the only month
            await settle(pilot)
            assert tickets() == every and screen.month == "2026-10"
            await pilot.press("m")
            await settle(pilot)
            assert screen.month is None
    finally:
        desk.close()
        set_language("en")
