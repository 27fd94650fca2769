"""What the root options settled (which store), shared by the app and the commands.

Its own module so that a command module (``cli.backup``) reads it without importing
``cli.app``, which imports the command modules: no cycle between the siblings of
``repairdesk.cli`` (the acyclic contract in pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

from repairdesk.settings import Settings, demo_store_path


class Context:
    """What the root options settled: which store, which settings."""

    def __init__(self) -> None:
        self.db: Path | None = None
        self.demo = False
        self.user: str | None = None  # --as NAME: who runs the command
        self.command = ""  # the command running ("ticket move"), see cli.app._name_commands

    def store_path(self, settings: Settings, *, demo_default: bool = False) -> Path:
        if self.db:
            return Path(self.db)
        return demo_store_path() if self.demo or demo_default else settings.store_path()


STATE = Context()
