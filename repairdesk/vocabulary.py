"""The 三包 vocabulary (parts, faults, exclusions) from data/faults.toml.

Names are part of the translation catalogs (``fault.<code>``, ``part.<code>``,
``exclusion.<code>``): see :func:`repairdesk.i18n.catalog`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from repairdesk.paths import data_dir


@dataclass(frozen=True)
class Fault:
    code: str
    part: str
    performance: bool


@dataclass(frozen=True)
class Vocabulary:
    parts: tuple[str, ...]
    faults: dict[str, Fault]
    exclusions: tuple[str, ...]
    names: dict[str, dict[str, str]]  # lang -> "fault.display" -> name

    def performance_faults(self, part: str | None = None) -> list[Fault]:
        return [f for f in self.faults.values() if f.performance and part in (None, f.part)]


@cache
def vocabulary() -> Vocabulary:
    with (data_dir() / "faults.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    names: dict[str, dict[str, str]] = {"zh": {}, "en": {}}
    for section, prefix in (("parts", "part"), ("faults", "fault"), ("exclusions", "exclusion")):
        for code, entry in raw[section].items():
            for lang in names:
                names[lang][f"{prefix}.{code}"] = entry[lang]
    faults = {
        code: Fault(code, entry["part"], bool(entry["performance"]))
        for code, entry in raw["faults"].items()
    }
    return Vocabulary(
        parts=tuple(raw["parts"]),
        faults=faults,
        exclusions=tuple(raw["exclusions"]),
        names=names,
    )
