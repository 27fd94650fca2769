"""No character of the data that a terminal acts on reaches it from the counter app.

Textual hands a widget's text to the terminal as it is: an ESC in a customer's name (``ESC
[2J`` clears the screen, an OSC 52 writes the clipboard) or a bidi override in a note would
act there. Input is refused them (repairdesk/freetext.py), but a store written before that,
or with sqlite3, may hold them: this filter takes them out of every line the app draws,
whichever widget drew it. Each took no cell in the layout, so nothing moves.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from repairdesk.inert import removed


class InertLines(LineFilter):
    """Every drawn line without control, bidi or surrogate characters."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if all(segment.text.isprintable() for segment in segments):
            return segments
        return [segment if segment.control or segment.text.isprintable()
                else Segment(removed(segment.text), segment.style) for segment in segments]
