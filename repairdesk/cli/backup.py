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
        as_json: json_opt = False,
    ) -> None:
        from repairdesk.backup import restore

        identified("store.restore", broken_ok=True)
        info, aside = restore(source, store_path())
        if as_json:
            emit_json({**info.to_dict(), "previous": str(aside) if aside else None})
        else:
            say(_("trust.restore_done", path=str(source), tickets=info.tickets))
            if aside:
                say(_("trust.restore_aside", path=str(aside)))
