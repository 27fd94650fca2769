"""``repairdesk hq app`` and ``repairdesk hq serve``: HQ's workspace in a terminal, and the
same workspace served to browsers.

The core's CLI never imports the screens: the console script (screens/main.py) hands in
the two functions that open and serve the app, as it does the counter app's. Neither
command logs anyone in (``--as``): the workspace asks for an HQ user and PIN itself.

No ``from __future__ import annotations`` here: typer reads the option types at run time.
"""

from typing import Annotated, Any, Optional

import typer

from repairdesk.cli.hq_common import HqDbOpt, NetworkOpt
from repairdesk.errors import InputError
from repairdesk.i18n import _

DEFAULT_PORT = 8040
#: As every command's: refusals (a database that cannot be opened) come as JSON on stderr.
JsonOpt = Annotated[bool, typer.Option("--json", help=_("cli.help_json"))]


def register(hq_app: typer.Typer, open_hq: Optional[Any], serve_hq: Optional[Any]) -> None:
    @hq_app.command("app", help=_("hqui.help_app"))
    def hq_app_command(hq_db: HqDbOpt, network_policy: NetworkOpt = None,
                       as_json: JsonOpt = False) -> None:
        if open_hq is None:
            raise InputError("tui", _("hqui.no_app"))
        from repairdesk.settings import load_settings

        open_hq(hq_db, load_settings(), network_policy=network_policy)

    @hq_app.command("serve", help=_("hqui.help_serve"))
    def hq_serve(
        hq_db: HqDbOpt,
        host: Annotated[str, typer.Option("--host", help=_("hqui.help_host"))] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", min=1, max=65535,
                                          help=_("hqui.help_port"))] = DEFAULT_PORT,
        network_policy: NetworkOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        if serve_hq is None:
            raise InputError("tui", _("hqui.no_app"))

        def serving(url: str) -> None:
            from repairdesk.cli.output import emit_json, say

            if as_json:
                emit_json({"url": url})
            else:
                say(_("hqui.serving", url=url))

        serve_hq(hq_db, host, port, network_policy=network_policy, serving=serving)
