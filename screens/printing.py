"""The one place the counter app prints a slip.

Printing belongs to the printing area of the facade (``Desk.print_slip(number, slip)``, slip
one of intake | label | pickup | record), which raises RepairDeskError with a clear message
when the printer fails. Until that method exists, the app says printing is not available.
A printer can be slow or hang: the call runs in a thread, never on the keyboard's thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from repairdesk.errors import RepairDeskError
from repairdesk.i18n import _

if TYPE_CHECKING:
    from screens.app import RepairDeskApp

SLIPS = ("intake", "label", "pickup", "record")


def print_slip(app: RepairDeskApp, number: str, slip: str) -> None:
    desk = app.desk
    if not hasattr(desk, "print_slip"):
        app.notify(_("tui.print_unavailable"), severity="warning")
        return
    slip_name = _(f"tui.slip.{slip}")

    def run() -> None:
        try:
            desk.print_slip(number, slip)
        except RepairDeskError as exc:
            app.call_from_thread(app.notify, exc.message, title=_("tui.print_failed"),
                                 severity="error")
        else:
            app.call_from_thread(app.notify, _("tui.printed", slip=slip_name, ticket=number))

    app.run_worker(run, thread=True, group="print", name=f"print {slip} {number}")
