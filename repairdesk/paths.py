"""Where the shipped reference data lives, in a checkout and in an installed wheel."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def data_dir() -> Path:
    checkout = Path(__file__).resolve().parent.parent / "data"
    if (checkout / "faults.toml").exists():
        return checkout
    return Path(sys.prefix) / "share" / "repairdesk" / "data"
