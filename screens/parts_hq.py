"""The counter's parts with HQ (from day end, P): what to ask HQ for (the suggestion: each
part short of its minimum plus 30 days' use), HQ's shipments waiting to be received, and
the shelf's count. R asks HQ for the suggested part (the quantity can be changed), Enter on
a shipment receives it line by line, C counts the shelf (scan a part, type how many, Enter;
Ctrl+S records the count). Every action is the facade's, with the same checks and words as
``repairdesk parts request|receive --shipment|count``; a refusal is said in the dialog,
which stays open, and nothing is stored.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from repairdesk.errors import RepairDeskError
from repairdesk.i18n import _
from repairdesk.money.parts_views import requested_text
from screens.base import NEXT_FIELD, DeskModal, DeskScreen
from screens.commands import Command, bindings, commands
from screens.dialogs import CLOSE

SAVE = commands(Command("save-parts-dialog", "ctrl+s", "save", "edit"))


class PartsHqScreen(DeskScreen[None]):
    CSS_PATH = "parts_hq.tcss"
    HELP_KEY = "parts_hq"
    KEYS = commands(
        Command("parts-hq-request", "r", "request", "edit"),
        Command("parts-hq-count", "c", "count", "edit"),
        Command("back", "escape", "back", "view"),
    )
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("tui.parts_hq_suggest"), classes="parts-hq-title")
        yield DataTable(id="parts-hq-suggest", cursor_type="row")
        yield Static(_("tui.parts_hq_shipments"), classes="parts-hq-title")
        yield DataTable(id="parts-hq-shipments", cursor_type="row")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.suggested: list[Any] = []
        self.pending: list[Any] = []
        self.sub_title = _("tui.parts_hq_title")
        # What to ask for comes right after the part: at 80 columns the rest may be cut.
        self.query_one("#parts-hq-suggest", DataTable).add_columns(
            *(_(f"parts.col_{k}") for k in ("part", "name", "suggested", "on_hand", "min",
                                            "used", "requested")))
        self.query_one("#parts-hq-shipments", DataTable).add_columns(
            _("tui.parts_hq_col_shipment"), _("tui.parts_hq_col_waybill"),
            _("tui.parts_hq_col_lines"))
        self.query_one("#parts-hq-suggest", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.load()

    def load(self) -> None:
        try:
            self.suggested = self.desk.parts.suggest()
            self.pending = self.desk.parts.shipments(pending=True)
        except RepairDeskError as exc:
            self.notify(exc.message, severity="error")
            return
        table = self.query_one("#parts-hq-suggest", DataTable)
        table.clear()
        for v in self.suggested:
            table.add_row(v.part_number, v.name, Text(str(v.suggested), style="bold"),
                          str(v.on_hand), str(v.min_stock), str(v.used_30_days),
                          str(v.requested), key=v.part_number)
        shipments = self.query_one("#parts-hq-shipments", DataTable)
        shipments.clear()
        for v in self.pending:
            shipments.add_row(str(v.id), v.waybill, ", ".join(
                f"{li.part_number} ×{li.shipped}" for li in v.lines), key=str(v.id))

    @on(DataTable.RowSelected, "#parts-hq-shipments")
    def receive(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.pending):
            self.app.push_screen(ReceiveDialog(self.pending[event.cursor_row]), self.said)

    @on(DataTable.RowSelected, "#parts-hq-suggest")
    def suggestion_chosen(self) -> None:
        self.action_request()

    def action_request(self) -> None:
        table = self.query_one("#parts-hq-suggest", DataTable)
        if not self.suggested or not 0 <= table.cursor_row < len(self.suggested):
            self.notify(_("parts.no_suggestion"), severity="warning")
            return
        chosen = self.suggested[table.cursor_row]
        self.app.push_screen(RequestDialog(chosen.part_number, chosen.suggested), self.said)

    def action_count(self) -> None:
        self.app.push_screen(CountDialog(), self.said)

    def said(self, message: str | None) -> None:
        if message:
            self.notify(message)

    def action_back(self) -> None:
        self.app.pop_screen()


class StockDialog(DeskModal[str | None]):
    """A question, its fields, and where a refusal is said; closes with what was done."""

    CSS_PATH = "parts_hq.tcss"
    KEYS = CLOSE
    BINDINGS: ClassVar[list[BindingType]] = [*DeskModal.BINDINGS, *bindings(KEYS),
                                             *bindings(NEXT_FIELD)]

    def refused(self, exc: RepairDeskError) -> None:
        self.query_one(".field-error", Static).update(exc.message)

    def row(self, label: str, widget: Input) -> Horizontal:
        return Horizontal(Label(label, classes="parts-label"), widget, classes="parts-field")

    def action_close(self) -> None:
        self.dismiss(None)


class RequestDialog(StockDialog):
    def __init__(self, part: str, qty: int) -> None:
        super().__init__()
        self.part, self.qty = part, qty

    def compose(self) -> ComposeResult:
        with Vertical(classes="parts-box"):
            yield Static(_("tui.parts_hq_ask_request", part=self.part), markup=False)
            yield self.row(_("field.qty"), Input(str(self.qty), id="request-qty", compact=True))
            yield self.row(_("field.note"), Input(id="request-note", compact=True))
            yield Static("", classes="field-error", markup=False)
            yield Static(_("tui.parts_hq_request_keys"), classes="parts-keys")

    def on_mount(self) -> None:
        self.query_one("#request-qty", Input).focus()

    def field_entered(self, field: Input) -> None:
        if field.id != "request-note":
            self.focus_next()
            return
        try:
            made = self.desk.parts.request(self.part, self.query_one("#request-qty", Input).value,
                                           note=field.value)
        except RepairDeskError as exc:
            self.refused(exc)
            return
        self.dismiss(requested_text(made))


class ReceiveDialog(StockDialog):
    """Each line of the shipment: how many came good, how many damaged, and why either is
    short of what was shipped. Ctrl+S receives it."""

    BINDINGS: ClassVar[list[BindingType]] = [*StockDialog.BINDINGS, *bindings(SAVE)]

    def __init__(self, shipment: Any) -> None:
        super().__init__()
        self.shipment = shipment

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="parts-box"):
            yield Static(_("tui.parts_hq_ask_receive", id=self.shipment.id,
                           waybill=self.shipment.waybill), markup=False)
            for li in self.shipment.lines:
                yield Static(f"{li.line}. {li.part_number} {li.name} ×{li.shipped}",
                             markup=False, classes="parts-line")
                yield self.row(_("tui.parts_hq_good"), Input(
                    str(li.shipped), id=f"good-{li.line}", compact=True))
                yield self.row(_("tui.parts_hq_damaged"), Input(
                    "0", id=f"bad-{li.line}", compact=True))
                yield self.row(_("field.reason"), Input(id=f"why-{li.line}", compact=True))
            yield Static("", classes="field-error", markup=False)
            yield Static(_("tui.parts_hq_receive_keys"), classes="parts-keys")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def action_save(self) -> None:
        values = {i.id: i.value for i in self.query(Input) if i.id}
        lines = [li.line for li in self.shipment.lines]
        try:
            done = self.desk.parts.receive_shipment(
                self.shipment.id, {n: values[f"good-{n}"] for n in lines},
                {n: values[f"bad-{n}"] for n in lines},
                {n: values[f"why-{n}"] for n in lines})
        except RepairDeskError as exc:
            self.refused(exc)
            return
        self.dismiss(_("parts.shipment_title", id=done.id, waybill=done.waybill,
                       state=_("tui.parts_hq_received")))


class CountDialog(StockDialog):
    """The shelf counted part by part: the part (scanned or typed) and Enter, how many and
    Enter; the line is added (a part counted again: the new count). Ctrl+S records it."""

    BINDINGS: ClassVar[list[BindingType]] = [*StockDialog.BINDINGS, *bindings(SAVE)]

    def __init__(self) -> None:
        super().__init__()
        self.counted: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="parts-box"):
            yield Static(_("tui.parts_hq_ask_count"), markup=False)
            yield self.row(_("field.part"), Input(id="count-part", compact=True))
            yield self.row(_("field.qty"), Input(id="count-qty", compact=True))
            yield Static("", id="count-lines", markup=False)
            yield Static("", classes="field-error", markup=False)
            yield Static(_("tui.parts_hq_count_keys"), classes="parts-keys")

    def on_mount(self) -> None:
        self.query_one("#count-part", Input).focus()

    def field_entered(self, field: Input) -> None:
        if field.id == "count-part":
            try:
                found = self.desk.stock.part(field.value)
            except RepairDeskError as exc:
                self.refused(exc)
                field.select_all()
                return
            field.value = found.part_number
            self.query_one(".field-error", Static).update("")
            self.query_one("#count-qty", Input).focus()
            return
        part = self.query_one("#count-part", Input)
        if part.value:
            self.counted[part.value] = field.value
        part.value, field.value = "", ""
        self.query_one("#count-lines", Static).update("\n".join(
            f"{number} = {qty}" for number, qty in self.counted.items()))
        part.focus()

    def action_save(self) -> None:
        try:
            done = self.desk.parts.count_stock(dict(self.counted))
        except RepairDeskError as exc:
            self.refused(exc)
            return
        changed = sum(1 for li in done.lines if li.difference)
        self.dismiss(_("tui.parts_hq_counted", id=done.id, lines=len(done.lines),
                       changed=changed))
