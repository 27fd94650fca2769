"""A footer that shows only the keys it has room for, each one whole.

Textual's footer lays every key in a row and docks the command palette's key over its right
end: at 80 or 120 columns the ticket's keys ran under it and read "…Esc Back Ctr▏Ctrl+P
Commandsl". Here keys are shown in the order the screen declares them while they fit beside
the palette's key; the others stay in F1's list and the command palette.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


def key_cells(key: FooterKey) -> int:
    """Cells a compact footer key takes: "F6 Move status" and its margin (the palette's
    key: its border instead)."""
    text = f"{key.key_display} {key.description}" if key.description else key.key_display
    return cell_len(text) + 1


class FittingFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True)
        self._laid_out_for = 0

    def compose(self) -> ComposeResult:
        items = list(super().compose())
        width = self.size.width or self.app.size.width
        self._laid_out_for = width
        palette = [w for w in items
                   if isinstance(w, FooterKey) and w.has_class("-command-palette")]
        room = width - sum(key_cells(p) for p in palette)
        for item in items:
            if item in palette:
                continue
            if isinstance(item, FooterKey):
                if key_cells(item) > room:
                    continue  # a shorter key further on may still fit
                room -= key_cells(item)
            yield item
        yield from palette

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._laid_out_for:
            self.call_after_refresh(self.recompose)
