"""Lookup: one field for an IMEI, a ticket number or a phone number.

Results come as you type, from a worker thread, so typing never waits on the store. A
scanner's Enter opens the record directly: a slip's QR code (the ticket number) opens that
ticket, an IMEI barcode opens the phone's open ticket (or shows its history).
"""

from __future__ import annotations

import gc
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from repairdesk.errors import InputError, RepairDeskError
from repairdesk.i18n import _
from repairdesk.imei import digits
from repairdesk.tickets.numbering import is_ticket_number
from repairdesk.tickets.views import TicketSummary
from repairdesk.tickets.workflow import STATUSES
from screens.base import NEXT_FIELD, DeskScreen
from screens.board import FAULTS_WIDTH, clip
from screens.commands import Command, bindings, commands
from screens.widgets.form import TypedField, update_text
from screens.widgets.results import ResultsTable

DEVICE_WIDTH = 24
SWEEP_AFTER = 1.5  # seconds without a keystroke before a full collection
SWEEP_EVERY = 30.0  # and then again while the lookup stays on screen
CUSTOMER_WIDTH = 24  # the name, clipped, and the masked phone


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
        table: DataTable[str | Text] = ResultsTable(id="lookup-results", cursor_type="row",
                                                   zebra_stripes=True)
        # Fixed widths: a column widening as results come would ask for a new layout of the
        # screen (a scrollbar may come), in the middle of someone typing.
        counter = self.desk.counter()
        widths = {"ticket": len(counter.code) + 14 if counter else 22, "created": 10,
                  "status": max(cell_len(_(f"status.{s}")) for s in STATUSES),
                  "device": DEVICE_WIDTH, "customer": CUSTOMER_WIDTH, "faults": FAULTS_WIDTH}
        for key, width in widths.items():
            table.add_column(_(f"tui.col_{key}"), key=key,
                             width=max(width, cell_len(_(f"tui.col_{key}"))))
        yield table
        yield Footer(compact=True)

    def __init__(self) -> None:
        super().__init__()
        self.entered: str | None = None  # the query Enter showed: searches keep off it
        self.listed: list[TicketSummary] = []  # the tickets the table shows
        self.shown_for = ""  # the query they were found for
        self.drawing: set[Widget] = set()  # what the results changed, until it is drawn
        self.thresholds: tuple[int, ...] | None = None  # the collector's, while held
        self.sweep: Timer | None = None

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        self.prepare()

    @work(thread=True, group="prepare")
    def prepare(self) -> None:
        # What the search keeps in memory loads while the first digits are typed (a search
        # started meanwhile waits for it rather than loading it a second time).
        self.desk.tickets.prepare_search()

    # -- as you type ---------------------------------------------------------------------

    @on(Input.Changed, "#query")
    def typed(self, event: Input.Changed) -> None:
        if event.value != event.input.value:
            return  # typing went on: the change with the latest value is still to come
        if event.value == self.entered:
            return  # Enter got there first (a scan): what it showed stands
        self.entered = None
        self.search(event.value, self.query_one(ResultsTable).visible_rows())

    @work(thread=True, exclusive=True, group="lookup")
    def search(self, text: str, limit: int) -> list[TicketSummary]:
        # As many as the table shows: more would bring a scrollbar (a new layout) and cost
        # the search and the drawing rows nobody sees while typing.
        rows = self.desk.tickets.search(text, limit=limit)
        self.app.call_from_thread(self.show_search, text, rows)
        return rows

    def show_search(self, text: str, rows: list[TicketSummary]) -> None:
        if text != self.entered:
            self.show_results(text, rows, None)

    def show_results(self, text: str, rows: list[TicketSummary], status: str | Text | None,
                     ) -> None:
        if text != self.query_one("#query", Input).value:
            return  # typing went on: a newer search is on its way
        self.shown_for = text
        table = self.query_one(ResultsTable)
        filled = rows != self.listed or not rows
        if filled:
            self.fill(table, rows)
        if status is None:
            if cell_len(text.strip()) < 3:
                status = _("tui.lookup_hint")
            else:
                status = _("tui.lookup_found", count=len(rows)) if rows \
                    else _("tui.lookup_nothing")
        status_line = self.query_one("#lookup-status", Static)
        update_text(status_line, status)
        table.size_now()
        self.drawing = {status_line, table} if filled else {status_line}

    async def _on_idle(self, event: events.Idle) -> None:
        # Results arrive from the worker between frames, and Textual draws at most one frame
        # per slot of its 60 Hz clock: the keystroke's echo took one, the next comes 17-33 ms
        # later (textual/timer.py). The typist waits for these rows, so the frame is drawn
        # as soon as every widget they changed has asked for it, as that timer would
        # (Textual 8.2 is pinned).
        if self.drawing and (self.drawing <= self._dirty_widgets or self._layout_required):
            self.drawing = set()
            if self.is_current and not self.app._batch_count:
                self._on_timer_update()
                self.collect_between_keys()

    # -- the garbage collector -------------------------------------------------------------
    # A keystroke here makes some thousands of objects (rows, segments, strips): the
    # collector's automatic passes then landed on keystrokes, 2-10 ms for the young
    # generations and 25-70 ms for a full pass. While the lookup is on screen it collects
    # between keystrokes instead: the young generations once a keystroke's rows are drawn
    # (the terminal's writer thread is given a moment first), everything once typing pauses.

    def hold_collector(self) -> None:
        # By its threshold, not gc.disable(): the app enables the collector on timers of
        # its own, which leave thresholds alone.
        if self.thresholds is None and gc.get_threshold()[0]:
            self.thresholds = gc.get_threshold()
            gc.set_threshold(0, *self.thresholds[1:])
            self.sweep_later(SWEEP_AFTER)

    def release_collector(self) -> None:
        if self.thresholds is not None:
            gc.set_threshold(*self.thresholds)
            self.thresholds = None

    def collect_between_keys(self) -> None:
        if self.thresholds is None:
            return
        self.set_timer(0.005, lambda: gc.collect(1), name="lookup-collect")
        self.sweep_later(SWEEP_AFTER)

    def sweep_later(self, delay: float) -> None:
        if self.sweep is not None:
            self.sweep.stop()
        self.sweep = self.set_timer(delay, self.sweep_now, name="lookup-sweep")

    def sweep_now(self) -> None:
        if self.thresholds is not None:
            gc.collect()
            # The rest of the app (workers, timers) makes garbage too while the screen waits.
            self.sweep_later(SWEEP_EVERY)

    def on_screen_suspend(self) -> None:
        self.release_collector()

    def on_unmount(self) -> None:
        self.release_collector()

    def fill(self, table: DataTable[str | Text], rows: list[TicketSummary]) -> None:
        # Only when the tickets differ from those shown: each key typed into an IMEI or a
        # phone number soon finds the same one ticket again, and drawing a table is most of
        # what a keystroke costs.
        self.listed = rows
        table.clear()
        for row in rows:
            table.add_row(
                Text(row.ticket, style="bold"),
                # Text, not str: a str cell is read as markup, and a name is what was typed.
                Text(self.local_time(row.created).strftime("%Y-%m-%d")),
                Text(_(f"status.{row.status}")),
                clip(row.device, DEVICE_WIDTH),
                clip(row.customer, CUSTOMER_WIDTH - 1 - cell_len(row.phone_masked))
                + f" {row.phone_masked}",
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
                self.desk.tickets.ticket(text)  # NotFound when it is not in this store
                self.open_ticket(text.upper())
                return
            if looks_like_imei(text):
                self.open_device(text)
                return
            if self.listed and self.shown_for == value:
                # What typing found for exactly this text: Enter opens the one highlighted
                # (Down and Up in the field choose it), without searching again.
                self.action_open_result()
                return
            result = self.desk.tickets.lookup(text)  # a phone, or a name: the core's one lookup
        except InputError as exc:
            self.show_results(value, [], Text(exc.reason, style="bold red"))
            return
        except RepairDeskError as exc:
            self.show_results(value, [], Text(exc.message, style="bold red"))
            return
        if result.tickets:
            self.show_results(value, result.tickets, None)
            self.action_open_result()
        elif result.kind == "name":  # nothing to say of its form
            self.show_results(value, [], _("tui.lookup_no_name", text=text)
                              if cell_len(text) >= 3 else _("tui.lookup_hint"))
        else:
            self.show_results(value, [], _("tui.lookup_phone", count=0))

    def on_key(self, event: events.Key) -> None:
        """Down and Up in the query move the highlight through the results, so the one
        Enter opens is chosen without leaving the field."""
        if event.key not in ("down", "up") or self.focused is not self.query_one("#query"):
            return
        table = self.query_one("#lookup-results", DataTable)
        if table.row_count:
            event.stop()
            event.prevent_default()
            step = 1 if event.key == "down" else -1
            table.move_cursor(row=min(max(table.cursor_row + step, 0), table.row_count - 1))

    def open_device(self, text: str) -> None:
        history = self.desk.tickets.device_history(text)
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
        self.hold_collector()
        # Back from a ticket: the next scan replaces the last one.
        query = self.query_one("#query", Input)
        query.focus()
        query.select_all()
