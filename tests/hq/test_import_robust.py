"""HQ import stays standing whatever the files and the database do: a file is checked by
its size before it is read and read as a stream; a refused file does not stop the others;
the database's failures are reported in their real words, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
import sqlite3
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from repairdesk.hq import schema
from repairdesk.hq import store as hq_store
from repairdesk.hq.facade import Hq
from repairdesk.sync import batch, container, keys, limits
from repairdesk.sync.batch import BatchRefused
from tests.hq.helpers import Scenario, forge_member, hq_tickets, rebound, snapshot


def counter_key(scenario: Scenario, code: str):  # noqa: ANN201 - an Ed25519 private key
    return keys.load_private_key(scenario.stores[code].with_name(f"{code}.sqlite3.signing-key"))


def with_nul(scenario: Scenario, target: Path) -> tuple[Path, int]:
    """SH01's first batch with a NUL in its first customer's name, signed by SH01's key (a
    counter before input hygiene took it in); returns the file and that customer's id."""
    found: list[int] = []

    def poison(lines: list[bytes]) -> list[bytes]:
        row = json.loads(lines[0])
        row["name"] = row["name"][:1] + "\x00" + row["name"][1:]
        found.append(row["id"])
        return [batch.json_line(row).rstrip(b"\n"), *lines[1:]]

    forge_member(scenario.batches["SH01"][0], target, counter_key(scenario, "SH01"),
                 "customer.jsonl", poison)
    rebound(target, counter_key(scenario, "SH01"), "customer")  # its trail says so too
    return target, found[0]


def sparse_junk(path: Path, size: int = 1536 * limits.MiB) -> Path:
    with path.open("wb") as fh:
        fh.write(b"PK\x03\x04 junk from a stick")
        fh.truncate(size)  # a hole: no 1.5 GB written, none to read
    return path


def test_a_value_the_database_cannot_store_refuses_that_batch_only_on_either_engine(
        hq: Hq, scenario: Scenario, tmp_path: Path) -> None:
    """PostgreSQL cannot store a NUL in text (its DataError used to abort the whole run);
    SQLite could, but takes the same batch no differently: both refuse it, naming the
    batch, table, column and row, and import the next file of the same run. A number that is
    not one is refused in the database's own words, its row named by its key."""
    poisoned, customer = with_nul(scenario, tmp_path / "A-SH01-nul.rdbatch")

    def not_a_number(lines: list[bytes]) -> list[bytes]:
        row = json.loads(lines[1])
        row["version"] = "12x"
        return [lines[0], batch.json_line(row).rstrip(b"\n"), *lines[2:]]

    row_id = json.loads(zipfile.ZipFile(scenario.batches["SH01"][0]).read(
        "ticket.jsonl").splitlines()[1])["id"]
    wrong = rebound(forge_member(scenario.batches["SH01"][0], tmp_path / "B-SH01-number.rdbatch",
                                 counter_key(scenario, "SH01"), "ticket.jsonl", not_a_number),
                    counter_key(scenario, "SH01"), "ticket")
    outcomes, _gaps = hq.import_files([poisoned, wrong, scenario.batches["BJ02"][0]])
    # In counter and sequence order, as their manifests give them.
    assert [(o.file, o.status, o.check) for o in outcomes] == [
        (scenario.batches["BJ02"][0].name, "imported", None),
        ("A-SH01-nul.rdbatch", "refused", "values"),
        ("B-SH01-number.rdbatch", "refused", "values")]
    outcomes = outcomes[1:]
    assert outcomes[0].message == (
        f"A-SH01-nul.rdbatch refused by the values check: table customer, column name, "
        f"row id={customer}: the text holds a NUL character (0x00), which the HQ database "
        "cannot store")
    assert (outcomes[1].message or "").startswith(
        f"B-SH01-number.rdbatch refused by the values check: table ticket, column version, "
        f"row id={row_id}: ")
    assert "12x" in (outcomes[1].message or "")
    # Nothing of the refused batches is at HQ; the next file is there whole.
    assert {c for c, *_rest in hq_tickets(hq)} == {"BJ02"}
    assert [s.counter for s in hq.status() if s.last_seq] == ["BJ02"]
    before = snapshot(hq)
    assert hq.import_files([poisoned])[0][0].check == "values"
    assert snapshot(hq) == before
    assert hq.import_files([scenario.batches["SH01"][0]])[0][0].status == "imported"


