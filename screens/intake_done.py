"""After an intake: the ticket number, the 三包 decision at intake, and the slips.

The counter's next move is nearly always to print the intake slip, so that is the answer
Enter gives. The next customer's phone may be scanned while the dialog is still up: the
scan (digits, then the scanner's Enter) is taken as the next intake's IMEI, and its Enter
never presses a button.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from repairdesk.i18n import _
from repairdesk.tickets.views import DecisionView, IntakeResult
from screens.base import DeskModal
from screens.commands import bindings
from screens.dialogs import CLOSE
from screens.printing import print_slip
from screens.widgets.render import decision_text

#: What the dialog answers: "new", "open", or the IMEI scanned while it was up.
Answer = str


class IntakeDoneDialog(DeskModal[Answer | None]):
    CSS_PATH = "intake_done.tcss"
    KEYS = CLOSE
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    def __init__(self, result: IntakeResult, decision: DecisionView) -> None:
        super().__init__()
        self.result = result
        self.decision = decision
        self.scanned = ""  # digits of a scan under way

    def compose(self) -> ComposeResult:
        device = " ".join(filter(None, (self.result.brand, self.result.model))) \
            or _("cli.unknown_model")
        with Vertical(id="done-box"):
            yield Label(_("tui.intake_saved"), id="done-title")
            yield Static(Text(self.result.ticket, style="bold reverse"), id="done-ticket")
            yield Static(_("tui.intake_saved_detail", device=device, imei=self.result.imei,
                           customer=self.result.customer), id="done-detail")
            # Only the decision's reasons scroll: the number and the buttons stay in view.
            with VerticalScroll(id="done-decision-box", can_focus=False):
                yield Static(decision_text(self.decision), id="done-decision")
            with Horizontal(id="done-actions"):
                yield Button(_("tui.print_intake"), id="done-print-intake", variant="primary",
                             compact=True)
                yield Button(_("tui.answer_new_intake"), id="done-new", compact=True)
                yield Button(_("tui.print_label"), id="done-print-label", compact=True)
                yield Button(_("tui.answer_open_ticket"), id="done-open", compact=True)

    def on_mount(self) -> None:
        self.query_one("#done-print-intake", Button).focus()

    def on_key(self, event: events.Key) -> None:
        """Digits are a scan (nothing here takes digits); the Enter that ends one is the
        scan's, not the focused button's."""
        if event.character and event.character.isdigit():
            self.scanned += event.character
        elif event.key == "enter" and self.scanned:
            self.dismiss(self.scanned)
        else:
            self.scanned = ""
            return
        event.stop()
        event.prevent_default()

    @on(Button.Pressed, "#done-new")
    def new_intake(self) -> None:
        self.dismiss("new")

    @on(Button.Pressed, "#done-open")
    def open_ticket(self) -> None:
        self.dismiss("open")

    @on(Button.Pressed, "#done-print-intake")
    def print_intake(self) -> None:
        print_slip(self.desk_app, self.result.ticket, "intake")
        # Printed: a second Enter starts the next intake rather than a second slip.
        self.query_one("#done-new", Button).focus()

    @on(Button.Pressed, "#done-print-label")
    def print_label(self) -> None:
        print_slip(self.desk_app, self.result.ticket, "label")

    def action_close(self) -> None:
        self.dismiss("new")
