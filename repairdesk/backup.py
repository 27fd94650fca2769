"""Backups of the counter store: SQLite's online backup, verified by opening the copy.

A backup is taken while the app may be writing (the online backup API copies a consistent
snapshot), checked with ``PRAGMA integrity_check`` and for a RepairDesk schema this version
knows, and only then counted as a backup. Restore (:mod:`repairdesk.restore`) refuses
anything else.

A backup is written as ``<name>.partial`` and renamed when verified. The backup writing it
holds a lock on the partial file, so the next backup tells a killed backup's leftover (no
lock: removed) from one still being written by another process (locked: left alone).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from repairdesk import owner_only
from repairdesk.errors import InputError, StoreError
from repairdesk.i18n import _
from repairdesk.store_files import backups_dir
from repairdesk.store_lock import try_lock

STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    tickets: int
    revisions: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"path": str(self.path), "size": self.size, "tickets": self.tickets,
                "revisions": list(self.revisions)}


__all__ = ["BackupInfo", "backup", "backups_dir", "daily_backup", "remove_stale_partials",
           "verify"]
PARTIAL = ".partial"


def verify(path: Path, field: str = "FILE") -> BackupInfo:
    """The facts of a RepairDesk store file, or InputError saying why it is not one."""
    if not path.is_file():
        raise InputError(field, _("trust.backup_missing", path=str(path)))
    try:
        # Read-only URI: verifying a file must never change it (no WAL, no journal).
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            if conn.execute("pragma integrity_check").fetchone() != ("ok",):
                raise InputError(field, _("trust.backup_corrupt", path=str(path)))
            tables = {r[0] for r in conn.execute("select name from sqlite_master")}
            if not {"alembic_version", "counter", "ticket"} <= tables:
                raise InputError(field, _("trust.backup_not_repairdesk", path=str(path)))
            revisions = tuple(r[0] for r in conn.execute("select version_num from alembic_version"))
            tickets = conn.execute("select count(*) from ticket").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise InputError(field, _("trust.backup_not_repairdesk", path=str(path))) from exc
    # The revisions this version knows, read from the migration scripts' source (Alembic
    # would import every script: the daily backup runs inside the app after it opens).
    from repairdesk.db import known_revisions

    for revision in revisions:
        if revision not in known_revisions():  # written by a newer RepairDesk
            raise InputError(field, _("core.store_too_new", revision=revision))
    return BackupInfo(path, path.stat().st_size, tickets, revisions)


def backup(store: Path, to: Path | None = None, now: datetime | None = None) -> BackupInfo:
    """Copy ``store`` to ``to`` (default: the backups folder, time-stamped) and verify it."""
    if not store.is_file():
        raise StoreError(_("core.store_missing", path=str(store)))
    stamp = (now or datetime.now().astimezone()).strftime(STAMP)
    target = to or backups_dir(store) / f"{store.stem}-{stamp}.sqlite3"
    owner_only.make_dir(target.parent)
    partial = target.with_name(target.name + PARTIAL)
    partial.unlink(missing_ok=True)  # a killed backup's, of the same name
    held = try_lock(partial, exclusive=True)
    remove_stale_partials(backups_dir(store))
    try:
        owner_only.touch(partial)  # the copy holds the PIN hashes: owner-only from the start
        source = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
            copy.execute("pragma journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
            source.close()
        info = verify(partial)
        partial.replace(target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(_("trust.backup_failed", path=str(target), error=str(exc))) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        if held is not None:
            held.release()
    return BackupInfo(target, info.size, info.tickets, info.revisions)


def remove_stale_partials(folder: Path) -> list[Path]:
    """Remove the ``.partial`` files of killed backups in ``folder`` (a backup in progress
    holds its partial file locked: that one stays)."""
    removed = []
    for partial in sorted(folder.glob(f"*{PARTIAL}")) if folder.is_dir() else []:
        held = try_lock(partial, exclusive=True)
        if held is None:
            continue
        try:
            partial.unlink(missing_ok=True)
            removed.append(partial)
        finally:
            held.release()
    return removed


def daily_backup(store: Path, keep: int, now: datetime | None = None) -> BackupInfo | None:
    """The first start of each day backs the store up; only the newest ``keep`` are kept."""
    if not store.is_file() or keep <= 0:
        return None
    now = now or datetime.now().astimezone()
    folder = backups_dir(store)
    today = now.strftime("%Y%m%d")
    existing = sorted(folder.glob(f"{store.stem}-*.sqlite3")) if folder.is_dir() else []
    made = None
    if not any(p.name.startswith(f"{store.stem}-{today}-") for p in existing):
        made = backup(store, now=now)
        existing = sorted(folder.glob(f"{store.stem}-*.sqlite3"))
    for old in existing[:-keep]:
        old.unlink(missing_ok=True)
    return made
