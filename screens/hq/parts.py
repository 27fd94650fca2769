"""Parts (F9): the counters' part requests, answered, and shipped.

The queue lists every request in the order asked (F shows one state at a time: open,
waiting for a second approval, approved, shipped, rejected, then all); under it, the
deposit, credit, exposure and headroom of the counter of the request under the cursor. A
approves it (all, or the quantity typed), X rejects it with a reason, S ships that
counter's approved requests under a waybill. Every change is the facade's
(repairdesk/hq/parts_cases.py), with the same checks and words as ``repairdesk hq parts``;
a refusal is shown in the dialog, which stays open, and nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, Static

from repairdesk.hq.part_orders import STATES
from repairdesk.hq.parts_views import charge, request_text, shipment_text
from repairdesk.i18n import _
from repairdesk.trust import PermissionDenied
from screens.commands import bindings, commands
from screens.hq.base import HqCommand, HqScreen
from screens.hq.settle_dialogs import SettleDialog

KEYS = commands(
    HqCommand("hq-parts-approve", "a", "approve", "edit"),
    HqCommand("hq-parts-reject", "x", "reject", "edit"),
    HqCommand("hq-parts-ship", "s", "ship", "edit"),
    HqCommand("hq-parts-state", "f", "next_state", "view", show=False),
)
#: The position of the counter under the cursor, in this order (``hqparts.pos_*``).
POSITION = ("deposit", "credit", "held", "in_transit", "due_back", "exposure", "headroom")


class PartsScreen(HqScreen[None]):
    CSS_PATH = "parts.tcss"
    HELP_KEY = "parts"
    BINDINGS: ClassVar[list[BindingType]] = [*HqScreen.BINDINGS, *bindings(KEYS)]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="parts-filter", markup=False)
        yield Static(_("hqui.parts_read_only"), id="parts-read-only")
        yield DataTable(id="parts-requests", cursor_type="row")
        with VerticalScroll(id="parts-position-box"):
            yield Static("", id="parts-position", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.state: str | None = "open"
        self.rows: list[Any] = []
        self.sub_title = _("hqui.parts_title")
        try:
            self.hq.require("hq.approve_part_request")
            read_only = False
        except PermissionDenied:
            read_only = True  # said once; the facade refuses each change all the same
        self.query_one("#parts-read-only", Static).display = read_only
        self.query_one("#parts-requests", DataTable).add_columns(
            *(_(f"hqui.parts_col_{k}") for k in ("counter", "request", "part", "qty",
                                                  "for", "state", "charge")))
        self.load()
        self.query_one("#parts-requests", DataTable).focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted and hasattr(self, "rows"):
            self.load()

    def load(self) -> None:
        here = self.current()
        keep = (here.counter, here.request) if here is not None else None
        try:
            self.rows = self.hq.part_requests(state=self.state)
        except Exception as exc:  # noqa: BLE001 - said, the workspace goes on
            self.notify(self.failure(exc), severity="error")
            return
        table = self.query_one("#parts-requests", DataTable)
        table.clear()
        for v in self.rows:
            table.add_row(v.counter, str(v.request), f"{v.part_number} {v.name}",
                          str(v.qty) if v.approved_qty in (None, v.qty)
                          else f"{v.approved_qty}/{v.qty}", v.ticket or _("hqparts.for_stock"),
                          _(f"hqparts.state_{v.state}"),
                          charge(v))
        state = _(f"hqparts.state_{self.state}") if self.state else _("hqui.parts_all")
        self.query_one("#parts-filter", Static).update(
            _("hqui.parts_filter", state=state, shown=len(self.rows)))
        keys = [(v.counter, v.request) for v in self.rows]
        if keep in keys:
            table.move_cursor(row=keys.index(keep))
        self.show_position()

    def current(self) -> Any:
        if not getattr(self, "rows", None):
            return None
        table = self.query_one("#parts-requests", DataTable)
        return self.rows[table.cursor_row] if 0 <= table.cursor_row < len(self.rows) else None

    @on(DataTable.RowHighlighted, "#parts-requests")
    def show_position(self) -> None:
        here = self.current()
        box = self.query_one("#parts-position", Static)
        if here is None:
            box.update(_("hqparts.no_requests"))
            return
        try:
            position = self.hq.deposit(here.counter)
            differing = self.hq.shipments(here.counter, differences=True)
        except Exception as exc:  # noqa: BLE001 - said, the workspace goes on
            box.update(self.failure(exc))
            return
        text = Text(_("hqparts.position_title", counter=position.counter, name=position.name),
                    style="bold")
        for key in POSITION:
            value = getattr(position, key)
            style = "bold red" if key == "headroom" and value.startswith("-") else ""
            text.append(f"\n{_(f'hqparts.pos_{key}')}: ", style="dim")
            text.append(f"¥{value}", style=style)
        for shipment in differing:  # as the counter's receipt says: HQ's to take up
            for li in shipment.lines:
                if li.short or li.damaged:
                    text.append("\n" + _("hqui.parts_difference", id=shipment.id,
                                          waybill=shipment.waybill, part=li.part_number,
                                          short=li.short, damaged=li.damaged,
                                          reason=li.reason or "-"), style="yellow")
        if here.note:
            text.append(f"\n{here.note}")
        if here.answer:
            text.append(f"\n{here.answer}", style="italic")
        box.update(text)

    # -- keys ----------------------------------------------------------------------------

    def _on_a_request(self) -> Any:
        here = self.current()
        if here is None:
            self.notify(_("hqparts.no_requests"), severity="warning")
        return here

    def action_approve(self) -> None:
        here = self._on_a_request()
        if here is None:
            return
        ask = _("hqui.parts_ask_approve", counter=here.counter, request=here.request,
                qty=here.approved_qty or here.qty, part=here.part_number)
        self.app.push_screen(FieldDialog(ask, "qty", str(here.approved_qty or here.qty),
                                         lambda qty: self.hq.approve_part_request(
                                             here.counter, here.request, qty)), self.done)

    def action_reject(self) -> None:
        here = self._on_a_request()
        if here is None:
            return
        ask = _("hqui.parts_ask_reject", counter=here.counter, request=here.request)
        self.app.push_screen(FieldDialog(ask, "reason", "", lambda reason: self.hq
                                         .reject_part_request(here.counter, here.request,
                                                              reason)), self.done)

    def action_ship(self) -> None:
        here = self._on_a_request()
        if here is None:
            return
        ask = _("hqui.parts_ask_ship", counter=here.counter)
        self.app.push_screen(FieldDialog(ask, "waybill", "", lambda waybill: self.hq
                                         .ship_parts(here.counter, waybill)), self.done)

    def done(self, result: Any) -> None:
        if result is None:
            return
        self.notify(shipment_text(result) if hasattr(result, "waybill")
                    else request_text(result))
        self.load()

    def action_next_state(self) -> None:
        order = ["open", *[s for s in STATES if s != "open"], None]
        self.state = order[(order.index(self.state) + 1) % len(order)]
        self.load()


class FieldDialog(SettleDialog):
    """One field and its question; Enter runs ``act(value)``."""

    CSS_PATH = "parts.tcss"

    def __init__(self, question: str, field: str, value: str,
                 act: Callable[[str], Any]) -> None:
        super().__init__(question, lambda **values: act(values[field]))
        self.field, self.value = field, value

    def fields(self) -> ComposeResult:
        yield self.field_row(self.field, Input(self.value, id=f"field-{self.field}",
                                               compact=True))

    def values(self) -> dict[str, Any]:
        return {self.field: self.query_one(f"#field-{self.field}", Input).value}
