"""Lookup: one field for an IMEI, a ticket number or a phone number.

Results come as you type, from a worker thread, so typing never waits on the store. A
scanner's Enter opens the record directly: a slip's QR code (the ticket number) opens that
ticket, an IMEI barcode opens the phone's open ticket (or shows its history).
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from repairdesk.errors import InputError, RepairDeskError
from repairdesk.i18n import _
from repairdesk.imei import digits
from repairdesk.numbering import is_ticket_number
from repairdesk.views import TicketSummary
from screens.base import NEXT_FIELD, DeskScreen
from screens.board import FAULTS_WIDTH, clip
from screens.commands import Command, bindings, commands
from screens.widgets.form import TypedField, update_text
from screens.widgets.table import QuickTable

SEARCH_LIMIT = 50


def looks_like_imei(text: str) -> bool:
    number = digits(text)
    return bool(number) and 14 <= len(number) <= 16 and not text.strip().startswith("+")


class LookupScreen(DeskScreen[None]):
    CSS_PATH = "lookup.tcss"
    HELP_KEY = "lookup"
    KEYS = commands(
        Command("open-result", "enter", "open_result", "ticket"),
        Command("new-search", "ctrl+f", "new_search", "view"),
        Command("back", "escape", "back", "view"),
    ) + NEXT_FIELD
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="lookup-bar"):
            yield Label(_("tui.lookup_label"), id="lookup-label")
            yield TypedField(placeholder=_("tui.lookup_placeholder"), id="query", compact=True)
        yield Static(_("tui.lookup_hint"), id="lookup-status")
        table: DataTable[str | Text] = QuickTable(id="lookup-results", cursor_type="row",
                                                 zebra_stripes=True)
        for key in ("ticket", "created", "status", "device", "customer", "faults"):
            table.add_column(_(f"tui.col_{key}"), key=key)
        yield table
        yield Footer(compact=True)

    def __init__(self) -> None:
        super().__init__()
        self.entered: str | None = None  # the query Enter showed: searches keep off it
        self.listed: list[TicketSummary] = []  # the tickets the table shows

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        self.prepare()

    @work(thread=True, group="prepare")
    def prepare(self) -> None:
        # What the search keeps in memory loads while the first digits are typed (a search
        # started meanwhile waits for it rather than loading it a second time).
        self.desk.prepare_search()

    # -- as you type ---------------------------------------------------------------------

    @on(Input.Changed, "#query")
    def typed(self, event: Input.Changed) -> None:
        if event.value != event.input.value:
            return  # typing went on: the change with the latest value is still to come
        if event.value == self.entered:
            return  # Enter got there first (a scan): what it showed stands
        self.entered = None
        self.search(event.value)

    @work(thread=True, exclusive=True, group="lookup")
    def search(self, text: str) -> list[TicketSummary]:
        rows = self.desk.search(text, limit=SEARCH_LIMIT)
        self.app.call_from_thread(self.show_search, text, rows)
        return rows

    def show_search(self, text: str, rows: list[TicketSummary]) -> None:
        if text != self.entered:
            self.show_results(text, rows, None)

    def show_results(self, text: str, rows: list[TicketSummary], status: str | Text | None,
                     ) -> None:
        if text != self.query_one("#query", Input).value:
            return  # typing went on: a newer search is on its way
        table = self.query_one("#lookup-results", DataTable)
        if rows != self.listed or not rows:
            self.fill(table, rows)
        if status is None:
            if cell_len(text.strip()) < 3:
                status = _("tui.lookup_hint")
            else:
                status = _("tui.lookup_found", count=len(rows)) if rows \
                    else _("tui.lookup_nothing")
        update_text(self.query_one("#lookup-status", Static), status)

    def fill(self, table: DataTable[str | Text], rows: list[TicketSummary]) -> None:
        # Only when the tickets differ from those shown: each key typed into an IMEI or a
        # phone number soon finds the same one ticket again, and drawing a table is most of
        # what a keystroke costs.
        self.listed = rows
        table.clear()
        for row in rows:
            table.add_row(
                Text(row.ticket, style="bold"),
                self.local_time(row.created).strftime("%Y-%m-%d"),
                _(f"status.{row.status}"),
                clip(row.device, 24),
                f"{row.customer} {row.phone_masked}",
                clip("、".join(_(f"fault.{f}") for f in row.faults), FAULTS_WIDTH),
                key=row.ticket,
            )

    # -- Enter: open the record ----------------------------------------------------------

    def field_entered(self, field: Input) -> None:
        self.scanned(field.value)

    def scanned(self, value: str) -> None:
        text = value.strip()
        if not text:
            return
        self.entered = value
        self.workers.cancel_group(self, "lookup")
        try:
            if is_ticket_number(text):
                self.desk.ticket(text)  # NotFound when it is not in this store
                self.open_ticket(text.upper())
                return
            if looks_like_imei(text):
                self.open_device(text)
                return
            result = self.desk.lookup(text)
        except InputError as exc:
            self.show_results(value, [], Text(exc.reason, style="bold red"))
            return
        except RepairDeskError as exc:
            self.show_results(value, [], Text(exc.message, style="bold red"))
            return
        self.show_results(value, result.tickets, _("tui.lookup_phone",
                                                         count=len(result.tickets)))
        if result.tickets:
            self.query_one("#lookup-results", DataTable).focus()

    def open_device(self, text: str) -> None:
        history = self.desk.device_history(text)
        if history.open_ticket is not None:
            self.open_ticket(history.open_ticket.ticket)
            return
        tac = f"{history.tac.brand} {history.tac.model}" if history.tac else _("cli.tac_unknown")
        status = _("tui.lookup_device", imei=history.imei, tac=tac, count=len(history.tickets))
        self.show_results(self.query_one("#query", Input).value, history.tickets, status)
        if history.tickets:
            self.query_one("#lookup-results", DataTable).focus()

    def open_ticket(self, number: str) -> None:
        from screens.ticket import TicketScreen

        self.app.push_screen(TicketScreen(number))

    @on(DataTable.RowSelected, "#lookup-results")
    def row_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.open_ticket(event.row_key.value)

    def action_open_result(self) -> None:
        table = self.query_one("#lookup-results", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key:
                self.open_ticket(key)

    def action_new_search(self) -> None:
        query = self.query_one("#query", Input)
        query.value = ""
        query.focus()

    def action_back(self) -> None:
        self.app.switch_mode("board")  # type: ignore[union-attr]

    def on_screen_resume(self) -> None:
        # Back from a ticket: the next scan replaces the last one.
        query = self.query_one("#query", Input)
        query.focus()
        query.select_all()
