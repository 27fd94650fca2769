"""The counter's settlement (from day end, S): HQ's claim lines of its warranty work as the
newest pack brought them, why each stands where it does, the statements HQ closed, and a
dispute of the line under the cursor (D). F and M narrow the lines to one state or one month
(each press the next, then all again), as ``repairdesk settlement list --status/MONTH``
does. Everything comes from the facade's settlement
area, the same calls and words as ``repairdesk settlement`` (repairdesk/settle_words.py).
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from repairdesk.errors import RepairDeskError
from repairdesk.i18n import _
from repairdesk.ratecard import LINE_STATES
from repairdesk.settle_words import line_text, line_why, statement_text, status_word
from screens.base import DeskModal, DeskScreen
from screens.commands import Command, bindings, commands
from screens.dialogs import CLOSE


class SettlementScreen(DeskScreen[None]):
    CSS_PATH = "settlement.tcss"
    HELP_KEY = "settlement"
    KEYS = commands(
        Command("settlement-dispute", "d", "dispute", "edit"),
        # Named in the filter line above the lines instead of the footer: at 80 columns the
        # footer has no room for them, and the cut would fall inside a wide character.
        Command("settlement-status", "f", "next_status", "view", show=False),
        Command("settlement-month", "m", "next_month", "view", show=False),
        Command("back", "escape", "back", "view"),
    )
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="settlement-summary", markup=False)
        yield DataTable(id="settlement-lines", cursor_type="row")
        with VerticalScroll(id="settlement-detail-box"):
            yield Static("", id="settlement-detail", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.lines: list[Any] = []  # as the table lists them, row by row
        self.status: str | None = None  # the filters; None: every state, every month
        self.month: str | None = None
        self.months: list[str] = []  # the months HQ's lines fall in, for M
        self.sub_title = _("tui.settlement_title")
        table = self.query_one("#settlement-lines", DataTable)
        table.add_columns(_("settlement.col_line"), _("settlement.col_ticket"),
                          _("settlement.col_month"), _("settlement.col_status"),
                          _("settlement.col_amount"), _("settlement.col_why"))
        table.focus()

    def on_screen_resume(self) -> None:
        # Shown again, after a dispute or with a pack applied meanwhile: read them again.
        self.load()

    def load(self) -> None:
        """Read the lines again; the cursor stays on the line it was on."""
        here = self.current()
        keep = here.id if here is not None else None
        try:
            every = self.desk.settlement.lines()
            statements = self.desk.settlement.statements()
        except RepairDeskError as exc:
            self.notify(exc.message, severity="error")
            return
        self.months = sorted({v.month for v in every})
        if self.month not in self.months:
            self.month = None
        self.lines = [v for v in every if self.status in (None, v.status)
                      and self.month in (None, v.month)]
        table = self.query_one("#settlement-lines", DataTable)
        table.clear()
        for v in self.lines:
            table.add_row(str(v.id), v.ticket, v.month, status_word(v.status),
                          Text(f"¥{v.amount}", justify="right"), line_why(v), key=str(v.id))
        summary = [row for st in statements[-1:] for row in statement_text(st)]
        shown = _("tui.settlement_filter", shown=len(self.lines), total=len(every),
                  status=status_word(self.status) if self.status else _("tui.settlement_all"),
                  month=self.month or _("tui.settlement_all"))
        self.query_one("#settlement-summary", Static).update(
            "\n".join([*(summary or [_("settlement.no_statements")]), shown]))
        if not self.lines:
            self.query_one("#settlement-detail", Static).update(_("settlement.no_lines"))
            return
        ids = [v.id for v in self.lines]
        table.move_cursor(row=ids.index(keep) if keep in ids else 0)
        self.show_detail()

    def current(self) -> Any:
        table = self.query_one("#settlement-lines", DataTable)
        if not 0 <= table.cursor_row < len(self.lines):
            return None
        return self.lines[table.cursor_row]

    @on(DataTable.RowHighlighted, "#settlement-lines")
    def show_detail(self) -> None:
        line = self.current()
        if line is not None:
            self.query_one("#settlement-detail", Static).update(
                "\n".join(line_text(line, self.minute)))

    def minute(self, moment: Any) -> str:
        return self.local_time(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"

    def action_dispute(self) -> None:
        line = self.current()
        if line is None:
            self.notify(_("settlement.no_lines"), severity="warning")
            return

        def done(disputed: Any) -> None:
            if disputed is not None:
                self.notify(_("settlement.disputed", line=line.id, dispute=disputed.id))

        self.app.push_screen(DisputeDialog(line.id, line.ticket), done)

    def action_next_status(self) -> None:
        states = [None, *LINE_STATES]
        self.status = states[(states.index(self.status) + 1) % len(states)]
        self.load()

    def action_next_month(self) -> None:
        months = [None, *self.months]
        self.month = months[(months.index(self.month) + 1) % len(months)]
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()


class DisputeDialog(DeskModal[Any]):
    """Why the line is wrong; Enter disputes it through the facade, whose refusal (a blank
    reason, a dispute HQ has not answered, a user not allowed) is shown here, nothing
    stored."""

    CSS_PATH = "settlement.tcss"
    KEYS = CLOSE
    BINDINGS: ClassVar[list[BindingType]] = [*DeskModal.BINDINGS, *bindings(KEYS)]

    def __init__(self, line: int, ticket: str) -> None:
        super().__init__()
        self.line = line
        self.ticket = ticket

    def compose(self) -> ComposeResult:
        with Vertical(id="dispute-box"):
            yield Static(_("tui.settlement_ask_dispute", line=self.line, ticket=self.ticket),
                         id="dispute-question", markup=False)
            yield Label(_("field.reason"))
            yield Input(id="dispute-reason", compact=True)
            yield Static("", id="dispute-error", classes="field-error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#dispute-reason", Input).focus()

    @on(Input.Submitted, "#dispute-reason")
    def submitted(self, event: Input.Submitted) -> None:
        try:
            disputed = self.desk.settlement.dispute(self.line, event.value)
        except RepairDeskError as exc:
            self.query_one("#dispute-error", Static).update(exc.message)
            return
        self.dismiss(disputed)

    def action_close(self) -> None:
        self.dismiss(None)
