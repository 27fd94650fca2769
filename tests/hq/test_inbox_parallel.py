"""``hq import`` run by several processes at once, and ``--watch``, for real: separate
processes over one folder of real batches of several counters, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from repairdesk.demo import seed_demo
from repairdesk.desk import Desk
from repairdesk.hq import schema
from repairdesk.hq.facade import Hq
from tests.conftest import FrozenClock
from tests.hq.helpers import FIRST_DAY, Scenario, hq_tickets
from tests.unit.sync.factory import work_a_day

ROOT = Path(__file__).resolve().parents[2]
#: Five counters, four days of work each: twenty real batches.
NETWORK = (("SH01", 11), ("BJ02", 12), ("GZ03", 13), ("SZ04", 14), ("CD05", 15))
NETWORK_DAYS = 4


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """The counters' batches, made by the counters themselves (as in helpers.Scenario)."""
    root = tmp_path_factory.mktemp("network")
    made = Scenario(root)
    for index, (code, seed) in enumerate(NETWORK):
        clock = FrozenClock(FIRST_DAY)
        desk = Desk.open(root / f"{code}.sqlite3", clock=clock, user="tester")
        try:
            desk.init_counter(code, f"网点{code}")
            made.public_keys[code] = desk.sync.ensure_signing_key().public_key
            seed_demo(desk, tickets=8, seed=seed)
            out = root / f"{code}-out"
            out.mkdir()
            for day in range(NETWORK_DAYS):
                clock.now = FIRST_DAY + timedelta(days=day)
                work_a_day(desk, clock, serial=10_000 * index + 100 * day, intakes=2, moves=4)
                clock.now = FIRST_DAY + timedelta(days=day, hours=9)
                made.batches.setdefault(code, []).append(Path(desk.sync.export_batch(out).path))
        finally:
            desk.close()
        made.stores[code] = root / f"{code}.sqlite3"
    return made


@pytest.fixture
def network_hq(hq_url: str, tmp_path: Path, network: Scenario) -> Iterator[Hq]:
    setup = Hq.open(hq_url, check=False)
    setup.init(tmp_path / "hq.key")
    setup.close()
    hq = Hq.open(hq_url)
    for code, key in network.public_keys.items():
        hq.add_counter(code, f"网点{code}")
        hq.trust(code, key)
    yield hq
    hq.close()


def share(network: Scenario, folder: Path) -> list[Path]:
    """Every batch in one folder, named so that their names do not sort by sequence."""
    folder.mkdir()
    placed = []
    for files in network.batches.values():
        for number, path in enumerate(files):
            # Day 1 is "d-…", day 2 "c-…": name order is the reverse of sequence order.
            target = folder / f"{'dcba'[number]}-{path.name}"
            shutil.copyfile(path, target)
            placed.append(target)
    return placed


def command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from repairdesk.cli import main; main()", *args]


