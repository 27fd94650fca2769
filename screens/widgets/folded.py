"""A paragraph folded to the width it is shown at, with the line-breaking rules of the
slips (repairdesk/printing/wrap.py): a line never starts with 、or 。, a number is never
cut. Rich folds Chinese text, which has no spaces, at whatever character meets the edge."""

from __future__ import annotations

from rich.cells import cell_len
from textual.events import Resize
from textual.widgets import Static

from repairdesk.printing.wrap import wrap


class FoldedText(Static):
    def __init__(self, text: str, **options: object) -> None:
        super().__init__(text, **options)  # type: ignore[arg-type]
        self.text = text

    def on_resize(self, event: Resize) -> None:
        width = self.content_region.width or event.size.width
        if width > 0:
            self.update("\n".join(wrap(self.text, width, cell_len)))
