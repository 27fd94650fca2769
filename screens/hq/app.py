"""HqApp: HQ's workspace, the same framework as the counter app, over the HQ facade only.

A login comes first (an HQ user and PIN), on a screen of its own: nothing of the network
is drawn before someone is logged in, which matters once the app is served to browsers
(``repairdesk hq serve``). Then five workspaces, Textual modes switched by keys: the inbox
(F2), the network's registry (F3), the reports (F4), warranty settlement (F5) and parts
(F9: F6-F8 act on the network's counters).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.binding import BindingType
from textual.command import CommandPalette
from textual.filter import LineFilter
from textual.screen import ModalScreen, Screen

from repairdesk.i18n import _
from screens.commands import Command, bindings, commands, localise_bindings
from screens.hq.base import HqCommand, HqScreen
from screens.hq.settle_keys import WORKSPACE as SETTLEMENT
from screens.inert import InertLines
from screens.keyhold import KeyHoldMixin
from screens.palette import CommandsMixin

if TYPE_CHECKING:
    from repairdesk.hq.facade import Hq

WORKSPACES = ("inbox", "network", "reports", "settlement", "parts")
_INERT = InertLines()


class HqApp(CommandsMixin, KeyHoldMixin):
    """Holds the HQ facade; screens reach it as ``self.app.hq``."""

    TITLE = "RepairDesk HQ"
    CSS_PATH = "hq.tcss"
    MODES: ClassVar[dict[str, str | Callable[[], Screen]]] = {
        "inbox": lambda: _inbox_screen(),
        "network": lambda: _network_screen(),
        "reports": lambda: _reports_screen(),
        "settlement": lambda: _settlement_screen(),
        "parts": lambda: _parts_screen(),
    }
    KEYS = commands(
        Command("help", "f1", "toggle_help", "app", priority=True),
        HqCommand("hq-inbox", "f2", "workspace('inbox')", "view", priority=True),
        HqCommand("hq-network", "f3", "workspace('network')", "view", priority=True),
        HqCommand("hq-reports", "f4", "workspace('reports')", "view", priority=True),
        SETTLEMENT,
        HqCommand("hq-parts", "f9", "workspace('parts')", "view", priority=True),
        Command("command-palette", "ctrl+p", "command_palette", "app", show=False,
                priority=True),
        Command("quit", "ctrl+q", "quit", "app", show=False, priority=True),
    )
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    def __init__(self, hq: Hq, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.hq = hq
        self.keymap = dict(keymap or {})
        localise_bindings(self)

    def on_mount(self) -> None:
        if self.keymap:
            self.set_keymap(self.keymap)
        self.title = _("hqui.title")
        self.ask_login()

    def ask_login(self) -> None:
        from screens.hq.login import HqLoginScreen

        def logged_in(name: str | None) -> None:
            self.sub_title = name or ""
            self.switch_mode("inbox")

        self.push_screen(HqLoginScreen(), logged_in)

    @property
    def logged_in(self) -> bool:
        return self.hq.user is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("workspace", "command_palette") and not self.logged_in:
            return False  # nothing but the login (and quitting) before someone logs in
        if action == "workspace":
            stack = self.screen_stack
            if stack and isinstance(stack[-1], CommandPalette):
                stack = stack[:-1]  # the palette offers what the screen under it can do
            if len(stack) > 1 or isinstance(stack[-1], ModalScreen):
                return False  # a dialog or a counter's form is answered (or closed) first
        return super().check_action(action, parameters)

    def action_workspace(self, mode: str) -> None:
        if mode != self.current_mode:
            self.switch_mode(mode)

    def get_line_filters(self) -> Sequence[LineFilter]:
        # Counters' names and addresses come from their batches: drawn inert (screens/inert.py).
        return (*super().get_line_filters(), _INERT)

    def help_about(self, screen: Screen) -> str:
        return screen.help_text() if isinstance(screen, HqScreen) else ""


def _inbox_screen() -> Screen:
    from screens.hq.inbox import InboxScreen

    return InboxScreen()


def _network_screen() -> Screen:
    from screens.hq.network import NetworkScreen

    return NetworkScreen()


def _reports_screen() -> Screen:
    from textual._context import active_app

    from screens.hq.reports import ReportsScreen

    app = active_app.get()
    assert isinstance(app, HqApp)
    return ReportsScreen(app.hq)


def _parts_screen() -> Screen:
    from screens.hq.parts import PartsScreen

    return PartsScreen()


def _settlement_screen() -> Screen:
    from screens.hq.settlement import SettlementScreen

    return SettlementScreen()


__all__ = ["WORKSPACES", "HqApp"]
