"""Printing results: JSON for scripts, rich tables for people."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table

from repairdesk.i18n import _
from repairdesk.inert import inert as visible
from repairdesk.inert import json_inert
from repairdesk.tickets.views import TicketSummary


class _Console(Console):
    """A console that never lets a control character of the data reach the terminal
    (its own styling, on a terminal, is added after this)."""

    def render_str(self, text: str, **options: Any) -> Any:
        return super().render_str(visible(text), **options)


console = _Console(highlight=False)


def json_text(data: Any, indent: int | None = None) -> str:
    return json_inert(json.dumps(data, ensure_ascii=False, indent=indent))


def emit_json(data: Any) -> None:
    # Written straight to stdout: rich would wrap long lines and break the JSON.
    print(json_text(data, indent=2))


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


def emit(data: Any, as_json: bool, human: Callable[[Any], None]) -> None:
    """``data`` as JSON (its ``to_dict()`` when it has one) with ``--json``, else ``human(data)``."""
    if as_json:
        emit_json(data.to_dict() if hasattr(data, "to_dict") else data)
    else:
        human(data)


def plain_table(*columns: str) -> Table:
    """A borderless table with these column headings."""
    table = Table(box=None, pad_edge=False)
    for column in columns:
        table.add_column(column)
    return table


def yuan(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


def local_time(moment: Any) -> str:
    """``moment`` in local time to the minute, or ``-`` when there is none."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "-"
