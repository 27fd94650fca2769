"""Who acts at the command line (``--as NAME``): a user's PIN, read from the environment or a
hidden prompt.

PINs never go on the command line (other users of the PC could read them in the process
list). No ``from __future__ import annotations`` is needed here: nothing is read by typer.
"""

import os
from collections.abc import Callable
from typing import Any

import typer

from repairdesk.cli.state import STATE
from repairdesk.errors import InputError
from repairdesk.i18n import _


def secret(env: str, prompt: str) -> str:
    """The value of ``env``, else what the user types at a hidden ``prompt``."""
    value = os.environ.get(env)
    if value is not None:
        return value
    try:
        return str(typer.prompt(prompt, hide_input=True))
    except (typer.Abort, EOFError):
        raise InputError("pin", _("core.required")) from None


def identify(desk: Any, writes: bool) -> None:
    """Log the ``--as`` user in (repairdesk.cli.app.opened calls it for every command).

    A counter with no users yet is one person: every command runs as the counter, as the
    app does. Once it has users, a command that changes the store (repairdesk/permissions.py
    STATE_CHANGING_COMMANDS) runs only as an identified user; a read runs as whoever
    ``--as`` names, or anonymously without it.
    """
    log_in_as(desk.trust.count_users() > 0, desk.trust.login, writes, "access.as_required")


def log_in_as(has_users: bool, login: Callable[[str, str], object], writes: bool,
              required: str) -> None:
    """``login(NAME, PIN)`` for ``--as NAME`` where there are users (the counter's or
    HQ's); without ``--as``, a command that ``writes`` is refused with message ``required``."""
    if not has_users:
        return
    name = STATE.user
    if not name:
        if writes:
            raise InputError("--as", _(required))
        return
    login(name, secret("REPAIRDESK_PIN", _("trust.prompt_pin", name=name)))