@pytest.mark.parametrize("hq_url", ["sqlite"], indirect=True)
def test_a_sparse_1_5_gb_junk_file_is_refused_by_its_size_without_being_read(
        hq: Hq, scenario: Scenario, tmp_path: Path) -> None:
    junk = sparse_junk(tmp_path / "A-junk.rdbatch")
    tracemalloc.start()
    started = time.perf_counter()
    try:
        outcomes, _gaps = hq.import_files([junk])
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    assert (outcomes[0].status, outcomes[0].check) == ("refused", "size")
    assert outcomes[0].message == ("A-junk.rdbatch refused by the size check: the file is "
                                   "1.5 GiB, more than the 512 MiB a batch or pack file may "
                                   "be; not read")
    assert peak < 2 * limits.MiB, peak
    assert elapsed < 5, elapsed  # reading it would take seconds; a stat takes nothing


def declaring(member_size: int, key, stored: int = 1) -> bytes:  # noqa: ANN001
    """A signed-looking zip whose one member declares ``member_size`` bytes inflated."""
    lie = container.Entry("ticket.jsonl", zipfile.ZIP_DEFLATED, 0, member_size, b"\x03\x00")
    return container.assemble([container.stored(batch.MANIFEST, b"{}" * stored), lie,
                               container.stored(batch.SIGNATURE, b"x" * 64)])


def test_what_a_zip_declares_is_checked_before_any_member_is_read() -> None:
    def refused(data: bytes) -> BatchRefused:
        with pytest.raises(BatchRefused) as caught:
            batch.open_signed("bomb.rdbatch", data, fmt=batch.FORMAT,
                              versions=batch.UNDERSTOOD_VERSIONS,
                              signer_key=lambda _m: pytest.fail("read past the sizes"))
        return caught.value

    bomb = refused(declaring(3 << 30, None))
    assert (bomb.check, bomb.detail) == (
        "size", "ticket.jsonl declares 3 GiB, more than the 2 GiB allowed; not read")
    manifest = refused(declaring(10, None, stored=limits.MAX_MANIFEST))
    assert manifest.check == "size" and "manifest.json declares 2 MiB" in manifest.detail
    many = container.assemble([container.stored(f"m{i}", b"") for i in range(201)])
    assert refused(many).check == "size"


