"""Building blocks of the forms: a scrolling form body and labelled fields with their errors."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Label, Static


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
