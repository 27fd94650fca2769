"""Who has the counter store open: an advisory lock on ``<store>.lock`` beside it.

Every process that opens the store (the counter app, each CLI command) holds the lock shared
until it closes the store; a restore takes it exclusively, without waiting. A process that
has the store open keeps writing to the file it opened, even once a restore has renamed
another file over its path: those writes would land in the store kept aside, never in the
restored one. So a restore is refused while anyone holds the lock.

The lock is a file of its own, not the store: a restore replaces the store's file, the lock
file stays where it is. ``flock`` locks are released by the kernel when a process dies, so a
killed app never leaves the store locked.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from repairdesk.errors import StoreError
from repairdesk.i18n import _

#: How long opening the store waits for a restore in progress (a large store takes seconds).
WAIT_S = 10.0
_POLL_S = 0.05


class FileLock:
    """A held ``flock``: released by :meth:`release` (or when the process ends)."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def lock_path(store: Path) -> Path:
    return store.with_name(store.name + ".lock")


def try_lock(path: Path, *, exclusive: bool) -> FileLock | None:
    """``path`` locked without waiting, or None when another holder is in the way.

    A lock file that cannot be created (a read-only folder) gives a lock that holds nothing:
    nobody can restore over a store in a folder no one may write, and the store still opens
    for reading."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            return FileLock(None)
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except OSError:
        return FileLock(fd)  # a file system without flock: as above, nothing to hold
    return FileLock(fd)


def open_lock(store: Path, wait_s: float = WAIT_S) -> FileLock:
    """Held while ``store`` is open. Waits out a restore in progress, then refuses."""
    deadline = time.monotonic() + wait_s
    while (held := try_lock(lock_path(store), exclusive=False)) is None:
        if time.monotonic() >= deadline:
            raise StoreError(_("restore.being_restored", path=str(store)))
        time.sleep(_POLL_S)
    return held


def restore_lock(store: Path) -> FileLock:
    """Held by a restore: refused at once while any process has ``store`` open."""
    held = try_lock(lock_path(store), exclusive=True)
    if held is None:
        raise StoreError(_("restore.store_in_use", path=str(store)))
    return held
