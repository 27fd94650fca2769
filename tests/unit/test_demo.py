"""The demo store is realistic and deterministic."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import phonenumbers

from repairdesk.demo import seed_demo
from repairdesk.desk import Desk
from repairdesk.imei import is_valid_imei, shipped_tac
from repairdesk.tickets.workflow import MOVES, STATUSES

from ..conftest import FrozenClock


def _snapshot(desk: Desk) -> list[tuple]:
    rows = []
    for summary in desk.tickets.board(limit=10_000):
        view = desk.tickets.ticket(summary.ticket)
        rows.append((view.ticket, view.status, view.device["imei"], view.customer["phone"],
                     tuple(view.faults)))
    return rows


def test_demo_is_deterministic_and_realistic(tmp_path: Path, clock: FrozenClock) -> None:
    desks = [Desk.open(tmp_path / f"demo{i}.sqlite3", clock=clock) for i in range(2)]
    try:
        for desk in desks:
            assert seed_demo(desk, tickets=200, seed=7) == 200
        assert desks[0].tickets.count_tickets() == 200
        everything = [s.ticket for s in desks[0].tickets.board(limit=10_000)]
        # Open tickets on the board are the same in both stores, ticket for ticket.
        assert _snapshot(desks[0]) == _snapshot(desks[1])
        statuses: Counter[str] = Counter()
        names = set()
        for number in everything:
            view = desks[0].tickets.ticket(number)
            statuses[view.status] += 1
            names.add(view.customer["name"])
            assert is_valid_imei(view.device["imei"])
            assert shipped_tac(view.device["imei"]) is not None
            assert phonenumbers.is_valid_number(phonenumbers.parse(view.customer["phone"]))
            path = [m.to_status for m in view.moves]
            assert path[0] == "received" and path[-1] == view.status
            for current, target in zip(path, path[1:]):
                assert target in MOVES[current], (number, path)
        assert any(n.isascii() for n in names) and any(not n.isascii() for n in names)
    finally:
        for desk in desks:
            desk.close()


def test_every_status_appears_over_90_days(tmp_path: Path, clock: FrozenClock) -> None:
    desk = Desk.open(tmp_path / "d.sqlite3", clock=clock)
    try:
        seed_demo(desk, tickets=300, seed=1)
        seen = {desk.tickets.ticket(t.ticket).status for t in desk.tickets.board(limit=10_000)}
        with desk.store.read() as s:
            from sqlmodel import select

            from repairdesk.models import Ticket

            rows = s.exec(select(Ticket.status, Ticket.created_at)).all()
        assert {status for status, _ in rows} == set(STATUSES)
        ages = [(clock.now - created).days for _, created in rows]
        assert max(ages) <= 90 and min(ages) >= 0
        assert seen  # the board shows something
        # New intakes after the demo continue the day's sequence.
        from ..conftest import INTAKE

        number = desk.tickets.intake(INTAKE).ticket
        assert number.startswith("SH01-20261121-")
        assert len({t.ticket for t in desk.tickets.board(limit=10_000)}) == len(desk.tickets.board(limit=10_000))
    finally:
        desk.close()


def test_seeding_twice_adds_without_collisions(tmp_path: Path, clock: FrozenClock) -> None:
    desk = Desk.open(tmp_path / "twice.sqlite3", clock=clock)
    try:
        seed_demo(desk, tickets=150, seed=3)
        seed_demo(desk, tickets=150, seed=3)
        assert desk.tickets.count_tickets() == 300
    finally:
        desk.close()


def test_every_demo_ticket_gets_a_warranty_decision(tmp_path: Path, clock: FrozenClock) -> None:
    desk = Desk.open(tmp_path / "w.sqlite3", clock=clock)
    try:
        seed_demo(desk, tickets=150, seed=5)
        remedies: Counter[str] = Counter()
        for summary in desk.tickets.board(limit=10_000):
            decision = desk.tickets.warranty(summary.ticket)
            remedies.update(decision["remedies"])
            assert decision["reasons"]
        # A realistic mix: some free repairs, some paid, some within the exchange windows.
        assert remedies["free_repair"] and remedies["paid_repair"]
    finally:
        desk.close()
