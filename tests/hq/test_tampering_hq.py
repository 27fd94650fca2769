"""The 14 tampering cases of issue 15 at HQ: the next batch is refused, HQ keeps nothing of it.

The counter of tests/unit/trust/test_tampering.py sent its first batch; then its store is
tampered with, and the next batch is written by a counter whose own check is bypassed (the
attacker has the PC and the code: ``evidence.first_unproven`` patched out). HQ must refuse
that batch by the chain it holds, name the counter and the first conflicting event or row,
record the refusal for ``hq audit``, and store nothing else.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from repairdesk import evidence, row_state
from repairdesk.desk import Desk
from repairdesk.hq.facade import Hq
from tests.conftest import FrozenClock
from tests.hq.helpers import HQ_NOW, snapshot
from tests.unit.sync.factory import intake_doc
from tests.unit.trust.test_tampering import build_counter, copy_counter, last_id, rehash, sql


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The counter after its first batch, and a SQLite HQ that imported that batch."""
    folder = tmp_path_factory.mktemp("sent")
    store = build_counter(folder)
    hq_db = folder / "hq.sqlite3"
    hq = _hq(str(hq_db), folder / "hq.key", store)
    try:
        (outcome,), _gaps = hq.import_files(sorted((folder / "stick").iterdir()))
        assert outcome.status == "imported"
    finally:
        hq.close()
    return store, hq_db, folder / "stick"


def _hq(url: str, key: Path, store: Path) -> Hq:
    setup = Hq.open(url, check=False, clock=lambda: HQ_NOW)
    setup.init(key)
    setup.close()
    hq = Hq.open(url, clock=lambda: HQ_NOW)
    desk = Desk.open(store)
    try:
        hq.add_counter("SH01", "SH01")
        hq.trust("SH01", desk.sync.ensure_signing_key().public_key)
    finally:
        desk.close()
    return hq


def next_batch(store: Path, out: Path, monkeypatch: pytest.MonkeyPatch,
               work: bool = False) -> Path:
    """The counter's next batch, its own check bypassed (``work``: one more intake first)."""
    monkeypatch.setattr(evidence, "first_unproven", lambda *args: None)
    desk = Desk.open(store, clock=FrozenClock(), user="tester")
    try:
        if work:
            desk.tickets.intake(intake_doc(9, name="钱七"))
        out.mkdir(exist_ok=True)
        return Path(desk.sync.export_batch(out).path)
    finally:
        desk.close()
        monkeypatch.undo()


def _rehash_after_edit(store: Path) -> None:
    import sqlite3

    sql(store, "update payment set amount_fen = 1")
    with sqlite3.connect(store) as raw:
        row_state.prepare(raw)
        ((key, state),) = row_state.states(raw, "payment", [1])
    rehash(store, {("payment", key): state})


def _forge_event_5(store: Path) -> None:
    import sqlite3

    from repairdesk import audit

    with sqlite3.connect(store) as raw:
        raw.row_factory = sqlite3.Row
        prev = raw.execute("select hash from audit_event where id = 4").fetchone()[0]
        forged = dict(raw.execute("select * from audit_event where id = 5").fetchone())
    forged["user"] = "someone"
    forged["hash"] = audit.row_hash(type("Event", (), forged), prev)
    sql(store, "delete from audit_event where id = 5", free=True)
    with sqlite3.connect(store) as raw:
        raw.execute(f"insert into audit_event ({', '.join(forged)}) values "
                    f"({', '.join('?' * len(forged))})", list(forged.values()))


def _cut(count: int, *, roll_head: bool = False) -> Callable[[Path], None]:
    def tamper(store: Path) -> None:
        sql(store, f"delete from audit_event where id > {last_id(store) - count}", free=True)
        if roll_head:
            from repairdesk import audit

            audit.head_path(store).unlink()
    return tamper


