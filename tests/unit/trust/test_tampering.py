"""The 14 tampering cases of issue 15 at the counter: what ``audit verify`` and ``export`` say.

An adversary with the PC, the store file and sqlite3 (and, for the re-hash, the code's own
functions). Every case starts from the same counter: three intakes, a move and a deposit,
one batch exported, then one more intake (events HQ has not seen yet). HQ's side of the
same cases is tests/hq/test_tampering_hq.py.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from repairdesk import audit, row_state
from repairdesk.demo import seed_demo
from repairdesk.desk import Desk
from tests.conftest import FrozenClock
from tests.unit.sync.factory import intake_doc


def build_counter(folder: Path) -> Path:
    """The starting counter (store, head file, signing key) in ``folder``; returns the store."""
    path = folder / "store.sqlite3"
    clock = FrozenClock()
    desk = Desk.open(path, clock=clock, user="tester")
    try:
        desk.init_counter("SH01", "徐汇网点")
        desk.sync.ensure_signing_key()
        numbers = [desk.tickets.intake(intake_doc(n, name=name)).ticket
                   for n, name in ((1, "张伟"), (2, "李娜"), (3, "王芳"))]
        desk.tickets.move(numbers[0], "diagnosing")
        desk.money.take_deposit(numbers[1], "100.00", "cash")
        stick = folder / "stick"
        stick.mkdir()
        desk.sync.export_batch(stick)
        desk.tickets.intake(intake_doc(4, name="赵六"))  # after the batch: not at HQ yet
    finally:
        desk.close()
    return path


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_counter(tmp_path_factory.mktemp("counter"))


def copy_counter(source: Path, target: Path) -> None:
    for item in source.parent.iterdir():
        if item.name.startswith(source.name):
            shutil.copy2(item, target.parent / item.name.replace(source.name, target.name, 1))


@pytest.fixture
def counter(template: Path, store_path: Path) -> Path:
    copy_counter(template, store_path)
    return store_path


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    (tmp_path / "out").mkdir()
    return tmp_path / "out"


def verify(cli: Any) -> tuple[int, dict[str, Any]]:
    result = cli("audit", "verify", "--json")
    return result.code, result.json()


def sql(path: Path, *statements: str, free: bool = False) -> None:
    """Statements run with sqlite3 on the store (``free``: the append-only triggers dropped
    first, as a deliberate attacker does)."""
    with sqlite3.connect(path) as raw:
        if free:
            raw.execute("drop trigger if exists audit_event_no_update")
            raw.execute("drop trigger if exists audit_event_no_delete")
        for statement in statements:
            raw.execute(statement)


def refused_export(cli: Any, stick: Path) -> str:
    result = cli("export", "--out", str(stick))
    assert result.code == 1, result.out
    assert list(stick.iterdir()) == []  # nothing written
    return result.out + result.err


def last_id(path: Path) -> int:
    with sqlite3.connect(path) as raw:
        return raw.execute("select max(id) from audit_event").fetchone()[0]


def test_the_untouched_counter_is_intact_and_exports(cli, counter: Path, stick: Path) -> None:
    code, report = verify(cli)
    assert code == 0 and report["ok"] and report["problems"] == {}
    assert report["rows"] > 10 and report["not_yet_bound"] == 0
    assert report["head"] == audit.read_head(audit.head_path(counter)).to_dict()
    text = cli("audit", "verify")
    assert text.code == 0 and "Audit trail intact" in text.out
    assert cli("export", "--out", str(stick)).code == 0


def test_the_demo_store_verifies_intact(cli, desk: Desk) -> None:
    seed_demo(desk, tickets=40, seed=11)  # bulk writes, with the events the ORM would write
    code, report = verify(cli)
    assert code == 0 and report["ok"], report
    assert report["rows"] > 200


@pytest.mark.parametrize(("case", "statement", "table"), [
    (1, "update payment set amount_fen = 1", "payment"),
    (2, "update ticket set status = 'collected' where id = 2", "ticket"),
    (3, "update customer set phone = '+8613900000000' where id = 1", "customer"),
])
def test_a_row_changed_outside_the_app(cli, counter: Path, stick: Path, case: int,
                                       statement: str, table: str) -> None:
    sql(counter, statement)
    code, report = verify(cli)
    assert code == 1 and report["problems"] == {"changed": 1}, case
    assert report["examples"]["changed"][0]["table"] == table
    text = cli("audit", "verify")
    assert "rows changed outside the app: 1" in text.out and table in text.out
    message = refused_export(cli, stick)
    assert table in message and "audit verify" in message


def test_4_a_ticket_row_deleted(cli, counter: Path, stick: Path) -> None:
    sql(counter, "pragma foreign_keys = off", "delete from ticket where id = 3")
    code, report = verify(cli)
    assert code == 1 and report["problems"] == {"deleted": 1}
    assert report["examples"]["deleted"] == [{"table": "ticket", "key": "3"}]
    assert "ticket 3" in refused_export(cli, stick)  # never sent as a deletion


@pytest.mark.parametrize("cut", [1, 10])
def test_5_6_the_last_events_deleted(cli, counter: Path, stick: Path, cut: int) -> None:
    end = last_id(counter)
    sql(counter, f"delete from audit_event where id > {end - cut}", free=True)
    code, report = verify(cli)
    assert code == 1
    # Against the head file (and, once the cut reaches into the batch sent, its head).
    assert report["problems"]["tail_missing"] >= cut
    assert report["examples"]["tail_missing"][0] == {"where": "head_file", "id": end}
    # The rows those events wrote are no longer proven by the trail either.
    assert report["problems"].get("changed", 0) + report["problems"].get("unrecorded", 0) >= 1
    refused_export(cli, stick)


def rehash(path: Path, bind: dict[tuple[str, str], str] | None = None) -> None:
    """What an attacker with the code does: every event's hash recomputed from the first
    (states of ``bind`` rewritten on the way), and the head file written to match."""
    bind = bind or {}
    with sqlite3.connect(path) as raw:
        raw.row_factory = sqlite3.Row
        raw.execute("drop trigger if exists audit_event_no_update")
        events = raw.execute("select * from audit_event order by id").fetchall()
        last_of = {(e["entity"], e["entity_id"]): e["id"] for e in events
                   if e["action"] in audit.ROW_ACTIONS}
        prev = audit.GENESIS
        for event in events:
            fields = dict(event)
            key = (event["entity"], event["entity_id"])
            if key in bind and last_of[key] == event["id"]:
                fields["state"] = bind[key]
            view = type("Event", (), fields)
            link = audit.row_hash(view, prev)
            raw.execute("update audit_event set prev_hash = ?, hash = ?, state = ? where id = ?",
                        (prev[:audit.PREV_KEPT], link, fields["state"], event["id"]))
            prev = link
        audit.save_head(audit.head_path(path), audit.Head(events[-1]["id"], prev))


def test_7_the_whole_chain_rehashed_after_an_edit(cli, counter: Path, stick: Path) -> None:
    sql(counter, "update payment set amount_fen = 1")
    with sqlite3.connect(counter) as raw:
        row_state.prepare(raw)
        ((key, state),) = row_state.states(raw, "payment", [1])
    rehash(counter, {("payment", key): state})
    code, report = verify(cli)
    # Rows, links and head file all agree now; the batch already sent names the old head.
    assert code == 1 and report["problems"] == {"rewritten": 1}
    assert report["examples"]["rewritten"][0]["where"] == "last_batch"
    assert report["broken_at"] is None
    # Export has nothing to object to at the counter: HQ refuses the batch (the HQ test).
    assert cli("export", "--out", str(stick)).code == 0


def test_8_the_whole_trail_deleted_and_written_again(cli, counter: Path, stick: Path) -> None:
    end = last_id(counter)
    sql(counter, "delete from audit_event", free=True)
    desk = Desk.open(counter, clock=FrozenClock(), user="tester")
    try:
        desk.tickets.intake(intake_doc(9, name="钱七"))  # new events from id 1
    finally:
        desk.close()
    assert last_id(counter) < end
    code, report = verify(cli)
    assert code == 1 and report["broken_at"] is None  # the new chain itself holds
    assert report["problems"]["unrecorded"] > 10  # every older row lost its events
    # The last batch named a head the new, shorter chain does not reach.
    assert report["examples"]["tail_missing"][0]["where"] == "last_batch"
    refused_export(cli, stick)


def test_9_an_events_content_edited(cli, counter: Path, stick: Path) -> None:
    sql(counter, "update audit_event set user = 'someone' where id = 5", free=True)
    code, report = verify(cli)
    assert code == 1 and report["problems"] == {"broken": 1}
    assert (report["broken_at"], report["reason"]) == (5, "edited")
    assert "broken links" in cli("audit", "verify").out


def test_10_an_event_in_the_middle_deleted(cli, counter: Path) -> None:
    sql(counter, "delete from audit_event where id = 5", free=True)
    code, report = verify(cli)
    assert code == 1 and report["problems"]["broken"] == 1
    assert (report["broken_at"], report["reason"]) == (6, "missing_before")


def test_11_an_event_inserted_in_the_middle(cli, counter: Path) -> None:
    """Event 5 replaced by a forged one that links to event 4 and hashes right."""
    with sqlite3.connect(counter) as raw:
        raw.row_factory = sqlite3.Row
        prev = raw.execute("select hash from audit_event where id = 4").fetchone()[0]
        forged = dict(raw.execute("select * from audit_event where id = 5").fetchone())
    forged["user"] = "someone"
    forged["hash"] = audit.row_hash(type("Event", (), forged), prev)
    sql(counter, "delete from audit_event where id = 5", free=True)
    with sqlite3.connect(counter) as raw:
        raw.execute(f"insert into audit_event ({', '.join(forged)}) values "
                    f"({', '.join('?' * len(forged))})", list(forged.values()))
    code, report = verify(cli)
    assert code == 1 and (report["broken_at"], report["reason"]) == (6, "missing_before")


def test_12_a_row_inserted_with_no_event(cli, counter: Path, stick: Path) -> None:
    sql(counter, "insert into customer (id, name, phone, created_at, updated_at) values "
                 "(77, '假客户', '+8613912340077', '2026-11-21 02:00:00.000000', "
                 "'2026-11-21 02:00:00.000000')")
    code, report = verify(cli)
    assert code == 1 and report["problems"] == {"unrecorded": 1}
    assert report["examples"]["unrecorded"] == [{"table": "customer", "key": "77"}]
    assert "customer 77" in refused_export(cli, stick)


@pytest.mark.parametrize("how", ["deleted", "rolled_back"])
def test_14_the_head_file_deleted_or_rolled_back_with_tail_events(cli, counter: Path,
                                                                  stick: Path, how: str) -> None:
    head = audit.head_path(counter)
    end = last_id(counter)
    sql(counter, f"delete from audit_event where id > {end - 3}", free=True)
    if how == "deleted":
        head.unlink()
    else:
        with sqlite3.connect(counter) as raw:
            row = raw.execute("select id, hash from audit_event order by id desc limit 1").fetchone()
        audit.save_head(head, audit.Head(*row))
    code, report = verify(cli)
    assert code == 1
    # The intake those events recorded is no longer proven by the trail.
    assert report["problems"].get("unrecorded", 0) + report["problems"].get("changed", 0) >= 1
    if how == "deleted":
        assert report["problems"]["head_missing"] == 1
    refused_export(cli, stick)


def test_the_head_file_follows_every_write(desk: Desk, store_path: Path,
                                           intake_doc: dict) -> None:
    head = audit.head_path(store_path)
    desk.tickets.intake(intake_doc)
    with sqlite3.connect(store_path) as raw:
        last = raw.execute("select id, hash from audit_event order by id desc limit 1").fetchone()
    assert audit.read_head(head) == audit.Head(*last)
    with desk.store.read() as s:
        audit.write_head(head, s.connection())  # what a restore calls: the same head
    assert audit.read_head(head) == audit.Head(*last)


def test_a_rows_state_is_its_batch_line_without_nulls(keyed_counter: Iterator[Desk]) -> None:
    """SQLite's state text (row_state.state_plans) is the Python definition (state_text) of
    the row as the export's Python encoder reads it, for every audited row."""
    import sqlalchemy as sa

    desk = keyed_counter
    with desk.store.read() as s:
        conn = s.connection()
        raw = conn.connection.driver_connection
        row_state.prepare(raw)
        for name, plan in row_state.state_plans().items():
            from sqlmodel import SQLModel

            table = SQLModel.metadata.tables[name]
            columns = row_state.state_columns(table)
            expected = {
                str(row[columns.index(plan.key)]): row_state.state_text(
                    {c: row_state.to_json(v) for c, v in zip(columns, row, strict=True)})
                for row in conn.execute(sa.select(*(table.c[c] for c in columns)))}
            found = dict(raw.execute(
                f'SELECT "{plan.key}", {plan.text} FROM "{name}"').fetchall())
            assert {str(k): v for k, v in found.items()} == expected, name


