"""The files kept beside the counter store, and what their presence says about it.

``<store>`` is the SQLite file; beside it, in its folder: ``<store>.signing-key`` (the
counter's batch key, made at ``init``), ``<store>.head`` (the audit chain's head, rewritten
after each write), ``backups/<stem>-*.sqlite3``, and ``outbox/`` (every batch file the
counter exported, kept for a restore to replay).
"""

from __future__ import annotations

import os
from pathlib import Path

from repairdesk.errors import StoreError
from repairdesk.i18n import _

BATCH_SUFFIX = ".rdbatch"


def outbox_dir(store: Path) -> Path:
    return store.parent / "outbox"


def head_path(store: Path) -> Path:
    return store.with_name(store.name + ".head")


def signing_key_path(store: Path) -> Path:
    return store.with_name(store.name + ".signing-key")


def backups_dir(store: Path) -> Path:
    return store.parent / "backups"


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in ``path`` survive a power cut."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def traces_of(store: Path) -> list[Path]:
    """What beside a missing ``store`` shows one was there: its head file, its signing key,
    its backups, or an outbox of batches no other store in the folder can own."""
    found = [p for p in (head_path(store), signing_key_path(store)) if p.exists()]
    backups = backups_dir(store)
    if backups.is_dir() and any(backups.glob(f"{store.stem}-*.sqlite3")):
        found.append(backups)
    outbox = outbox_dir(store)
    # Several stores may share a folder (the demo store sits beside the real one): their
    # outbox is then no proof that this one existed.
    others = [p for p in store.parent.glob("*.sqlite3") if p != store] \
        if store.parent.is_dir() else []
    if not others and outbox.is_dir() and any(outbox.glob(f"*{BATCH_SUFFIX}")):
        found.append(outbox)
    return found


def refuse_if_lost(store: Path) -> None:
    """A store that is missing where one clearly was is not made again, empty: that would
    hide the loss (and restart ticket numbers and batches). A fresh machine has no traces."""
    traces = traces_of(store)
    if traces:
        raise StoreError(_("restore.store_lost", path=str(store),
                           traces=", ".join(str(p) for p in traces),
                           backups=str(backups_dir(store))))
