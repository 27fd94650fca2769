"""The drawing surface of a PDF slip: the paper sizes, the embedded font and the primitives
(wrapped text, rules, the QR code as vector squares) that the layout in
repairdesk/printing/render_pdf.py is drawn with.

Every primitive can run dry (:attr:`Canvas.dry`): it then moves the cursor ``y`` and draws
nothing, which is how a roll's length and a pair of columns are measured before drawing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import qrcode
from fpdf import FPDF
from fpdf.fonts import TTFFont

from repairdesk.printing.config import font_path
from repairdesk.printing.glyphs import drawable_slip
from repairdesk.printing.model import Slip
from repairdesk.printing.wrap import wrap

FONT = "wqy"
INK = (0, 0, 0)
GREY = (85, 85, 85)
RULE = (160, 160, 160)
SHADE = (232, 232, 232)
PT = 25.4 / 72  # millimetres per point
LEADING = 1.42  # line height / font size
Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Paper:
    """A page: an A5 sheet (fixed height) or a roll (the height follows the slip)."""

    width: float
    height: float | None
    margin: float
    body: float  # body text size, pt
    qr: float  # QR side, mm

    @property
    def inner(self) -> float:
        return self.width - 2 * self.margin

    @property
    def sheet(self) -> bool:
        return self.height is not None


A5 = Paper(148, 210, 11, 9.5, 24)
ROLLS = {80: Paper(80, None, 4, 9, 26), 58: Paper(58, None, 3, 8, 22)}
COLUMN_GAP = 6.0


def paper_for(width: int | None) -> Paper:
    """A5 unless a roll width (80 or 58 mm) is asked for."""
    return A5 if width is None else ROLLS[width]


class SlipPdf(FPDF):
    """An FPDF whose sheets carry the ticket number and page count at the foot."""

    foot: str = ""

    def footer(self) -> None:
        if not self.foot:
            return
        self.set_font(FONT, size=7)
        self.set_text_color(*GREY)
        self.set_xy(self.l_margin, self.h - 8)
        self.cell(self.w - self.l_margin - self.r_margin, 4,
                  f"{self.foot}    {self.page_no()}/{{nb}}", align="R")


class Canvas:
    """One slip on one paper, drawn or measured; the layout itself is :meth:`_body`."""

    def __init__(self, slip: Slip, paper: Paper, created: datetime | None) -> None:
        self.slip, self.paper, self.created = slip, paper, created
        self.pdf: SlipPdf  # made by _setup: loading the font is the slow part, done once
        self.y = 0.0
        self.page_height = 0.0
        self.dry = False  # measuring: move y, draw nothing

    # -- set-up ------------------------------------------------------------------------

    def _setup(self) -> None:
        pdf = SlipPdf(unit="mm", format=(self.paper.width, self.paper.height or 297))
        pdf.set_auto_page_break(False)
        pdf.set_margins(self.paper.margin, self.paper.margin)
        pdf.c_margin = 0  # wrap() measured the lines: no padding inside cells
        pdf.add_font(FONT, fname=str(font_path()), collection_font_number=0)
        font = pdf.fonts[FONT]
        assert isinstance(font, TTFFont)  # added from a file just above, not a core font
        self.slip = drawable_slip(self.slip, font.cmap)
        pdf.set_title(f"{self.slip.title} {self.slip.number}")
        pdf.set_creator("RepairDesk")
        if self.created:
            pdf.set_creation_date(self.created)
        pdf.foot = self.slip.number if self.paper.sheet else ""
        self.pdf = pdf

    def measure(self) -> float:
        """The height the slip takes, found by laying it out without drawing."""
        self._setup()
        self.dry, self.y = True, self.paper.margin
        self._body()
        self.dry = False
        return self.y + self.paper.margin + 4  # room to tear the roll below the last line

    def draw(self, height: float) -> bytes:
        if not hasattr(self, "pdf"):
            self._setup()
        self.pdf.add_page(format=(self.paper.width, height))
        self.page_height, self.y = height, self.paper.margin
        self._body()
        return bytes(self.pdf.output())

    @contextmanager
    def _dry(self) -> Iterator[None]:
        saved = self.dry, self.y
        self.dry = True
        try:
            yield
        finally:
            self.dry, self.y = saved

    # -- primitives --------------------------------------------------------------------

    def _font(self, size: float, colour: Colour = INK) -> None:
        self.pdf.set_font(FONT, size=size)
        self.pdf.set_text_color(*colour)

    def _bottom(self) -> float:
        return self.page_height - self.paper.margin - (6 if self.paper.sheet else 0)

    def _room(self, height: float) -> None:
        """Start a new sheet when the next block would run past the bottom margin."""
        if self.paper.sheet and not self.dry and self.y + height > self._bottom():
            self.pdf.add_page()
            self.y = self.paper.margin

    def _write(self, x: float, text: str, width: float, size: float, *, align: str = "L",
               bold: bool = False, colour: Colour = INK) -> None:
        """Wrapped text from the current y on."""
        self._font(size, colour)
        step = size * PT * LEADING
        for line in wrap(text, width, self.pdf.get_string_width):
            self._room(step)
            if not self.dry:
                self.pdf.set_xy(x, self.y)
                if bold:  # the font has no bold face: stroke the outlines as well
                    with self.pdf.local_context(text_mode="FILL_STROKE",
                                                line_width=size * 0.014, draw_color=colour):
                        self.pdf.cell(width, step, line, align=align)
                else:
                    self.pdf.cell(width, step, line, align=align)
            self.y += step

    def _line(self, x1: float, x2: float, colour: Colour, width: float) -> None:
        if not self.dry:
            self.pdf.set_draw_color(*colour)
            self.pdf.set_line_width(width)
            self.pdf.line(x1, self.y, x2, self.y)

    def _rule(self, colour: Colour = RULE, gap: float = 1.5, width: float = 0.2) -> None:
        self.y += gap
        self._line(self.paper.margin, self.paper.width - self.paper.margin, colour, width)
        self.y += gap

    def _qr(self, payload: str, x: float, y: float, side: float) -> None:
        if self.dry:
            return
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
        code.add_data(payload)
        code.make(fit=True)
        matrix = code.get_matrix()
        module = side / len(matrix)
        self.pdf.set_fill_color(*INK)
        for r, row in enumerate(matrix):
            c = 0
            while c < len(row):  # one rectangle per run of dark modules
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < len(row) and row[c]:
                    c += 1
                self.pdf.rect(x + start * module, y + r * module, (c - start) * module,
                              module + 0.01, style="F")

    def _body(self) -> None:
        raise NotImplementedError
