"""How large a batch or pack file, and what it holds, may be: checked before anything is read.

A file that claims more than these is refused by its size alone, so a junk file on a stick
(or a zip bomb signed by a trusted counter's stolen key) costs HQ a ``stat`` and a few
bytes, never its memory. The figures leave room for years of one counter's work in a
first batch: 100,000 tickets with their events come to about 40 MiB of rows and 6 MiB of
zip.
"""

from __future__ import annotations

MiB = 1 << 20

#: The whole file as it lies on the disk. A day's batch is a few hundred KiB.
MAX_FILE = 512 * MiB
#: One member's rows once inflated (the zip's declared size, which also bounds what the
#: inflater may produce); they are read as a stream, never held whole.
MAX_MEMBER = 2048 * MiB
#: All members inflated: what one import may make HQ's CPU inflate and hash (twice).
MAX_CONTENT = 3072 * MiB
#: Members a file may list: a member per exported table, with room for tables to come.
MAX_MEMBERS = 200
#: ``manifest.json`` and ``manifest.sig`` are read whole (they are signed as bytes).
MAX_MANIFEST = 1 * MiB
#: One row's line: far above the longest row the counter's field limits allow, low enough
#: that a member without a newline cannot make a reader hold it whole.
MAX_LINE = 16 * MiB


def size_text(size: int) -> str:
    """A size as a person reads it: ``1.4 GiB``, ``512 MiB``, ``900 bytes``."""
    if size < 1024:
        return f"{size} bytes"
    value, unit = size / 1024, "KiB"
    for larger in ("MiB", "GiB"):
        if value < 1024:
            break
        value, unit = value / 1024, larger
    return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
