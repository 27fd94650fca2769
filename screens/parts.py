"""Parts of one ticket (F10 on the ticket): draw from stock, return unused, keep the faulty
one, or ask HQ for it (free when the ticket is a warranty repair; it goes in the next batch).

The catalogue's parts that fit the phone are offered first (all of them when none is listed
for its model), with what is in stock. The dialog stays open so that several parts can be
drawn in a row; each action goes through the facade, which refuses a draw beyond stock (and
says how many there are) or a return beyond what was drawn, and then nothing is stored.
"""

from __future__ import annotations

from collections import defaultdict
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from repairdesk.errors import InputError, RepairDeskError
from repairdesk.i18n import _
from repairdesk.money.views import OldPartView, PartView, StockMoveView, TicketMoneyView
from screens.base import DeskModal
from screens.commands import bindings
from screens.dialogs import CLOSE
from screens.widgets.render import basis_text
from screens.widgets.report import joined

ACTIONS = ("draw", "return", "keep_old", "request")


class PartsDialog(DeskModal[bool]):
    """Dismisses with True when anything was stored (the ticket then shows it)."""

    CSS_PATH = "parts.tcss"
    KEYS = CLOSE
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    def __init__(self, number: str, model: str | None) -> None:
        super().__init__()
        self.number = number
        self.model = model
        self.shown: list[PartView] = []
        self.changed = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="parts-box"):
            yield Static(_("tui.parts_title", ticket=self.number), id="parts-title")
            yield Static("", id="parts-ticket")
            yield Static("", id="parts-note")
            yield OptionList(id="parts-list")
            yield Label(_("tui.parts_field_qty"))
            yield Input("1", id="parts-qty", compact=True)
            yield OptionList(*(Option(_(f"tui.parts_action_{a}"), id=a) for a in ACTIONS),
                             id="parts-actions")
            yield Static("", id="parts-message")

    def on_mount(self) -> None:
        self.refresh_parts()
        self.query_one("#parts-list", OptionList).focus()

    # -- what is shown -----------------------------------------------------------------

    def refresh_parts(self) -> None:
        try:
            money = self.desk.money.ticket_money(self.number)
            fitting = self.desk.stock.parts(model=self.model) if self.model else []
            catalogue = fitting or self.desk.stock.parts()
            listed = {p.part_number for p in catalogue}
            drawn = [self.desk.stock.part(n) for n in dict.fromkeys(m.part_number for m in money.parts)
                     if n not in listed]
        except RepairDeskError as exc:
            self.show_message(exc.message, error=True)
            return
        self.query_one("#parts-ticket", Static).update(ticket_parts_text(money))
        note = "" if fitting else _("tui.parts_all") if catalogue else _("tui.parts_none")
        self.query_one("#parts-note", Static).update(Text(note, style="dim"))
        options = self.query_one("#parts-list", OptionList)
        highlighted = options.highlighted
        self.shown = [*catalogue, *drawn]
        options.set_options(Option(part_line(p), id=p.part_number) for p in self.shown)
        if self.shown:
            options.highlighted = min(highlighted or 0, len(self.shown) - 1)

    def show_message(self, message: str, *, error: bool) -> None:
        self.query_one("#parts-message", Static).update(
            Text(message, style="bold red" if error else "green"))

    # -- keys --------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#parts-list")
    def part_chosen(self) -> None:
        qty = self.query_one("#parts-qty", Input)
        qty.focus()
        qty.select_all()

    @on(Input.Submitted, "#parts-qty")
    def qty_done(self) -> None:
        self.query_one("#parts-actions", OptionList).focus()

    @on(OptionList.OptionSelected, "#parts-actions")
    def run_chosen(self, event: OptionList.OptionSelected) -> None:
        options = self.query_one("#parts-list", OptionList)
        if options.highlighted is None or not self.shown:
            self.show_message(_("tui.parts_pick_first"), error=True)
            options.focus()
            return
        part = self.shown[options.highlighted].part_number
        assert event.option.id is not None
        self.run_part_action(event.option.id, part, self.query_one("#parts-qty", Input).value)

    def run_part_action(self, action: str, part: str, qty: str) -> None:
        """Through the facade; a refusal is shown here and nothing is stored."""
        try:
            move: StockMoveView | None = None
            if action == "draw":
                move = self.desk.stock.draw_part(self.number, part, qty)
            elif action == "return":
                move = self.desk.stock.return_part(self.number, part, qty)
            elif action == "request":
                asked = self.desk.parts.request(part, qty, ticket=self.number)
            else:
                kept = self.desk.stock.keep_old_part(self.number, part, qty)
        except RepairDeskError as exc:
            message = exc.reason if isinstance(exc, InputError) else exc.message
            self.show_message(message, error=True)
            self.notify(message, title=_("tui.not_saved"), severity="error")
            self.part_chosen()  # on to the quantity, to put it right
            return
        self.changed = True
        if move is not None:
            done = _(f"tui.parts_done_{action}", part=part, qty=move.qty, on_hand=move.on_hand)
        elif action == "request":
            done = _("tui.parts_done_request", part=part, qty=asked.qty, id=asked.id,
                     charge=_("parts.request_free") if asked.free else _(
                         "parts.request_charged"))
        else:
            done = _("tui.parts_done_keep_old", part=part, qty=kept.qty)
        self.show_message(done, error=False)
        self.notify(done)
        self.refresh_parts()
        self.query_one("#parts-list", OptionList).focus()  # the next part

    def action_close(self) -> None:
        self.dismiss(self.changed)


def part_line(part: PartView) -> Text:
    """One part of the catalogue: number, name, price and stock (low stock stands out)."""
    text = Text(part.part_number, style="bold")
    text.append(f"  {part.name}  ¥{part.price:.2f}  ")
    style = "bold red" if part.on_hand == 0 else "yellow" if part.low else ""
    text.append(_("tui.parts_on_hand", qty=part.on_hand), style=style)
    return text


def drawn_now(moves: list[StockMoveView]) -> dict[tuple[str, str], int]:
    """(part, basis) -> parts drawn for the ticket and not returned."""
    net: dict[tuple[str, str], int] = defaultdict(int)
    for move in moves:
        sign = {"drawn": 1, "returned": -1}.get(move.kind, 0)
        net[(move.part_number, move.basis or "paid")] += sign * move.qty
    return {key: qty for key, qty in net.items() if qty > 0}


def old_state(old: OldPartView) -> str:
    return "sent" if old.sent_at else "waiting"


def ticket_parts_text(money: TicketMoneyView) -> Text:
    """The ticket's basis, the parts drawn for it and the faulty parts kept from it."""
    text = Text(basis_text(money), style="bold")
    drawn = drawn_now(money.parts)
    text.append("\n" + _("tui.parts_drawn", parts=joined(
        _("tui.parts_item", part=part, qty=qty, note=_(f"tui.basis_{basis}"))
        for (part, basis), qty in sorted(drawn.items())) or "-"))
    kept = joined(_("tui.parts_item", part=o.part_number, qty=o.qty,
                    note=_(f"tui.parts_old_{old_state(o)}")) for o in money.old_parts)
    text.append("\n" + _("tui.parts_old", parts=kept or "-"))
    return text
