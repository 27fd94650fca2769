"""The audit trail: every change recorded with who/when/before/after; tampering detected."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from repairdesk import audit
from repairdesk.desk import Desk


def _events(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as raw:
        return raw.execute(
            "select id, user, entity, action, before, after from audit_event order by id"
        ).fetchall()


def test_intake_and_move_are_audited_without_secrets(desk: Desk, store_path: Path,
                                                     intake_doc: dict) -> None:
    intake_doc["passcode_value"] = "852456"
    number = desk.tickets.intake(intake_doc).ticket
    desk.tickets.move(number, "diagnosing", note="开机检测")
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
    assert desk.trust.verify_audit().ok


def test_refused_change_leaves_no_event(desk: Desk, store_path: Path, intake_doc: dict) -> None:
    number = desk.tickets.intake(intake_doc).ticket
    count = len(_events(store_path))
    with pytest.raises(Exception):  # noqa: B017 - any refusal; the point is the trail
        desk.tickets.move(number, "collected")
    assert len(_events(store_path)) == count


def _tamper(path: Path, sql: str) -> None:
    with sqlite3.connect(path) as raw:
        # The triggers stop careless changes; a deliberate one drops them first.
        raw.execute("drop trigger audit_event_no_update")
        raw.execute("drop trigger audit_event_no_delete")
        raw.execute(sql)


def test_events_cannot_be_changed_by_accident(desk: Desk, store_path: Path,
                                              intake_doc: dict) -> None:
    desk.tickets.intake(intake_doc)
    with sqlite3.connect(store_path) as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute("update audit_event set user = 'someone' where id = 1")


@pytest.mark.parametrize("how", ["edit", "delete"])
def test_verify_reports_the_first_broken_link(cli, desk: Desk, store_path: Path,
                                              intake_doc: dict, how: str) -> None:
    for _ in range(3):
        desk.tickets.intake(intake_doc)
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


def test_an_event_stores_what_changed_compactly(desk: Desk, store_path: Path,
                                                intake_doc: dict) -> None:
    number = desk.tickets.intake(intake_doc).ticket
    desk.tickets.move(number, "diagnosing")
    with sqlite3.connect(store_path) as raw:
        rows = raw.execute("select entity, entity_id, action, before, after, prev_hash, hash"
                           " from audit_event order by id").fetchall()
    ticket = next(r for r in rows if r[0] == "ticket" and r[2] == "insert")
    after = json.loads(ticket[4])
    assert ticket[3] is None and "id" not in after and None not in after.values()
    assert after["number"] == number and after["status"] == "received"
    assert ticket[4] == json.dumps(after, ensure_ascii=False, separators=(",", ":"))
    update = next(r for r in rows if r[0] == "ticket" and r[2] == "update")
    assert set(json.loads(update[3])) == set(json.loads(update[4])) == {"status", "version"}
    for previous, row in zip(rows, rows[1:], strict=False):
        assert len(row[5]) == audit.PREV_KEPT and previous[6].startswith(row[5])
    assert desk.trust.verify_audit().ok


def _old_event(raw: sqlite3.Connection, prev: str, entity_id: str, after: dict) -> str:
    """An event as the trail wrote them before it was compacted: the whole row as spaced,
    ASCII-escaped JSON, a JSON null, the whole previous hash."""
    at = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
    fields = audit._fields(at, "old", "customer", entity_id, "insert", None, after, prev)
    link = audit.event_hash(fields)
    raw.execute("insert into audit_event (at, user, entity, entity_id, action, before, after,"
                " prev_hash, hash) values (?, 'old', 'customer', ?, 'insert', 'null', ?, ?, ?)",
                ("2026-11-01 02:00:00.000000", entity_id, json.dumps(after), prev, link))
    return link


def test_events_written_before_the_compaction_still_verify(cli, desk: Desk, store_path: Path,
                                                           intake_doc: dict) -> None:
    with sqlite3.connect(store_path) as raw:
        count, last = raw.execute("select count(*), max(id) from audit_event").fetchone()
        link = raw.execute("select hash from audit_event where id = ?", (last,)).fetchone()[0]
        link = _old_event(raw, link, "90", {"id": 90, "name": "王芳", "note": None})
        _old_event(raw, link, "91", {"id": 91, "name": "李四", "note": None})
        for number, name in ((90, "王芳"), (91, "李四")):
            raw.execute("insert into customer (id, name, phone, created_at, updated_at) values "
                        "(?, ?, ?, '2026-11-01 02:00:00.000000', '2026-11-01 02:00:00.000000')",
                        (number, name, f"+861390000{number:04d}"))
    desk.tickets.intake(intake_doc)  # new events chain on to the old ones
    report = cli("audit", "verify", "--json").json()
    assert {k: report[k] for k in ("events", "ok", "broken_at", "reason")} == {
        "events": count + 2 + 5, "ok": True, "broken_at": None, "reason": None}
    # Their rows have no state in the trail to compare with: not yet bound, not tampered.
    assert report["not_yet_bound"] == 2 and report["problems"] == {}
    _tamper(store_path, "update audit_event set after = replace(after, '\\u674e', '\\u5f20')"
                        f" where id = {last + 2}")
    report = cli("audit", "verify", "--json").json()
    assert (report["broken_at"], report["reason"]) == (last + 2, "edited")