@pytest.mark.parametrize("hq_url", ["sqlite"], indirect=True)
def test_hostile_lines_are_refused_at_their_number(hq: Hq, scenario: Scenario,
                                                 tmp_path: Path) -> None:
    """Signed by the counter's key, yet no line can make HQ hold it whole, overflow its
    stack or stop the run: each refuses its file, naming the line."""
    endless = b'{"id": 1, "description": "' + b"x" * (limits.MAX_LINE + 1) + b'"}'
    deep = b'{"id": 1, "notes": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    huge = b'{"id": 1, "version": ' + b"9" * 5000 + b"}"
    files = [forge_member(scenario.batches["SH01"][0], tmp_path / f"{name}.rdbatch",
                          counter_key(scenario, "SH01"), "ticket.jsonl",
                          lambda lines, line=line: [lines[0], line, *lines[1:]])
             for name, line in (("a-long", endless), ("b-deep", deep), ("c-huge", huge))]
    outcomes, _gaps = hq.import_files(files)
    assert [(o.check, o.message) for o in outcomes] == [
        ("rows", "a-long.rdbatch refused by the rows check: line 2 of ticket.jsonl runs past "
                 "16 MiB without ending"),
        ("rows", "b-deep.rdbatch refused by the rows check: line 2 of ticket.jsonl is not a "
                 "row"),
        ("rows", "c-huge.rdbatch refused by the rows check: line 2 of ticket.jsonl is not a "
                 "row")]
    assert hq_tickets(hq) == []


@pytest.mark.parametrize("hq_url", ["sqlite"], indirect=True)
def test_cli_import_of_a_folder_reports_every_file_and_goes_on(
        hq: Hq, hq_url: str, scenario: Scenario, tmp_path: Path, cli) -> None:  # noqa: ANN001
    folder = tmp_path / "stick"
    folder.mkdir()
    sparse_junk(folder / "A-junk.rdbatch")
    with_nul(scenario, folder / "B-nul.rdbatch")
    (folder / "C-cut.rdbatch").write_bytes(scenario.batches["SH01"][1].read_bytes()[:300])
    (folder / "notes.txt").write_text("not a batch")
    for day in range(2):
        good = scenario.batches["BJ02"][day]
        (folder / good.name).write_bytes(good.read_bytes())
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("hq", "import", str(folder), str(empty), "--hq-db", hq_url, db=False)
    assert result.code == 2, result.out
    lines = result.out.splitlines()
    # Counter by counter in sequence order (by manifest); what cannot be read, last.
    assert [line.split(": ")[0] for line in lines if "  " in line and ": " in line] == [
        "REFUSED  empty (readable check)", "imported  " + scenario.batches["BJ02"][0].name,
        "imported  " + scenario.batches["BJ02"][1].name, "REFUSED  B-nul.rdbatch (values check)",
        "REFUSED  A-junk.rdbatch (size check)", "REFUSED  C-cut.rdbatch (readable check)"]
    assert "table customer, column name" in result.out
    again = cli("hq", "import", str(folder), "--hq-db", hq_url, "--json", db=False)
    assert again.code == 2
    assert {f["file"]: (f["status"], f["check"]) for f in again.json()["files"]} == {
        "A-junk.rdbatch": ("refused", "size"), "B-nul.rdbatch": ("refused", "values"),
        "C-cut.rdbatch": ("refused", "readable"),
        scenario.batches["BJ02"][0].name: ("already_imported", None),
        scenario.batches["BJ02"][1].name: ("already_imported", None)}


@pytest.mark.parametrize("hq_url", ["sqlite"], indirect=True)
def test_a_locked_sqlite_hq_is_reported_as_locked_and_the_run_stops_there(
        hq: Hq, hq_url: str, scenario: Scenario, cli, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    monkeypatch.setattr(hq_store, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(hq_url, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another import (or a sqlite3 shell) is writing
    try:
        files = [str(p) for p in scenario.day(0)]
        result = cli("hq", "import", *files, "--hq-db", hq_url, db=False)
        as_json = cli("hq", "import", *files, "--hq-db", hq_url, "--json", db=False)
    finally:
        holder.rollback()
        holder.close()
    assert result.code == 1 and "ArgumentError" not in result.out + result.err
    first, second = sorted(Path(f).name for f in files)
    assert result.out.splitlines()[:2] == [
        f"NOT IMPORTED  {first}: the HQ database {hq_url} is locked by another import or "
        "program (it waited, then gave up): try again when it is done (database is locked)",
        f"NOT TRIED  {second}: the HQ database failed (see above)"]
    assert as_json.code == 1
    assert [(f["status"], f["check"]) for f in as_json.json()["files"]] == [
        ("failed", "database"), ("not_tried", "database")]
    assert hq_tickets(hq) == []
    # Once the other writer is done, the same command imports both.
    assert cli("hq", "import", *files, "--hq-db", hq_url, db=False).code == 0


def test_a_read_only_hq_database_is_reported_as_such(hq: Hq, scenario: Scenario) -> None:
    """A PostgreSQL database set read-only (as a standby is), a SQLite file that may not be
    written (query_only stands in for a read-only mount: the tests run as root)."""
    if hq.store.is_postgresql:
        with hq.store.engine.connect() as conn:
            name = conn.exec_driver_sql("select current_database()").scalar()
            conn.exec_driver_sql(
                f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
            conn.commit()
        hq.store.engine.dispose()
    else:
        hq.store.engine.dispose()
        sa.event.listen(hq.store.engine, "connect",
                        lambda raw, _record: raw.execute("pragma query_only = on"))
    outcomes, _gaps = hq.import_files(scenario.day(0))
    assert [(o.status, o.check) for o in outcomes] == [("failed", "database"),
                                                      ("not_tried", "database")]
    assert "cannot be written (read-only file, folder or server, or no write permission)" \
        in (outcomes[0].message or "")


@pytest.mark.parametrize("hq_url", ["sqlite"], indirect=True)
def test_a_full_sqlite_hq_is_reported_as_full_and_keeps_nothing(
        hq: Hq, scenario: Scenario) -> None:
    """The disk fills during the import (SQLite's page limit stands in for the disk)."""
    with hq.store.read() as conn:
        pages = conn.exec_driver_sql("pragma page_count").scalar()
    hq.store.engine.dispose()
    sa.event.listen(hq.store.engine, "connect", lambda raw, _record: raw.execute(
        f"pragma max_page_count = {pages + 2}"))
    before = snapshot(hq)
    outcomes, _gaps = hq.import_files([scenario.batches["SH01"][0]])
    assert (outcomes[0].status, outcomes[0].check) == ("failed", "database")
    assert "is full: free space, then import again (database or disk is full)" in (
        outcomes[0].message or "")
    assert snapshot(hq) == before
    ticket = schema.table("ticket")
    with hq.store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(ticket)).scalar() == 0


def test_a_batch_read_from_bytes_or_a_file_is_the_same(scenario: Scenario) -> None:
    """Packs are read from bytes, batches from their open file: one reader for both."""
    path = scenario.batches["SH01"][0]
    public = scenario.public_keys["SH01"]
    options = dict(fmt=batch.FORMAT, versions=batch.UNDERSTOOD_VERSIONS,
                   signer_key=lambda _m: public)
    from_bytes = batch.open_signed(path.name, path.read_bytes(), **options)
    with path.open("rb") as fh:
        from_file = batch.open_signed(path.name, fh, **options)
        rows = sum(1 for member in from_file.manifest["members"]
                   for _row in from_file.lines(member["name"]))
    assert from_file.sha256 == from_bytes.sha256 == batch.sha256_hex(path.read_bytes())
    assert rows == from_file.manifest["rows"]
