"""What every ``repairdesk hq`` command shares: the HQ database option, the policy option,
and the HQ facade opened with the ``--as`` user logged in.

Once the HQ database has users, a command that changes it (repairdesk/permissions.py
HQ_STATE_CHANGING_COMMANDS) runs only as an identified HQ user (``--as NAME``, the PIN from
REPAIRDESK_PIN or a hidden prompt); a read runs as whoever ``--as`` names, or anonymously.
No ``from __future__ import annotations`` here: typer reads the option types at run time.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from repairdesk.cli.pin import log_in_as
from repairdesk.cli.state import STATE
from repairdesk.i18n import _
from repairdesk.permissions import HQ_STATE_CHANGING_COMMANDS

HqDbOpt = Annotated[str, typer.Option("--hq-db", envvar="REPAIRDESK_HQ_DB", metavar="URL",
                                      help=_("sync.help_hq_db"))]
HqKeyOpt = Annotated[Optional[Path], typer.Option("--hq-key", envvar="REPAIRDESK_HQ_KEY",
                                                  help=_("sync.help_hq_key"))]
NetworkOpt = Annotated[Optional[Path], typer.Option(
    "--network-policy", envvar="REPAIRDESK_HQ_NETWORK", metavar="TOML",
    help=_("hqcli.help_network_policy"))]
SinceOpt = Annotated[Optional[str], typer.Option("--since", metavar="DATE",
                                                 help=_("sync.help_since"))]
PrefixOpt = Annotated[str, typer.Option("--prefix", help=_("sync.help_prefix"))]
CountryOpt = Annotated[str, typer.Option("--country", help=_("sync.help_country"))]


@contextmanager
def hq_opened(url: str, *, check: bool = True, network_policy: Optional[Path] = None
              ) -> Iterator[Any]:
    """The HQ facade, with the ``--as`` user logged in (see the module's docstring)."""
    from repairdesk.hq.facade import Hq

    hq = Hq.open(url, check=check, network_policy=network_policy)
    try:
        if check or hq.schema_ready():
            identify(hq, STATE.command in HQ_STATE_CHANGING_COMMANDS)
        yield hq
    finally:
        hq.close()


def identify(hq: Any, writes: bool) -> None:
    log_in_as(hq.has_users(), hq.login, writes, "hqnet.as_required")
