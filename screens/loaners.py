"""The loaner of one ticket (Ctrl+L on the ticket): lend a phone of the pool, or take it back.

第十五条: a covered 三包 handset still in repair on day 8 is owed a loaner (备用机). The dialog
shows the loaner the ticket holds, if any, and the free phones of the pool; a pick (or a scan
of the loaner's IMEI) and the condition at hand-over lend it, the condition at return takes it
back. The facade refuses a loaner already out, an unknown IMEI or a closed ticket; the refusal
is shown here and nothing is stored.
"""

from __future__ import annotations

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
from repairdesk.money.views import LoanerView
from screens.base import DeskModal
from screens.commands import bindings
from screens.dialogs import CLOSE


class LoanerDialog(DeskModal[bool]):
    """Dismisses with True when a loaner was lent or taken back (the ticket then shows it)."""

    CSS_PATH = "loaners.tcss"
    KEYS = CLOSE
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.held: LoanerView | None = None
        self.free: list[LoanerView] = []
        self.changed = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="loaner-box"):
            yield Static(_("tui.loaner_title", ticket=self.number), id="loaner-title")
            yield Static("", id="loaner-held")
            yield Label(_("tui.loaner_pool"))
            yield OptionList(id="loaner-pool")
            yield Label(_("tui.loaner_field_imei"))
            yield Input(id="loaner-imei", compact=True)
            yield Label(_("tui.loaner_field_condition"))
            yield Input(id="loaner-condition", compact=True)
            yield Label(_("ticketui.loaner_field_model"))
            yield Input(id="loaner-model", compact=True)
            yield OptionList(id="loaner-actions")
            yield Static("", id="loaner-message")

    def on_mount(self) -> None:
        self.refresh_pool()
        self.first_field().focus()

    def first_field(self) -> Input | OptionList:
        if self.held is not None:
            return self.query_one("#loaner-condition", Input)  # the condition it comes back in
        if self.free:
            return self.query_one("#loaner-pool", OptionList)
        return self.query_one("#loaner-imei", Input)

    # -- what is shown -----------------------------------------------------------------

    def refresh_pool(self) -> None:
        try:
            pool = self.desk.stock.loaners()
        except RepairDeskError as exc:
            self.show_message(exc.message, error=True)
            return
        self.held = next((v for v in pool if v.ticket == self.number), None)
        self.free = [v for v in pool if v.ticket is None and v.active]
        self.query_one("#loaner-held", Static).update(self.held_text())
        options = self.query_one("#loaner-pool", OptionList)
        options.set_options(Option(loaner_line(v), id=v.imei) for v in self.free)
        if not self.free:
            options.set_options([Option(Text(_("tui.loaner_pool_empty"), style="dim"),
                                        disabled=True)])
        # Only what can be done now: a ticket holds one loaner at most.
        # A phone scanned that is not in the pool yet is added here, not at a command line.
        actions = ["return"] if self.held is not None else ["issue", "add"]
        self.query_one("#loaner-actions", OptionList).set_options(
            [Option(_(f"tui.loaner_action_{a}") if a != "add"
                    else _("ticketui.loaner_action_add"), id=a) for a in actions])
        self.query_one("#loaner-imei", Input).disabled = self.held is not None
        self.query_one("#loaner-model", Input).disabled = self.held is not None

    def held_text(self) -> Text:
        if self.held is None:
            return Text(_("tui.loaner_none_held"), style="dim")
        at = self.local_time(self.held.issued_at) if self.held.issued_at else None
        return Text(_("tui.loaner_held", imei=self.held.imei, model=self.held.model,
                      at=at.strftime("%Y-%m-%d %H:%M") if at else "-",
                      by=self.held.issued_by or "-"), style="bold")

    def show_message(self, message: str, *, error: bool) -> None:
        self.query_one("#loaner-message", Static).update(
            Text(message, style="bold red" if error else "green"))

    # -- keys --------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#loaner-pool")
    def loaner_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        self.query_one("#loaner-imei", Input).value = event.option.id
        self.query_one("#loaner-condition", Input).focus()

    @on(Input.Submitted, "#loaner-imei")
    def imei_done(self) -> None:
        self.query_one("#loaner-condition", Input).focus()

    @on(Input.Submitted, "#loaner-condition")
    def condition_done(self) -> None:
        actions = self.query_one("#loaner-actions", OptionList)
        actions.highlighted = 0
        actions.focus()

    @on(OptionList.OptionSelected, "#loaner-actions")
    def run_chosen(self, event: OptionList.OptionSelected) -> None:
        condition = self.query_one("#loaner-condition", Input).value
        if event.option.id == "return" and self.held is not None:
            self.lend_or_take_back("return", self.held.imei, condition)
            return
        imei = self.query_one("#loaner-imei", Input).value.strip()
        if not imei:
            self.show_message(_("tui.loaner_pick_first"), error=True)
            self.first_field().focus()
            return
        if event.option.id == "add":
            self.add_to_pool()
            return
        self.lend_or_take_back("issue", imei, condition)

    @on(Input.Submitted, "#loaner-model")
    def add_to_pool(self) -> None:
        imei = self.query_one("#loaner-imei", Input).value.strip()
        model = self.query_one("#loaner-model", Input)
        if not imei:
            self.show_message(_("tui.loaner_pick_first"), error=True)
            self.query_one("#loaner-imei", Input).focus()
            return
        if not model.value.strip():
            self.show_message(_("ticketui.loaner_model_first"), error=False)
            model.focus()
            return
        condition = self.query_one("#loaner-condition", Input).value.strip()
        try:
            view = self.desk.stock.add_loaner(imei, model.value.strip(), condition)
        except RepairDeskError as exc:
            message = exc.reason if isinstance(exc, InputError) else exc.message
            self.show_message(message, error=True)
            self.notify(message, title=_("tui.not_saved"), severity="error")
            return
        done = _("ticketui.loaner_done_add", imei=view.imei, model=view.model)
        self.show_message(done, error=False)
        self.notify(done)
        for field_id in ("imei", "condition", "model"):
            self.query_one(f"#loaner-{field_id}", Input).value = ""
        self.refresh_pool()
        self.first_field().focus()

    def lend_or_take_back(self, action: str, imei: str, condition: str) -> None:
        """Through the facade; a refusal is shown here and nothing is stored."""
        try:
            if action == "issue":
                view = self.desk.stock.issue_loaner(self.number, imei, condition)
            else:
                view = self.desk.stock.return_loaner(imei, condition)
        except RepairDeskError as exc:
            message = exc.reason if isinstance(exc, InputError) else exc.message
            self.show_message(message, error=True)
            self.notify(message, title=_("tui.not_saved"), severity="error")
            self.refresh_pool()  # another terminal may have lent it meanwhile
            field = self.query_one("#loaner-imei", Input)
            if not field.disabled:  # on to the IMEI, so that a new scan replaces it
                field.focus()
                field.select_all()
            return
        self.changed = True
        done = _(f"tui.loaner_done_{action}", imei=view.imei, model=view.model,
                 ticket=self.number)
        self.show_message(done, error=False)
        self.notify(done)
        self.query_one("#loaner-imei", Input).value = ""
        self.query_one("#loaner-condition", Input).value = ""
        self.refresh_pool()
        self.first_field().focus()

    def action_close(self) -> None:
        self.dismiss(self.changed)


def loaner_line(loaner: LoanerView) -> Text:
    """A free loaner of the pool: IMEI, model and the condition it is in."""
    text = Text(loaner.imei, style="bold")
    text.append(f"  {loaner.model}")
    if loaner.condition:
        text.append(f"  {loaner.condition}", style="dim")
    return text
