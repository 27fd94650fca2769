"""Printing reference data (data/printing.toml) and the shipped font."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from repairdesk.paths import data_dir


@dataclass(frozen=True)
class PrintingData:
    compound_surnames: tuple[str, ...]


@cache
def printing_data() -> PrintingData:
    with (data_dir() / "printing.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    return PrintingData(
        compound_surnames=tuple(raw["label"]["compound_surnames"]),
    )


def font_path() -> Path:
    """WenQuanYi Micro Hei (Apache-2.0, data/fonts/README.md): Latin and Chinese in one face."""
    return data_dir() / "fonts" / "wqy-microhei.ttc"
