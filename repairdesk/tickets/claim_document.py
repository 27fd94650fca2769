"""The 三包 claim document of one stored ticket, built from plain values: what the engine
(:func:`repairdesk.policy.check_claim`) reads. Pure: no store, no clock.

Only :mod:`repairdesk.tickets.claims` builds claims with it (an import-linter contract in
pyproject.toml holds every other module to that reader), so the board, the ticket screen,
the money rules and the slips cannot assemble a claim of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from repairdesk.tickets.guarantees import paid_repair_still_guaranteed
from repairdesk.vocabulary import vocabulary


@dataclass(frozen=True)
class EarlierRepair:
    fault_code: str | None
    handed_in: date
    handed_back: date | None
    warranty: bool
    status: str


def primary_fault(faults: list[str], recorded: str | None) -> str:
    """The fault the claim is about: the repair record's, else the first listed one."""
    known = vocabulary().faults
    if recorded in known:
        return recorded
    for code in faults:
        if code in known and known[code].performance:
            return code
    return faults[0] if faults and faults[0] in known else "other"


def exclusions_from_condition(condition: dict[str, Any]) -> list[str]:
    """Exclusions the intake inspection proves by itself; the checklist may record more."""
    found = [code for code in condition.get("exclusions", []) if isinstance(code, str)]
    if condition.get("liquid_indicator") == "triggered" and "liquid" not in found:
        found.append("liquid")
    if condition.get("opened_before") and "unauthorized_repair" not in found:
        found.append("unauthorized_repair")
    return found


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _guaranteed_return(repair: EarlierRepair, fault: str, handed_in: date) -> bool:
    """A paid repair whose own guarantee still covers this fault: the phone is back because
    that repair did not hold, so the claim counts it as an earlier repair (a repeat)."""
    return (repair.status == "collected" and repair.handed_back is not None
            and paid_repair_still_guaranteed(repair.handed_back, repair.fault_code, fault,
                                             handed_in))


def claim_document(
    *,
    device: dict[str, Any],
    faults: list[str],
    condition: dict[str, Any],
    fault_code: str | None,
    handed_in: date,
    handed_back: date | None,
    delay_cause: str | None,
    earlier: list[EarlierRepair],
    on: date,
) -> dict[str, Any]:
    fault = primary_fault(faults, fault_code)
    part = vocabulary().faults[fault].part
    price = device.get("price")
    proof = device.get("proof") or "full"
    open_repair = None
    if handed_back is None or handed_back > on:
        open_repair = {"handed_in": handed_in.isoformat(), "delay": delay_cause or "repairer"}
    repairs = [
        {"fault": r.fault_code or fault, "handed_in": r.handed_in.isoformat(),
         "handed_back": r.handed_back.isoformat()}
        for r in earlier
        if r.handed_back is not None and r.handed_back <= on
        and (r.warranty or _guaranteed_return(r, fault, handed_in))
    ]
    exchanges = sum(
        1 for r in earlier
        if r.status == "exchanged" and r.fault_code
        and vocabulary().faults.get(r.fault_code) and vocabulary().faults[r.fault_code].part == part
    )
    sale_date = device.get("sale_date")
    return {
        "part": part,
        "fault": fault,
        "claim_date": on.isoformat(),
        "sale_date": _iso(sale_date) if not (proof == "imei_date" and sale_date is None) else None,
        "invoice_date": _iso(device.get("invoice_date")),
        "proof": proof,
        "production_date": _iso(device.get("production_date")),
        "exchange_date": None,
        "price": str(price) if isinstance(price, Decimal) else price,
        "exclusions": exclusions_from_condition(condition),
        "repairs": repairs,
        "open_repair": open_repair,
        "accessory_exchanges": exchanges if part != "host" else 0,
        "channel": device.get("channel") or "store",
        "received_date": _iso(device.get("received_date")),
    }
