"""``hq settle statement C --month M --pdf FILE``: a counter's month on A4 in the reader's
language, each section's lines with their state and reason, the totals and HQ's signature
(the report's face: WenQuanYi Micro Hei, Latin and Chinese)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from repairdesk.hq.report_pdf import font_path
from repairdesk.hq.statement_rows import SECTIONS, rows, totals
from repairdesk.i18n import _
from repairdesk.whole_file import write_whole

FONT = "statement"
COLUMNS = ("line", "ticket", "model", "grade", "state", "labour", "parts", "amount",
           "approved", "reason")
WIDTHS = (1.0, 3.2, 2.6, 2.2, 1.4, 1.3, 1.3, 1.4, 1.4, 5.0)
FIGURES = ("labour", "parts", "amount", "approved")


def write_statement_pdf(view: Any, path: Path) -> Path:
    data = render_statement_pdf(view)
    return write_whole(path, lambda part: part.write_bytes(data))


def render_statement_pdf(view: Any) -> bytes:
    document = view.document
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_margins(12, 12)
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_font(FONT, fname=str(font_path()), collection_font_number=0)
    pdf.add_font(FONT, style="B", fname=str(font_path()), collection_font_number=0)
    pdf.add_page()
    pdf.set_font(FONT, size=15)
    pdf.cell(0, 8, f"{_('hqclose.title')} · {document['month']}", new_x="LMARGIN",
             new_y="NEXT")
    pdf.set_font(FONT, size=10)
    pdf.cell(0, 6, f"{document['counter']} {document['name']}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=8)
    pdf.set_text_color(90, 90, 90)
    pdf.cell(0, 5, _("hqclose.closed_on", at=document["closed_at"][:16].replace("T", " "),
                     by=document["closed_by"] or "-"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for section in SECTIONS:
        found = rows(document, section)
        if not found:
            continue
        pdf.set_text_color(20, 20, 20)
        pdf.set_font(FONT, size=11)
        pdf.cell(0, 7, f"{_(f'hqclose.section_{section}')} ({len(found)})", new_x="LMARGIN",
                 new_y="NEXT")
        pdf.set_font(FONT, size=7)
        with pdf.table(col_widths=WIDTHS, line_height=3.8,
                       text_align=tuple("RIGHT" if c in FIGURES else "LEFT" for c in COLUMNS),
                       headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 244)),
                       repeat_headings=1) as table:
            table.row([_(f"hqclose.col_{c}") for c in COLUMNS])
            for row in found:
                table.row([str(row[c]) for c in COLUMNS])
        pdf.ln(3)
    pdf.set_font(FONT, size=9)
    with pdf.table(width=80, col_widths=(2, 1), align="RIGHT", line_height=5,
                   text_align=("LEFT", "RIGHT"), first_row_as_headings=False) as table:
        for label, value in totals(document):
            table.row([label, f"¥{value}"])
    pdf.ln(3)
    pdf.set_font(FONT, size=7)
    pdf.set_text_color(90, 90, 90)
    pdf.multi_cell(0, 4, _("hqclose.signed", sha=view.sha256), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
