"""Counters at work for the sync tests: intakes with fresh valid IMEIs and phones, and a
day's moves, all through the facade with a clock the test moves."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from stdnum import luhn

from repairdesk.desk import Desk
from repairdesk.errors import InputError
from repairdesk.tickets.workflow import MOVES, OPEN
from tests.conftest import INTAKE, FrozenClock

# The way forward a technician takes most days.
FORWARD = ("diagnosing", "repairing", "qc", "ready", "collected")


def imei(serial: int, tac: str = "35209900") -> str:
    body = f"{tac}{serial % 10**6:06d}"
    return body + luhn.calc_check_digit(body)


def intake_doc(serial: int, *, name: str = "张伟", passcode: str | None = None) -> dict[str, Any]:
    doc = copy.deepcopy(INTAKE)
    doc["device"].update(imei=imei(serial), sale_date="2026-10-01", invoice_date="2026-10-01")
    doc["customer"] = {"name": name, "phone": f"139{serial % 10**8:08d}"}
    doc["description"] = f"屏幕闪烁后黑屏，联系 139{serial % 10**8:08d}"
    if passcode:
        doc["passcode"], doc["passcode_value"] = "given", passcode
    return doc


def step(status: str) -> str | None:
    return next((s for s in FORWARD if s in MOVES[status]), None)


def work_a_day(desk: Desk, clock: FrozenClock, *, serial: int, intakes: int = 3,
               moves: int = 8) -> None:
    """Take ``intakes`` phones in, then move up to ``moves`` open tickets one step forward
    (the newest first: today's intakes, then older work) where the rules allow it."""
    for i in range(intakes):
        clock.now += timedelta(minutes=20)
        desk.tickets.intake(intake_doc(serial + i, name=f"顾客{serial + i}"))
    clock.now += timedelta(hours=2)
    movable = [s for s in desk.tickets.board() if s.status in OPEN and step(s.status)]
    moved = 0
    for summary in movable:
        if moved == moves:
            break
        try:
            desk.tickets.move(summary.ticket, step(summary.status) or "")
        except InputError:
            continue  # the money rules want a quote or a payment first: tomorrow, then
        moved += 1
