"""Who is at HQ: an HQ user's name and PIN, before anything of the network is shown.

The facade checks the PIN and makes the next try wait after a wrong one (as the counter's
login does); the screen says what it answered. An HQ database without users has nobody to
log in as: the screen says how to add the first one (the admin), and only quitting works.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from repairdesk.errors import InputError
from repairdesk.i18n import _
from screens.base import NEXT_FIELD, TABS
from screens.commands import bindings
from screens.hq.base import HqScreen

FIRST_USER = "repairdesk hq user add NAME --role admin"


class HqLoginScreen(HqScreen[str]):
    # Enter as the counter's forms take it: the keys typed before it land in the field they
    # were typed in, however fast they come (a PIN typed right after the name's Enter goes
    # to the PIN field, never onto the end of the name).
    BINDINGS: ClassVar[list[BindingType]] = [*TABS, *bindings(NEXT_FIELD)]

    def compose(self) -> ComposeResult:
        self.has_users = self.hq.has_users()
        with Vertical(id="login-box"):
            yield Static(_("hqui.login_title"), id="login-title")
            if not self.has_users:
                yield Static(_("hqui.login_no_users", command=FIRST_USER), id="login-none")
                return
            yield Label(_("hqui.login_user"))
            yield Input(id="login-user")
            yield Label(_("hqui.login_pin"))
            yield Input(id="login-pin", password=True, max_length=8)
            yield Static("", id="login-error", classes="field-error", markup=False)

    def on_mount(self) -> None:
        if self.has_users:
            self.query_one("#login-user", Input).focus()

    def field_entered(self, field: Input) -> None:
        if field.id == "login-user":
            # set_focus at once, not Widget.focus (which waits its turn): the PIN typed right
            # after this Enter must find its field focused.
            self.set_focus(self.query_one("#login-pin", Input))
        else:
            self.try_login()

    def try_login(self) -> None:
        name = self.query_one("#login-user", Input).value
        pin_input = self.query_one("#login-pin", Input)
        try:
            user = self.hq.login(name, pin_input.value)
        except InputError as exc:
            pin_input.value = ""
            self.query_one("#login-error", Static).update(exc.reason)
            return
        except Exception as exc:  # noqa: BLE001 - the database failed: said, the app goes on
            self.query_one("#login-error", Static).update(self.failure(exc))
            return
        self.dismiss(user.name)
