"""``hq report --xlsx FILE``: the report as a workbook in the reader's language, one sheet per
section, with native Excel charts (XlsxWriter): tickets per counter, faults by model, the
takings by method and the twelve-month trends. Numbers are stored as numbers (a rate in
percent, an amount in yuan), so the sheets can be summed and filtered."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from repairdesk.hq.report_text import (
    COMPARE,
    SUMMARY,
    TRENDS,
    counter_label,
    due_line,
    figure,
    group_label,
    scope_line,
)
from repairdesk.i18n import _
from repairdesk.whole_file import write_whole

#: Models the faults chart shows (the sheet lists every line).
CHART_MODELS = 15


def _value(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def faults_by_model(report: Any) -> list[tuple[str, int]]:
    """Tickets per brand and model, most first (the chart of the faults sheet and screen)."""
    tally: dict[str, int] = defaultdict(int)
    for f in report.faults:
        tally[f"{f['brand']} {f['model']}".strip() or "-"] += f["tickets"]
    return sorted(tally.items(), key=lambda item: (-item[1], item[0]))


def write_xlsx(report: Any, path: Path) -> Path:
    import xlsxwriter  # type: ignore[import-untyped]  # no type information shipped


    def write(part: Path) -> None:
        book = xlsxwriter.Workbook(str(part), {"strings_to_numbers": False,
                                               "default_date_format": "yyyy-mm-dd"})
        _fill(book, report)
        book.close()

    return write_whole(path, write)


def _fill(book: Any, report: Any) -> None:
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})

    def table(sheet: Any, row: int, columns: list[str], rows: list[list[Any]]) -> int:
        for c, name in enumerate(columns):
            sheet.write(row, c, name, head)
        for r, values in enumerate(rows, start=row + 1):
            for c, value in enumerate(values):
                sheet.write(r, c, _value(value))
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, len(columns), 12)
        return row + 1 + len(rows)

    # Summary
    sheet = book.add_worksheet(_("hqreport.sheet_summary"))
    sheet.write(0, 0, _("hqreport.title", month=report.month, first=report.first,
                        last=report.last), title)
    sheet.write(1, 0, scope_line(report))
    sheet.write(2, 0, due_line(report), bold)
    table(sheet, 4, [_("hqreport.col_figure"), _("hqreport.col_value")],
          [[figure(k), report.total[k]] for k in SUMMARY])
    sheet.set_column(0, 0, 44)
    sheet.write(6 + len(SUMMARY), 0, _("hqreport.glossary"))

    # Counters, levels, provinces
    compare_cols = [figure(k) for k in COMPARE]
    for name, rows, label, extra in (
            ("counters", report.counters, counter_label,
             lambda r: [r.get("level") or "", r.get("region") or ""]),
            ("levels", report.levels, group_label, lambda r: []),
            ("provinces", report.provinces, group_label, lambda r: [])):
        sheet = book.add_worksheet(_(f"hqreport.sheet_{name}"))
        heads = [_("hqreport.col_name")]
        if name == "counters":
            heads += [_("hqreport.col_level"), _("hqreport.col_province")]
        end = table(sheet, 0, heads + compare_cols,
                    [[label(r), *extra(r), *(r[k] for k in COMPARE)] for r in rows])
        if name == "counters" and rows:
            first = len(heads)
            chart = book.add_chart({"type": "bar"})
            for offset, key in enumerate(("tickets_in", "tickets_out")):
                chart.add_series({"name": figure(key),
                                  "categories": [sheet.name, 1, 0, end - 1, 0],
                                  "values": [sheet.name, 1, first + offset, end - 1,
                                             first + offset]})
            chart.set_title({"name": _("hqreport.chart_counters")})
            chart.set_size({"width": 720, "height": max(300, 22 * len(rows) + 120)})
            sheet.insert_chart(end + 1, 0, chart)

    # Faults
    sheet = book.add_worksheet(_("hqreport.sheet_faults"))
    end = table(sheet, 0, [_("hqreport.col_brand"), _("hqreport.col_model"),
                           _("hqreport.col_fault"), _("hqreport.col_tickets")],
                [[f["brand"], f["model"], _(f"fault.{f['fault']}"), f["tickets"]]
                 for f in report.faults])
    models = faults_by_model(report)[:CHART_MODELS]
    if models:
        sheet.write(0, 6, _("hqreport.col_model"), head)
        sheet.write(0, 7, _("hqreport.col_tickets"), head)
        for r, (model, count) in enumerate(models, start=1):
            sheet.write(r, 6, model)
            sheet.write(r, 7, count)
        chart = book.add_chart({"type": "bar"})
        chart.add_series({"name": _("hqreport.col_tickets"),
                          "categories": [sheet.name, 1, 6, len(models), 6],
                          "values": [sheet.name, 1, 7, len(models), 7]})
        chart.set_title({"name": _("hqreport.chart_faults")})
        chart.set_legend({"none": True})
        sheet.insert_chart(len(models) + 2, 6, chart)
        sheet.set_column(6, 6, 24)

    # Parts
    sheet = book.add_worksheet(_("hqreport.sheet_parts"))
    end = table(sheet, 0, [_("hqreport.col_part"), _("hqreport.col_basis"),
                           _("hqreport.col_drawn"), _("hqreport.col_returned"),
                           _("hqreport.col_used"), _("hqreport.col_amount")],
                [[f"{p['part_number']} {p['name']}", _(f"hqreport.basis_{p['basis']}"),
                  p["drawn"], p["returned"], p["used"], p["value"]] for p in report.parts])
    for r, (basis, value) in enumerate(report.parts_value.items(), start=end + 1):
        sheet.write(r, 0, _("hqreport.total"), bold)
        sheet.write(r, 1, _(f"hqreport.basis_{basis}"), bold)
        sheet.write(r, 5, _value(value), bold)
    sheet = book.add_worksheet(_("hqreport.sheet_parts_models"))
    table(sheet, 0, [_("hqreport.col_brand"), _("hqreport.col_model"), _("hqreport.col_part"),
                     _("hqreport.col_basis"), _("hqreport.col_used"),
                     _("hqreport.col_amount")],
          [[p["brand"], p["model"], p["part_number"], _(f"hqreport.basis_{p['basis']}"),
            p["used"], p["value"]] for p in report.parts_by_model])

    # Takings
    sheet = book.add_worksheet(_("hqreport.sheet_takings"))
    kinds = ("deposits", "payments", "refunds", "net")
    end = table(sheet, 0, [_("hqreport.col_method"), *(_(f"hqreport.col_{k}") for k in kinds)],
                [[_(f"hqreport.method_{t['method']}"), *(t[k] for k in kinds)]
                 for t in report.takings])
    sheet.write(end, 0, _("hqreport.total"), bold)
    for c, k in enumerate(kinds, start=1):
        sheet.write(end, c, _value(report.takings_total[k]), bold)
    chart = book.add_chart({"type": "column"})
    chart.add_series({"name": _("hqreport.col_net"),
                      "categories": [sheet.name, 1, 0, end - 1, 0],
                      "values": [sheet.name, 1, 4, end - 1, 4]})
    chart.set_title({"name": _("hqreport.chart_takings")})
    chart.set_legend({"none": True})
    sheet.insert_chart(end + 2, 0, chart)

    # Trends
    sheet = book.add_worksheet(_("hqreport.sheet_trends"))
    end = table(sheet, 0, [_("hqreport.col_month"), *(figure(k) for k in TRENDS)],
                [[t["month"], *(t[k] for k in TRENDS)] for t in report.trends])
    for n, (name, columns, kind) in enumerate((
            ("chart_trend_tickets", (1, 2), "column"),
            ("chart_trend_turnaround", (3,), "line"),
            ("chart_trend_rates", (4, 5), "line"))):
        chart = book.add_chart({"type": kind})
        for c in columns:
            chart.add_series({"name": [sheet.name, 0, c],
                              "categories": [sheet.name, 1, 0, end - 1, 0],
                              "values": [sheet.name, 1, c, end - 1, c],
                              **({"marker": {"type": "circle"}} if kind == "line" else {})})
        chart.set_title({"name": _(f"hqreport.{name}")})
        sheet.insert_chart(end + 1 + 16 * n, 0, chart)
