"""The minimal counter app: counter name, today's tickets, F1 help, Ctrl+Q."""

from __future__ import annotations

from textual.widgets import DataTable, HelpPanel

from repairdesk.desk import Desk
from repairdesk.i18n import set_language
from screens.app import RepairDeskApp
from screens.board import BoardScreen


async def test_board_shows_counter_and_todays_tickets(desk: Desk, intake_doc: dict) -> None:
    number = desk.intake(intake_doc).ticket
    app = RepairDeskApp(desk)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert app.title == "徐汇网点" and app.sub_title == "SH01"
        table = app.screen.query_one("#board-table", DataTable)
        assert table.row_count == 1
        assert table.get_row(number)[0] == number
        await pilot.press("f1")
        assert app.screen.query(HelpPanel)
        await pilot.press("f1")
        assert not app.screen.query(HelpPanel)
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_board_in_chinese(desk: Desk, intake_doc: dict) -> None:
    set_language("zh")
    number = desk.intake(intake_doc).ticket
    app = RepairDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        row = app.screen.query_one("#board-table", DataTable).get_row(number)
        assert "已接机" in row and "张伟 138****8000" in row
