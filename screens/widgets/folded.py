"""Paragraphs folded to the width they are shown at, with the line-breaking rules of the
slips (repairdesk/printing/wrap.py): a line never starts with 、or 。, a number is never
cut, and a bulleted line's continuation is indented under its text. Textual folds Chinese,
which has no spaces, at whatever character meets the edge, and moves a long reason whole
to the line under its bullet."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from repairdesk.printing.wrap import wrap

BULLETS = ("• ", "- ", "· ")


def _hang(line: str) -> int:
    """Columns a continuation line is indented by: past leading spaces and a bullet."""
    stripped = line.lstrip(" ")
    indent = len(line) - len(stripped)
    for bullet in BULLETS:
        if stripped.startswith(bullet):
            return indent + cell_len(bullet)
    return indent


def fold(text: Text | str, width: int) -> Text:
    """``text`` with its lines folded to ``width`` cells, its styles kept."""
    source = text if isinstance(text, Text) else Text(text)
    out = Text(end="", no_wrap=True)
    for index, line in enumerate(source.split("\n", allow_blank=True)):
        if index:
            out.append("\n")
        plain = line.plain
        if cell_len(plain) <= width:
            out.append_text(line)
            continue
        hang = min(_hang(plain), width // 2)
        head = plain[:hang]
        pieces = wrap(plain[hang:], width - hang, cell_len)
        at = hang
        for number, piece in enumerate(pieces):
            start = plain.find(piece, at)
            if start < 0:  # wrap() cleaned a control character: keep the text as it is
                out.append(piece)
                continue
            if number:
                out.append("\n" + " " * cell_len(head))
            else:
                out.append_text(line[:hang])
            out.append_text(line[start:start + len(piece)])
            at = start + len(piece)
    return out


class FoldedText(Static):
    """A Static whose content is folded by :func:`fold` at the width it is given."""

    def __init__(self, content: Text | str = "", **options: object) -> None:
        super().__init__(content, **options)  # type: ignore[arg-type]
        self.source: Text | str = content

    def update(self, content: object = "", *, layout: bool = True) -> None:  # type: ignore[override]
        self.source = content if isinstance(content, (Text, str)) else str(content)
        self._fold(layout=layout)

    def _fold(self, *, layout: bool = True) -> None:
        width = self.content_region.width
        shown = fold(self.source, width) if width > 0 else self.source
        super().update(shown, layout=layout)

    def on_resize(self, event: Resize) -> None:
        self._fold()
