"""Two terminals on one store; passcodes; what only a manager may do."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from repairdesk.desk import Desk
from repairdesk.errors import InputError
from repairdesk.trust import PermissionDenied

from ...conftest import FrozenClock


def test_a_stale_save_is_refused_naming_who_changed_it(desk: Desk, store_path: Path,
                                                       clock: FrozenClock,
                                                       intake_doc: dict) -> None:
    number = desk.tickets.intake(intake_doc).ticket
    other = Desk.open(store_path, clock=clock, user="李工")
    try:
        seen_here = desk.tickets.ticket(number)  # the first terminal shows version 1
        other.tickets.move(number, "diagnosing", version=other.tickets.ticket(number).version)
        with pytest.raises(InputError) as err:
            desk.tickets.move(number, "cancelled", version=seen_here.version)
        assert "李工" in err.value.reason and "10:30" in err.value.reason
        with pytest.raises(InputError):
            desk.tickets.update_repair(number, cause="屏幕排线松动", version=seen_here.version)
        after = desk.tickets.ticket(number)
        assert after.status == "diagnosing" and after.repair.cause == ""  # type: ignore[union-attr]
        # Reloaded, the same change goes through.
        desk.tickets.update_repair(number, cause="屏幕排线松动", version=after.version)
        # Numbers stay unique when both terminals take phones in.
        numbers = {desk.tickets.intake(intake_doc).ticket, other.tickets.intake(intake_doc).ticket}
        assert len(numbers) == 2
    finally:
        other.close()


def test_passcode_is_erased_at_collection_and_reveals_are_audited(
        desk: Desk, store_path: Path, intake_doc: dict) -> None:
    intake_doc["passcode_value"] = "852456"
    number = desk.tickets.intake(intake_doc).ticket
    assert desk.tickets.reveal_passcode(number) == "852456"
    for status in ("diagnosing", "repairing", "qc", "ready", "collected"):
        desk.tickets.move(number, status)
    assert desk.tickets.reveal_passcode(number) is None
    with sqlite3.connect(store_path) as raw:
        assert raw.execute("select passcode_value from ticket").fetchone() == (None,)
        reveals = raw.execute("select user, after from audit_event"
                              " where action = 'reveal_passcode'").fetchall()
        everything = json.dumps(raw.execute("select * from audit_event").fetchall())
    assert [(user, json.loads(after)["ticket"]) for user, after in reveals] == [
        ("tester", number), ("tester", number)]
    assert "852456" not in everything
    assert desk.trust.verify_audit().ok


def test_front_desk_cannot_reveal_a_passcode(desk: Desk, intake_doc: dict) -> None:
    intake_doc["passcode_value"] = "1234"
    number = desk.tickets.intake(intake_doc).ticket
    desk.trust.add_user("boss", "manager", "111111")
    desk.trust.login("boss", "111111")
    desk.trust.add_user("front", "front_desk", "2222")
    desk.trust.login("front", "2222")
    with pytest.raises(PermissionDenied):
        desk.tickets.reveal_passcode(number)


def test_only_a_manager_reopens_voids_or_edits_a_handed_back_record(
        desk: Desk, clock: FrozenClock, intake_doc: dict) -> None:
    number = desk.tickets.intake(intake_doc).ticket
    open_one = desk.tickets.intake(intake_doc).ticket
    for status in ("diagnosing", "repairing", "qc", "ready", "collected"):
        desk.tickets.move(number, status)
    clock.now += timedelta(days=2)
    desk.trust.add_user("boss", "manager", "111111")
    desk.trust.login("boss", "111111")
    desk.trust.add_user("tech", "technician", "2222")
    desk.trust.login("tech", "2222")
    for refused in (lambda: desk.tickets.reopen(number, "客户返修"), lambda: desk.tickets.void(open_one, "重复录入"),
                    lambda: desk.tickets.update_repair(number, action="更换屏幕")):
        with pytest.raises(PermissionDenied):
            refused()
    desk.trust.login("boss", "111111")
    with pytest.raises(InputError):
        desk.tickets.reopen(number, "  ")  # a reason is required
    assert desk.tickets.reopen(number, "客户返修").status == "diagnosing"
    assert desk.tickets.void(open_one, "重复录入").status == "cancelled"
    with pytest.raises(InputError):
        desk.tickets.void(open_one, "again")  # already closed
