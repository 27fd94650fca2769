"""The counter's money policy (data/money.toml): guarantee periods, the diagnostic fee, which
statuses need an approved quote or a settled balance. Read once; the code holds no number."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from repairdesk.amounts import yuan_to_fen
from repairdesk.paths import data_dir


@dataclass(frozen=True)
class MoneyPolicy:
    warranty_repair_days: int
    warranty_same_fault_only: bool
    paid_repair_days: int
    paid_same_fault_only: bool
    diagnostic_fee_fen: int
    approval_before: frozenset[str]
    settle_before: frozenset[str]
    max_amount_fen: int
    keep_old_part_on_warranty_draw: bool


@cache
def money_policy() -> MoneyPolicy:
    with (data_dir() / "money.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    guarantee, quote, payments = raw["guarantee"], raw["quote"], raw["payments"]
    return MoneyPolicy(
        warranty_repair_days=int(guarantee["warranty_repair_days"]),
        warranty_same_fault_only=bool(guarantee["warranty_same_fault_only"]),
        paid_repair_days=int(guarantee["paid_repair_days"]),
        paid_same_fault_only=bool(guarantee["paid_same_fault_only"]),
        diagnostic_fee_fen=yuan_to_fen(quote["diagnostic_fee"], "diagnostic_fee"),
        approval_before=frozenset(quote["approval_before"]),
        settle_before=frozenset(payments["settle_before"]),
        max_amount_fen=yuan_to_fen(payments["max_amount"], "max_amount"),
        keep_old_part_on_warranty_draw=bool(raw["stock"]["keep_old_part_on_warranty_draw"]),
    )
