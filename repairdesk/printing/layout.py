"""A slip laid out in fixed columns: the rows the text and ESC/POS renderers share.

Widths are in columns of the thermal printer's standard font (48 on 80 mm, 32 on 58 mm);
a Chinese character takes two, exactly like a terminal cell (see :func:`wrap.columns`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from repairdesk.printing.model import Field, Signature, Slip, Text
from repairdesk.printing.wrap import columns, pad, wrap

Size = Literal["normal", "tall", "big"]  # big: double width and height; tall: double height


@dataclass(frozen=True)
class Row:
    text: str = ""
    align: Literal["left", "center"] = "left"
    bold: bool = False
    size: Size = "normal"
    qr: str | None = None  # a QR code instead of text


def _label_width(slip: Slip, width: int) -> int:
    labels = [columns(line.label) for s in slip.sections for line in s.lines
              if isinstance(line, Field)]
    # A third of the line at most, so values keep room; longer labels get a line of their own.
    return min(max(labels, default=0), width // 3)


def _field(line: Field, width: int, label_width: int) -> list[Row]:
    value_width = width - label_width - 1
    parts = wrap(line.value, value_width)
    # A label wider than its column, or a long value in a narrow one: the value goes under
    # the label and takes the whole line.
    if columns(line.label) > label_width or len(parts) > 3:
        rows = [Row(part) for part in wrap(line.label, width)]
        rows += [Row("  " + part) for part in wrap(line.value, width - 2)]
        return rows
    rows = [Row(pad(line.label, label_width) + " " + parts[0])]
    rows += [Row(" " * (label_width + 1) + part) for part in parts[1:]]
    return rows


def _signature(line: Signature, width: int) -> list[Row]:
    blank = max(8, width - columns(line.label) - 1)
    if columns(line.label) + 1 + blank > width:
        return [Row(), Row(line.label), Row(), Row("_" * width)]
    return [Row(), Row(), Row(f"{line.label} {'_' * blank}")]


def _big(text: str, width: int) -> Size:
    return "big" if 2 * columns(text) <= width else "tall"


def layout(slip: Slip, width: int) -> list[Row]:
    """The slip as rows no wider than ``width`` columns (at their own size)."""
    rows: list[Row] = []
    for index, line in enumerate(slip.header):
        for part in wrap(line, width):
            rows.append(Row(part, "center", bold=index == 0))
    if slip.header:
        rows.append(Row("=" * width))
    if slip.kind != "label":
        for part in wrap(slip.title, width):
            rows.append(Row(part, "center", bold=True, size="tall"))
    rows.append(Row(slip.number, "center", bold=True, size=_big(slip.number, width)))
    if slip.qr:
        rows.append(Row(qr=slip.qr, align="center"))
    label_width = _label_width(slip, width)
    for section in slip.sections:
        if section.title:
            rows.append(Row("-" * width))
            rows += [Row(part, bold=True) for part in wrap(section.title, width)]
        elif rows and slip.kind != "label":
            rows.append(Row())
        for item in section.lines:
            if isinstance(item, Field):
                rows += _field(item, width, label_width)
            elif isinstance(item, Text):
                rows += [Row(part) for part in wrap(item.text, width)]
            else:
                rows += _signature(item, width)
    return rows
