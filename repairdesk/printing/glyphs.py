"""Characters the slip's font cannot draw, replaced where they stand before a PDF is made.

The slip's font (WenQuanYi Micro Hei) has Chinese and Latin but no emoji: a customer named
"张伟😀" made fpdf2 warn on the terminal and leave a blank in the PDF. The slip shows a
visible mark instead, once for a whole emoji sequence (👨‍👩‍👧 is one mark, not five), and
nothing is said on the terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import replace

from repairdesk.printing.model import Field, Line, Signature, Slip, Text

MISSING = "□"
FALLBACK = "?"
# Parts of an emoji sequence that join or modify the character before: never a mark of
# their own (zero-width joiner, variation selectors, keycap, skin tones, tags).
JOINING = frozenset({0x200D, 0xFE0E, 0xFE0F, 0x20E3, *range(0x1F3FB, 0x1F400),
                     *range(0xE0020, 0xE0080)})
ZWJ = 0x200D


def drawable(text: str, has: Container[int], mark: str = MISSING) -> str:
    """``text`` with each run of characters the font lacks replaced by ``mark``: a
    character joined to the previous one by a ZWJ, or modifying it, makes no new mark."""
    if text.isascii():
        return text
    out: list[str] = []
    joined = False  # the previous character was a ZWJ after a mark
    for ch in text:
        code = ord(ch)
        if code in has and code not in JOINING:
            out.append(ch)
            joined = False
        elif code in JOINING:
            if out and out[-1] == mark:
                joined = code == ZWJ
            elif code in has:
                out.append(ch)
        elif joined:
            joined = False  # the next emoji of a ZWJ sequence: the same mark
        else:
            out.append(mark)
    return "".join(out)


def drawable_slip(slip: Slip, has: Container[int]) -> Slip:
    """The slip with every string made :func:`drawable` in the font whose characters are
    ``has`` (□ when the font has it, else ?)."""
    mark = MISSING if ord(MISSING) in has else FALLBACK
    fix: Callable[[str], str] = lambda text: drawable(text, has, mark)  # noqa: E731

    def line(item: Line) -> Line:
        if isinstance(item, Field):
            return replace(item, label=fix(item.label), value=fix(item.value))
        if isinstance(item, Text):
            return replace(item, text=fix(item.text))
        assert isinstance(item, Signature)
        return replace(item, label=fix(item.label))

    return replace(
        slip, title=fix(slip.title), header=tuple(fix(h) for h in slip.header),
        sections=tuple(replace(s, title=fix(s.title) if s.title else s.title,
                               lines=tuple(line(x) for x in s.lines)) for s in slip.sections),
    )