@pytest.fixture
def keyed_counter(desk: Desk) -> Iterator[Desk]:
    seed_demo(desk, tickets=15, seed=4)
    with sqlite3.connect(desk.store.path) as raw:  # values no screen writes (test_lines.py)
        raw.execute("update ticket set condition = ?, description = ?, "
                    "created_at = '2026-11-21 10:00:00' where id = 1",
                    ('{"z": 1, "a": {"b": null, "y": [1, 2.5]}, "e": "\\u00e9"}',
                     'quote " backslash \\ tab \t 中文 😀'))
        raw.execute("update ticket set condition = 'null', promised_date = NULL where id = 2")
        raw.execute("update repair_record set warranty = 2 where id = 1")
    yield desk


def test_a_manager_binds_what_was_looked_into_and_the_counter_exports_again(
        cli, counter: Path, stick: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sql(counter, "update payment set amount_fen = 1",
        "pragma foreign_keys = off", "delete from ticket where id = 3")
    desk = Desk.open(counter, clock=FrozenClock())
    desk.trust.add_user("王店长", "manager", "258000")
    desk.trust.login("王店长", "258000")
    desk.trust.add_user("小陈", "front_desk", "2468")
    desk.close()
    monkeypatch.setenv("REPAIRDESK_PIN", "2468")
    clerk = cli("audit", "bind", "--reason", "查过", "--as", "小陈")
    assert clerk.code == 1 and "only a manager" in clerk.err
    monkeypatch.setenv("REPAIRDESK_PIN", "258000")
    no_reason = cli("audit", "bind", "--reason", " ", "--as", "王店长")
    assert no_reason.code == 2 and "Reason" in no_reason.err
    assert verify(cli)[0] == 1  # nothing was bound by the refusals

    bound = cli("audit", "bind", "--reason", "收银错录，已核实", "--as", "王店长", "--json")
    assert bound.code == 0, bound.err
    assert bound.json()["bound"] == {"payment": 1, "ticket": 1}
    code, report = verify(cli)
    assert code == 0 and report["ok"], report
    with sqlite3.connect(counter) as raw:
        user, after = raw.execute("select user, after from audit_event where action = 'bound'"
                                  ).fetchone()
    assert user == "王店长" and "收银错录，已核实" in after  # attributable, with its reason
    assert cli("export", "--out", str(stick), "--as", "王店长").code == 0
    again = cli("audit", "bind", "--reason", "再查", "--as", "王店长")
    assert again.code == 0 and "nothing to bind" in again.out
