"""Putting a file in place of the store with never a moment without a valid store there.

The incoming store is prepared in full in a temporary file beside the store (copied with
SQLite's backup API, upgraded, replayed), made one self-contained file, flushed to disk, and
renamed over the store: a rename within a folder is atomic, so the path holds the old store
or the new one, whatever moment the power goes.

The store replaced is kept aside under another name first, by a hard link (the same file: no
copy, no gap), with its WAL and shared-memory files, which hold its latest commits whenever
its last process was killed rather than closed.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from repairdesk.store_files import fsync_dir

SIDE_FILES = ("-wal", "-shm")


def incoming_path(store: Path) -> Path:
    return store.with_name(store.name + ".restoring")


def _with(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def discard(path: Path) -> None:
    for suffix in ("", *SIDE_FILES):
        _with(path, suffix).unlink(missing_ok=True)


def copy_in(source: Path, target: Path) -> None:
    """``source`` (a verified backup) into ``target`` through SQLite's backup API."""
    discard(target)  # a killed restore's leftover
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def seal(path: Path) -> None:
    """One self-contained file (its WAL folded in), flushed to disk."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()
    for suffix in SIDE_FILES:
        _with(path, suffix).unlink(missing_ok=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fold_wal(store: Path) -> None:
    """Write the WAL's commits into the store file itself (no one else has it open: the
    restore holds its lock). A store too damaged for that keeps its WAL beside it."""
    try:
        conn = sqlite3.connect(store)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    except sqlite3.Error:
        pass


def keep_aside(store: Path, aside: Path) -> Path | None:
    """The current store (with its WAL and shared memory) also under ``aside``; None when
    there is no store."""
    if not store.exists():
        return None
    fold_wal(store)
    for suffix in ("", *SIDE_FILES):
        current, kept = _with(store, suffix), _with(aside, suffix)
        if not current.exists():
            continue
        kept.unlink(missing_ok=True)
        try:
            os.link(current, kept)
        except OSError:  # a file system without hard links: a copy, then
            shutil.copy2(current, kept)
    fsync_dir(store.parent)
    return aside


def put_in_place(incoming: Path, store: Path) -> None:
    """Rename ``incoming`` (sealed) over ``store``. The old store's WAL must not meet the new
    file (SQLite would apply it to it): it is kept aside already, and is removed first. The
    old main file stays at the path until the rename; its last commits are in the WAL kept
    aside."""
    for suffix in SIDE_FILES:
        _with(store, suffix).unlink(missing_ok=True)
    os.replace(incoming, store)
    fsync_dir(store.parent)
