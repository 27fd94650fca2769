"""The ``repairdesk`` console script: the CLI of the core, with the counter app plugged in."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from repairdesk.cli import main as cli_main

if TYPE_CHECKING:  # imported by repairdesk.cli.main once it has paused the collector
    from repairdesk.settings import Settings


def open_app(store: Path, settings: Settings, *, clock: Any = None, **run: Any) -> None:
    """Open the counter app on ``store``. The facade starts as an OpeningDesk (the first
    screen is read without the ORM, repairdesk/opening.py); the app loads the rest and makes
    the day's backup once the board is drawn. ``clock`` and ``run`` (``App.run``'s options)
    are for the start benchmark (benchmarks/start_child.py)."""
    from repairdesk.opening import open_desk
    from screens.app import RepairDeskApp

    options: dict[str, Any] = {"region": settings.phone_region}
    if clock is not None:
        options["clock"] = clock
    desk = open_desk(store, **options)
    app = RepairDeskApp(desk, keymap=settings.keymap, idle_minutes=settings.idle_minutes,
                        backup_keep=settings.backup_keep)
    try:
        app.run(**run)
    finally:
        desk.close()
    # Textual ends the app on an unhandled error with return code 1 and the traceback
    # printed: the exit status must say so, so a script (or the person) never takes a
    # crash for a clean quit.
    if app.return_code:
        raise SystemExit(app.return_code)


def open_hq(url: str, settings: Settings, *, network_policy: Path | None = None) -> None:
    """Open HQ's workspace on the HQ database at ``url`` (``repairdesk hq app``)."""
    from repairdesk.hq.facade import Hq
    from screens.hq.app import HqApp

    hq = Hq.open(url, network_policy=network_policy)
    app = HqApp(hq, keymap=settings.keymap)
    try:
        app.run()
    finally:
        hq.close()
    if app.return_code:
        raise SystemExit(app.return_code)


def serve_hq(url: str, host: str, port: int, *, network_policy: Path | None = None,
             serving: Any = None) -> None:
    """Serve HQ's workspace to browsers (``repairdesk hq serve``): textual-serve runs one
    ``repairdesk hq app`` per browser session, in the language of this command, and each
    session logs in as an HQ user; ``serving`` is told the address first. The database is named to the sessions by the
    environment, not on their command line: a PostgreSQL URL may hold a password, which
    neither the process list nor the page's title should show."""
    import os
    import shlex
    import sys

    from textual_serve.server import Server

    from repairdesk.hq.facade import Hq
    from repairdesk.i18n import get_language

    if "://" not in url:
        url = str(Path(url).expanduser().resolve())  # the sessions may start elsewhere
    Hq.open(url, network_policy=network_policy).close()  # said here, not in each session
    os.environ["REPAIRDESK_HQ_DB"] = url
    if network_policy is not None:
        os.environ["REPAIRDESK_HQ_NETWORK"] = str(network_policy.expanduser().resolve())
    command = shlex.join([sys.executable, "-m", "screens.main", "--lang", get_language(),
                          "hq", "app"])
    server = Server(command, host=host, port=port, title="RepairDesk HQ")
    if serving is not None:
        serving(f"{server.public_url}/")  # before textual-serve's own banner
    server.serve()


def main() -> None:
    from repairdesk.owner_only import restrict_process

    restrict_process()  # as cli_main does: set first, before anything is opened
    cli_main(open_tui=open_app, open_hq=open_hq, serve_hq=serve_hq)


if __name__ == "__main__":  # the sessions of `repairdesk hq serve` start it so
    main()