# case, tampering, one more intake through the app afterwards, what HQ names first
CASES: list[tuple[int, Callable[[Path], None], bool, dict[str, Any]]] = [
    (1, lambda p: sql(p, "update payment set amount_fen = 1"), False,
     {"kind": "row_unproven", "table": "payment", "key": "1"}),
    (2, lambda p: sql(p, "update ticket set status = 'collected' where id = 2"), False,
     {"kind": "row_unproven", "table": "ticket", "key": "2"}),
    (3, lambda p: sql(p, "update customer set phone = '+8613900000000' where id = 1"), False,
     {"kind": "row_unproven", "table": "customer", "key": "1"}),
    (4, lambda p: sql(p, "delete from ticket where id = 3"), False,
     {"kind": "row_unproven", "table": "ticket", "key": "3"}),
    (5, _cut(1), True, {"kind": "row_unproven"}),
    (6, _cut(10), True, {"kind": "event_changed"}),
    # The first event the re-hash changed: the payment's last (its state rebound).
    (7, _rehash_after_edit, False, {"kind": "event_changed"}),
    (8, lambda p: sql(p, "delete from audit_event", free=True), True,
     {"kind": "event_changed", "event_id": 1}),
    (9, lambda p: sql(p, "update audit_event set user = 'x' where id = 5", free=True), False,
     {"kind": "event_edited", "event_id": 5}),
    (10, lambda p: sql(p, "delete from audit_event where id = 5", free=True), False,
     {"kind": "event_deleted", "event_id": 5}),
    (11, _forge_event_5, False, {"kind": "event_changed", "event_id": 5}),
    (12, lambda p: sql(p, "insert into customer (id, name, phone, created_at, updated_at) "
                          "values (77, '假', '+8613912340077', '2026-11-21 02:00:00.000000', "
                          "'2026-11-21 02:00:00.000000')"), False,
     {"kind": "row_unproven", "table": "customer", "key": "77"}),
    (14, _cut(3, roll_head=True), True, {"kind": "row_unproven"}),
]


@pytest.mark.parametrize(("case", "tamper", "work", "named"), CASES,
                         ids=[f"case{c[0]}" for c in CASES])
def test_hq_refuses_the_batch_of_a_tampered_counter(
        sent: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        cli: Any, case: int, tamper: Callable[[Path], None], work: bool,
        named: dict[str, Any]) -> None:
    source, hq_source, _stick = sent
    store = tmp_path / "store.sqlite3"
    copy_counter(source, store)
    hq_db = tmp_path / "hq.sqlite3"
    shutil.copy2(hq_source, hq_db)
    tamper(store)
    batch = next_batch(store, tmp_path / "out", monkeypatch, work=work)
    hq = Hq.open(str(hq_db), clock=lambda: HQ_NOW)
    try:
        before = snapshot(hq)
        (outcome,), _gaps = hq.import_files([batch])
        assert (outcome.status, outcome.check) == ("refused", "evidence"), outcome
        assert "SH01" in outcome.message
        after = snapshot(hq)
        (conflict,) = after.pop("hq_chain_conflict")  # the refusal, recorded
        before.pop("hq_chain_conflict")
        assert after == before  # nothing of the batch itself
        report = hq.verify_audit()["SH01"]
        assert not report.ok and report.chain.ok  # HQ's own copy is intact
        (seen,) = report.refused
        assert {k: seen[k] for k in named} == named, seen
    finally:
        hq.close()
    result = cli("hq", "audit", "--hq-db", str(hq_db), db=False)
    assert result.code == 1 and batch.name in result.out


