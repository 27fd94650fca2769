"""``repairdesk hq settle close|statements|statement|verify|disputes|resolve``: the month's
end of warranty settlement (repairdesk/hq/settle_close_cases.py).

No ``from __future__ import annotations`` here: typer reads the option types at run time.
"""

from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from repairdesk.cli.hq_common import HqDbOpt, HqKeyOpt, hq_opened
from repairdesk.cli.output import console, emit_json, say
from repairdesk.errors import InputError
from repairdesk.i18n import _

MonthOpt = Annotated[str, typer.Option("--month", metavar="YYYY-MM",
                                       help=_("hqclose.help_month"))]
CounterOpt = Annotated[Optional[str], typer.Option("--counter", metavar="CODE",
                                                   help=_("hqclose.help_counter"))]


def say_statements(views: list[Any]) -> None:
    if not views:
        say(_("hqclose.no_statements"))
        return
    for v in views:
        key = "hqclose.closed" if v.new or not hasattr(v, "new") else "hqclose.closed_before"
        say(_(key, counter=v.counter, month=v.month, lines=v.lines, labour=v.labour,
              parts=v.parts, adjustments=v.adjustments, total=v.total, sha=v.sha256[:16]))


def say_document(view: Any) -> None:
    from repairdesk.hq.statement_rows import SECTIONS, rows

    say_statements([view])
    for section in SECTIONS:
        found = rows(view.document, section)
        if not found:
            continue
        table = Table(title=_(f"hqclose.section_{section}"), box=None, pad_edge=False,
                      title_justify="left")
        for key in ("line", "ticket", "model", "grade", "state", "amount", "approved",
                    "reason"):
            table.add_column(_(f"hqclose.col_{key}"), overflow="fold")
        for row in found:
            table.add_row(str(row["line"]), row["ticket"], row["model"], row["grade"],
                          row["state"], row["amount"], row["approved"], row["reason"])
        console.print(table)


def register(settle_app: typer.Typer, json_opt: Any) -> None:
    """Add the month's-end commands to ``hq settle``."""

    @settle_app.command("close", help=_("hqclose.help_close"))
    def close(hq_db: HqDbOpt, month: MonthOpt, counter: CounterOpt = None,
              hq_key: HqKeyOpt = None, as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            views = hq.close_month(month, counter, key_path=hq_key)
        if as_json:
            emit_json([{k: v for k, v in view.to_dict().items() if k != "document"}
                       for view in views])
        elif not views:
            say(_("hqclose.nothing_to_close", month=month))
        else:
            say_statements(views)

    @settle_app.command("statements", help=_("hqclose.help_statements"))
    def statements(hq_db: HqDbOpt, counter: CounterOpt = None,
                   month: Annotated[Optional[str], typer.Option(
                       "--month", metavar="YYYY-MM", help=_("hqclose.help_month"))] = None,
                   as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            views = hq.statements(counter, month)
        if as_json:
            emit_json([{k: v for k, v in view.to_dict().items() if k != "document"}
                       for view in views])
        else:
            say_statements(views)

    @settle_app.command("statement", help=_("hqclose.help_statement"))
    def statement(counter: Annotated[str, typer.Argument(metavar="COUNTER")], hq_db: HqDbOpt,
                  month: MonthOpt,
                  xlsx: Annotated[Optional[Path], typer.Option(
                      "--xlsx", metavar="FILE", help=_("hqclose.help_xlsx"))] = None,
                  pdf: Annotated[Optional[Path], typer.Option(
                      "--pdf", metavar="FILE", help=_("hqclose.help_pdf"))] = None,
                  as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            view = hq.write_statement(counter, month, xlsx=xlsx, pdf=pdf)
        if as_json:
            emit_json(view.to_dict())
            return
        for path in (xlsx, pdf):
            if path is not None:
                say(_("hqclose.written", path=str(path)))
        if xlsx is None and pdf is None:
            say_document(view)

    @settle_app.command("verify", help=_("hqclose.help_verify"))
    def verify(hq_db: HqDbOpt, month: MonthOpt, as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            views = hq.verify_month(month)
        if as_json:
            emit_json([v.to_dict() for v in views])
        else:
            for v in views:
                if v.ok:
                    say(_("hqclose.verify_ok", counter=v.counter, month=v.month))
                for d in v.differences:
                    say(_("hqclose.verify_differs", counter=v.counter, month=v.month,
                          what=d["what"], where=d["where"], frozen=d["frozen"], now=d["now"]))
            if not views:
                say(_("hqclose.no_statements"))
        if any(not v.ok for v in views):
            raise typer.Exit(1)

    @settle_app.command("disputes", help=_("hqclose.help_disputes"))
    def disputes(hq_db: HqDbOpt, counter: CounterOpt = None,
                 open_only: Annotated[bool, typer.Option(
                     "--open", help=_("hqclose.help_open"))] = False,
                 as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            views = hq.disputes(counter, open_only=open_only)
        if as_json:
            emit_json([v.to_dict() for v in views])
            return
        if not views:
            say(_("hqclose.no_disputes"))
        for v in views:
            answer = (f"{_(f'hqclose.outcome_{v.outcome}')}: {v.answer}" if v.outcome
                      else _("hqclose.dispute_open"))
            say(_("hqclose.dispute_line", counter=v.counter, dispute=v.dispute, line=v.line,
                  ticket=v.ticket, by=v.by, reason=v.reason, answer=answer))

    @settle_app.command("resolve", help=_("hqclose.help_resolve"))
    def resolve(counter: Annotated[str, typer.Argument(metavar="COUNTER")],
                dispute: Annotated[int, typer.Argument(metavar="DISPUTE")], hq_db: HqDbOpt,
                reason: Annotated[str, typer.Option("--reason", help=_("hqclose.help_reason"))],
                accept: Annotated[Optional[bool], typer.Option(
                    "--accept/--refuse", help=_("hqclose.help_accept"),
                    show_default=False)] = None,
                amount: Annotated[Optional[str], typer.Option(
                    "--amount", metavar="YUAN", help=_("hqclose.help_amount"))] = None,
                as_json: json_opt = False) -> None:
        if accept is None:
            raise InputError("accept", _("hqclose.accept_or_refuse"))
        with hq_opened(hq_db) as hq:
            view = hq.resolve_dispute(counter, dispute, accept=accept, reason=reason,
                                      amount=amount)
        if as_json:
            emit_json(view.to_dict())
        else:
            say(_("hqclose.dispute_line", counter=view.counter, dispute=view.dispute,
                  line=view.line, ticket=view.ticket, by=view.by, reason=view.reason,
                  answer=f"{_(f'hqclose.outcome_{view.outcome}')}: {view.answer}"))
