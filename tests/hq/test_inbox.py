"""The import inbox in one process: files in counter and sequence order by their manifests,
what HQ holds reported without a second check, a counter held by another import come back
to, the progress callback, and the closing table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from repairdesk.hq import importer, inbox
from repairdesk.hq.facade import Hq
from repairdesk.sync import keys
from repairdesk.sync.views import ImportOutcome
from tests.hq.helpers import DAYS, Scenario, forge, hq_tickets


def renamed(scenario: Scenario, folder: Path) -> dict[str, list[str]]:
    """Every batch copied into ``folder`` under a name that sorts against its sequence
    (and its counter); returns each counter's new names in sequence order."""
    folder.mkdir()
    names: dict[str, list[str]] = {}
    for code, files in scenario.batches.items():
        for seq, path in enumerate(files, start=1):
            name = f"{chr(ord('z') - seq)}-{code}-{path.stem[::-1]}.rdbatch"
            shutil.copyfile(path, folder / name)
            names.setdefault(code, []).append(name)
    return names


def test_a_folder_goes_in_by_counter_and_sequence_whatever_the_names(
        hq: Hq, scenario: Scenario, tmp_path: Path) -> None:
    names = renamed(scenario, tmp_path / "stick")
    calls: list[tuple[int, int, ImportOutcome]] = []
    outcomes, gaps = hq.import_files([tmp_path / "stick"],
                                     progress=lambda *call: calls.append(call))
    assert [(o.counter, o.seq, o.file, o.status) for o in outcomes] == [
        (code, seq, names[code][seq - 1], "imported")
        for code in ("BJ02", "SH01") for seq in range(1, DAYS + 1)]
    assert gaps == {}
    assert [(done, total) for done, total, _o in calls] == [(n, 2 * DAYS)
                                                            for n in range(1, 2 * DAYS + 1)]
    assert [o for _d, _t, o in calls] == outcomes
    assert {(c, n): (s, v) for c, n, s, v in hq_tickets(hq)} == scenario.tickets()