def test_13_a_batch_edited_after_signing(sent: tuple[Path, Path, Path], tmp_path: Path) -> None:
    source, hq_source, stick = sent
    hq_db = tmp_path / "hq.sqlite3"
    shutil.copy2(hq_source, hq_db)
    (original,) = stick.iterdir()
    data = bytearray(original.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit, wherever the middle of the file falls
    edited = tmp_path / original.name.replace("000001", "000002")
    edited.write_bytes(bytes(data))
    hq = Hq.open(str(hq_db), clock=lambda: HQ_NOW)
    try:
        before = snapshot(hq)
        (outcome,), _gaps = hq.import_files([edited])
        assert outcome.status == "refused" and outcome.check in ("signature", "hash", "layout",
                                                                 "readable", "format")
        assert snapshot(hq) == before
    finally:
        hq.close()


@pytest.mark.parametrize("hq_url", ["postgresql"], indirect=True)
def test_a_renumbered_trail_is_refused_on_postgresql(hq_url: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "counter"
    folder.mkdir()
    store = build_counter(folder)
    hq = _hq(hq_url, tmp_path / "hq.key", store)
    try:
        (first,), _gaps = hq.import_files(sorted((folder / "stick").iterdir()))
        assert first.status == "imported"
        sql(store, "update payment set amount_fen = 1")
        (edited,), _gaps = hq.import_files([next_batch(store, tmp_path / "a", monkeypatch)])
        assert (edited.status, edited.check) == ("refused", "evidence")
        assert "payment 1" in edited.message
        sql(store, "update payment set amount_fen = 10000", "delete from audit_event",
            free=True)
        (renumbered,), _gaps = hq.import_files(
            [next_batch(store, tmp_path / "b", monkeypatch, work=True)])
        assert (renumbered.status, renumbered.check) == ("refused", "evidence")
        assert "event 1" in renumbered.message
        assert [c["kind"] for c in hq.verify_audit()["SH01"].refused] == [
            "row_unproven", "event_changed"]
    finally:
        hq.close()


def test_an_hq_database_from_before_the_evidence_imports_once_opened(
        sent: tuple[Path, Path, Path], tmp_path: Path) -> None:
    import sqlite3

    import sqlalchemy as sa

    from repairdesk.hq import schema
    from tests.hq.helpers import make_legacy

    source, _hq_source, stick = sent
    url = str(tmp_path / "old-hq.sqlite3")
    _hq(url, tmp_path / "hq.key", source).close()
    make_legacy(url, schema_version=1)
    with sqlite3.connect(url) as raw:  # as schema 1 left it: no state, no chain tables
        raw.execute("drop table hq_chain_head")
        raw.execute("drop table hq_chain_conflict")
        raw.execute("alter table audit_event drop column state")
        raw.execute("update hq_meta set value = 'older' where key = 'mirror'")
    hq = Hq.open(url, clock=lambda: HQ_NOW)  # upgraded as it opens
    try:
        assert hq.counter("SH01").trusted and hq.counter("SH01").name == "SH01"
        (outcome,), _gaps = hq.import_files(sorted(stick.iterdir()))
        assert outcome.status == "imported"
        events = schema.table("audit_event")
        with hq.store.read() as conn:
            assert conn.execute(sa.select(sa.func.count()).where(
                events.c.state.is_not(None))).scalar() > 10
        assert hq.verify_audit()["SH01"].ok
    finally:
        hq.close()


def test_rows_a_manager_bound_again_import_at_hq_with_the_reason(
        sent: tuple[Path, Path, Path], tmp_path: Path) -> None:
    import sqlite3

    store, hq_db, _stick = sent
    copy_counter(store, tmp_path / "store.sqlite3")
    shutil.copy2(hq_db, tmp_path / "hq.sqlite3")
    store = tmp_path / "store.sqlite3"
    sql(store, "update payment set amount_fen = 1")
    desk = Desk.open(store, clock=FrozenClock(), user="tester")
    try:
        assert desk.trust.bind_audit("收银错录，已核实") == {"payment": 1}
        (tmp_path / "out").mkdir()
        batch = Path(desk.sync.export_batch(tmp_path / "out").path)
    finally:
        desk.close()
    hq = Hq.open(str(tmp_path / "hq.sqlite3"), clock=lambda: HQ_NOW)
    try:
        (outcome,), _gaps = hq.import_files([batch])
        assert outcome.status == "imported", outcome.message
    finally:
        hq.close()
    with sqlite3.connect(tmp_path / "hq.sqlite3") as raw:
        (after,) = raw.execute("select after from audit_event where action = 'bound'").fetchone()
        (amount,) = raw.execute("select amount_fen from payment").fetchone()
    import json

    assert json.loads(after)["reason"] == "收银错录，已核实" and amount == 1  # who bound it, why
