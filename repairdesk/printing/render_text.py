"""Plain text for a terminal or a printer without ESC/POS: the rows, padded for centring."""

from __future__ import annotations

from repairdesk.printing.layout import layout
from repairdesk.printing.model import Slip
from repairdesk.printing.wrap import center


def render_text(slip: Slip, width: int) -> str:
    """The slip in ``width`` columns; no line is wider, measured in terminal cells.

    A QR code cannot be drawn in plain text: the ticket number printed large on the other
    formats is the line that carries it here.
    """
    lines = []
    for row in layout(slip, width):
        if row.qr is not None:
            continue
        lines.append(center(row.text, width) if row.align == "center" else row.text.rstrip())
    return "\n".join(lines).rstrip("\n") + "\n"
