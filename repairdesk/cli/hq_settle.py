"""``repairdesk hq settle card load|list``, ``lines``, ``line``, ``approve``, ``reject``,
``adjust``, ``check``: the rate card and the review of claim lines
(repairdesk/hq/settle_cases.py).

No ``from __future__ import annotations`` here: typer reads the option types at run time.
"""

from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from repairdesk.cli.hq_common import HqDbOpt, hq_opened
from repairdesk.cli.output import console, emit_json, say
from repairdesk.i18n import _

CounterOpt = Annotated[Optional[str], typer.Option("--counter", metavar="CODE",
                                                   help=_("hqsettle.help_counter"))]
MonthOpt = Annotated[Optional[str], typer.Option("--month", metavar="YYYY-MM",
                                                 help=_("hqsettle.help_month"))]
ReasonOpt = Annotated[str, typer.Option("--reason", help=_("hqsettle.help_reason"))]
IdsArg = Annotated[Optional[list[int]], typer.Argument(metavar="LINE...")]


def lines_table(views: list[Any]) -> Table:
    table = Table(box=None, pad_edge=False)
    for key in ("id", "counter", "ticket", "remedy", "grade", "back", "amount", "approved",
                "status", "month", "checks"):
        table.add_column(_(f"hqsettle.col_{key}"), overflow="fold")
    for v in views:
        table.add_row(str(v.id), v.counter, v.ticket, v.remedy, v.grade or "-",
                      str(v.handed_back or "-"), v.amount, v.approved or "-",
                      _(f"hqsettle.status_{v.status}"), v.month,
                      "; ".join(f"{c.code}: {c.reason}" for c in v.checks))
    return table


def _selected(hq: Any, ids: Optional[list[int]], counter: Optional[str],
              month: Optional[str]) -> list[int]:
    """The lines named, or every pending line of ``counter`` in ``month``."""
    if ids:
        return list(ids)
    if counter and month:
        return [v.id for v in hq.claim_lines(counter=counter, month=month, status="pending")]
    return []


def _reviewed(views: list[Any], action: str, as_json: bool) -> None:
    if as_json:
        emit_json([v.to_dict() for v in views])
        return
    say(_("hqsettle.reviewed", count=len(views), action=_(f"hqsettle.action_{action}")))
    console.print(lines_table(views))


def register(settle_app: typer.Typer, json_opt: Any) -> None:
    """Add the rate card's and the review's commands to ``hq settle``."""
    card_app = typer.Typer(help=_("hqsettle.help_card"), no_args_is_help=True)
    settle_app.add_typer(card_app, name="card")

    @card_app.command("load", help=_("hqsettle.help_card_load"))
    def card_load(path: Annotated[Path, typer.Argument(metavar="TOML")], hq_db: HqDbOpt,
                  as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            view = hq.load_card(path)
        if as_json:
            emit_json(view.to_dict())
        else:
            say(_("hqsettle.card_loaded", version=view.version, name=view.name,
                  effective=view.effective))

    @card_app.command("list", help=_("hqsettle.help_card_list"))
    def card_list(hq_db: HqDbOpt, as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            views = hq.rate_cards()
        if as_json:
            emit_json([v.to_dict() for v in views])
            return
        if not views:
            say(_("hqsettle.no_cards"))
            return
        table = Table(box=None, pad_edge=False)
        for key in ("version", "effective", "name", "loaded"):
            table.add_column(_(f"hqsettle.col_{key}"), overflow="fold")
        for v in views:
            table.add_row(str(v.version), str(v.effective), v.name,
                          f"{v.loaded_at:%Y-%m-%d %H:%M} {v.loaded_by or ''}")
        console.print(table)

    @settle_app.command("lines", help=_("hqsettle.help_lines"))
    def lines(hq_db: HqDbOpt, counter: CounterOpt = None, month: MonthOpt = None,
              status: Annotated[Optional[str], typer.Option(
                  "--status", help=_("hqsettle.help_status"))] = None,
              check: Annotated[Optional[str], typer.Option(
                  "--check", metavar="CODE", help=_("hqsettle.help_check_code"))] = None,
              as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            views = hq.claim_lines(counter=counter, month=month, status=status, check=check)
        if as_json:
            emit_json([v.to_dict() for v in views])
        elif not views:
            say(_("hqsettle.no_lines"))
        else:
            console.print(lines_table(views))

    @settle_app.command("line", help=_("hqsettle.help_line"))
    def line(line_id: Annotated[int, typer.Argument(metavar="LINE")], hq_db: HqDbOpt,
             as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            detail = hq.claim_line(line_id)
        if as_json:
            emit_json(detail.to_dict())
            return
        console.print(lines_table([detail.line]))
        for part in detail.line.parts:
            say(f"  {part.part_number} {part.name} ×{part.qty} ¥{part.claimed}"
                f"{'' if part.cost is None else ' → ¥' + part.cost} ({part.old_part})")
        say(_("hqsettle.audit"))
        for event in detail.audit:
            say(f"  {event['at']} {event['user'] or '-'} {event['entity']} "
                f"{event['entity_id']} {event['action']}")
        say(_("hqsettle.history"))
        for event in detail.history:
            say(f"  {event['at']} {event['user'] or '-'} {event['action']}")

    @settle_app.command("approve", help=_("hqsettle.help_approve"))
    def approve(hq_db: HqDbOpt, ids: IdsArg = None, counter: CounterOpt = None,
                month: MonthOpt = None, as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            views = hq.approve_lines(_selected(hq, ids, counter, month))
        _reviewed(views, "approved", as_json)

    @settle_app.command("reject", help=_("hqsettle.help_reject"))
    def reject(hq_db: HqDbOpt, reason: ReasonOpt, ids: IdsArg = None,
               as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            views = hq.reject_lines(list(ids or []), reason)
        _reviewed(views, "rejected", as_json)

    @settle_app.command("adjust", help=_("hqsettle.help_adjust"))
    def adjust(line_id: Annotated[int, typer.Argument(metavar="LINE")], hq_db: HqDbOpt,
               amount: Annotated[str, typer.Option("--amount", metavar="YUAN",
                                                   help=_("hqsettle.help_amount"))],
               reason: ReasonOpt, as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            view = hq.adjust_line(line_id, amount, reason)
        _reviewed([view], "adjusted", as_json)

    @settle_app.command("check", help=_("hqsettle.help_check"))
    def check(hq_db: HqDbOpt, counter: CounterOpt = None, as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            changed = hq.refresh_lines(counter)
        if as_json:
            emit_json({"changed": changed})
        else:
            say(_("hqsettle.checked", count=changed))
