"""The ``repairdesk`` console script: the CLI of the core, with the counter app plugged in."""

from __future__ import annotations

from pathlib import Path

from repairdesk.cli import main as cli_main
from repairdesk.settings import Settings


def open_app(store: Path, settings: Settings) -> None:
    from repairdesk.desk import Desk
    from screens.app import RepairDeskApp

    desk = Desk.open(store, region=settings.phone_region)
    try:
        RepairDeskApp(desk, keymap=settings.keymap, idle_minutes=settings.idle_minutes).run()
    finally:
        desk.close()


def main() -> None:
    cli_main(open_tui=open_app)
