"""Restore that loses nothing (issue 15, B): an older backup gets back every exported
change from the counter's own batches, numbers and batch sequence go on, HQ takes the next
batch; a store in use, another counter's backup and a lost store are refused; no
``.partial`` file stays."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from repairdesk.backup import backup, backups_dir
from repairdesk.desk import Desk
from repairdesk.errors import InputError, StoreError
from repairdesk.hq.facade import Hq
from repairdesk.restore import restore
from repairdesk.store_files import outbox_dir
from repairdesk.store_lock import open_lock, restore_lock, try_lock
from tests.conftest import NOW, FrozenClock
from tests.hq.helpers import forge
from tests.unit.sync.factory import intake_doc, work_a_day


def _numbers(path: Path) -> set[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as raw:
        return {r[0] for r in raw.execute("select number from ticket")}


def _events(path: Path) -> set[tuple[int, str]]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as raw:
        return set(raw.execute("select id, hash from audit_event"))


def _counter_at_work(desk: Desk, clock: FrozenClock, out: Path, tmp_path: Path
                     ) -> tuple[Path, list[Path], set[str]]:
    """Three days of work, a batch a day, a backup after the first; then two intakes that
    no batch carries. Returns the backup, the batch files, the exported tickets."""
    desk.sync.ensure_signing_key()
    files, backup_file = [], None
    for day in range(3):
        clock.now = NOW + timedelta(days=day)
        work_a_day(desk, clock, serial=100 * day)
        files.append(Path(desk.sync.export_batch(out).path))
        if day == 0:
            backup_file = backup(desk.store.path, tmp_path / "monday.sqlite3").path
    exported = _numbers(desk.store.path)
    for serial in (900, 901):
        desk.tickets.intake(intake_doc(serial, name=f"未导出{serial}"))
    assert backup_file is not None
    return backup_file, files, exported


def test_older_backup_replays_the_batches_since_and_hq_takes_the_next(
        desk: Desk, clock: FrozenClock, store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "stick"
    out.mkdir()
    old, files, exported = _counter_at_work(desk, clock, out, tmp_path)
    before = _numbers(store_path)
    public_key = desk.sync.signing_key().public_key
    desk.close()

    done = restore(old, store_path)

    # Every exported ticket is back; the two made after the last export are in the store
    # kept aside only, and the restore says so.
    assert done.replayed.batches == [2, 3] and done.replayed.missing is None
    assert done.replayed.rows > 0 and done.replayed.events > 0
    assert _numbers(store_path) == exported
    assert done.aside is not None and _numbers(done.aside) == before
    assert done.unexported > 0
    # The trail came back from the batches as it was written: no event of the replay's own.
    restored, kept = _events(store_path), _events(done.aside)
    assert restored < kept and max(restored)[0] < max(kept)[0]
    again = Desk.open(store_path, clock=clock, user="tester")
    try:
        assert again.trust.verify_audit().ok
        assert [b.seq for b in again.sync.batches()] == [1, 2, 3]
        # New intakes take numbers never issued before (not the two kept aside's).
        clock.now = NOW + timedelta(days=2, hours=12)
        new = {again.tickets.intake(intake_doc(950 + i, name=f"恢复后{i}")).ticket
               for i in range(3)}
        assert not new & before
        fourth = again.sync.export_batch(out)
        # Only what changed since the restore: the replayed rows are not sent again.
        assert fourth.seq == 4 and fourth.tables["ticket"] == 3
    finally:
        again.close()
    assert (outbox_dir(store_path) / Path(fourth.path).name).read_bytes() == \
        Path(fourth.path).read_bytes()

    hq = Hq.open(str(tmp_path / "hq.sqlite3"), check=False, clock=lambda: NOW)
    hq.init(tmp_path / "hq.key")
    hq.close()
    hq = Hq.open(str(tmp_path / "hq.sqlite3"), clock=lambda: NOW)
    try:
        hq.add_counter("SH01", "SH01")
        hq.trust("SH01", public_key)
        outcomes, gaps = hq.import_files(sorted(out.glob("*.rdbatch")))
        assert [(o.seq, o.status) for o in outcomes] == [(s, "imported") for s in (1, 2, 3, 4)]
        assert not gaps
        assert hq.verify_audit("SH01")["SH01"].ok
        from tests.hq.helpers import hq_tickets

        assert {n for _c, n, _s, _v in hq_tickets(hq)} == exported | new
    finally:
        hq.close()


def test_a_lost_store_is_rebuilt_from_the_outbox_and_a_forged_batch_is_not_replayed(
        desk: Desk, clock: FrozenClock, store_path: Path, tmp_path: Path, cli) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    out = tmp_path / "stick"
    out.mkdir()
    old, files, _exported = _counter_at_work(desk, clock, out, tmp_path)
    second = _numbers(store_path)
    desk.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store_path}{suffix}").unlink(missing_ok=True)
    # Batch 3 in the outbox replaced by one signed with a key that is not the counter's.
    third = outbox_dir(store_path) / files[2].name
    forged = forge(third, tmp_path / "forged.rdbatch", Ed25519PrivateKey.generate(),
                   lambda manifest: None)
    third.write_bytes(forged.read_bytes())

    done = cli("restore", str(old))

    assert done.code == 0, done.err
    assert "Replayed the batches exported since the backup (numbers 2 to 2)" in done.out
    assert "Batch 3 could not be replayed" in done.out and "signature" in done.out
    assert "previous store was kept" not in done.out  # there was none to keep aside
    restored = _numbers(store_path)
    assert restored < second and restored > _numbers(old)


def test_restore_is_refused_while_the_store_is_open(desk: Desk, store_path: Path,
                                                   tmp_path: Path, intake_doc: dict,
                                                   cli) -> None:
    copy = backup(store_path, tmp_path / "copy.sqlite3").path
    kept = desk.tickets.intake(intake_doc).ticket
    with pytest.raises(StoreError, match="close the counter app first"):
        restore(copy, store_path)
    refused = cli("restore", str(copy))
    assert refused.code == 1 and "close the counter app first" in refused.err
    # Nothing was touched: the open store goes on writing into the store at the path.
    assert kept in _numbers(store_path)
    assert not list(tmp_path.glob("store.sqlite3.before-restore-*"))
    later = desk.tickets.intake(intake_doc | {"description": "after"}, allow_open=True).ticket
    assert later in _numbers(store_path)


def test_opening_waits_for_a_restore_then_says_so(store_path: Path) -> None:
    store_path.touch()
    held = restore_lock(store_path)
    try:
        with pytest.raises(StoreError, match="being restored"):
            open_lock(store_path, wait_s=0.2)
    finally:
        held.release()
    open_lock(store_path, wait_s=0.2).release()


def test_another_counters_backup_needs_a_manager_and_the_flag(
        desk: Desk, store_path: Path, tmp_path: Path, cli,
        monkeypatch: pytest.MonkeyPatch) -> None:
    other_path = tmp_path / "bj.sqlite3"
    other = Desk.open(other_path, clock=FrozenClock())
    other.init_counter("BJ02", "海淀网点")
    other.close()
    theirs = backup(other_path, tmp_path / "bj-backup.sqlite3").path
    desk.trust.add_user("王经理", "manager", "246810")
    desk.trust.login("王经理", "246810")
    desk.trust.add_user("小李", "front_desk", "1357")
    desk.close()

    with pytest.raises(InputError) as refused:
        restore(theirs, store_path)
    assert refused.value.field == "FILE" and "BJ02" in refused.value.reason
    monkeypatch.setenv("REPAIRDESK_PIN", "246810")
    plain = cli("restore", str(theirs), "--as", "王经理")
    assert plain.code == 2 and "--other-counter" in plain.err
    monkeypatch.setenv("REPAIRDESK_PIN", "1357")
    clerk = cli("restore", str(theirs), "--other-counter", "--as", "小李")
    assert clerk.code == 1 and "only a manager" in clerk.err
    with sqlite3.connect(store_path) as raw:
        assert raw.execute("select code from counter").fetchone() == ("SH01",)
    monkeypatch.setenv("REPAIRDESK_PIN", "246810")
    manager = cli("restore", str(theirs), "--other-counter", "--as", "王经理", "--json")
    assert manager.code == 0, manager.err
    assert manager.json()["counter"] == "BJ02"
    with sqlite3.connect(store_path) as raw:
        assert raw.execute("select code from counter").fetchone() == ("BJ02",)


def test_the_next_backup_removes_killed_backups_partial_files(desk: Desk,
                                                            store_path: Path) -> None:
    folder = backups_dir(store_path)
    folder.mkdir()
    stale = [folder / f"store-2026112{i}-093000.sqlite3.partial" for i in range(3)]
    for path in stale:
        path.write_bytes(b"\0" * 4096)
    running = folder / "store-20261121-103000.sqlite3.partial"
    running.write_bytes(b"\0" * 4096)
    writing = try_lock(running, exclusive=True)  # another backup, still at work
    try:
        made = backup(store_path)
    finally:
        assert writing is not None
        writing.release()
    assert not any(p.exists() for p in stale)
    assert running.exists() and made.path.exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted([made.path.name, running.name])


def test_a_missing_store_is_not_made_again_empty(desk: Desk, store_path: Path, tmp_path: Path,
                                                cli) -> None:
    desk.sync.ensure_signing_key()
    backup(store_path)
    desk.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store_path}{suffix}").unlink(missing_ok=True)
    with pytest.raises(StoreError, match="restore"):
        Desk.open(store_path)
    again = cli("init", "--counter", "SH01", "--name", "重来")
    assert again.code == 1 and "repairdesk restore" in again.err
    intake = cli("intake", "-", stdin="{}")
    assert intake.code == 1 and "repairdesk restore" in intake.err and "init" not in intake.err
    assert not store_path.exists()
    # A fresh machine (nothing beside the store) still starts with a new store; so does
    # the demo store beside a real one.
    fresh = tmp_path / "new" / "store.sqlite3"
    Desk.open(fresh).close()
    assert fresh.exists()
    (fresh.parent / "outbox").mkdir()
    (fresh.parent / "outbox" / "SH01-000001-20261121.rdbatch").write_bytes(b"x")
    Desk.open(fresh.parent / "demo.sqlite3").close()


def test_export_never_replaces_another_batch_file_and_keeps_its_own_owner_only(
        desk: Desk, store_path: Path, tmp_path: Path, intake_doc: dict) -> None:
    desk.sync.ensure_signing_key()
    out = tmp_path / "stick"
    out.mkdir()
    desk.tickets.intake(intake_doc)
    first = Path(desk.sync.export_batch(out).path)
    kept = outbox_dir(store_path) / first.name
    assert kept.read_bytes() == first.read_bytes()
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(kept.parent).st_mode) == 0o700
    assert desk.sync.export_again(1, out).again  # the same bytes again: fine
    # A file of the next batch's name with other bytes (another store's batch 2).
    desk.tickets.intake(intake_doc | {"description": "二"}, allow_open=True)
    squatter = out / first.name.replace("000001", "000002")
    squatter.write_bytes(b"another batch")
    with pytest.raises(StoreError, match="already exists"):
        desk.sync.export_batch(out)
    assert squatter.read_bytes() == b"another batch"
    assert [b.seq for b in desk.sync.batches()] == [1]
    assert not list(out.glob("*.part")) and not list(kept.parent.glob("*.part"))


def test_a_damaged_outbox_file_is_never_replayed(desk: Desk, clock: FrozenClock,
                                                 store_path: Path, tmp_path: Path) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    out = tmp_path / "stick"
    out.mkdir()
    desk.sync.ensure_signing_key()
    work_a_day(desk, clock, serial=0)
    desk.sync.export_batch(out)
    old = backup(store_path, tmp_path / "old.sqlite3").path
    clock.now += timedelta(days=1)
    work_a_day(desk, clock, serial=100)
    second = outbox_dir(store_path) / Path(desk.sync.export_batch(out).path).name
    good = second.read_bytes()
    desk.close()
    at_backup = _numbers(old)

    @settings(max_examples=8, deadline=None, database=None)
    @given(st.integers(0, len(good) - 1), st.integers(1, 255))
    def flipped(position: int, xor: int) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{store_path}{suffix}").unlink(missing_ok=True)
        second.write_bytes(good[:position] + bytes([good[position] ^ xor]) + good[position + 1:])
        done = restore(old, store_path)
        assert done.replayed.batches == [] and done.replayed.missing == 2
        assert _numbers(store_path) == at_backup

    flipped()


def test_the_store_kept_aside_keeps_commits_still_in_its_wal(desk: Desk, store_path: Path,
                                                            tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    old = backup(store_path, tmp_path / "old.sqlite3").path
    desk.close()
    # An intake by a process that dies without closing the store: its commit is in the WAL.
    child = ("import json, os, sys\nfrom repairdesk.desk import Desk\n"
             "desk = Desk.open(sys.argv[1])\n"
             "print(desk.tickets.intake(json.loads(sys.argv[2])).ticket, flush=True)\n"
             "os._exit(0)\n")
    made = subprocess.run([sys.executable, "-c", child, str(store_path),
                           json.dumps(intake_doc(4242, name="断电前"))],
                          capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    number = made.stdout.strip()
    assert Path(f"{store_path}-wal").stat().st_size > 0

    done = restore(old, store_path)

    assert done.aside is not None and number in _numbers(done.aside)
    assert number not in _numbers(store_path)
    assert not Path(f"{store_path}-wal").exists() or \
        Path(f"{store_path}-wal").stat().st_size == 0


def test_two_restores_in_one_second_keep_both_stores_aside(desk: Desk, store_path: Path,
                                                          tmp_path: Path, intake_doc: dict
                                                          ) -> None:
    old = backup(store_path, tmp_path / "old.sqlite3").path
    number = desk.tickets.intake(intake_doc).ticket
    desk.close()
    first = restore(old, store_path, now=NOW).aside
    second = restore(old, store_path, now=NOW).aside
    assert first is not None and second is not None and first != second
    assert number in _numbers(first) and number not in _numbers(second)
