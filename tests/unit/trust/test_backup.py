"""Backups: verified copies, restore that keeps the current store aside, daily rotation."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from repairdesk.backup import backup, backups_dir, daily_backup, verify
from repairdesk.demo import seed_demo
from repairdesk.desk import Desk
from repairdesk.errors import InputError, NotFound
from repairdesk.restore import restore

from ...conftest import NOW, FrozenClock


def test_backup_restore_round_trips_a_demo_store(desk: Desk, store_path: Path, tmp_path: Path,
                                                 intake_doc: dict) -> None:
    seed_demo(desk, tickets=120, seed=2)
    before = {t.ticket: t.status for t in desk.tickets.board(limit=10_000)}
    info = backup(store_path, tmp_path / "copy.sqlite3")
    assert info.tickets == 120
    # Work after the backup is lost by the restore (that is what a restore is) ...
    extra = desk.tickets.intake(intake_doc).ticket
    desk.close()
    done = restore(info.path, store_path)
    restored, aside = done.backup, done.aside
    assert restored.tickets == 120 and aside is not None and aside.exists()
    again = Desk.open(store_path, clock=FrozenClock())
    try:
        assert {t.ticket: t.status for t in again.tickets.board(limit=10_000)} == before
        with pytest.raises(NotFound):
            again.tickets.ticket(extra)
    finally:
        again.close()
    # ... but the store it replaced, with that work, is kept aside.
    kept = Desk.open(aside, clock=FrozenClock())
    try:
        assert kept.tickets.ticket(extra).ticket == extra
    finally:
        kept.close()


def test_backup_while_another_connection_writes(desk: Desk, store_path: Path, tmp_path: Path,
                                                intake_doc: dict) -> None:
    for _ in range(3):
        desk.tickets.intake(intake_doc)
    info = backup(store_path, tmp_path / "live.sqlite3")
    with sqlite3.connect(info.path) as raw:
        assert raw.execute("pragma integrity_check").fetchone() == ("ok",)
        assert raw.execute("select count(*) from ticket").fetchone() == (3,)


@pytest.mark.parametrize("kind", ["missing", "garbage", "other_sqlite", "truncated"])
def test_restore_refuses_what_is_not_a_backup(desk: Desk, store_path: Path, tmp_path: Path,
                                              intake_doc: dict, kind: str) -> None:
    number = desk.tickets.intake(intake_doc).ticket
    bad = tmp_path / f"{kind}.sqlite3"
    if kind == "garbage":
        bad.write_bytes(b"\x00not sqlite\x00" * 500)
    elif kind == "other_sqlite":
        with sqlite3.connect(bad) as raw:
            raw.execute("create table photos (id integer)")
    elif kind == "truncated":
        good = backup(store_path, tmp_path / "good.sqlite3").path
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    with pytest.raises(InputError) as err:
        restore(bad, store_path)
    assert err.value.field == "FILE"
    assert desk.tickets.ticket(number).ticket == number  # the store is untouched


def test_daily_backup_once_a_day_and_keeps_the_newest(desk: Desk, store_path: Path) -> None:
    day = NOW
    assert daily_backup(store_path, keep=3, now=day) is not None
    assert daily_backup(store_path, keep=3, now=day + timedelta(hours=3)) is None
    for offset in range(1, 6):
        daily_backup(store_path, keep=3, now=day + timedelta(days=offset))
    kept = sorted(p.name for p in backups_dir(store_path).glob("*.sqlite3"))
    assert len(kept) == 3
    assert kept[-1].startswith(f"{store_path.stem}-{(day + timedelta(days=5)):%Y%m%d}")
    for name in kept:
        verify(backups_dir(store_path) / name)


def test_backup_and_restore_through_the_cli(cli, desk: Desk, intake_doc: dict,
                                            tmp_path: Path) -> None:
    desk.tickets.intake(intake_doc)
    target = tmp_path / "cli-backup.sqlite3"
    made = cli("backup", "--to", str(target), "--json")
    assert made.code == 0, made.err
    assert made.json()["tickets"] == 1
    bad = cli("restore", str(tmp_path / "nope.sqlite3"))
    assert bad.code == 2 and "Traceback" not in bad.err
    desk.close()
    done = cli("restore", str(target), "--json")
    assert done.code == 0, done.err
    assert Path(done.json()["previous"]).exists()


