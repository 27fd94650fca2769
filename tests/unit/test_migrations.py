"""Schema by Alembic: old stores upgrade with their data, newer or foreign files are refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from repairdesk.db import alembic_config, make_engine, open_store, upgrade
from repairdesk.desk import Desk
from repairdesk.errors import StoreError


def test_store_at_first_migration_upgrades_with_data_intact(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    upgrade(engine, "0001")
    engine.dispose()
    with sqlite3.connect(path) as raw:
        assert "learned_tac" not in {r[0] for r in raw.execute(
            "select name from sqlite_master where type='table'")}
        now = "2026-01-05 08:00:00.000000"
        raw.execute("insert into counter (id, code, name, address, phone, created_at) "
                    "values (1, 'BJ02', '北京网点', '', '', ?)", (now,))
        raw.execute("insert into customer values (1, '李娜', '+8613911112222', ?, ?)", (now, now))
        raw.execute(
            "insert into device (id, imei, brand, model, channel, proof, created_at, updated_at)"
            " values (1, '352099001761481', 'Alcatel', 'One Touch 332', 'store', 'full', ?, ?)",
            (now, now))
        raw.execute(
            "insert into ticket (id, number, counter_code, customer_id, device_id, status,"
            " accessories, condition, faults, description, passcode_mode, deposit_fen,"
            " created_at, updated_at, version) values (1, 'BJ02-20260105-0001', 'BJ02', 1, 1,"
            " 'diagnosing', '[\"battery\"]', '{}', '[\"audio\"]', '无声', 'none', 5000, ?, ?, 2)",
            (now, now))
        raw.execute("insert into ticket_sequence values (1, 'BJ02', '20260105', 1)")
    desk = Desk.open(path)
    try:
        view = desk.tickets.ticket("BJ02-20260105-0001")
        assert view.status == "diagnosing" and view.customer["name"] == "李娜"
        assert view.faults == ["audio"] and view.accessories == ["battery"]
        assert str(view.deposit) == "50.00"
        assert view.device["production_date"] is None  # the column 0002 added
        assert desk.tickets.lookup("13911112222").tickets[0].ticket == "BJ02-20260105-0001"
    finally:
        desk.close()
    with sqlite3.connect(path) as raw:
        stored = {r[0] for r in raw.execute("select version_num from alembic_version")}
        assert stored == set(ScriptDirectory.from_config(alembic_config()).get_heads())
        assert raw.execute("pragma integrity_check").fetchone() == ("ok",)


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.sqlite3")
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    store.close()
    assert diff == []


def test_pragmas(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.sqlite3")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("pragma journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("pragma synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("pragma foreign_keys").scalar() == 1
    store.close()


def test_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    open_store(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute("delete from alembic_version")
        raw.execute("insert into alembic_version values ('0999')")
    before = path.read_bytes()
    with pytest.raises(StoreError) as err:
        open_store(path)
    assert "newer RepairDesk" in err.value.message
    assert path.read_bytes() == before


def test_sqlite_file_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("create table songs (id integer)")
    with pytest.raises(StoreError) as err:
        open_store(path)
    assert "not a RepairDesk store" in err.value.message
    with sqlite3.connect(path) as raw:
        tables = {r[0] for r in raw.execute("select name from sqlite_master")}
    assert tables == {"songs"}


def test_garbage_file_is_refused_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"this is a shopping list, not a database\n" * 200)
    before = path.read_bytes()
    with pytest.raises(StoreError) as err:
        open_store(path)
    assert "cannot use the store" in err.value.message
    assert path.read_bytes() == before
