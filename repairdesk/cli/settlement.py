"""``repairdesk settlement``: HQ's claim lines of this counter's tickets and its statements
(as the newest pack brought them), disputes, and what a repair will earn.

No ``from __future__ import annotations`` here: typer reads the option types of the
commands at run time.
"""

from typing import Annotated, Any, Optional

import typer

from repairdesk.cli.output import console, emit, emit_json, local_time, plain_table, say
from repairdesk.i18n import _
from repairdesk.ratecard import grade_label
from repairdesk.settle_words import line_text, line_why, statement_text, status_word


def _lines_table(lines: list[Any]) -> None:
    if not lines:
        say(_("settlement.no_lines"))
        return
    table = plain_table(_("settlement.col_line"), _("settlement.col_ticket"),
                        _("settlement.col_month"), _("settlement.col_status"),
                        _("settlement.col_amount"), _("settlement.col_why"))
    for v in lines:
        table.add_row(str(v.id), v.ticket, v.month, status_word(v.status), f"¥{v.amount}",
                      line_why(v))
    console.print(table)


def _print_line(v: Any) -> None:
    for row in line_text(v, local_time):
        say(row)


def _print_statements(statements: list[Any]) -> None:
    if not statements:
        say(_("settlement.no_statements"))
        return
    for st in statements:
        for row in statement_text(st):
            say(row)
        _lines_table(st.lines)


def _print_earning(e: Any) -> None:
    if e.missing:
        say(_(f"settlement.earn_{e.missing}", ticket=e.ticket))
        return
    say(_("settlement.earn_head", ticket=e.ticket, total=e.total, grade=grade_label(e.grade),
          version=e.card_version))
    say(f"  {_('settlement.labour')}: ¥{e.labour} · {_('settlement.parts')}: ¥{e.parts_amount}")
    if e.capped:
        say(f"  {_('settlement.capped')}")


def register(app: typer.Typer, opened: Any, json_opt: Any) -> None:
    group = typer.Typer(help=_("settlement.help"), no_args_is_help=True)
    app.add_typer(group, name="settlement")
    MonthArg = Annotated[Optional[str], typer.Argument(metavar="[YYYY-MM]")]

    @group.command("list", help=_("settlement.help_list"))
    def list_lines(month: MonthArg = None,
                   status: Annotated[Optional[str], typer.Option(
                       "--status", help=_("settlement.help_status"))] = None,
                   as_json: json_opt = False) -> None:
        with opened() as desk:
            views = desk.settlement.lines(month, status)
        if as_json:
            emit_json([v.to_dict() for v in views])
        else:
            _lines_table(views)

    @group.command("show", help=_("settlement.help_show"))
    def show(line: int, as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.settlement.line(line)
        emit(view, as_json, _print_line)

    @group.command("statements", help=_("settlement.help_statements"))
    def statements(month: MonthArg = None, as_json: json_opt = False) -> None:
        with opened() as desk:
            views = desk.settlement.statements(month)
        if as_json:
            emit_json([v.to_dict() for v in views])
        else:
            _print_statements(views)

    @group.command("dispute", help=_("settlement.help_dispute"))
    def dispute(line: int,
                reason: Annotated[str, typer.Option("--reason",
                                                    help=_("settlement.help_reason"))],
                as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.settlement.dispute(line, reason)
        emit(view, as_json, lambda d: say(_("settlement.disputed", line=d.line,
                                            dispute=d.id)))

    @group.command("earn", help=_("settlement.help_earn"))
    def earn(ticket: str, as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.settlement.earning(ticket)
        emit(view, as_json, _print_earning)
