"""``hq report --pdf FILE``: a printable A4 report in the reader's language: the summary and
its charts on the first page (tickets per counter, faults by model, the trends), then the
tables of every section. The font is the slips' (WenQuanYi Micro Hei: Latin and Chinese)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from repairdesk.hq import report_charts_pdf as charts
from repairdesk.hq.report_text import (
    SUMMARY,
    TRENDS,
    cell,
    counter_label,
    due_line,
    figure,
    group_label,
    scope_line,
)
from repairdesk.hq.report_xlsx import faults_by_model
from repairdesk.i18n import _
from repairdesk.paths import data_dir
from repairdesk.whole_file import write_whole

FONT = "report"
MARGIN = 14.0
CHART_ROWS = 12  # counters or models a first-page chart shows (the tables list them all)
PDF_COMPARE = ("tickets_in", "tickets_out", "turnaround_median", "within_3_working_days_share",
               "repair_rate", "repeat_rate_any", "breaches_closed", "overdue_now")


def font_path() -> Path:
    """The slips' face (repairdesk/printing/config.py; data/fonts/README.md for its licence)."""
    return data_dir() / "fonts" / "wqy-microhei.ttc"


class ReportPdf(FPDF):
    report_font = FONT
    foot = ""

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FONT, size=7)
        self.set_text_color(120, 120, 120)
        self.cell(0, 5, f"{self.foot}    {_('hqreport.page', page=self.page_no())}", align="C")


def write_pdf(report: Any, path: Path) -> Path:
    data = render_pdf(report)
    return write_whole(path, lambda part: part.write_bytes(data))


def render_pdf(report: Any) -> bytes:
    pdf = ReportPdf(unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=14)
    pdf.add_font(FONT, fname=str(font_path()), collection_font_number=0)
    # The face has no bold cut: headings are told apart by their fill, in the same weight.
    pdf.add_font(FONT, style="B", fname=str(font_path()), collection_font_number=0)
    title = _("hqreport.title", month=report.month, first=report.first, last=report.last)
    pdf.set_title(title)
    pdf.set_creator("RepairDesk")
    pdf.foot = _("hqreport.generated", today=report.today)
    pdf.add_page()
    _first_page(pdf, report, title)
    pdf.ln(3)
    _tables(pdf, report)
    return bytes(pdf.output())


def _heading(pdf: ReportPdf, text: str, size: float = 11) -> None:
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(20, 20, 20)
    pdf.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")


def _first_page(pdf: ReportPdf, report: Any, title: str) -> None:
    _heading(pdf, title, 16)
    pdf.set_font(FONT, size=9)
    pdf.cell(0, 5, scope_line(report), new_x="LMARGIN", new_y="NEXT")
    if report.due_state == "overdue":
        pdf.set_text_color(180, 30, 30)
    pdf.cell(0, 5, due_line(report), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(20, 20, 20)
    pdf.ln(2)
    width = pdf.epw
    half = (width - 6) / 2
    top = pdf.get_y()
    # Left: the summary figures; right: the charts of the month.
    pdf.set_font(FONT, size=7.5)
    with pdf.table(width=half, col_widths=(3, 1), align="LEFT", line_height=4.2,
                   text_align=("LEFT", "RIGHT"),
                   headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 244))) as t:
        t.row([_("hqreport.col_figure"), _("hqreport.col_value")])
        for key in SUMMARY:
            t.row([figure(key), cell(report.total[key])])
    left_bottom = pdf.get_y()
    counters = sorted(report.counters, key=lambda r: -r["tickets_in"])[:CHART_ROWS]
    y = charts.bars(pdf, MARGIN + half + 6, top, half, _("hqreport.chart_counters"),
                    [(counter_label(r), (r["tickets_in"], r["tickets_out"])) for r in counters],
                    legend=(figure("tickets_in"), figure("tickets_out")), row=4.6)
    models = faults_by_model(report)[:CHART_ROWS]
    y = charts.bars(pdf, MARGIN + half + 6, y + 2, half, _("hqreport.chart_faults"),
                    [(name, (count,)) for name, count in models], row=4.2)
    y = max(y, left_bottom) + 4
    months = [t["month"] for t in report.trends]
    third = (width - 8) / 3
    bottoms = [
        charts.lines(pdf, MARGIN, y, third, 34, _("hqreport.chart_trend_tickets"), months,
                     [(figure(k), [t[k] for t in report.trends])
                      for k in ("tickets_in", "tickets_out")]),
        charts.lines(pdf, MARGIN + third + 4, y, third, 34, _("hqreport.chart_trend_turnaround"),
                     months, [(figure("turnaround_median"),
                               [t["turnaround_median"] for t in report.trends])]),
        charts.lines(pdf, MARGIN + 2 * (third + 4), y, third, 34,
                     _("hqreport.chart_trend_rates"), months,
                     [(figure(k), [t[k] for t in report.trends])
                      for k in ("repair_rate", "repeat_rate")]),
    ]
    pdf.set_xy(MARGIN, max(bottoms) + 2)
    pdf.set_font(FONT, size=7)
    pdf.set_text_color(90, 90, 90)
    pdf.multi_cell(0, 3.6, _("hqreport.remedies_line", **report.remedies) + " "
                   + _("hqreport.glossary"), align="L", new_x="LMARGIN", new_y="NEXT")


