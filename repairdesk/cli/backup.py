"""``repairdesk backup|restore``: verified copies of the counter store.

No ``from __future__ import annotations`` (typer reads these annotations at run time).
"""

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from repairdesk.cli.output import emit_json, say
from repairdesk.cli.state import STATE
from repairdesk.errors import StoreError
from repairdesk.i18n import _
from repairdesk.settings import load_settings


def register(app: typer.Typer, opened: Any, read_document: Any, db_opt: Any, lang_opt: Any,
             json_opt: Any) -> None:
    def store_path() -> Path:
        return STATE.store_path(load_settings())

    def identified(action: str, *, broken_ok: bool = False) -> None:
        """The ``--as`` user, logged in and allowed ``action`` by the store at the path.
        ``broken_ok``: no store there, or one that does not open, has nobody to ask (a
        broken store is what one restores over)."""
        try:
            with opened() as desk:
                desk.trust.require(action)
        except StoreError:
            if not broken_ok:
                raise

    @app.command("backup", help=_("trust.help_backup"))
    def backup_command(
        to: Annotated[Optional[Path], typer.Option("--to", help=_("trust.help_backup_to"))] = None,
        as_json: json_opt = False,
    ) -> None:
        from repairdesk.backup import backup

        identified("store.backup")
        info = backup(store_path(), to)
        if as_json:
            emit_json(info.to_dict())
        else:
            say(_("trust.backup_done", path=str(info.path), tickets=info.tickets))

    @app.command("restore", help=_("trust.help_restore"))
    def restore_command(
        source: Annotated[Path, typer.Argument(metavar="FILE")],
        other_counter: Annotated[bool, typer.Option(
            "--other-counter", help=_("restore.help_other_counter"))] = False,
        as_json: json_opt = False,
    ) -> None:
        from repairdesk.restore import restore

        # Closed again before the restore, which wants the store to itself.
        if other_counter:
            identified("store.restore_other_counter", broken_ok=True)
        else:
            identified("store.restore", broken_ok=True)
        result = restore(source, store_path(), other_counter=other_counter)
        if as_json:
            emit_json(result.to_dict())
            return
        say(_("trust.restore_done", path=str(source), tickets=result.backup.tickets))
        if result.aside:
            say(_("trust.restore_aside", path=str(result.aside)))
        done = result.replayed
        if done.batches:
            say(_("restore.replayed", first=done.batches[0],
                  last=done.batches[-1], rows=done.rows, events=done.events))
        if done.missing is not None:
            say(_("restore.replay_missing", seq=done.missing, reason=done.reason))
        if result.unexported and result.aside:
            say(_("restore.unexported", count=result.unexported, path=str(result.aside)))
