"""What the app does once its board is up: the rest of the facade is loaded and the day's
first start backs the store up, in threads; a failure is told, never fatal."""

from __future__ import annotations

from pathlib import Path

from textual.render import measure
from textual.widgets import DataTable

from repairdesk.backup import backups_dir
from repairdesk.desk import Desk
from repairdesk.errors import StoreError
from repairdesk.opening import OpeningDesk, open_desk
from screens.app import RepairDeskApp
from screens.board import BoardScreen
from screens.ticket import TicketScreen
from tests.conftest import FrozenClock
from tests.tui.conftest import settle


async def test_the_app_opens_on_the_opening_desk_and_loads_the_rest(
        desk: Desk, intake_doc: dict, store_path: Path, clock: FrozenClock) -> None:
    number = desk.tickets.intake(intake_doc).ticket
    opening = open_desk(store_path, clock=clock)
    assert isinstance(opening, OpeningDesk)
    app = RepairDeskApp(opening, backup_keep=3)  # type: ignore[arg-type]
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, BoardScreen)
            assert app.title == "徐汇网点"
            table = app.screen.query_one("#board-table", DataTable)
            assert table.get_row(number)[0].plain == number
            # The board's table sizes its columns as DataTable's own measuring would.
            for index, column in enumerate(table.ordered_columns):
                cells = [table._get_row_renderables(row)[1][index]
                         for row in range(table.row_count)]
                assert column.content_width == max(
                    measure(app.console, cell, 1) for cell in [column.label, *cells])
            await settle(pilot)
            assert opening.loaded  # loaded in a thread once the board was drawn
            made = list(backups_dir(store_path).glob("store-*.sqlite3"))
            assert len(made) == 1  # the day's first start
            await pilot.press("enter")  # the ticket opens through the full facade
            await settle(pilot)
            assert isinstance(app.screen, TicketScreen)
            assert number in str(app.screen.query_one("#ticket-head").render())
    finally:
        opening.close()


async def test_a_failed_daily_backup_is_told_and_the_app_goes_on(
        desk: Desk, intake_doc: dict, monkeypatch) -> None:
    number = desk.tickets.intake(intake_doc).ticket

    def broken(keep: int) -> None:
        raise StoreError("the backup disk is full")

    monkeypatch.setattr(desk, "daily_backup", broken)
    app = RepairDeskApp(desk, backup_keep=3)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await settle(pilot)
        shown = [n.message for n in app._notifications]
        assert any("the backup disk is full" in message for message in shown), shown
        table = app.screen.query_one("#board-table", DataTable)
        assert table.get_row(number)[0].plain == number
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_no_backup_without_backup_keep(desk: Desk, store_path: Path) -> None:
    app = RepairDeskApp(desk)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    assert not backups_dir(store_path).exists()


def test_the_app_modules_leave_the_orm_and_typer_for_later() -> None:
    """Importing the console script and the app (with its board) loads neither the ORM nor
    the CLI's commands: those come after the board is drawn, or when a command is run."""
    import subprocess
    import sys

    script = ("import sys, screens.main, screens.app, screens.board\n"
              "print(sorted({m.split('.')[0] for m in sys.modules}"
              " & {'sqlalchemy', 'sqlmodel', 'alembic', 'typer', 'click', 'cryptography',"
              " 'phonenumbers'}))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
