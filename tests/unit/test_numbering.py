"""Ticket numbers: per counter per local day, unique across restarts and processes."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from repairdesk.desk import Desk

from ..conftest import INTAKE, FrozenClock


def test_numbers_count_up_per_day_and_restart_each_day(desk: Desk, clock: FrozenClock,
                                                      intake_doc: dict) -> None:
    first = desk.tickets.intake(intake_doc).ticket
    second = desk.tickets.intake(intake_doc).ticket
    assert (first, second) == ("SH01-20261121-0001", "SH01-20261121-0002")
    clock.now += timedelta(days=1)
    assert desk.tickets.intake(intake_doc).ticket == "SH01-20261122-0001"


def test_local_date_not_utc(desk: Desk, clock: FrozenClock, intake_doc: dict) -> None:
    # 00:30 in Shanghai is still the previous day in UTC: the number follows the counter.
    clock.now = clock.now.replace(hour=0, minute=30) + timedelta(days=3)
    assert desk.tickets.intake(intake_doc).ticket == "SH01-20261124-0001"


def test_numbers_survive_a_restart(store_path: Path, desk: Desk, clock: FrozenClock,
                                   intake_doc: dict) -> None:
    desk.tickets.intake(intake_doc)
    desk.close()
    again = Desk.open(store_path, clock=clock)
    try:
        assert again.tickets.intake(intake_doc).ticket == "SH01-20261121-0002"
    finally:
        again.close()


WORKER = """
import json, sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from repairdesk.desk import Desk
now = datetime(2026, 11, 21, 10, 30, tzinfo=timezone(timedelta(hours=8)))
desk = Desk.open(Path(sys.argv[1]), clock=lambda: now)
doc = json.loads(sys.argv[2])
for _ in range(int(sys.argv[3])):
    print(desk.tickets.intake(doc).ticket, flush=True)
desk.close()
"""


@pytest.mark.slow
def test_two_processes_never_share_a_number(store_path: Path, desk: Desk) -> None:
    per_process = 25
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(store_path), json.dumps(INTAKE), str(per_process)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]
    numbers: list[str] = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        numbers += out.split()
    assert len(numbers) == 2 * per_process
    assert len(set(numbers)) == len(numbers)
    assert sorted(numbers) == [f"SH01-20261121-{n:04d}" for n in range(1, 2 * per_process + 1)]
    assert desk.tickets.count_tickets() == 2 * per_process
