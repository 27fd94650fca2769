"""A read-only store, a full disk, a foreign or corrupted file: a message, nothing written."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import event

from repairdesk.desk import Desk
from repairdesk.errors import StoreError

from ...conftest import INTAKE


def _count(path: Path) -> int:
    with sqlite3.connect(path) as raw:
        return raw.execute("select count(*) from ticket").fetchone()[0]


def test_full_disk_is_a_message_and_saves_nothing(desk: Desk, store_path: Path,
                                                  intake_doc: dict) -> None:
    desk.tickets.intake(intake_doc)
    with sqlite3.connect(store_path) as raw:
        pages = raw.execute("pragma page_count").fetchone()[0]

    # SQLite's own limit on the file size stands in for a full disk: same error, same path.
    @event.listens_for(desk.store.engine, "connect")
    def _cap(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.execute(f"pragma max_page_count = {pages}")

    desk.store.engine.dispose()
    # The longest description the intake takes: more than the free room of the last page.
    big = dict(intake_doc, description="长" * 2000)
    with pytest.raises(StoreError) as err:
        desk.tickets.intake(big)
    assert "full" in err.value.message
    assert _count(store_path) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_store_file(desk: Desk, store_path: Path, intake_doc: dict) -> None:
    desk.close()
    store_path.chmod(stat.S_IRUSR)
    with pytest.raises(StoreError) as err:
        Desk.open(store_path).tickets.intake(intake_doc)
    assert "read-only" in err.value.message


def test_read_only_store_through_sqlite(desk: Desk, store_path: Path, intake_doc: dict) -> None:
    # Root ignores permissions, so make SQLite itself refuse writes, as a read-only mount does.
    @event.listens_for(desk.store.engine, "connect")
    def _ro(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.execute("pragma query_only = 1")

    desk.store.engine.dispose()
    with pytest.raises(StoreError) as err:
        desk.tickets.intake(intake_doc)
    assert "read-only" in err.value.message or "readonly" in err.value.message
    assert _count(store_path) == 0


def test_corrupted_store_is_refused_by_the_cli(cli, store_path: Path, tmp_path: Path) -> None:
    assert cli("init", "--counter", "SH01", "--name", "x").code == 0
    data = bytearray(store_path.read_bytes())
    data[:100] = b"\xff" * 100  # the header is gone
    store_path.write_bytes(bytes(data))
    before = store_path.read_bytes()
    result = cli("intake", "-", stdin=json.dumps(INTAKE))
    assert result.code == 1 and "Traceback" not in result.err
    assert "cannot use the store" in result.err
    assert store_path.read_bytes() == before
