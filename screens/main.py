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


def main() -> None:
    from repairdesk.owner_only import restrict_process

    restrict_process()  # as cli_main does: set first, before anything is opened
    cli_main(open_tui=open_app)