def _grid(pdf: ReportPdf, heads: list[str], rows: list[list[Any]],
          widths: tuple[float, ...] | None = None, size: float = 7, words: int = 1) -> None:
    """A table whose first ``words`` columns are text (left), the rest figures (right)."""
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(20, 20, 20)
    pdf.set_fill_color(255, 255, 255)  # the charts leave their last series' colour
    with pdf.table(col_widths=widths, line_height=size * 0.55,
                   text_align=(*(["LEFT"] * words), *(["RIGHT"] * (len(heads) - words))),
                   headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 244)),
                   repeat_headings=1) as table:
        table.row(heads)
        for values in rows:
            table.row([cell(v) for v in values])
    pdf.ln(4)


def _tables(pdf: ReportPdf, report: Any) -> None:
    heads = [_("hqreport.col_name"), *(_(f"hqreport.fig_{k}") for k in PDF_COMPARE)]
    widths = (3.0, *([1.0] * len(PDF_COMPARE)))
    for name, rows, label in (("counters", report.counters, counter_label),
                              ("levels", report.levels, group_label),
                              ("provinces", report.provinces, group_label)):
        _heading(pdf, _(f"hqreport.section_{name}"))
        _grid(pdf, heads, [[label(r), *(r[k] for k in PDF_COMPARE)] for r in rows]
              + ([[_("hqreport.total"), *(report.total[k] for k in PDF_COMPARE)]]
                 if name == "counters" else []), widths, size=6.5)
    _heading(pdf, _("hqreport.section_faults", count=len(report.faults)))
    _grid(pdf, [_("hqreport.col_brand"), _("hqreport.col_model"), _("hqreport.col_fault"),
                _("hqreport.col_tickets")],
          [[f["brand"], f["model"], _(f"fault.{f['fault']}"), f["tickets"]]
           for f in report.faults], (2, 3, 5, 1), words=3)
    _heading(pdf, _("hqreport.section_parts", count=len(report.parts)))
    _grid(pdf, [_("hqreport.col_part"), _("hqreport.col_basis"), _("hqreport.col_drawn"),
                _("hqreport.col_returned"), _("hqreport.col_used"), _("hqreport.col_amount")],
          [[f"{p['part_number']} {p['name']}", _(f"hqreport.basis_{p['basis']}"), p["drawn"],
            p["returned"], p["used"], p["value"]] for p in report.parts]
          + [[_("hqreport.total"), _(f"hqreport.basis_{b}"), "", "", "", v]
             for b, v in report.parts_value.items()], (4, 2, 1, 1, 1, 1.5), words=2)
    _heading(pdf, _("hqreport.section_parts_models", count=len(report.parts_by_model)))
    _grid(pdf, [_("hqreport.col_brand"), _("hqreport.col_model"), _("hqreport.col_part"),
                _("hqreport.col_basis"), _("hqreport.col_used"), _("hqreport.col_amount")],
          [[p["brand"], p["model"], p["part_number"], _(f"hqreport.basis_{p['basis']}"),
            p["used"], p["value"]] for p in report.parts_by_model], (2, 3, 3, 2, 1, 1.5),
          words=4)
    _heading(pdf, _("hqreport.section_takings"))
    kinds = ("deposits", "payments", "refunds", "net")
    _grid(pdf, [_("hqreport.col_method"), *(_(f"hqreport.col_{k}") for k in kinds)],
          [[_(f"hqreport.method_{t['method']}"), *(t[k] for k in kinds)]
           for t in report.takings]
          + [[_("hqreport.total"), *(report.takings_total[k] for k in kinds)]])
    _heading(pdf, _("hqreport.section_trends"))
    _grid(pdf, [_("hqreport.col_month"), *(figure(k) for k in TRENDS)],
          [[t["month"], *(t[k] for k in TRENDS)] for t in report.trends])
