"""Line breaking for mixed Chinese and Latin text that never cuts a number.

Breaks are allowed at spaces and between two Chinese characters; a run of narrow characters
(a ticket number, an IMEI, a date, ``138****8000``, ``2,999.00``) is one unbreakable chunk,
and Chinese punctuation stays with the character before (，。）) or after (（) it.
Widths come from a ``measure`` function: printer columns for the thermal renderers, the
font's own widths in millimetres for PDF.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache

from rich.cells import cell_len

Measure = Callable[[str], float]

# Never at the start of a line (closing punctuation) / never at its end (opening).
NO_BREAK_BEFORE = frozenset("，。、；：！？）】」』》〉”’％,.;:!?)]}%…·—")
NO_BREAK_AFTER = frozenset("（【「『《〈“‘([{")
# Where an over-long chunk may be split, after the character (a number is split there only
# when it is longer than a whole line, which no ticket number, IMEI or phone ever is).
SOFT_SPLIT_AFTER = frozenset("-/_,.、，;；")
# A number keeps its unit (90 日, 3 件) and an article reference stays whole (第十一条).
UNITS = frozenset("日天月年元号条件台次个")
CHINESE_NUMERALS = frozenset("〇零一二三四五六七八九十百千")


@lru_cache(maxsize=4096)
def char_columns(ch: str) -> int:
    """Columns of one character on a terminal AND on a GB18030 thermal printer.

    A thermal printer prints every multi-byte GB18030 character double-wide (· — “ ” too,
    which many terminals show narrow), so the wider of the two is used: a line that fits
    the printer then also fits the terminal.
    """
    terminal = cell_len(ch)
    try:
        printer = 1 if len(ch.encode("gb18030")) == 1 else 2
    except UnicodeEncodeError:
        printer = 2
    return max(terminal, printer)


def columns(text: str) -> int:
    return sum(char_columns(ch) for ch in text)


def clean(text: str) -> str:
    """Tabs and control characters become spaces; line breaks stay."""
    return "".join(
        ch if ch == "\n" or unicodedata.category(ch)[0] != "C" else " " for ch in text
    )


def _wide(ch: str) -> bool:
    return cell_len(ch) >= 2 or unicodedata.east_asian_width(ch) in "WF"


def _article(chunk: str) -> bool:
    """An unfinished 第…条 reference: 第, 第十, 第十一."""
    return chunk.endswith("第") or (
        "第" in chunk and all(c in CHINESE_NUMERALS for c in chunk[chunk.rindex("第") + 1:])
    )


def chunks(text: str) -> list[tuple[bool, str]]:
    """Unbreakable chunks of one paragraph, each with "a space came before it"."""
    out: list[list[object]] = []
    space = False
    for ch in text:
        if ch.isspace():
            space = True
            continue
        if out and space and ch in UNITS and str(out[-1][1])[-1].isdigit():
            out[-1][1] = f"{out[-1][1]} {ch}"  # "88 号", "90 日": the unit stays with its number
            space = False
            continue
        if out and not space:
            prev = str(out[-1][1])
            glue = (
                ch in NO_BREAK_BEFORE
                or prev[-1] in NO_BREAK_AFTER
                or (not _wide(ch) and not _wide(prev[-1]))
                or (ch in UNITS and prev[-1].isdigit())
                or (ch in CHINESE_NUMERALS | UNITS and _article(prev))
            )
            if glue:
                out[-1][1] = prev + ch
                continue
        out.append([space, ch])
        space = False
    return [(bool(s), str(t)) for s, t in out]


def _split_long(chunk: str, width: float, measure: Measure) -> list[str]:
    """A chunk wider than a whole line: split after a separator if one fits, else anywhere."""
    pieces: list[str] = []
    rest = chunk
    while measure(rest) > width:
        fit = 1
        while fit < len(rest) and measure(rest[: fit + 1]) <= width:
            fit += 1
        soft = max((i + 1 for i in range(fit) if rest[i] in SOFT_SPLIT_AFTER), default=0)
        cut = soft if soft else fit
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return pieces


def wrap(text: str, width: float, measure: Measure = columns) -> list[str]:
    """``text`` as lines no wider than ``width``; an empty text is one empty line."""
    lines: list[str] = []
    for paragraph in clean(text).split("\n"):
        current = ""
        for space, chunk in chunks(paragraph):
            joined = f"{current} {chunk}" if space and current else current + chunk
            if measure(joined) <= width:
                current = joined
                continue
            if current:
                lines.append(current)
            if measure(chunk) <= width:
                current = chunk
                continue
            *full, current = _split_long(chunk, width, measure)
            lines.extend(full)
        lines.append(current)
    return lines


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - columns(text))


def center(text: str, width: int) -> str:
    gap = max(0, width - columns(text))
    return " " * (gap // 2) + text
