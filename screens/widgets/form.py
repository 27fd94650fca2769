"""Building blocks of the forms: a scrolling form body and labelled fields with their errors."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.reactive import Reactive
from textual.visual import visualize
from textual.widget import Widget
from textual.widgets import Input, Label, Static


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
