"""The counter's money policy (data/money.toml): the diagnostic fee, which statuses need an
approved quote or a settled balance, the largest amount, old parts on a warranty draw. Read
once; the code holds no number. (The file's guarantee periods are the ticket's:
repairdesk/tickets/guarantees.py.)"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from repairdesk.amounts import yuan_to_fen
from repairdesk.paths import data_dir


@dataclass(frozen=True)
class MoneyPolicy:
    diagnostic_fee_fen: int
    approval_before: frozenset[str]
    settle_before: frozenset[str]
    max_amount_fen: int
    keep_old_part_on_warranty_draw: bool


@cache
def money_policy() -> MoneyPolicy:
    with (data_dir() / "money.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    quote, payments = raw["quote"], raw["payments"]
    return MoneyPolicy(
        diagnostic_fee_fen=yuan_to_fen(quote["diagnostic_fee"], "diagnostic_fee"),
        approval_before=frozenset(quote["approval_before"]),
        settle_before=frozenset(payments["settle_before"]),
        max_amount_fen=yuan_to_fen(payments["max_amount"], "max_amount"),
        keep_old_part_on_warranty_draw=bool(raw["stock"]["keep_old_part_on_warranty_draw"]),
    )