def environment(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(tmp_path / "home"),
            "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "LANG": "C.UTF-8"}


def batches(hq: Hq) -> list[tuple[str, int, object]]:
    table = schema.table("hq_batch")
    with hq.store.read() as conn:
        return [tuple(r) for r in conn.execute(
            sa.select(table.c.counter, table.c.seq, table.c.imported_at))]


def test_three_processes_over_one_folder_import_every_batch_once_in_order(
        network_hq: Hq, hq_url: str, network: Scenario, tmp_path: Path) -> None:
    placed = share(network, tmp_path / "share")
    reports = run_at_once(hq_url, tmp_path, [[str(tmp_path / "share")]] * 3)
    # Each process saw every file; each file was imported by exactly one of them.
    imported: dict[str, int] = {}
    for report in reports:
        assert sorted(f["file"] for f in report["files"]) == sorted(p.name for p in placed)
        assert {f["status"] for f in report["files"]} <= {"imported", "already_imported"}
        for f in report["files"]:
            imported[f["file"]] = imported.get(f["file"], 0) + (f["status"] == "imported")
        assert report["missing"] == {}
        # The closing table: every counter, all its batches either imported or there.
        assert {(r["counter"], r["imported"] + r["already"]) for r in report["counters"]} \
            == {(code, NETWORK_DAYS) for code, _seed in NETWORK}
    assert imported == {p.name: 1 for p in placed}
    held_in_order(network_hq, network)


def test_three_processes_over_overlapping_files_import_each_once_in_order(
        network_hq: Hq, hq_url: str, network: Scenario, tmp_path: Path) -> None:
    """One process is given days 1 to 3, one days 1 and 2, one the whole share (the same
    batches under other names): each batch goes in once, each counter's in order. (A
    process given day 3 without day 2 would import it, leaving the gap, as one alone does.)
    """
    share(network, tmp_path / "share")
    days = [[str(network.batches[code][day]) for code, _seed in NETWORK for day in wanted]
            for wanted in (range(3), range(2))]
    reports = run_at_once(hq_url, tmp_path, [*days, [str(tmp_path / "share")]])
    imported = [(f["counter"], f["seq"]) for report in reports for f in report["files"]
                if f["status"] == "imported"]
    assert sorted(imported) == sorted((code, seq) for code, _seed in NETWORK
                                      for seq in range(1, NETWORK_DAYS + 1))
    for report in reports:  # each process went through each counter's files in order
        for code, _seed in NETWORK:
            seqs = [f["seq"] for f in report["files"] if f["counter"] == code]
            assert seqs == sorted(seqs), (code, seqs)
    held_in_order(network_hq, network)


def run_at_once(hq_url: str, tmp_path: Path, arguments: list[list[str]]) -> list[dict]:
    """``hq import ARGUMENTS --json`` in as many processes at once; all must exit 0."""
    runs = [subprocess.Popen(command("hq", "import", *args, "--hq-db", hq_url, "--json"),
                             cwd=ROOT, env=environment(tmp_path), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for args in arguments]
    results = [(run.wait(timeout=300), *run.communicate()) for run in runs]
    assert [code for code, _out, _err in results] == [0] * len(runs), results
    assert all(err == "" for _code, _out, err in results), results
    return [json.loads(out) for _code, out, _err in results]


def held_in_order(network_hq: Hq, network: Scenario) -> None:
    """Every batch at HQ once; each counter's in sequence order; every ticket as it is."""
    rows = batches(network_hq)
    assert sorted((c, s) for c, s, _at in rows) == sorted(
        (code, seq) for code, _seed in NETWORK for seq in range(1, NETWORK_DAYS + 1))
    for code, _seed in NETWORK:
        times = [at for c, _s, at in sorted(rows, key=lambda r: (r[0], r[1])) if c == code]
        assert times == sorted(times), (code, times)
    assert {(c, n): (s, v) for c, n, s, v in hq_tickets(network_hq)} == network.tickets()


def test_watch_takes_files_as_they_arrive_and_stops_cleanly_on_sigterm(
        network_hq: Hq, hq_url: str, network: Scenario, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    sh01 = network.batches["SH01"]
    shutil.copyfile(sh01[0], inbox / sh01[0].name)
    watcher = subprocess.Popen(
        command("hq", "import", str(inbox), "--watch", "--every", "0.2", "--hq-db", hq_url,
                "--json"),
        cwd=ROOT, env=environment(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    try:
        def imported() -> set[tuple[str, int]]:
            return {(c, s) for c, s, _at in batches(network_hq)}

        wait_for(lambda: ("SH01", 1) in imported())
        # A file copied in slowly (a share): half of it, a pause of three looks, the rest.
        data = sh01[1].read_bytes()
        with (inbox / sh01[1].name).open("wb") as fh:
            fh.write(data[: len(data) // 2])
            fh.flush()
            time.sleep(0.6)
            fh.write(data[len(data) // 2:])
        wait_for(lambda: ("SH01", 2) in imported())
        # Day 4 before day 3: imported, day 3 missing until it comes.
        shutil.copyfile(sh01[3], inbox / sh01[3].name)
        wait_for(lambda: ("SH01", 4) in imported())
        shutil.copyfile(sh01[2], inbox / sh01[2].name)
        # A cut file that never completes: refused once it has stayed as it is.
        (inbox / "cut.rdbatch").write_bytes(network.batches["BJ02"][0].read_bytes()[:400])
        wait_for(lambda: ("SH01", 3) in imported())
        time.sleep(1.5)
    finally:
        watcher.send_signal(signal.SIGTERM)
        code = watcher.wait(timeout=60)
    out, err = watcher.communicate()
    assert "Traceback" not in err, err
    assert code == 2, (out, err)  # the cut file
    report = json.loads(out)
    assert [(f["file"], f["status"]) for f in report["files"]] == [
        (sh01[0].name, "imported"), (sh01[1].name, "imported"), (sh01[3].name, "imported"),
        (sh01[2].name, "imported"), ("cut.rdbatch", "refused")]
    assert report["missing"] == {}
    assert report["counters"] == [
        {"counter": "SH01", "imported": 4, "already": 0, "refused": [], "missing": [],
         "flag": None},
        {"counter": None, "imported": 0, "already": 0,
         "refused": [{"file": "cut.rdbatch", "check": "readable"}], "missing": [],
         "flag": None}]


def wait_for(condition, timeout: float = 60.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.mark.parametrize("hq_url", ["sqlite"], indirect=True)
def test_ctrl_c_ends_a_watch_cleanly(network_hq: Hq, hq_url: str, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    watcher = subprocess.Popen(
        command("hq", "import", str(inbox), "--watch", "--every", "0.2", "--hq-db", hq_url),
        cwd=ROOT, env=environment(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    try:
        assert watcher.stderr is not None
        assert watcher.stderr.readline().startswith("Watching for batch files (every 0.2 s)")
        time.sleep(0.5)
    finally:
        watcher.send_signal(signal.SIGINT)
        code = watcher.wait(timeout=60)
    out, err = watcher.communicate()
    assert (code, out, err) == (0, "No batch file to import.\n", "")
