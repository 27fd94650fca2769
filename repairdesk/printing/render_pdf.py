"""PDF slips through fpdf2: A5 paper for the printer on the desk, or an 80/58 mm roll.

The font (WenQuanYi Micro Hei, data/fonts/) is embedded as a subset in every file, so the
Chinese shows on a machine without any Chinese font; text stays text (pdftotext, search).
The QR code is drawn as vector squares: sharp at any resolution a printer or scanner uses.
On A5, short sections sit side by side in two columns so an intake slip fits one sheet.

This module is the layout; the paper sizes, the font and the drawing primitives it uses are
in repairdesk/printing/pdf_canvas.py.
"""

from __future__ import annotations

from datetime import datetime

from repairdesk.printing.model import Field, Section, Signature, Slip, Text
from repairdesk.printing.pdf_canvas import (
    COLUMN_GAP,
    GREY,
    INK,
    LEADING,
    PT,
    RULE,
    SHADE,
    Canvas,
    Paper,
)
from repairdesk.printing.wrap import wrap


def render_pdf(slip: Slip, paper: Paper, created: datetime | None = None) -> bytes:
    drawing = _Drawing(slip, paper, created)
    if paper.sheet:
        return drawing.draw(paper.height or 0)
    # A roll is as long as its slip: measure first (nothing drawn), then draw for real.
    return drawing.draw(drawing.measure())


