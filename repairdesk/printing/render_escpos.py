"""ESC/POS bytes for 80 mm and 58 mm thermal printers, through python-escpos.

Chinese thermal printers take text in GB18030 once Chinese character mode is on (FS &), so
each row is encoded here rather than through python-escpos's code-page encoder, which knows
only single-byte code pages. Styles and the QR code use python-escpos's commands; the QR is
the printer's own (GS ( k) or, for printers without it, a raster image (GS v 0).
"""

from __future__ import annotations

from typing import Literal

import qrcode
from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy

from repairdesk.printing.layout import Row, Size, layout
from repairdesk.printing.model import Slip

QrMode = Literal["native", "image"]
CHINESE_MODE = b"\x1c\x26"  # FS &: multi-byte (GB18030) characters from here on
# GS ! width x height per size; always sent through GS ! so it applies to Chinese too.
SCALE: dict[Size, tuple[int, int]] = {"normal": (1, 1), "tall": (1, 2), "big": (2, 2)}
# QR module size in dots: about 25 mm on a 576-dot (80 mm) head, 19 mm on 384 dots (58 mm).
QR_DOTS = {48: 8, 32: 6}
PAPER_DOTS = {48: 576, 32: 384}  # printable dots of a 203 dpi head


def render_escpos(slip: Slip, width: int, qr: QrMode = "native") -> bytes:
    """The slip as one print job: initialise, Chinese mode, rows, QR, feed and cut."""
    printer = Dummy()
    printer.hw("INIT")
    printer._raw(CHINESE_MODE)
    style: tuple[str, bool, Size] | None = None
    for row in layout(slip, width):
        wanted = (row.align, row.bold, row.size)
        if wanted != style:
            _set_style(printer, *wanted)
            style = wanted
        if row.qr is not None:
            _qr(printer, row, width, qr)
            style = None  # an image path may leave the printer in another state
            continue
        printer._raw(row.text.encode("gb18030") + b"\n")
    _set_style(printer, "left", False, "normal")
    printer.cut()
    return printer.output


def _set_style(printer: Dummy, align: str, bold: bool, size: Size) -> None:
    width, height = SCALE[size]
    printer.set(align=align, bold=bold, custom_size=True, width=width, height=height)


def _qr(printer: Dummy, row: Row, width: int, mode: QrMode) -> None:
    assert row.qr is not None
    dots = QR_DOTS.get(width, 6)
    printer.set(align="center")
    if mode == "native":
        printer.qr(row.qr, ec=QR_ECLEVEL_M, size=dots, native=True)
    else:
        # Drawn here rather than by qr(native=False), which also sends a code-page switch
        # (ESC t) and prints a warning to stdout for printers without a width profile.
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=dots,
                             border=1)
        code.add_data(row.qr)
        code.make(fit=True)
        printer.profile.profile_data = {**printer.profile.profile_data,
                                        "media": {"width": {"pixels": PAPER_DOTS[width]}}}
        printer.image(code.make_image().get_image().convert("1"), impl="bitImageRaster")
    printer._raw(b"\n")
