"""RepairDeskApp: the counter's Textual face. It talks to the core only through a Desk."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.widgets import HelpPanel

from repairdesk.desk import Desk
from repairdesk.i18n import _
from screens.board import BoardScreen


class RepairDeskApp(App[None]):
    """Holds the injected desk; screens reach it as ``self.app.desk``."""

    TITLE = "RepairDesk"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "toggle_help", _("tui.key_help"), id="help", priority=True),
        Binding("ctrl+q", "quit", _("tui.key_quit"), id="quit", priority=True),
    ]

    def __init__(self, desk: Desk, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.desk = desk
        self._keymap = keymap or {}

    def on_mount(self) -> None:
        if self._keymap:
            self.set_keymap(self._keymap)
        counter = self.desk.counter()
        self.title = counter.name if counter else _("tui.no_counter")
        self.sub_title = counter.code if counter else ""
        self.push_screen(BoardScreen())

    def action_toggle_help(self) -> None:
        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()
