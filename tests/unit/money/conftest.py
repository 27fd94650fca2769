"""Fixtures of the money tests: a stocked counter, tickets of each kind, the move gate.

``desk.tickets.move`` runs the money rules of a move (repairdesk/money/gates.py, handed to the
ticket area as its ``move_rule`` by repairdesk/desk.py), so every move made here meets them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from stdnum import luhn

from repairdesk.db import open_store
from repairdesk.desk import Desk

from ...conftest import INTAKE, FrozenClock

ROOT = Path(__file__).resolve().parents[3]
PRICE_LIST = ROOT / "data" / "price-list-example.csv"
# Sale dates against the frozen clock (2026-11-21): day 3 (7-day refund), day 51 (free
# repair under 三包), and an old phone out of its period (a paid repair).
SOLD_DAY_3 = "2026-11-18"
SOLD_DAY_51 = "2026-10-01"
SOLD_LONG_AGO = "2024-01-10"


def imei(serial: int) -> str:
    """A valid IMEI on the Alcatel One Touch 332 TAC (what the price list's AL- parts fit)."""
    body = f"35209900{serial:06d}"
    return body + luhn.calc_check_digit(body)


@pytest.fixture
def stocked(desk: Desk) -> Desk:
    """The example price list loaded and a delivery from HQ received."""
    desk.stock.import_price_list(PRICE_LIST.read_text(encoding="utf-8"), PRICE_LIST.name)
    for part, qty in (("AL-OT332-LCD", 5), ("AL-OT332-BAT", 4), ("AL-OT332-SPK", 3)):
        desk.stock.receive_stock(part, qty, ref="HQ-DN-20261120")
    return desk


Intake = Callable[..., str]


@pytest.fixture
def take_in(desk: Desk) -> Intake:
    """Take a phone in: ``take_in(serial, sold=..., fault=..., deposit=...)`` -> ticket."""

    def run(serial: int, sold: str = SOLD_LONG_AGO, fault: str = "display",
            deposit: float = 0, phone: str | None = None, **condition: Any) -> str:
        doc = copy.deepcopy(INTAKE)
        doc["device"].update(imei=imei(serial), sale_date=sold, invoice_date=sold)
        doc["faults"] = [fault]
        doc["deposit"] = deposit
        doc["customer"]["phone"] = phone or f"139{serial:08d}"
        doc["condition"].update(condition)
        return desk.tickets.intake(json.loads(json.dumps(doc))).ticket

    return run


def advance(clock: FrozenClock, minutes: int = 5) -> None:
    clock.now += timedelta(minutes=minutes)


@pytest.fixture
def frozen_cli(monkeypatch: pytest.MonkeyPatch, clock: FrozenClock) -> Iterator[FrozenClock]:
    """The CLI's desks run on the test's frozen clock (the CLI opens its own desk)."""

    def opened(cls: type[Desk], path: Path, **options: Any) -> Desk:
        options.setdefault("clock", clock)
        return cls(open_store(path), **options)

    monkeypatch.setattr(Desk, "open", classmethod(opened))
    yield clock
