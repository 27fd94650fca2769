"""The HQ workspace's one dialog: a reason, for a counter's suspension, resumption or
retirement. The change is made by the dialog's caller; a refusal (no reason, a role that
may not) is shown in the dialog, which stays open, and nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from repairdesk.i18n import _
from screens.commands import Command, bindings, commands
from screens.hq.base import HqModal

CLOSE = commands(Command("close-dialog", "escape", "close", "app"))


class ReasonDialog(HqModal[bool]):
    """``act(reason)`` runs on Enter; the dialog closes with True once it has succeeded."""

    KEYS = CLOSE
    BINDINGS: ClassVar[list[BindingType]] = [*HqModal.BINDINGS, *bindings(KEYS)]

    def __init__(self, question: str, act: Callable[[str], object]) -> None:
        super().__init__()
        self.question = question
        self.act = act

    def compose(self) -> ComposeResult:
        with Vertical(id="reason-box"):
            yield Static(self.question, id="reason-question")
            yield Input(id="reason-text", placeholder=_("hqui.reason_hint"))
            yield Static("", id="reason-error", classes="field-error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#reason-text", Input).focus()

    @on(Input.Submitted, "#reason-text")
    def answered(self) -> None:
        try:
            self.act(self.query_one("#reason-text", Input).value)
        except Exception as exc:  # noqa: BLE001 - said in the dialog, the app goes on
            self.query_one("#reason-error", Static).update(self.failure(exc))
            return
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
