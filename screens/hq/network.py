"""The network: HQ's registry of counters, filtered by level, region and state.

Agreements ending within 30 days stand out (they are renewed 30 days before they end).
Enter opens a counter's form; Ctrl+N adds one; F6/F7/F8 suspend, resume or retire the
counter under the cursor, with a reason. A role that may not change the registry (a viewer)
sees it read-only: the screen says so, and the facade refuses any change all the same.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, Select, Static

from repairdesk.i18n import _
from repairdesk.trust import PermissionDenied
from screens.commands import bindings, commands
from screens.hq.base import HqCommand, HqScreen
from screens.widgets.render import terminal_text

EXPIRING_DAYS = 30
STATES = ("active", "suspended", "retired")
STATE_STYLE = {"active": "", "suspended": "bold yellow", "retired": "dim"}
COLUMNS = ("code", "name", "level", "region", "state", "agreement_end", "person", "phone")
#: Below this many cells the region and the phone are left out (the form shows them).
NARROW = 110
NARROW_COLUMNS = ("code", "name", "level", "state", "agreement_end", "person")


class NetworkScreen(HqScreen[None]):
    HELP_KEY = "network"
    KEYS = commands(
        HqCommand("hq-add-counter", "ctrl+n", "add_counter", "edit"),
        HqCommand("hq-suspend", "f6", "change_state('suspend')", "edit"),
        HqCommand("hq-resume", "f7", "change_state('resume')", "edit"),
        HqCommand("hq-retire", "f8", "change_state('retire')", "edit"),
        HqCommand("hq-network-refresh", "f5", "refresh", "view"),
        HqCommand("hq-network-filter", "ctrl+f", "filter", "view"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [*HqScreen.BINDINGS, *bindings(KEYS)]

    def compose(self) -> ComposeResult:
        yield Header()
        levels = [(level.name, level.code) for level in self.hq.levels()]
        with Horizontal(id="network-filters"):
            yield Select(levels, prompt=_("hqui.filter_level"), id="filter-level")
            yield Input(id="filter-region", placeholder=_("hqui.filter_region"))
            yield Select([(_(f"hqui.state_{s}"), s) for s in STATES],
                         prompt=_("hqui.filter_state"), id="filter-state")
            yield Checkbox(_("hqui.filter_expiring", days=EXPIRING_DAYS),
                           id="filter-expiring", compact=True)
        yield Static("", id="network-summary")
        yield Static(_("hqui.read_only"), id="network-read-only")
        yield DataTable(id="network-table", cursor_type="row")
        yield Footer()

    def columns(self) -> tuple[str, ...]:
        return NARROW_COLUMNS if self.app.size.width < NARROW else COLUMNS

    def on_mount(self) -> None:
        self.shown_columns: tuple[str, ...] = ()
        try:
            self.hq.require("hq.edit_counter")
            self.read_only = False
        except PermissionDenied:
            self.read_only = True
        self.query_one("#network-read-only", Static).display = self.read_only
        self.refill()
        self.query_one("#network-table", DataTable).focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted and hasattr(self, "read_only"):
            self.refill()  # back from a counter's form: what it saved is shown

    # -- the list -----------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        level = self.query_one("#filter-level", Select).value
        state = self.query_one("#filter-state", Select).value
        region = self.query_one("#filter-region", Input).value.strip()
        expiring = self.query_one("#filter-expiring", Checkbox).value
        return {"level": None if level is Select.NULL else level,
                "state": None if state is Select.NULL else state,
                "region": region or None, "expiring": EXPIRING_DAYS if expiring else None}

    def on_resize(self) -> None:
        if self.is_mounted and hasattr(self, "read_only") and self.columns() != self.shown_columns:
            self.refill()

    def refill(self) -> None:
        table = self.query_one("#network-table", DataTable)
        cursor = self.current_code()
        table.clear(columns=self.columns() != self.shown_columns)
        if not table.columns:
            self.shown_columns = self.columns()
            for column in self.shown_columns:
                table.add_column(_(f"hqui.col_{column}"), key=column)
        try:
            found = self.hq.counters(**self.filters())
            expiring = {c.code for c in self.hq.counters(expiring=EXPIRING_DAYS)}
        except Exception as exc:  # noqa: BLE001 - a bad filter (region) or a failed read
            self.say(Text(self.failure(exc), style="bold red"))
            return
        for counter in found:
            table.add_row(*self.cells(counter, counter.code in expiring), key=counter.code)
        if cursor in {c.code for c in found}:
            table.move_cursor(row=table.get_row_index(cursor))
        summary = _("hqui.network_count", count=len(found))
        soon = sum(1 for c in found if c.code in expiring)
        if soon:
            summary += " · " + _("hqui.network_expiring", count=soon, days=EXPIRING_DAYS)
        self.say(Text(summary))

    def cells(self, counter: Any, expiring: bool) -> list[str | Text]:
        end = counter.agreement_end.isoformat() if counter.agreement_end else "-"
        cells: dict[str, str | Text] = {
            "code": counter.code, "name": terminal_text(counter.name or ""),
            "level": terminal_text(counter.level_name or "-"),
            "region": terminal_text(counter.region_short or "-"),
            "state": Text(_(f"hqui.state_{counter.state}"),
                          style=STATE_STYLE.get(counter.state, "")),
            "agreement_end": Text(end, style="bold red") if expiring else end,
            "person": terminal_text(counter.person or "-"),
            "phone": terminal_text(counter.phone or "-"),
        }
        return [cells[column] for column in self.shown_columns]

    def say(self, text: Text) -> None:
        self.query_one("#network-summary", Static).update(text)

    def current_code(self) -> str | None:
        table = self.query_one("#network-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(Input.Submitted, "#filter-region")
    def filter_changed(self) -> None:
        self.refill()

    def action_filter(self) -> None:
        self.query_one("#filter-level", Select).focus()

    def action_refresh(self) -> None:
        self.refill()

    # -- changes ------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#network-table")
    def open_counter(self, event: DataTable.RowSelected) -> None:
        from screens.hq.counter_form import CounterForm

        try:
            counter = self.hq.counter(str(event.row_key.value))
        except Exception as exc:  # noqa: BLE001 - said on the screen, the app goes on
            self.notify(self.failure(exc), severity="error", timeout=15)
            return
        self.app.push_screen(CounterForm(counter, read_only=self.read_only))

    def action_add_counter(self) -> None:
        from screens.hq.counter_form import CounterForm

        try:
            self.hq.require("hq.add_counter")
        except PermissionDenied as exc:
            self.notify(exc.message, severity="error")
            return
        self.app.push_screen(CounterForm(None))

    def action_change_state(self, change: str) -> None:
        from screens.hq.dialogs import ReasonDialog

        code = self.current_code()
        if code is None:
            return
        act = {"suspend": self.hq.suspend_counter, "resume": self.hq.resume_counter,
               "retire": self.hq.retire_counter}[change]
        try:
            self.hq.require(f"hq.{change}_counter")
        except PermissionDenied as exc:
            self.notify(exc.message, severity="error")
            return

        def done(changed: bool | None) -> None:
            if changed:
                self.notify(_(f"hqui.changed_{change}", code=code))
                self.refill()

        self.app.push_screen(ReasonDialog(_(f"hqui.ask_{change}", code=code),
                                          lambda reason: act(code, reason)), done)
