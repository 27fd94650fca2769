"""Human output of one ticket."""

from __future__ import annotations

from rich.table import Table

from repairdesk.cli.output import console
from repairdesk.i18n import _
from repairdesk.phones import mask
from repairdesk.tickets.views import TicketView


def print_ticket(view: TicketView) -> None:
    device = view.device
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    rows = [
        (_("cli.col_ticket"), view.ticket),
        (_("cli.col_status"), _(f"status.{view.status}")),
        (_("cli.col_created"), view.created.astimezone().strftime("%Y-%m-%d %H:%M")),
        (_("cli.col_customer"), f"{view.customer['name']} {mask(view.customer['phone'])}"),
        (_("cli.col_device"), " ".join(filter(None, (device["brand"], device["model"],
                                                       device["colour"])))),
        ("IMEI", device["imei"] + (f" / {device['imei2']}" if device["imei2"] else "")),
        (_("cli.col_faults"), ", ".join(_(f"fault.{f}") for f in view.faults)),
        (_("cli.col_description"), view.description),
        (_("cli.col_accessories"), ", ".join(_(f"accessory.{a}") for a in view.accessories)),
        (_("cli.col_allowed"), ", ".join(view.allowed_moves) or "-"),
    ]
    for label, value in rows:
        grid.add_row(label, value or "-")
    console.print(grid)
    moves = Table(box=None, title=_("cli.col_moves"), title_justify="left")
    for key in ("at", "from", "to", "user", "note"):
        moves.add_column(_(f"cli.col_move_{key}"))
    for move in view.moves:
        moves.add_row(
            move.at.astimezone().strftime("%Y-%m-%d %H:%M"),
            _(f"status.{move.from_status}") if move.from_status else "",
            _(f"status.{move.to_status}"),
            move.user,
            move.note,
        )
    console.print(moves)
