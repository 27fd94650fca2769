"""The board: grouped by status; legal deadlines and promised dates stand out; filters."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable, Input, Static

from repairdesk.desk import Desk
from repairdesk.i18n import _
from screens.board import BoardScreen
from tests.tui.conftest import burst, settle


def shown(app) -> list[str]:
    table = app.screen.query_one("#board-table", DataTable)
    return [str(key.value) for key in table.rows]


async def test_a_loaner_owed_on_day_8_stands_out(desk: Desk, make_app, ticket_on, clock) -> None:
    now = clock.now
    clock.now = now - timedelta(days=8)
    late = ticket_on("2026-11-01")  # in 三包 repair since 2026-11-13
    clock.now = now
    fresh = ticket_on("2026-11-01", technician="李工")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert shown(app) == ["group:received", fresh, late]
        table = app.screen.query_one("#board-table", DataTable)
        deadline = table.get_row(late)[2]
        assert deadline.plain == _("tui.deadline_short.loaner", owed_from="2026-11-21",
                                   last_day="2026-11-20")
        assert "red" in str(deadline.style)
        assert table.get_row(late)[0].style == "bold red"
        summary = str(app.screen.query_one("#board-summary", Static).render())
        assert _("tui.board_overdue", count=1) in summary
        # Filters: technician, then text.
        app.screen.query_one("#board-technician").value = "李工"
        await settle(pilot)
        assert shown(app) == ["group:received", fresh]
        await pilot.press("escape")  # clears the filters
        await settle(pilot)
        await pilot.press("ctrl+f")
        await burst(pilot, "1113")
        assert shown(app) == ["group:received", late]
        await pilot.press("enter", "enter")  # to the list, open the ticket
        assert not isinstance(app.screen, BoardScreen)


async def test_status_filter_and_promised_date(desk: Desk, make_app, ticket_on) -> None:
    waiting = ticket_on(None, promised_date="2026-11-21")
    moved = ticket_on(None)
    desk.move(moved, "diagnosing")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert shown(app) == ["group:received", waiting, "group:diagnosing", moved]
        app.screen.query_one("#board-status").value = "diagnosing"
        await settle(pilot)
        assert shown(app) == ["group:diagnosing", moved]
        assert app.screen.query_one("#board-text", Input).value == ""
