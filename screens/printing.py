"""The one place the counter app prints a slip.

Printing belongs to the printing area of the facade (``Desk.print_slip(number, slip)``, slip
one of intake | label | pickup | record), which logs every attempt and raises
RepairDeskError with a clear message when the printer fails; the ticket is saved already, so
the app offers to try again. A printer can be slow or hang: the call runs in a thread, never
on the keyboard's thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from repairdesk.errors import RepairDeskError
from repairdesk.i18n import _

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

    def run() -> None:
        try:
            result = desk.print_slip(number, slip)
        except RepairDeskError as exc:
            app.call_from_thread(failed, exc.message)
        else:
            # With no printer configured the slip comes back as text: say so, not "sent".
            key = "tui.print_no_printer" if result.printer == "stdout" else "tui.printed"
            app.call_from_thread(app.notify, _(key, slip=slip_name, ticket=number))
        if done is not None:
            app.call_from_thread(done)

    app.run_worker(run, thread=True, group="print", name=f"print {slip} {number}")