def test_what_hq_holds_is_reported_as_such_without_checking_it_again(
        hq: Hq, scenario: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "stick"
    renamed(scenario, folder)
    hq.import_files([folder])

    def checked(*_args: object) -> None:
        pytest.fail("a file HQ holds was checked again")

    monkeypatch.setattr(importer, "import_file", checked)
    # The folder and one of its files given again: each file once.
    outcomes, _gaps = hq.import_files([folder, next(folder.iterdir())])
    assert len(outcomes) == 2 * DAYS
    assert {o.status for o in outcomes} == {"already_imported"}
    assert {(o.counter, o.seq) for o in outcomes} == {
        (code, seq) for code in ("BJ02", "SH01") for seq in range(1, DAYS + 1)}


def test_other_bytes_under_a_held_number_are_still_checked_and_refused(
        hq: Hq, scenario: Scenario, tmp_path: Path) -> None:
    """Only the very bytes HQ holds skip the checks: another file claiming the same counter
    and number goes through them (the sequence check refuses it), whatever its name."""
    first, second = scenario.batches["SH01"][:2]
    hq.import_files([first])
    key = keys.load_private_key(scenario.stores["SH01"].with_name("SH01.sqlite3.signing-key"))
    other = forge(first, tmp_path / second.name, key,
                  lambda m: m.update(until="2026-11-20T12:00:00+00:00"))
    outcomes, _gaps = hq.import_files([other, first])
    assert [(o.file, o.seq, o.status, o.check) for o in outcomes] == [
        (first.name, 1, "already_imported", None), (second.name, 1, "refused", "sequence")]


@pytest.mark.parametrize("hq_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("held", ["lock", "claim"])
def test_a_counter_another_import_holds_is_come_back_to(
        hq: Hq, scenario: Scenario, held: str) -> None:
    """PostgreSQL: another process holds BJ02 (its import's lock per counter, or its run's
    claim on it); this import does not wait for it: SH01's batches first, then BJ02's once
    it is free."""
    other = hq.store.engine.connect()
    holding = other.begin()
    take = (sa.func.pg_try_advisory_xact_lock(importer.lock_key("BJ02")) if held == "lock"
            else sa.func.pg_try_advisory_lock(importer.lock_key("BJ02", "claim")))
    assert other.execute(sa.select(take)).scalar()
    seen: list[str] = []

    def progress(done: int, total: int, outcome: ImportOutcome) -> None:
        seen.append(f"{outcome.counter}-{outcome.seq}")
        if done == 1:  # the other import ends
            if held == "claim":
                other.execute(sa.select(sa.func.pg_advisory_unlock(
                    importer.lock_key("BJ02", "claim"))))
            holding.rollback()

    try:
        outcomes, gaps = hq.import_files([p for day in range(DAYS) for p in scenario.day(day)],
                                         progress=progress)
    finally:
        other.close()
    assert seen == [f"SH01-{n}" for n in range(1, DAYS + 1)] + [
        f"BJ02-{n}" for n in range(1, DAYS + 1)]
    assert {o.status for o in outcomes} == {"imported"} and gaps == {}


def test_peek_reads_counter_and_sequence_and_never_fails(scenario: Scenario,
                                                         tmp_path: Path) -> None:
    path = scenario.batches["BJ02"][1]
    found = inbox.peek(path)
    assert (found.counter, found.seq, found.complete) == ("BJ02", 2, True)
    data = path.read_bytes()
    for name, content in (("half", data[: len(data) // 2]), ("empty", b""),
                          ("junk", b"PK\x03\x04" + b"\xff" * 300)):
        (tmp_path / name).write_bytes(content)
        assert inbox.peek(tmp_path / name) == inbox.Peeked(tmp_path / name), name
    assert inbox.peek(tmp_path / "absent") == inbox.Peeked(tmp_path / "absent")


@pytest.mark.parametrize("hq_url", ["sqlite"], indirect=True)
def test_cli_closing_table(hq: Hq, hq_url: str, scenario: Scenario, tmp_path: Path,
                           cli) -> None:  # noqa: ANN001
    folder = tmp_path / "stick"
    folder.mkdir()
    sh01, bj02 = scenario.batches["SH01"], scenario.batches["BJ02"]
    for path in (sh01[0], sh01[2], bj02[0]):
        shutil.copyfile(path, folder / path.name)
    (folder / "cut.rdbatch").write_bytes(bj02[1].read_bytes()[:300])
    assert cli("hq", "import", str(bj02[0]), "--hq-db", hq_url, db=False).code == 0
    result = cli("hq", "import", str(folder), "--hq-db", hq_url, db=False)
    assert result.code == 2
    lines = result.out.splitlines()
    assert "Counter SH01 still misses batch(es) 2: import them when they arrive." in lines
    table = lines[lines.index("Counter SH01 still misses batch(es) 2: import them when they "
                              "arrive.") + 1:]
    assert [line.split() for line in table] == [
        ["Counter", "Imported", "Already", "there", "Refused", "Missing", "Flag"],
        ["BJ02", "0", "1", "-", "-", "-"],
        ["SH01", "2", "0", "-", "2", "-"],
        ["-", "0", "0", "1", "(readable)", "-", "-"]]
    as_json = cli("hq", "import", str(folder), "--hq-db", hq_url, "--json", db=False)
    assert as_json.code == 2
    assert as_json.json()["counters"] == [
        {"counter": "BJ02", "imported": 0, "already": 1, "refused": [], "missing": [],
         "flag": None},
        {"counter": "SH01", "imported": 0, "already": 2, "refused": [], "missing": [2],
         "flag": None},
        {"counter": None, "imported": 0, "already": 0,
         "refused": [{"file": "cut.rdbatch", "check": "readable"}], "missing": [],
         "flag": None}]


@pytest.mark.parametrize("hq_url", ["sqlite"], indirect=True)
def test_cli_watch_refuses_a_path_that_is_not_there(hq: Hq, hq_url: str, tmp_path: Path,
                                                    cli) -> None:  # noqa: ANN001
    result = cli("hq", "import", str(tmp_path / "nowhere"), "--watch", "--hq-db", hq_url,
                 db=False)
    assert result.code == 2
    assert f"{tmp_path / 'nowhere'} does not exist" in result.err
    assert "Traceback" not in result.err
