"""A file written whole or not at all: written beside its place as ``<name>.part``, then
renamed over it. A reader never meets half a report or half a CSV, and a write that fails
(disk full, no such folder) leaves neither a part file nor a traceback."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from repairdesk.errors import StoreError
from repairdesk.i18n import _


def write_whole(path: Path, write: Callable[[Path], object]) -> Path:
    """``write(part)`` fills the part file; it then takes ``path``'s place. StoreError
    naming ``path`` when the disk refuses."""
    path = Path(path)
    part = path.with_name(path.name + ".part")
    try:
        write(part)
        os.replace(part, path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise StoreError(_("sync.cannot_write", path=str(path),
                           error=exc.strerror or str(exc))) from exc
    return path
