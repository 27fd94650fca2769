"""``hq settle statement C --month M --xlsx FILE``: the statement as a workbook, one sheet:
the counter and month, each section's lines (amounts as numbers in yuan, two decimals),
the totals and HQ's SHA-256 of the document."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from repairdesk.hq.statement_rows import SECTIONS, rows, totals
from repairdesk.i18n import _
from repairdesk.whole_file import write_whole

COLUMNS = ("line", "ticket", "imei", "model", "remedy", "grade", "state", "labour", "parts",
           "amount", "approved", "reason")
FIGURES = frozenset({"labour", "parts", "amount", "approved"})


def write_statement_xlsx(view: Any, path: Path) -> Path:
    import xlsxwriter  # type: ignore[import-untyped]  # no type information shipped

    document = view.document

    def write(part: Path) -> None:
        book = xlsxwriter.Workbook(str(part))
        money = book.add_format({"num_format": "0.00"})
        bold = book.add_format({"bold": True})
        sheet = book.add_worksheet(document["month"])
        sheet.write(0, 0, f"{_('hqclose.title')} · {document['month']}", bold)
        sheet.write(1, 0, f"{document['counter']} {document['name']}")
        at = 3
        for section in SECTIONS:
            found = rows(document, section)
            if not found:
                continue
            sheet.write(at, 0, _(f"hqclose.section_{section}"), bold)
            at += 1
            for col, key in enumerate(COLUMNS):
                sheet.write(at, col, _(f"hqclose.col_{key}"), bold)
            at += 1
            for row in found:
                for col, key in enumerate(COLUMNS):
                    value = row[key]
                    if key in FIGURES and value != "":
                        sheet.write_number(at, col, float(Decimal(value)), money)
                    else:
                        sheet.write(at, col, value)
                at += 1
            at += 1
        for label, value in totals(document):
            sheet.write(at, 0, label, bold)
            sheet.write_number(at, 1, float(Decimal(value)), money)
            at += 1
        sheet.write(at + 1, 0, _("hqclose.signed", sha=view.sha256))
        sheet.set_column(0, 0, 14)
        sheet.set_column(1, 3, 20)
        sheet.set_column(len(COLUMNS) - 1, len(COLUMNS) - 1, 60)
        book.close()

    return write_whole(path, write)
