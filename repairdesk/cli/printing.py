"""``repairdesk print NUMBER --slip ...`` and ``repairdesk printed NUMBER``.

No ``from __future__ import annotations`` here: typer reads the option types of the
commands at run time, and they are closures over the options `register` is given.
"""

import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from repairdesk.cli.output import console, emit_json, say, visible
from repairdesk.i18n import _
from repairdesk.printing.views import PrintResult


def _show(result: PrintResult, as_json: bool) -> None:
    if as_json:
        data = result.to_dict()
        if isinstance(result.data, str):
            data["text"] = result.data
        emit_json(data)
        return
    if result.data is not None:  # nothing printed it: the slip itself is the output
        if isinstance(result.data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(result.data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(visible(result.data))
            sys.stdout.flush()
        return
    message = _("print.printed", slip=_(f"print.slip.{result.slip}"), ticket=result.ticket,
                printer=result.printer)
    say(f"{message} {result.detail}".strip())  # detail: the print queue's job id, if any


def register(app: typer.Typer, opened: Any, read_document: Any, db_opt: Any, lang_opt: Any,
             json_opt: Any) -> None:
    @app.command("print", help=_("print.help_print"))
    def print_slip(
        number: str,
        slip: Annotated[str, typer.Option("--slip", help=_("print.help_slip"))],
        fmt: Annotated[Optional[str], typer.Option("--format", help=_("print.help_format"))] = None,
        width: Annotated[Optional[int], typer.Option("--width", help=_("print.help_width"))] = None,
        out: Annotated[Optional[Path], typer.Option("--out", help=_("print.help_out"))] = None,
        printer: Annotated[Optional[str], typer.Option("--printer",
                                                       help=_("print.help_printer"))] = None,
        as_json: json_opt = False,
    ) -> None:
        with opened() as desk:
            result = desk.printing.print_slip(number, slip, fmt=fmt, width=width, printer=printer, out=out)
        if out is not None and not as_json:
            say(_("print.written", slip=_(f"print.slip.{result.slip}"), ticket=result.ticket,
                  path=str(out)))
            return
        _show(result, as_json)

    @app.command("printed", help=_("print.help_printed"))
    def printed(
        number: str,
        as_json: json_opt = False,
    ) -> None:
        with opened() as desk:
            ticket = desk.tickets.ticket(number).ticket
            rows = desk.printing.printed_slips(number)
            tz = desk.clock().tzinfo
        if as_json:
            emit_json([row.to_dict() for row in rows])
            return
        if not rows:
            say(_("print.log_empty", ticket=ticket))
            return
        table = Table(box=None, pad_edge=False)
        for key in ("when", "slip", "format", "printer", "result"):
            table.add_column(_(f"print.col_{key}"), no_wrap=True)
        for row in rows:
            table.add_row(
                row.at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                _(f"print.slip.{row.slip}"),
                row.fmt,
                row.printer,
                _("print.log_ok") if row.ok else _("print.log_failed"),
            )
        console.print(table)
        for row in rows:  # the reasons below the table, where a long message can wrap
            if not row.ok:
                say(f"{row.at.astimezone(tz).strftime('%Y-%m-%d %H:%M')} {row.error}")
