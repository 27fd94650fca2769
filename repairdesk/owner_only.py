"""Files only the counter's own OS account may read: the store (PIN hashes, customers'
phones), its backups, the batches for HQ, the outbox, the log and the keys.

Each is created 0600 (a folder 0700) whatever the umask: the entry points set the process
umask too (:func:`restrict_process`), but the library is also called from scripts and
tests with the usual 022, so every creator here gives the mode itself. SQLite creates a
store's -wal and -shm with the mode of the store file, so a store made 0600 stays so.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

FILE_MODE = 0o600
DIR_MODE = 0o700
UMASK = 0o077
#: The files SQLite keeps beside a store.
STORE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def restrict_process() -> None:
    """Whatever this process creates from now on is its owner's alone (CLI and TUI start)."""
    os.umask(UMASK)


def make_dir(path: Path) -> Path:
    """``path`` and its missing parents; a folder made here is 0700 (one that was there
    already is left as it is: it may be the user's own, shared on purpose)."""
    path = Path(path)
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True)
    for made in missing:
        _chmod(made, DIR_MODE)
    return path


def _open_fd(path: Path, flags: int) -> int:
    fd = os.open(path, flags | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # a file that was there already, made with a wider mode
    except OSError:
        pass
    return fd


def open_write(path: Path, mode: str = "wb", *, exclusive: bool = False,
               **options: Any) -> IO[Any]:
    """``path`` opened to write (``mode`` "wb", "w", "ab" or "a"), 0600 from its first
    moment; ``exclusive``: refused (FileExistsError) if it exists."""
    flags = os.O_WRONLY | (os.O_APPEND if mode.startswith("a") else os.O_TRUNC)
    if exclusive:
        flags |= os.O_EXCL
    return os.fdopen(_open_fd(Path(path), flags), mode, **options)


def touch(path: Path) -> None:
    """An empty owner-only file at ``path`` if there is none (before SQLite creates it)."""
    os.close(_open_fd(Path(path), os.O_WRONLY))


def tighten_store(path: Path) -> None:
    """An existing store (and its -wal, -shm) readable by others is made owner-only."""
    for suffix in STORE_SUFFIXES:
        _chmod(Path(path).with_name(Path(path).name + suffix), FILE_MODE, only_wider=True)


def _chmod(path: Path, mode: int, *, only_wider: bool = False) -> None:
    try:
        if only_wider and not path.stat().st_mode & 0o077:
            return
        path.chmod(mode)
    except OSError:
        pass  # gone meanwhile, or not ours to change (a read-only copy): nothing to tighten
