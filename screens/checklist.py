"""Checklist: the technician's diagnosis of one ticket (pushed from the ticket screen).

The performance-fault items of 附录3 for the parts on the bench and the bench tests, each
pass / fail / not tested (P, F, N or Space on the highlighted line), the battery's health in
%, and the evidence for exclusions. Ctrl+S records the diagnosis through the facade, shows
the 三包 decision the engine makes on it, and offers the next status.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Input, SelectionList, Static

from repairdesk.errors import InputError, RepairDeskError
from repairdesk.i18n import _
from repairdesk.imei import parse_imei
from repairdesk.tickets.checklist import EXCLUSION_EVIDENCE, RESULTS, battery_result
from repairdesk.tickets.views import ChecklistOutcome, ChecklistView
from screens.base import NEXT_FIELD, DeskScreen
from screens.commands import Command, bindings, commands
from screens.dialogs import MoveDialog
from screens.widgets.form import FieldError, FieldRow
from screens.widgets.render import decision_text

RESULT_STYLE = {"pass": "green", "fail": "bold red", "untested": "dim"}


def parse_percent(raw: str) -> int | None:
    text = raw.strip().rstrip("%").strip()
    if not text:
        return None
    if not text.isdigit() or not 0 <= int(text) <= 100:
        raise ValueError(_("checklist.bad_percent", value=raw.strip()))
    return int(text)


class ChecklistScreen(DeskScreen[bool]):
    CSS_PATH = "checklist.tcss"
    HELP_KEY = "checklist"
    KEYS = commands(
        Command("result-pass", "p", "mark('pass')", "edit"),
        Command("result-fail", "f", "mark('fail')", "edit"),
        Command("result-untested", "n", "mark('untested')", "edit"),
        Command("result-cycle", "space", "cycle", "edit", show=False),
        Command("save-checklist", "ctrl+s", "save", "ticket"),
        Command("back", "escape", "back", "view"),
    ) + NEXT_FIELD
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.sheet: ChecklistView | None = None
        self.results: dict[str, str] = {}
        self.saved_state: tuple[object, ...] = ()
        self.last_row = 0  # the row the cursor was on, to tell which way it moves

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="checklist-head")
        table: DataTable[str | Text] = DataTable(id="checklist-items", cursor_type="row")
        # As wide as the widest result it may show (the battery's reading included): a
        # column keeps the width of its first cells, and a longer result was cut.
        widest = max(cell_len(_(f"checklist.result.{r}")) for r in RESULT_STYLE)
        table.add_column(_("tui.col_result"), key="result",
                         width=max(widest + cell_len("  (100%)"), cell_len(_("tui.col_result"))))
        table.add_column(_("tui.col_item"), key="item")
        yield table
        with Horizontal(id="checklist-evidence"):
            with Vertical(id="checklist-fields"):
                yield FieldRow(_("tui.field_battery_health"),
                               Input(id="battery-health", placeholder="0-100", compact=True),
                               FieldError("battery-health"))
                yield FieldRow(_("tui.field_voucher_imei"),
                               Input(id="voucher-imei", placeholder=_("tui.hint_voucher_imei"),
                                     compact=True),
                               FieldError("voucher-imei"))
                yield FieldRow(_("tui.field_checklist_notes"),
                               Input(id="checklist-notes", compact=True))
            with Vertical(id="checklist-exclusions-box"):
                yield Static(_("tui.field_exclusions"), id="exclusions-label")
                yield SelectionList[str](
                    *((_(f"exclusion.{e}"), e) for e in EXCLUSION_EVIDENCE),
                    id="exclusions", compact=True,
                )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.desk_app.drafts.add(self)
        try:
            sheet = self.desk.tickets.checklist(self.number)
        except RepairDeskError as exc:
            self.notify(exc.message, severity="error")
            self.app.pop_screen()
            return
        self.sheet = sheet
        self.sub_title = sheet.ticket
        self.results = {item.code: sheet.results.get(item.code, "untested")
                        for item in sheet.items}
        head = Text(_("tui.checklist_head", ticket=sheet.ticket, status=_(f"status.{sheet.status}")),
                    style="bold")
        reported = "、".join(_(f"fault.{f}") for f in sheet.reported_faults) or "-"
        head.append("\n" + _("tui.checklist_reported", faults=reported))
        if sheet.intake_exclusions:
            head.append("\n" + _("tui.checklist_intake_evidence", exclusions="、".join(
                _(f"exclusion.{e}") for e in sheet.intake_exclusions)), style="bold red")
        self.query_one("#checklist-head", Static).update(head)
        table = self.query_one("#checklist-items", DataTable)
        kind = None
        for item in sheet.items:
            if item.kind != kind:
                kind = item.kind
                table.add_row("", Text(_(f"tui.checklist_group_{kind}"), style="bold reverse"),
                              key=f"group:{kind}")
            table.add_row(self.result_cell(item.code), item.name, key=item.code)
        if sheet.battery_health is not None:
            self.query_one("#battery-health", Input).value = str(sheet.battery_health)
        if sheet.voucher_imei:
            self.query_one("#voucher-imei", Input).value = sheet.voucher_imei
        self.query_one("#checklist-notes", Input).value = sheet.notes
        exclusions = self.query_one("#exclusions", SelectionList)
        for code in sheet.exclusions:
            exclusions.select(code)
        self.refresh_battery()
        self.saved_state = self.state()
        table.move_cursor(row=1)
        table.focus()

    # -- results -----------------------------------------------------------------------

    def result_cell(self, code: str) -> Text:
        result = self.results.get(code, "untested")
        text = Text(_(f"checklist.result.{result}"), style=RESULT_STYLE[result])
        if code == "bench.battery_health":
            value = self.query_one("#battery-health", Input).value.strip() if self.is_mounted \
                else ""
            if value:
                text.append(f"  ({value}%)")
        return text

    def current_item(self) -> str | None:
        table = self.query_one("#checklist-items", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key is None or key.startswith("group:") else key

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("mark", "cycle"):
            return self.focused is self.query_one("#checklist-items", DataTable) or None
        return super().check_action(action, parameters)

    @on(DataTable.RowHighlighted, "#checklist-items")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The cursor never rests on a group's heading ("Bench tests"): a result typed
        there would be lost. It steps on in the way it was going."""
        table = event.data_table
        row = event.cursor_row
        key = event.row_key.value
        if key is not None and key.startswith("group:"):
            going_up = row < self.last_row and row > 0
            table.move_cursor(row=row - 1 if going_up else row + 1)
            return
        self.last_row = row

    def action_mark(self, result: str) -> None:
        code = self.current_item()
        if code is None:
            return
        if code == "bench.battery_health":
            self.query_one("#battery-health", Input).focus()  # a reading, not pass/fail
            return
        self.results[code] = result
        table = self.query_one("#checklist-items", DataTable)
        table.update_cell(code, "result", self.result_cell(code))
        # On to the next item, past a heading, at once: the next key typed may come before
        # the table has told anyone where its cursor went.
        below = table.cursor_row + 1
        while below < table.row_count and self.row_key(table, below).startswith("group:"):
            below += 1
        if below < table.row_count:
            self.last_row = below
            table.move_cursor(row=below)

    @staticmethod
    def row_key(table: DataTable[str | Text], row: int) -> str:
        return str(table.coordinate_to_cell_key((row, 0)).row_key.value)

    def action_cycle(self) -> None:
        code = self.current_item()
        if code is None:
            return
        following = RESULTS[(RESULTS.index(self.results.get(code, "untested")) + 1)
                            % len(RESULTS)]
        self.action_mark(following)

    # -- the fields under the list -------------------------------------------------------

    @on(Input.Changed, "#battery-health")
    def battery_typed(self) -> None:
        self.refresh_battery()

    def refresh_battery(self) -> None:
        if self.sheet is None:
            return
        try:
            percent = parse_percent(self.query_one("#battery-health", Input).value)
        except ValueError:
            percent = None
        self.results["bench.battery_health"] = battery_result(percent,
                                                               self.sheet.battery_threshold)
        self.query_one("#checklist-items", DataTable).update_cell(
            "bench.battery_health", "result", self.result_cell("bench.battery_health"))

    @on(Input.Blurred, "#battery-health")
    def battery_left(self) -> None:
        self.check_battery()

    def check_battery(self) -> tuple[bool, int | None]:
        error = self.query_one("#battery-health-error", FieldError)
        try:
            percent = parse_percent(self.query_one("#battery-health", Input).value)
        except ValueError as exc:
            error.show(str(exc))
            return False, None
        error.show(None)
        return True, percent

    @on(Input.Blurred, "#voucher-imei")
    def voucher_left(self) -> None:
        self.check_voucher()

    def check_voucher(self) -> tuple[bool, str | None]:
        """A voucher IMEI that is not this phone's is evidence of voucher_mismatch: it is
        ticked at once, so the technician sees what will be recorded."""
        raw = self.query_one("#voucher-imei", Input).value.strip()
        error = self.query_one("#voucher-imei-error", FieldError)
        if not raw:
            error.show(None)
            return True, None
        try:
            voucher = parse_imei(raw, field="voucher_imei")
        except InputError as exc:
            error.show(exc.reason)
            return False, None
        assert self.sheet is not None
        if voucher != self.sheet.imei:
            error.show(_("checklist.voucher_mismatch_found", voucher=voucher,
                         imei=self.sheet.imei))
            self.query_one("#exclusions", SelectionList).select("voucher_mismatch")
        else:
            error.show(None)
        return True, voucher

    # -- saving ------------------------------------------------------------------------

    def state(self) -> tuple[object, ...]:
        return (
            dict(self.results),
            self.query_one("#battery-health", Input).value.strip(),
            self.query_one("#voucher-imei", Input).value.strip(),
            self.query_one("#checklist-notes", Input).value.strip(),
            sorted(self.query_one("#exclusions", SelectionList).selected),
        )

    def has_unsaved(self) -> bool:
        return self.sheet is not None and self.state() != self.saved_state

    def action_save(self) -> None:
        battery_ok, percent = self.check_battery()
        voucher_ok, voucher = self.check_voucher()
        if not (battery_ok and voucher_ok):
            self.query_one("#battery-health" if not battery_ok else "#voucher-imei",
                           Input).focus()
            return
        results = {code: result for code, result in self.results.items()
                   if code != "bench.battery_health"}
        try:
            outcome = self.desk.tickets.save_checklist(
                self.number, results, battery_health=percent,
                exclusions=list(self.query_one("#exclusions", SelectionList).selected),
                voucher_imei=voucher,
                notes=self.query_one("#checklist-notes", Input).value,
            )
        except InputError as exc:
            self.notify(exc.reason, title=_("tui.not_saved"), severity="error")
            return
        except RepairDeskError as exc:
            self.notify(exc.message, title=_("tui.not_saved"), severity="error")
            return
        self.saved_state = self.state()
        self.offer_move(outcome)

    def offer_move(self, outcome: ChecklistOutcome) -> None:
        """Show what was recorded and decided, and offer the next status (Esc: not now)."""
        header = Text(_("tui.checklist_saved"), style="bold")
        confirmed = "、".join(_(f"fault.{f}") for f in outcome.confirmed) or "-"
        header.append("\n" + _("tui.checklist_confirmed", faults=confirmed))
        if outcome.exclusions:
            header.append("\n" + _("tui.diagnosis_exclusions", exclusions="、".join(
                _(f"exclusion.{e}") for e in outcome.exclusions)), style="bold red")
        header.append("\n")
        header.append_text(decision_text(outcome.decision))
        header.append("\n\n" + _("tui.checklist_next"), style="bold")

        def chosen(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                try:
                    self.desk.tickets.move(self.number, *choice)
                except RepairDeskError as exc:
                    message = exc.reason if isinstance(exc, InputError) else exc.message
                    self.notify(message, title=_("tui.move_refused"), severity="error")
                else:
                    self.notify(_("tui.moved", ticket=self.number,
                                  status=_(f"status.{choice[0]}")))
            self.dismiss(True)

        self.app.push_screen(MoveDialog(outcome.ticket, outcome.status, outcome.allowed_moves,
                                        suggested=outcome.suggested_move, header=header),
                             chosen)

    def action_back(self) -> None:
        self.desk_app.leave(self, lambda: self.dismiss(False), keep=False)
