"""The audit trail: every change recorded with who/when/before/after; tampering detected."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from repairdesk.desk import Desk


def _events(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as raw:
        return raw.execute(
            "select id, user, entity, action, before, after from audit_event order by id"
        ).fetchall()


def test_intake_and_move_are_audited_without_secrets(desk: Desk, store_path: Path,
                                                     intake_doc: dict) -> None:
    intake_doc["passcode_value"] = "852456"
    number = desk.intake(intake_doc).ticket
    desk.move(number, "diagnosing", note="开机检测")
    events = _events(store_path)
    entities = {(e[2], e[3]) for e in events}
    assert {("customer", "insert"), ("device", "insert"), ("ticket", "insert"),
            ("status_move", "insert"), ("repair_record", "insert"),
            ("ticket", "update")} <= entities
    assert all(e[1] == "tester" for e in events)
    update = next(e for e in events if e[2] == "ticket" and e[3] == "update")
    before, after = json.loads(update[4]), json.loads(update[5])
    assert before["status"] == "received" and after["status"] == "diagnosing"
    assert "852456" not in json.dumps(events, ensure_ascii=False)
    assert desk.verify_audit().ok


def test_refused_change_leaves_no_event(desk: Desk, store_path: Path, intake_doc: dict) -> None:
    number = desk.intake(intake_doc).ticket
    count = len(_events(store_path))
    with pytest.raises(Exception):  # noqa: B017 - any refusal; the point is the trail
        desk.move(number, "collected")
    assert len(_events(store_path)) == count


def _tamper(path: Path, sql: str) -> None:
    with sqlite3.connect(path) as raw:
        # The triggers stop careless changes; a deliberate one drops them first.
        raw.execute("drop trigger audit_event_no_update")
        raw.execute("drop trigger audit_event_no_delete")
        raw.execute(sql)


def test_events_cannot_be_changed_by_accident(desk: Desk, store_path: Path,
                                              intake_doc: dict) -> None:
    desk.intake(intake_doc)
    with sqlite3.connect(store_path) as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute("update audit_event set user = 'someone' where id = 1")


@pytest.mark.parametrize("how", ["edit", "delete"])
def test_verify_reports_the_first_broken_link(cli, desk: Desk, store_path: Path,
                                              intake_doc: dict, how: str) -> None:
    for _ in range(3):
        desk.intake(intake_doc)
    assert cli("audit", "verify", "--json").json()["ok"] is True
    if how == "edit":
        _tamper(store_path, "update audit_event set after = json_set(after, '$.name', '李四')"
                            " where id = 4")
    else:
        _tamper(store_path, "delete from audit_event where id = 4")
    result = cli("audit", "verify", "--json")
    assert result.code == 1
    report = result.json()
    assert report["ok"] is False
    assert report["broken_at"] == (4 if how == "edit" else 5)
    assert report["reason"] == ("edited" if how == "edit" else "missing_before")
