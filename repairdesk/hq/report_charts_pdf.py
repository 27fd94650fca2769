"""The report's charts drawn on an fpdf2 page: horizontal bars and month lines, with their
axes and labels in the report's font (no image library: vector lines print sharp)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

INK = (40, 40, 40)
GRID = (210, 210, 210)
SERIES = ((31, 119, 180), (255, 127, 14), (44, 160, 44))


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** (len(str(int(value))) - 1)
    return float(((int(value) // step) + 1) * step)


def bars(pdf: Any, x: float, y: float, width: float, title: str,
         items: Sequence[tuple[str, Sequence[float]]], legend: Sequence[str] = (),
         row: float = 5.0) -> float:
    """Horizontal bars, one group per item (one bar per series); returns the y below."""
    pdf.set_font(pdf.report_font, size=10)
    pdf.set_text_color(*INK)
    pdf.set_xy(x, y)
    pdf.cell(width, 6, title)
    y += 7
    if legend:
        lx = x
        pdf.set_font(pdf.report_font, size=7)
        for i, name in enumerate(legend):
            pdf.set_fill_color(*SERIES[i % len(SERIES)])
            pdf.rect(lx, y + 1, 3, 3, style="F")
            pdf.set_xy(lx + 4, y)
            pdf.cell(pdf.get_string_width(name) + 2, 5, name)
            lx += pdf.get_string_width(name) + 10
        y += 6
    label_w = 45.0
    plot_w = width - label_w - 12
    top = max((v for _n, vs in items for v in vs), default=0)
    scale = _nice_max(top)
    series = max((len(vs) for _n, vs in items), default=1)
    bar_h = (row - 1) / series
    pdf.set_font(pdf.report_font, size=7)
    for i, (name, values) in enumerate(items):
        ry = y + i * row
        pdf.set_xy(x, ry)
        pdf.cell(label_w - 2, row - 1, _fit(pdf, name, label_w - 2), align="R")
        for s, value in enumerate(values):
            pdf.set_fill_color(*SERIES[s % len(SERIES)])
            length = plot_w * (value / scale) if scale else 0
            if length > 0:
                pdf.rect(x + label_w, ry + s * bar_h, length, bar_h, style="F")
            pdf.set_xy(x + label_w + length + 1, ry + s * bar_h - 0.6)
            pdf.set_font(pdf.report_font, size=5.5)
            pdf.cell(12, bar_h + 1, _short(value))
            pdf.set_font(pdf.report_font, size=7)
    pdf.set_draw_color(*INK)
    bottom = y + len(items) * row
    pdf.line(x + label_w, y, x + label_w, bottom)
    return bottom + 4


def lines(pdf: Any, x: float, y: float, width: float, height: float, title: str,
          months: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]) -> float:
    """Month lines (a gap where a month has no value); returns the y below."""
    pdf.set_font(pdf.report_font, size=9)
    pdf.set_text_color(*INK)
    pdf.set_xy(x, y)
    pdf.cell(width, 5, title)
    y += 6
    left, bottom = x + 10, y + height
    plot_w = width - 12
    top = _nice_max(max((v for _n, vs in series for v in vs if v is not None), default=0))
    pdf.set_draw_color(*GRID)
    pdf.set_font(pdf.report_font, size=6)
    for k in range(5):
        gy = bottom - height * k / 4
        pdf.line(left, gy, left + plot_w, gy)
        pdf.set_xy(x, gy - 2)
        pdf.cell(9, 4, _short(top * k / 4), align="R")
    step = plot_w / max(len(months) - 1, 1)
    for i, month in enumerate(months):
        if i % 2 == (len(months) - 1) % 2 or len(months) <= 6:  # the report month shown
            pdf.set_xy(left + i * step - 5, bottom + 0.5)
            pdf.cell(10, 4, month[2:], align="C")
    for s, (name, values) in enumerate(series):
        colour = SERIES[s % len(SERIES)]
        pdf.set_draw_color(*colour)
        pdf.set_fill_color(*colour)
        pdf.set_line_width(0.5)
        previous = None
        for i, value in enumerate(values):
            if value is None:
                previous = None
                continue
            point = (left + i * step, bottom - height * value / top)
            if previous is not None:
                pdf.line(*previous, *point)
            pdf.ellipse(point[0] - 0.7, point[1] - 0.7, 1.4, 1.4, style="F")
            previous = point
        pdf.set_line_width(0.2)
        ly = bottom + 5 + 4 * s
        pdf.rect(left, ly + 1, 3, 2, style="F")
        pdf.set_xy(left + 4, ly)
        pdf.cell(plot_w - 4, 4, _fit(pdf, name, plot_w - 4))
    pdf.set_draw_color(*INK)
    return bottom + 7 + 4 * len(series)


def _short(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() or value >= 100 else f"{value:.1f}"


def _fit(pdf: Any, text: str, width: float) -> str:
    while text and pdf.get_string_width(text) > width:
        text = text[:-2] + "…" if len(text) > 2 else ""
    return text
