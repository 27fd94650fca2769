"""Printing results: JSON for scripts, rich tables for people."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table

from repairdesk.i18n import _
from repairdesk.views import TicketSummary

console = Console(highlight=False)


def emit_json(data: Any) -> None:
    # Written straight to stdout: rich would wrap long lines and break the JSON.
    print(json.dumps(data, ensure_ascii=False, indent=2))


def tickets_table(rows: list[TicketSummary]) -> Table:
    table = Table(box=None, pad_edge=False)
    # A ticket number is never cut: it is what the customer reads out at pickup.
    table.add_column(_("cli.col_ticket"), no_wrap=True)
    table.add_column(_("cli.col_created"), no_wrap=True)
    for key in ("status", "device", "customer", "faults"):
        table.add_column(_(f"cli.col_{key}"), ratio=1 if key == "faults" else None)
    for row in rows:
        table.add_row(
            row.ticket,
            row.created.astimezone().strftime("%Y-%m-%d %H:%M"),
            _(f"status.{row.status}"),
            row.device,
            f"{row.customer} {row.phone_masked}",
            ", ".join(_(f"fault.{f}") for f in row.faults),
        )
    return table


def say(message: str) -> None:
    """One message line; never hard-wrapped, so paths and numbers stay whole."""
    console.print(message, soft_wrap=True, markup=False)
