"""The board: today's tickets and every open one, newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from repairdesk.i18n import _
from repairdesk.views import TicketSummary

if TYPE_CHECKING:
    from screens.app import RepairDeskApp


class BoardScreen(Screen[None]):
    CSS_PATH = "board.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "refresh", _("tui.key_refresh"), id="refresh-board"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("tui.board_loading"), id="board-summary")
        table: DataTable[str] = DataTable(id="board-table", cursor_type="row", zebra_stripes=True)
        for key in ("ticket", "created", "status", "device", "customer", "faults"):
            table.add_column(_(f"cli.col_{key}"), key=key)
        yield table
        yield Footer()

    @property
    def desk_app(self) -> RepairDeskApp:
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        self.load_board()

    @work(thread=True, exclusive=True)
    def load_board(self) -> list[TicketSummary]:
        # The store is read off the UI thread so typing never waits on the disk.
        rows = self.desk_app.desk.board()
        self.app.call_from_thread(self.show_rows, rows)
        return rows

    def show_rows(self, rows: list[TicketSummary]) -> None:
        table = self.query_one("#board-table", DataTable)
        table.clear()
        for row in rows:
            table.add_row(
                row.ticket,
                row.created.astimezone().strftime("%m-%d %H:%M"),
                _(f"status.{row.status}"),
                row.device,
                f"{row.customer} {row.phone_masked}",
                ", ".join(_(f"fault.{f}") for f in row.faults),
                key=row.ticket,
            )
        self.query_one("#board-summary", Static).update(_("tui.board_summary", count=len(rows)))
