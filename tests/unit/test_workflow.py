"""Statuses and moves: only the table's moves, each stored with time and user."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from repairdesk.desk import Desk
from repairdesk.errors import InputError
from repairdesk.tickets.workflow import MAIN_PATH, MOVES, STATUSES, TERMINAL, check_move

from ..conftest import FrozenClock


def test_table_covers_every_status_and_only_known_targets() -> None:
    assert set(MOVES) == set(STATUSES)
    for targets in MOVES.values():
        assert set(targets) <= set(STATUSES)
    assert TERMINAL == {"collected", "returned_unrepaired", "exchanged", "refunded", "cancelled"}
    # sent_out comes back to diagnosing or repairing
    assert set(MOVES["sent_out"]) == {"diagnosing", "repairing"}


def test_main_path_is_walkable() -> None:
    for current, target in zip(MAIN_PATH, MAIN_PATH[1:]):
        if target == "awaiting_parts":
            continue  # approval may go straight to the bench; covered below
        check_move(current, target)


def test_illegal_move_names_the_allowed_ones() -> None:
    with pytest.raises(InputError) as err:
        check_move("received", "ready")
    assert err.value.field == "status"
    assert "diagnosing" in err.value.reason and "cancelled" in err.value.reason


def test_unknown_status_is_refused() -> None:
    with pytest.raises(InputError) as err:
        check_move("received", "fixed")
    assert "fixed" in err.value.reason


def test_moves_are_stored_with_time_and_user(desk: Desk, clock: FrozenClock,
                                            intake_doc: dict) -> None:
    number = desk.tickets.intake(intake_doc).ticket
    for status in ("diagnosing", "repairing", "qc", "ready"):
        clock.now += timedelta(hours=2)
        desk.tickets.move(number, status, note=f"to {status}", user="李工")
    clock.now += timedelta(days=2)
    view = desk.tickets.move(number, "collected")
    assert view.status == "collected"
    assert [m.to_status for m in view.moves] == [
        "received", "diagnosing", "repairing", "qc", "ready", "collected"]
    assert view.moves[1].user == "李工" and view.moves[1].note == "to diagnosing"
    assert view.moves[-1].user == "tester"
    assert view.moves[-1].at == clock.now
    assert view.repair is not None
    assert view.repair.handed_in == date(2026, 11, 21)
    assert view.repair.handed_back == date(2026, 11, 23)
    assert view.allowed_moves == []


def test_refused_move_changes_nothing(desk: Desk, intake_doc: dict) -> None:
    number = desk.tickets.intake(intake_doc).ticket
    with pytest.raises(InputError):
        desk.tickets.move(number, "collected")
    view = desk.tickets.ticket(number)
    assert view.status == "received" and len(view.moves) == 1 and view.version == 1
