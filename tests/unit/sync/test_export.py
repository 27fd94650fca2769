"""End-of-day batches at the counter: complete, minimal, signed, sequenced, never a secret."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from repairdesk.demo import seed_demo
from repairdesk.desk import Desk
from repairdesk.errors import InputError, NotFound, StoreError
from repairdesk.models import LearnedTac, Ticket
from repairdesk.sync import keys
from repairdesk.sync.tables import export_tables, is_secret
from tests.conftest import FrozenClock
from tests.unit.sync.factory import intake_doc, work_a_day


def members(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        return {m["table"]: [json.loads(line) for line in zf.read(m["name"]).splitlines()]
                for m in manifest["members"]}


def manifest(path: str | Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("manifest.json"))


def test_key_is_created_beside_the_store_for_the_owner_only(cli, store_path: Path) -> None:
    assert cli("init", "--counter", "SH01", "--name", "徐汇网点").code == 0
    key_file = store_path.with_name(store_path.name + ".signing-key")
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    shown = cli("key", "show", "--json").json()
    keys.parse_public_key(shown["public_key"])  # 32 bytes of Ed25519, base64
    # Setting the counter again keeps the key HQ already trusts.
    assert cli("init", "--counter", "SH01", "--name", "徐汇网点（新址）").code == 0
    assert cli("key", "show", "--json").json()["public_key"] == shown["public_key"]


def test_first_batch_carries_every_row_and_no_secret(keyed: Desk, stick: Path) -> None:
    keyed.tickets.intake(intake_doc(1, passcode="暗码-Zq7319"))
    seed_demo(keyed, tickets=30, seed=3)  # bulk SQL writes are seen too
    result = keyed.sync.export_batch(stick)
    assert result.written and result.seq == 1
    assert Path(result.path).name == "SH01-000001-20261121.rdbatch"
    rows = members(result.path)
    with sqlite3.connect(keyed.store.path) as raw:
        for t in export_tables():
            count = raw.execute(f'select count(*) from "{t.name}"').fetchone()[0]
            assert len(rows[t.name]) == count, t.name
    with zipfile.ZipFile(result.path) as zf:  # every member, audit trail included
        assert not any("暗码-Zq7319".encode() in zf.read(name) for name in zf.namelist())
    for table, lines in rows.items():
        for line in lines:
            assert not any(is_secret(table, column) for column in line)
    assert all("passcode_value" not in t.columns for t in export_tables())
    head = manifest(result.path)
    assert head["counter"] == "SH01" and head["previous_sha256"] is None
    assert head["rows"] == sum(len(v) for v in rows.values()) == result.rows


def test_next_batch_has_only_what_changed_and_chains(keyed: Desk, stick: Path,
                                                     clock: FrozenClock) -> None:
    first = keyed.sync.export_batch(stick)
    ticket = keyed.tickets.intake(intake_doc(2)).ticket
    clock.now += timedelta(days=1)
    second = keyed.sync.export_batch(stick)
    keyed.tickets.move(ticket, "diagnosing")
    third = keyed.sync.export_batch(stick)
    rows = members(third.path)
    assert [t["number"] for t in rows["ticket"]] == [ticket]
    assert rows["ticket"][0]["status"] == "diagnosing"
    assert [m["to_status"] for m in rows["status_move"]] == ["diagnosing"]
    assert rows["customer"] == [] and rows["device"] == []
    assert manifest(second.path)["previous_sha256"] == first.sha256
    assert manifest(third.path)["previous_sha256"] == second.sha256
    assert manifest(third.path)["since"] == manifest(second.path)["until"]
    assert Path(second.path).name == "SH01-000002-20261122.rdbatch"
    assert [b.seq for b in keyed.sync.batches()] == [1, 2, 3]


def test_no_change_writes_nothing_unless_empty(keyed: Desk, stick: Path, cli) -> None:
    keyed.sync.export_batch(stick)
    before = sorted(stick.iterdir())
    result = keyed.sync.export_batch(stick)
    assert not result.written and sorted(stick.iterdir()) == before
    out = cli("export", "--out", str(stick))
    assert out.code == 0 and "Nothing changed" in out.out
    assert sorted(stick.iterdir()) == before
    empty = cli("export", "--out", str(stick), "--empty", "--json").json()
    assert empty["written"] and empty["seq"] == 2 and empty["rows"] == 0
    assert manifest(empty["path"])["rows"] == 0


def test_again_rewrites_the_batch_byte_for_byte(keyed: Desk, stick: Path, tmp_path: Path,
                                                cli) -> None:
    keyed.tickets.intake(intake_doc(3))
    first = keyed.sync.export_batch(stick)
    keyed.tickets.intake(intake_doc(4))
    keyed.sync.export_batch(stick)
    lost = tmp_path / "new-stick"
    lost.mkdir()
    out = cli("export", "--again", "1", "--out", str(lost), "--json").json()
    assert Path(out["path"]).read_bytes() == Path(first.path).read_bytes()
    assert out["again"] and out["sha256"] == first.sha256
    with pytest.raises(NotFound):
        keyed.sync.export_again(9, lost)
    assert cli("export", "--again", "9", "--out", str(lost)).code == 1


def test_change_during_the_export_lands_in_exactly_one_batch(keyed: Desk, stick: Path,
                                                             store_path: Path,
                                                             clock: FrozenClock) -> None:
    ticket = keyed.tickets.intake(intake_doc(5)).ticket
    other_terminal = Desk.open(store_path, clock=clock, user="front")

    def meanwhile(done: int, total: int) -> None:
        # Committed by another connection while the export reads its snapshot.
        other_terminal.tickets.move(ticket, "diagnosing")

    try:
        during = keyed.sync.export_batch(stick, progress=meanwhile)
    finally:
        other_terminal.close()
    after = keyed.sync.export_batch(stick)
    seen = [m for path in (during.path, after.path) for m in members(path)["status_move"]
            if m["to_status"] == "diagnosing"]
    assert len(seen) == 1
    assert members(after.path)["ticket"][0]["status"] == "diagnosing"
    assert not keyed.sync.export_batch(stick).written


def test_rows_of_an_untracked_table_are_not_lost(keyed: Desk, stick: Path) -> None:
    """A batch-mode ALTER rebuilds a table without its triggers: the next export sees it."""
    ticket = keyed.tickets.intake(intake_doc(6)).ticket
    keyed.sync.export_batch(stick)
    with sqlite3.connect(keyed.store.path) as raw:
        for (name,) in raw.execute("select name from sqlite_master where type = 'trigger' "
                                   "and tbl_name = 'ticket'").fetchall():
            raw.execute(f'drop trigger "{name}"')
    with keyed.store.write() as s:  # through the app: the trail proves the change
        row = s.exec(select(Ticket).where(Ticket.number == ticket)).one()
        row.description = "改过"
        s.add(row)
    rows = members(keyed.sync.export_batch(stick).path)
    assert [(t["number"], t["description"]) for t in rows["ticket"]] == [(ticket, "改过")]


def test_a_deleted_row_travels_as_a_deletion(keyed: Desk, stick: Path) -> None:
    doc = intake_doc(7)
    doc["device"].update(imei="864000000000005", brand="小米", model="Redmi 13C")
    keyed.tickets.intake(doc)
    keyed.sync.export_batch(stick)
    with keyed.store.write() as s:  # through the app: the trail records the delete
        s.delete(s.get(LearnedTac, "86400000"))
    rows = members(keyed.sync.export_batch(stick).path)
    assert rows["learned_tac"] == [{"tac": "86400000", "$deleted": True}]


def test_refusals_write_nothing(desk: Desk, stick: Path, tmp_path: Path) -> None:
    with pytest.raises(StoreError) as no_key:
        desk.sync.export_batch(stick)
    assert "repairdesk init" in no_key.value.message
    desk.sync.ensure_signing_key()
    with pytest.raises(InputError) as no_dir:
        desk.sync.export_batch(tmp_path / "missing")
    assert no_dir.value.field == "--out"
    assert desk.sync.batches() == [] and list(stick.iterdir()) == []


def test_a_file_that_cannot_be_written_records_nothing(keyed: Desk, stick: Path) -> None:
    keyed.tickets.intake(intake_doc(8))
    name = "SH01-000001-20261121.rdbatch"
    # The part file cannot be opened for writing (even by root): a link to nowhere.
    (stick / f"{name}.part").symlink_to(stick / "gone" / "batch")
    with pytest.raises(StoreError) as failed:
        keyed.sync.export_batch(stick)
    assert name in failed.value.message
    assert keyed.sync.batches() == [] and list(stick.iterdir()) == []
    result = keyed.sync.export_batch(stick)  # the change log was kept: nothing is lost
    assert result.seq == 1 and members(result.path)["ticket"]
    assert [p.name for p in stick.iterdir()] == [name]


def test_a_raced_export_leaves_the_other_batch_alone(keyed: Desk, stick: Path,
                                                     store_path: Path,
                                                     clock: FrozenClock) -> None:
    keyed.tickets.intake(intake_doc(9))
    other_terminal = Desk.open(store_path, clock=clock, user="front")
    other: list[Any] = []

    def meanwhile(done: int, total: int) -> None:
        if not other:  # another terminal writes batch 1 while this export reads
            other.append(other_terminal.sync.export_batch(stick))

    try:
        with pytest.raises(StoreError):
            keyed.sync.export_batch(stick, progress=meanwhile)
    finally:
        other_terminal.close()
    assert [b.seq for b in keyed.sync.batches()] == [1]
    assert [p.name for p in stick.iterdir()] == [Path(other[0].path).name]  # no part left
    assert keyed.sync.batches()[0].sha256 == other[0].sha256


def test_three_days_of_work_export_daily(keyed: Desk, stick: Path, clock: FrozenClock) -> None:
    numbers: set[str] = set()
    for day in range(3):
        work_a_day(keyed, clock, serial=100 * day)
        result = keyed.sync.export_batch(stick)
        numbers |= {t["number"] for t in members(result.path)["ticket"]}
        clock.now += timedelta(days=1)
    with sqlite3.connect(keyed.store.path) as raw:
        assert numbers == {n for (n,) in raw.execute("select number from ticket")}
    assert [p.name for p in sorted(stick.iterdir())] == [
        "SH01-000001-20261121.rdbatch", "SH01-000002-20261122.rdbatch",
        "SH01-000003-20261123.rdbatch"]
