"""The one place the counter app prints a slip.

Printing belongs to the printing area of the facade (``desk.printing.print_slip(number, slip)``, slip
one of intake | label | pickup | record), which logs every attempt and raises
RepairDeskError with a clear message when the printer fails; the ticket is saved already, so
the app offers to try again. A printer can be slow or hang: the call runs in a thread, never
on the keyboard's thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from repairdesk.errors import RepairDeskError
from repairdesk.i18n import _
from repairdesk.printing.facade import STDOUT
from repairdesk.printing.views import PrintResult
from repairdesk.settings import config_file
from screens.base import DeskModal
from screens.commands import Command, bindings, commands

if TYPE_CHECKING:
    from screens.app import RepairDeskApp

SLIPS = ("intake", "label", "pickup", "record")


def print_slip(app: RepairDeskApp, number: str, slip: str,
               done: Callable[[], None] | None = None) -> None:
    desk = app.desk
    slip_name = _(f"tui.slip.{slip}")

    def retry(answer: str | None) -> None:
        if answer == "retry":
            print_slip(app, number, slip, done)

    def failed(message: str) -> None:
        from screens.dialogs import ConfirmDialog

        app.notify(message, title=_("tui.print_failed"), severity="error")
        app.push_screen(ConfirmDialog(
            _("tui.print_retry", slip=slip_name, ticket=number, error=message),
            [("retry", _("tui.print_retry_yes")), ("cancel", _("tui.print_retry_no"))],
        ), retry)

    def printed(result: PrintResult) -> None:
        # With no printer set the slip comes back as text: shown, not claimed as "sent".
        if result.printer == STDOUT:
            app.push_screen(SlipPreview(number, slip, str(result.data or "")))
            return
        path = Path(result.printer.removeprefix("file:"))
        if result.printer.startswith("file:") and path.is_file():  # not a /dev printer
            app.notify(_("ticketui.printed_file", slip=slip_name, ticket=number,
                         path=str(path)))
            return
        app.notify(_("tui.printed", slip=slip_name, ticket=number))

    def run() -> None:
        try:
            result = desk.printing.print_slip(number, slip)
        except RepairDeskError as exc:
            app.call_from_thread(failed, exc.message)
        else:
            app.call_from_thread(printed, result)
        if done is not None:
            app.call_from_thread(done)

    app.run_worker(run, thread=True, group="print", name=f"print {slip} {number}")


class SlipPreview(DeskModal[None]):
    """The slip as it would print, when no printer is set: the counter can still read it
    out or copy it; the note says that nothing was printed and no file written."""

    CSS_PATH = "printing.tcss"
    KEYS = commands(Command("close-dialog", "escape", "close", "app"))
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    def __init__(self, number: str, slip: str, text: str) -> None:
        super().__init__()
        self.number = number
        self.slip = slip
        self.text = text
        self.settings = str(config_file())

    def compose(self) -> ComposeResult:
        with Vertical(id="preview-frame"):
            with VerticalScroll(id="preview-box"):
                yield Static(_("ticketui.preview_no_printer", slip=_(f"tui.slip.{self.slip}"),
                               ticket=self.number, settings=self.settings), id="preview-note")
                yield Static(Text(self.text), id="preview-slip")
            with Horizontal(id="preview-actions"):
                yield Button(_("ticketui.preview_close"), id="preview-close",
                             variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#preview-close", Button).focus()

    @on(Button.Pressed, "#preview-close")
    def action_close(self) -> None:
        self.dismiss(None)
