"""Building blocks of the forms: a scrolling form body and labelled fields with their errors."""

from __future__ import annotations

from collections.abc import Iterable
from time import monotonic

from rich.text import Text
from textual import events
from textual._widget_navigation import find_next_enabled_no_wrap
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.reactive import Reactive
from textual.visual import visualize
from textual.widget import Widget
from textual.widgets import Input, Label, SelectionList, Static


class Form(VerticalScroll, can_focus=False):
    """The body of a form. Not itself a stop for Tab: only its fields are."""


class FieldRow(Horizontal):
    """A label (a share of the width, so Chinese labels fit) and, beside it, the field with
    whatever goes under it (its error, what a lookup found)."""

    def __init__(self, label: str, *widgets: Widget, classes: str = "") -> None:
        super().__init__(classes=f"field {classes}".strip())
        self.label = label
        self.widgets = widgets

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        with Vertical(classes="field-body"):
            yield from self.widgets


class FieldError(Static):
    """The message under a field, in the UI language; hidden while there is none."""

    def __init__(self, field_id: str) -> None:
        super().__init__("", id=f"{field_id}-error", classes="field-error", markup=False)

    def show(self, message: str | None) -> None:
        self.update(message or "")
        self.set_class(bool(message), "-shown")


class TypedField(Input):
    """An Input whose typing repaints the field alone.

    Textual's Input sets its virtual size (the width of its text) on every keystroke, and
    ``virtual_size`` asks for a new layout of the whole screen: on the intake form (about
    150 widgets) that made each key cost a full reflow, past the 16 ms a frame allows. The
    text's width only scrolls the field inside its own box, which a repaint covers; an
    Input sized by its content (``width: auto``) still asks for the layout it needs.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


def update_text(widget: Static, content: str | Text) -> None:
    """``widget.update(content)``, asking for a new layout only when its height changes:
    a layout of a whole form costs about a keystroke's frame (see TypedField)."""
    width = widget.content_size.width
    least = widget.styles.min_height
    lines = least.cells or 0 if least is not None and least.is_cells else 0
    before = widget.visual.get_height(widget.styles, width) if widget.content else 0
    after = visualize(widget, content).get_height(widget.styles, width) if content else 0
    widget.update(content, layout=not width or max(before, lines) != max(after, lines))


#: Type-ahead letters typed further apart than this start a new search.
TYPE_AHEAD_SECONDS = 1.0


class TickList(SelectionList[str]):
    """A list ticked from the keyboard without walking it: a digit ticks (or unticks) the
    item of that number (the first nine are shown numbered), letters tick the item whose
    name (or code) starts with them once only one does. Up and Down stop at the ends: a
    highlight that wraps from the top to the bottom ticks the wrong item unseen."""

    def __init__(self, items: Iterable[tuple[str, str]], **options: object) -> None:
        listed = list(items)
        # An item is found by its name or by its code (Latin letters in a Chinese UI).
        self.names = [(label.casefold(), value.casefold()) for label, value in listed]
        numbered = [(f"{index} {label}" if index <= 9 else f"  {label}", value)
                    for index, (label, value) in enumerate(listed, start=1)]
        super().__init__(*numbered, **options)  # type: ignore[arg-type]
        self.typed = ""
        self.typed_at = 0.0
        self.found: int | None = None  # the item the letters typed so far ticked

    def reset(self, ticked: Iterable[str] = ()) -> None:
        """As a new intake starts: the first item highlighted, only ``ticked`` ticked."""
        self.deselect_all()
        for value in ticked:
            self.select(value)
        self.highlighted = 0 if self.option_count else None
        self.scroll_home(animate=False)
        self.typed, self.found = "", None

    def action_cursor_up(self) -> None:
        self.step(-1)

    def action_cursor_down(self) -> None:
        self.step(1)

    def step(self, direction: int) -> None:
        if self.highlighted is None:
            self.highlighted = 0 if self.option_count else None
            return
        found = find_next_enabled_no_wrap(self._options, self.highlighted, direction)  # type: ignore[arg-type]
        if found is not None:
            self.highlighted = found

    def tick(self, index: int) -> None:
        self.highlighted = index
        self.toggle(self.get_option_at_index(index).value)

    def on_key(self, event: events.Key) -> None:
        char = event.character
        if not char or not char.isprintable() or char.isspace():
            return
        event.stop()
        event.prevent_default()
        if char.isdigit():
            self.typed, self.found = "", None
            if 1 <= int(char) <= min(9, self.option_count):
                self.tick(int(char) - 1)
            return
        now = monotonic()
        if now - self.typed_at >= TYPE_AHEAD_SECONDS:
            self.typed, self.found = "", None
        typed = self.typed + char
        self.typed_at = now
        matches = self.starting_with(typed.casefold())
        if not matches:  # a new word: start again from this letter
            typed, matches = char, self.starting_with(char.casefold())
            self.found = None
        self.typed = typed
        if matches == [self.found]:
            return  # more letters of the item just ticked
        if len(matches) == 1 or (matches and typed.casefold() in self.names[matches[0]]):
            self.found = matches[0]
            self.tick(matches[0])
        elif matches:
            self.highlighted = matches[0]

    def starting_with(self, typed: str) -> list[int]:
        return [index for index, names in enumerate(self.names)
                if any(name.startswith(typed) for name in names)]
