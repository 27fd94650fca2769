"""The diagnosis checklist: which items a phone is checked for, and what the results prove.

Pure: no store, no clock. The facade (``desk.tickets.save_checklist``, stored by tickets/diagnosis.py) checks the
results here, stores them, and lets the 三包 engine decide on what they prove:

- the performance-fault items of 附录3 for the parts the counter holds (the handset and its
  battery always; the charger and the headset when they were handed in), each confirmed
  (``fail``), not found (``pass``) or ``untested``;
- the bench tests of ``data/checklist.toml``, each evidence for one performance fault;
- the battery's health in %, below the rules' threshold a battery fault;
- the evidence for exclusions (liquid, impact, unauthorised opening, voucher ≠ device, misuse).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from repairdesk.errors import InputError
from repairdesk.fields import value_names
from repairdesk.i18n import _
from repairdesk.paths import data_dir
from repairdesk.vocabulary import vocabulary

RESULTS = ("pass", "fail", "untested")
#: Exclusions a technician can record at the bench (out_of_period is computed, no_proof is the
#: intake's proof field, force majeure is not something a bench shows).
EXCLUSION_EVIDENCE = ("liquid", "impact", "unauthorized_repair", "voucher_mismatch", "misuse")
#: Handed-in accessories that are 三包 parts with performance faults of their own.
ACCESSORY_PARTS = {"charger": "charger", "headset": "headset"}
BATTERY_TEST = "bench.battery_health"


@dataclass(frozen=True)
class Item:
    """One line of the checklist. ``code`` is ``fault.<fault>`` or ``bench.<test>``; it is
    also the key of the item's name in the catalogs."""

    code: str
    kind: str  # fault | bench
    fault: str  # the performance fault a failed item confirms
    part: str
    measure: str = "result"  # result | percent

    @property
    def name(self) -> str:
        return _(self.code) if self.kind == "fault" else _(f"checklist.{self.code}")


@cache
def bench_tests() -> tuple[Item, ...]:
    with (data_dir() / "checklist.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    faults = vocabulary().faults
    return tuple(
        Item(f"bench.{code}", "bench", entry["fault"], faults[entry["fault"]].part,
             entry.get("measure", "result"))
        for code, entry in raw["tests"].items()
    )


def parts_of(accessories: Iterable[str]) -> list[str]:
    """The 三包 parts on the bench: a phone always has its battery (built in or handed in)."""
    parts = ["host", "battery"]
    parts += [part for code, part in ACCESSORY_PARTS.items() if code in accessories]
    return parts


def items_for(accessories: Iterable[str]) -> list[Item]:
    """Fault-table items for the parts on the bench, then the bench tests."""
    parts = parts_of(accessories)
    vocab = vocabulary()
    faults = [
        Item(f"fault.{f.code}", "fault", f.code, f.part)
        for part in parts for f in vocab.performance_faults(part)
    ]
    return faults + list(bench_tests())


def check_results(
    items: list[Item],
    results: Mapping[str, str],
    battery_health: int | None,
    exclusions: Iterable[str],
) -> tuple[dict[str, str], list[str]]:
    """The results for every item (``untested`` where none was given) and the exclusions,
    or :class:`InputError` naming the bad entry; nothing is stored on error."""
    known = {item.code for item in items}
    for code, result in results.items():
        if code not in known:
            raise InputError(f"results.{code}", _("checklist.unknown_item", code=code))
        if result not in RESULTS:
            raise InputError(
                f"results.{code}",
                _("core.bad_code", value=result, allowed=value_names("results", RESULTS)),
            )
    if battery_health is not None and not 0 <= battery_health <= 100:
        raise InputError("battery_health", _("checklist.bad_percent", value=battery_health))
    codes = list(dict.fromkeys(exclusions))
    for index, code in enumerate(codes):
        if code not in EXCLUSION_EVIDENCE:
            raise InputError(
                f"exclusions.{index}",
                _("core.bad_code", value=code,
                  allowed=value_names("exclusions", EXCLUSION_EVIDENCE)),
            )
    full = {item.code: results.get(item.code, "untested") for item in items}
    return full, codes


def battery_result(battery_health: int | None, threshold: int) -> str:
    if battery_health is None:
        return "untested"
    return "fail" if battery_health < threshold else "pass"


def confirmed_faults(items: list[Item], results: Mapping[str, str]) -> list[str]:
    """Performance faults the checklist confirms, in checklist order, each once."""
    return list(dict.fromkeys(i.fault for i in items if results.get(i.code) == "fail"))


def diagnosed_fault(confirmed: list[str], reported: list[str]) -> str | None:
    """The fault the claim is about: the first fault the customer reported that the bench
    confirmed, else the first one the bench found, else none (keep what was recorded)."""
    for code in reported:
        if code in confirmed:
            return code
    return confirmed[0] if confirmed else None


def suggested_move(covered: bool | None, allowed: Iterable[str]) -> str | None:
    """Where a diagnosed ticket usually goes next: a covered repair to the bench, a paid one
    to the customer's approval of the quote."""
    allowed = list(allowed)
    for target in (("repairing", "awaiting_parts") if covered else ("awaiting_approval",)):
        if target in allowed:
            return target
    return allowed[0] if allowed else None
