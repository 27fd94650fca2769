"""Who acts at the command line: a user's PIN, read from the environment or a hidden prompt.

PINs never go on the command line (other users of the PC could read them in the process
list). No ``from __future__ import annotations`` is needed here: nothing is read by typer.
"""

import os
from typing import Any, Optional

import typer

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


def act_as(desk: Any, name: Optional[str]) -> None:
    """Log ``name`` in for a manager-only action (``--as NAME``), once the store has users;
    without a name, or in a store with no users yet, nothing happens."""
    if not name or desk.trust.count_users() == 0:
        return
    desk.trust.login(name, secret("REPAIRDESK_PIN", _("trust.prompt_pin", name=name)))