class _Drawing(Canvas):
    """The slip's layout: the head, the sections (paired on a sheet), fields, signatures."""

    # -- the slip ----------------------------------------------------------------------

    def _body(self) -> None:
        p = self.paper
        if p.sheet:
            self._sheet_head()
        else:
            self._roll_head()
        for group in self._groups():
            if len(group) == 2:
                self._pair(*group)
            else:
                self._section(group[0], p.margin, p.inner)

    def _groups(self) -> list[tuple[Section, ...]]:
        """Sections in reading order; on a sheet, short neighbours share a row."""
        groups: list[tuple[Section, ...]] = []
        pending: Section | None = None
        for section in self.slip.sections:
            if self.paper.sheet and self._pairable(section):
                if pending is None:
                    pending = section
                    continue
                groups.append((pending, section))
                pending = None
                continue
            if pending is not None:
                groups.append((pending,))
                pending = None
            groups.append((section,))
        if pending is not None:
            groups.append((pending,))
        return groups

    def _pairable(self, section: Section) -> bool:
        if not section.title or any(isinstance(x, Signature) for x in section.lines):
            return False
        half = (self.paper.inner - COLUMN_GAP) / 2
        with self._dry():
            start = self.y
            self._section(section, 0, half)
            return self.y - start <= 6 * self.paper.body * PT * LEADING + 8

    def _pair(self, left: Section, right: Section) -> None:
        p = self.paper
        half = (p.inner - COLUMN_GAP) / 2
        with self._dry():
            start = self.y
            self._section(left, p.margin, half)
            height = self.y - start
            self.y = start
            self._section(right, p.margin, half)
            height = max(height, self.y - start)
        self._room(height)
        top = self.y
        self._section(left, p.margin, half)
        bottom = self.y
        self.y = top
        self._section(right, p.margin + half + COLUMN_GAP, half)
        self.y = max(bottom, self.y)

    def _sheet_head(self) -> None:
        p, slip = self.paper, self.slip
        qr_side = p.qr if slip.qr else 0
        text_width = p.inner - qr_side - 4
        top = self.y
        for index, line in enumerate(slip.header):
            if index == 0:
                self._write(p.margin, line, text_width, p.body + 5, bold=True)
                self.y += 0.8
            else:
                self._write(p.margin, line, text_width, p.body - 0.5, colour=GREY)
        if slip.qr:
            self._qr(slip.qr, p.width - p.margin - qr_side, top, qr_side)
        self.y = max(self.y, top + qr_side) + 1
        self._rule(INK, gap=1.2, width=0.45)
        self._write(p.margin, slip.title, p.inner, p.body + 7, align="C", bold=True)
        self._write(p.margin, slip.number, p.inner, p.body + 5, align="C")
        self.y += 0.5

    def _roll_head(self) -> None:
        p, slip = self.paper, self.slip
        for index, line in enumerate(slip.header):
            size = p.body + 3 if index == 0 else p.body - 1
            self._write(p.margin, line, p.inner, size, align="C", bold=index == 0,
                        colour=INK if index == 0 else GREY)
        if slip.header:
            self._rule(INK, width=0.35)
        if slip.kind != "label":
            self._write(p.margin, slip.title, p.inner, p.body + 5, align="C", bold=True)
        self._write(p.margin, slip.number, p.inner, p.body + 5, align="C",
                    bold=slip.kind == "label")
        if slip.qr:
            self.y += 1.5
            self._room(p.qr)
            self._qr(slip.qr, (p.width - p.qr) / 2, self.y, p.qr)
            self.y += p.qr + 2

    def _label_width(self, width: float) -> float:
        """One label column for the whole slip; a label too long for it gets its own line."""
        self._font(self.paper.body - 0.5)
        cap = width * 0.42
        labels = [self.pdf.get_string_width(line.label) + 3 for s in self.slip.sections
                  if not (s.boxed and self.paper.sheet)
                  for line in s.lines if isinstance(line, Field)]
        return max([w for w in labels if w <= cap], default=cap)

    def _section(self, section: Section, x: float, width: float) -> None:
        p = self.paper
        size = p.body
        if section.title:
            self.y += 1.2
            bar = size * PT * 1.75
            self._room(bar + size * PT * LEADING * 2)
            if p.sheet:
                if not self.dry:
                    self.pdf.set_fill_color(*SHADE)
                    self.pdf.rect(x, self.y, width, bar, style="F")
                self.y += (bar - size * PT * LEADING) / 2
                self._write(x + 1.5, section.title, width - 3, size, bold=True)
                self.y += (bar - size * PT * LEADING) / 2 + 0.8
            else:
                self._rule(RULE, gap=0.8)
                self._write(x, section.title, width, size, bold=True)
                self.y += 0.5
        else:
            self.y += 1.5
        if section.boxed and p.sheet:
            self._boxed(section, x, width)
            return
        label_width = self._label_width(width)
        signatures = [line for line in section.lines if isinstance(line, Signature)]
        for line in section.lines:
            if isinstance(line, Field):
                self._field(line, x, width, label_width)
            elif isinstance(line, Text):
                self._write(x, line.text, width, size - (1 if line.small else 0),
                            colour=GREY if line.small else INK)
        if signatures:
            self._signatures(signatures, x, width)

    def _boxed(self, section: Section, x: float, width: float) -> None:
        """Fields as a ruled two-column form, the label cells shaded (the 三包凭证's table)."""
        size = self.paper.body
        step = size * PT * LEADING
        label_width = min(38.0, width * 0.3)
        pad = 1.2
        self.y += 0.6
        for line in section.lines:
            if not isinstance(line, Field):
                continue
            self._font(size - 0.5)
            label_lines = wrap(line.label, label_width - 2 * pad, self.pdf.get_string_width)
            self._font(size)
            value_lines = wrap(line.value, width - label_width - 2 * pad,
                               self.pdf.get_string_width)
            height = max(len(label_lines), len(value_lines)) * step + 2 * pad
            self._room(height)
            if not self.dry:
                self.pdf.set_draw_color(*RULE)
                self.pdf.set_line_width(0.25)
                self.pdf.set_fill_color(*SHADE)
                self.pdf.rect(x, self.y, label_width, height, style="DF")
                self.pdf.rect(x + label_width, self.y, width - label_width, height, style="D")
            top = self.y
            self.y = top + pad
            self._write(x + pad, line.label, label_width - 2 * pad, size - 0.5)
            self.y = top + pad
            self._write(x + label_width + pad, line.value, width - label_width - 2 * pad, size)
            self.y = top + height

    def _field(self, line: Field, x: float, width: float, label_width: float) -> None:
        size = self.paper.body
        self._font(size - 0.5)
        if self.pdf.get_string_width(line.label) > label_width - 1:
            self._write(x, line.label, width, size - 0.5, colour=GREY)
            self._write(x + 4, line.value, width - 4, size)
            return
        self._room(size * PT * LEADING)
        top = self.y
        self._write(x, line.label, label_width - 1, size - 0.5, colour=GREY)
        self.y = top  # the label fits one line (checked above): the value starts beside it
        self._write(x + label_width, line.value, width - label_width, size)

    def _signatures(self, lines: list[Signature], x: float, width: float) -> None:
        size = self.paper.body
        row = size * PT * LEADING
        per_row = len(lines) if self.paper.sheet else 1
        each = width / per_row
        for start in range(0, len(lines), per_row):
            self.y += 8
            self._room(row)
            for index, line in enumerate(lines[start:start + per_row]):
                left = x + index * each
                self._font(size - 0.5, GREY)
                label_end = left + self.pdf.get_string_width(line.label) + 2
                if not self.dry:
                    self.pdf.set_xy(left, self.y)
                    self.pdf.cell(label_end - left, row, line.label)
                saved = self.y
                self.y += row - 0.8
                self._line(label_end, left + each - (5 if index + 1 < per_row else 0), INK, 0.25)
                self.y = saved
            self.y += row
