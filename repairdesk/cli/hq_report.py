"""``repairdesk hq report``: the month of the network as text (80 columns), JSON, a workbook
or a printable PDF.

No ``from __future__ import annotations`` here: typer reads the option types at run time.
"""

from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from repairdesk.cli.hq_common import HqDbOpt, NetworkOpt, hq_opened
from repairdesk.cli.output import console, emit_json, say
from repairdesk.i18n import _

#: Rows of a long list the text shows (--json, the workbook and the PDF hold them all).
TEXT_ROWS = 20
COMPARE = ("tickets_in", "tickets_out", "turnaround_median", "within_3_working_days_share",
           "repair_rate", "repeat_rate_any", "overdue_now")


def _number(value: Any) -> str:
    return "-" if value is None else str(value)


def _table(columns: list[str], rows: list[list[Any]], *, right_from: int = 1) -> Table:
    table = Table(box=None, pad_edge=False)
    for i, column in enumerate(columns):
        table.add_column(column, justify="right" if i >= right_from else "left",
                         overflow="fold")
    for row in rows:
        table.add_row(*(_number(v) for v in row))
    return table


def _compare(title: str, rows: list[dict[str, Any]], label: Any) -> None:
    say("")
    say(title)
    console.print(_table([_("hqreport.col_name")] + [_(f"hqreport.short_{c}") for c in COMPARE],
                         [[label(r)] + [r[c] for c in COMPARE] for r in rows[:TEXT_ROWS]]))
    if len(rows) > TEXT_ROWS:
        say(_("hqreport.more", count=len(rows) - TEXT_ROWS))


def print_report(report: Any) -> None:
    from repairdesk.hq.report_text import (
        SUMMARY,
        counter_label,
        due_line,
        group_label,
        scope_line,
    )

    say(_("hqreport.title", month=report.month, first=report.first, last=report.last))
    say(scope_line(report))
    say(due_line(report))
    total = report.total
    say("")
    say(_("hqreport.section_summary"))
    console.print(_table([_("hqreport.col_figure"), _("hqreport.col_value")], [
        [_(f"hqreport.fig_{key}"), total[key]] for key in SUMMARY]))
    _compare(_("hqreport.section_counters"), report.counters, counter_label)
    _compare(_("hqreport.section_levels"), report.levels, group_label)
    _compare(_("hqreport.section_provinces"), report.provinces, group_label)
    say("")
    say(_("hqreport.section_faults", count=len(report.faults)))
    console.print(_table([_("hqreport.col_brand"), _("hqreport.col_model"),
                          _("hqreport.col_fault"), _("hqreport.col_tickets")],
                         [[f["brand"], f["model"], _(f"fault.{f['fault']}"), f["tickets"]]
                          for f in report.faults[:TEXT_ROWS]], right_from=3))
    say("")
    say(_("hqreport.section_parts", count=len(report.parts)))
    console.print(_table([_("hqreport.col_part"), _("hqreport.col_basis"),
                          _("hqreport.col_used"), _("hqreport.col_amount")],
                         [[f"{p['part_number']} {p['name']}", _(f"hqreport.basis_{p['basis']}"),
                           p["used"], p["value"]] for p in report.parts[:TEXT_ROWS]],
                         right_from=2))
    say(_("hqreport.warranty_line", repairs=total["free_repair"],
          amount=report.parts_value["warranty"]))
    say("")
    say(_("hqreport.section_takings"))
    console.print(_table([_("hqreport.col_method"), _("hqreport.col_deposits"),
                          _("hqreport.col_payments"), _("hqreport.col_refunds"),
                          _("hqreport.col_net")],
                         [[_(f"hqreport.method_{t['method']}"), t["deposits"], t["payments"],
                           t["refunds"], t["net"]] for t in report.takings]
                         + [[_("hqreport.total"), *(report.takings_total[k] for k in (
                             "deposits", "payments", "refunds", "net"))]]))
    say("")
    say(_("hqreport.section_trends"))
    console.print(_table([_("hqreport.col_month")] + [_(f"hqreport.short_{c}") for c in (
        "tickets_in", "tickets_out", "turnaround_median", "repair_rate", "repeat_rate")],
        [[t["month"], t["tickets_in"], t["tickets_out"], t["turnaround_median"],
          t["repair_rate"], t["repeat_rate"]] for t in report.trends]))


def register(hq_app: typer.Typer, json_opt: Any) -> None:

    @hq_app.command("report", help=_("hqreport.help"))
    def hq_report(
        hq_db: HqDbOpt,
        month: Annotated[Optional[str], typer.Option("--month", metavar="YYYY-MM",
                                                     help=_("hqreport.help_month"))] = None,
        counter: Annotated[Optional[str], typer.Option("--counter", metavar="CODE",
                                                       help=_("hqreport.help_counter"))]
        = None,
        level: Annotated[Optional[str], typer.Option("--level", metavar="LEVEL",
                                                     help=_("hqreport.help_level"))] = None,
        region: Annotated[Optional[str], typer.Option("--region", metavar="CODE",
                                                      help=_("hqreport.help_region"))] = None,
        xlsx: Annotated[Optional[Path], typer.Option("--xlsx", metavar="FILE",
                                                     help=_("hqreport.help_xlsx"))] = None,
        pdf: Annotated[Optional[Path], typer.Option("--pdf", metavar="FILE",
                                                    help=_("hqreport.help_pdf"))] = None,
        network_policy: NetworkOpt = None,
        as_json: json_opt = False,
    ) -> None:
        with hq_opened(hq_db, network_policy=network_policy) as hq:
            report = hq.report(month=month, counter=counter, level=level, region=region)
        written = []
        if xlsx is not None:
            from repairdesk.hq.report_xlsx import write_xlsx

            written.append(str(write_xlsx(report, xlsx)))
        if pdf is not None:
            from repairdesk.hq.report_pdf import write_pdf

            written.append(str(write_pdf(report, pdf)))
        if as_json:
            emit_json(report.to_dict())
            return
        print_report(report)
        for path in written:
            say(_("hqreport.written", path=path))
