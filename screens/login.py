"""Who is at the counter: user and PIN at start and after the idle timeout.

Only when the counter has users set up (``repairdesk user add``); a counter without users is
one person and opens straight away. The screen cannot be dismissed without a good PIN: Esc
does nothing, Ctrl+Q still quits.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from repairdesk.errors import InputError
from repairdesk.i18n import _
from screens.base import DeskModal


class LoginScreen(DeskModal[str]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(self, *, locked: bool = False, user: str = "") -> None:
        super().__init__()
        self.locked = locked
        self.user = user

    def compose(self) -> ComposeResult:
        with Vertical(id="login-box"):
            title = _("tui.login_locked") if self.locked else _("tui.login_title")
            yield Static(title, id="login-title")
            yield Label(_("tui.login_user"))
            yield Input(self.user, id="login-user")
            yield Label(_("tui.login_pin"))
            yield Input(id="login-pin", password=True, max_length=8)
            yield Static("", id="login-error", classes="field-error")

    def on_mount(self) -> None:
        target = "#login-pin" if self.user else "#login-user"
        self.query_one(target, Input).focus()

    @on(Input.Submitted, "#login-user")
    def to_pin(self) -> None:
        self.query_one("#login-pin", Input).focus()

    @on(Input.Submitted, "#login-pin")
    def try_login(self) -> None:
        name = self.query_one("#login-user", Input).value
        pin_input = self.query_one("#login-pin", Input)
        try:
            user = self.desk_app.desk.trust.login(name, pin_input.value)
        except InputError as exc:
            pin_input.value = ""
            self.query_one("#login-error", Static).update(exc.reason)
            return
        self.dismiss(user.name)
