"""Importing the counters' batches at HQ, on SQLite and on PostgreSQL: every ticket once with
its latest state; refused files change nothing; twice is once; gaps are reported and filled."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from repairdesk.hq import schema
from repairdesk.hq.facade import Hq
from repairdesk.sync import batch, keys
from tests.hq.helpers import (
    DAYS,
    Scenario,
    forge,
    forge_member,
    hq_tickets,
    snapshot,
    with_events,
)


def import_daily(hq: Hq, scenario: Scenario) -> None:
    for day in range(DAYS):
        outcomes, gaps = hq.import_files(scenario.day(day))
        assert [o.status for o in outcomes] == ["imported", "imported"], outcomes
        assert gaps == {}


def test_every_ticket_is_at_hq_once_with_its_latest_state(hq: Hq, scenario: Scenario) -> None:
    import_daily(hq, scenario)
    rows = hq_tickets(hq)
    assert len(rows) == len({(c, n) for c, n, _s, _v in rows})
    assert {(c, n): (s, v) for c, n, s, v in rows} == scenario.tickets()
    # The report's totals are the counters' own.
    for month in ("2026-09", "2026-11"):
        report = hq.report(month=month)
        assert {r["key"]: (r["tickets_in"], r["tickets_out"]) for r in report.counters} \
            == scenario.month_counts(month)
    status = {s.counter: s for s in hq.status()}
    assert status["SH01"].last_seq == DAYS and status["SH01"].missing == []
    assert status["BJ02"].batches == DAYS and status["BJ02"].last_import is not None


def test_importing_twice_changes_nothing(hq: Hq, scenario: Scenario) -> None:
    import_daily(hq, scenario)
    before = snapshot(hq)
    outcomes, gaps = hq.import_files([p for day in range(DAYS) for p in scenario.day(day)])
    assert {o.status for o in outcomes} == {"already_imported"} and gaps == {}
    assert snapshot(hq) == before


def test_a_missing_day_is_reported_then_filled(hq: Hq, scenario: Scenario) -> None:
    first, second, third = scenario.batches["SH01"]
    outcomes, gaps = hq.import_files([first, third])
    assert [o.status for o in outcomes] == ["imported", "imported"]
    assert gaps == {"SH01": [2]}
    assert {s.counter: s.missing for s in hq.status()}["SH01"] == [2]
    _outcomes, gaps = hq.import_files([second])
    assert gaps == {}
    # Day 2 came last, yet no ticket went back to its day-2 state.
    sh01 = {k: v for k, v in scenario.tickets().items() if k[0] == "SH01"}
    assert {(c, n): (s, v) for c, n, s, v in hq_tickets(hq)} == sh01


def refused(hq: Hq, path: Path) -> tuple[str, str]:
    outcomes, _gaps = hq.import_files([path])
    assert outcomes[0].status == "refused", outcomes
    return outcomes[0].check or "", outcomes[0].message or ""


def test_damaged_or_forged_batches_are_refused_and_change_nothing(
        hq: Hq, scenario: Scenario, tmp_path: Path) -> None:
    hq.import_files(scenario.day(0))
    before = snapshot(hq)
    source = scenario.batches["SH01"][1]
    data = source.read_bytes()
    counter_key = keys.load_private_key(scenario.stores["SH01"].with_name(
        "SH01.sqlite3.signing-key"))

    flipped = tmp_path / source.name
    damaged = bytearray(data)
    damaged[len(data) // 2] ^= 0x10
    flipped.write_bytes(bytes(damaged))
    check, message = refused(hq, flipped)
    assert check in batch.CHECKS and source.name in message

    truncated = tmp_path / "cut.rdbatch"
    truncated.write_bytes(data[: len(data) * 2 // 3])
    assert refused(hq, truncated)[0] == "readable"

    stranger = keys.create_private_key(tmp_path / "stranger.key")
    assert refused(hq, forge(source, tmp_path / "stranger.rdbatch", stranger,
                             lambda m: None))[0] == "signature"

    def lie(manifest: dict) -> None:
        ticket = next(m for m in manifest["members"] if m["table"] == "ticket")
        ticket["rows"] += 1
        manifest["rows"] += 1

    check, message = refused(hq, forge(source, tmp_path / "lie.rdbatch", counter_key, lie))
    assert check == "rows" and "ticket.jsonl" in message

    def other_counter(manifest: dict) -> None:
        manifest["counter"] = "GZ09"

    assert refused(hq, forge(source, tmp_path / "gz.rdbatch", counter_key,
                             other_counter))[0] == "counter"
    assert snapshot(hq) == before
    # The genuine file still imports afterwards.
    assert hq.import_files([source])[0][0].status == "imported"


def test_a_second_file_for_a_sequence_or_a_broken_chain_is_refused(
        hq: Hq, scenario: Scenario, tmp_path: Path) -> None:
    first, second, third = scenario.batches["SH01"]
    key = keys.load_private_key(scenario.stores["SH01"].with_name("SH01.sqlite3.signing-key"))
    hq.import_files([first, third])
    before = snapshot(hq)

    def later(manifest: dict) -> None:
        manifest["until"] = "2026-11-20T12:00:00+00:00"

    other_second = forge(second, tmp_path / "second.rdbatch", key, later)
    assert refused(hq, other_second)[0] == "chain"  # batch 3 names the real batch 2
    other_first = forge(first, tmp_path / "first.rdbatch", key, later)
    assert refused(hq, other_first)[0] == "sequence"
    assert snapshot(hq) == before


def test_rows_are_keyed_by_counter(hq: Hq, scenario: Scenario) -> None:
    """Both counters have a customer 1, a device 1 and a ticket 1: HQ keeps them apart."""
    import_daily(hq, scenario)
    customer = schema.table("customer")
    with hq.store.read() as conn:
        ones = conn.execute(sa.select(customer.c.hq_counter).where(customer.c.id == 1)).all()
    assert sorted(r[0] for r in ones) == ["BJ02", "SH01"]


@pytest.mark.parametrize("hq_url", ["sqlite"], indirect=True)
def test_cli_import_exit_codes(hq: Hq, hq_url: str, scenario: Scenario, tmp_path: Path,
                               cli) -> None:
    cut = tmp_path / "cut.rdbatch"
    cut.write_bytes(scenario.batches["BJ02"][0].read_bytes()[:500])
    files = [str(p) for p in scenario.day(0)]
    result = cli("hq", "import", *files, str(cut), "--hq-db", hq_url, db=False)
    assert result.code == 2
    assert "REFUSED  cut.rdbatch (readable check)" in result.out
    assert result.out.count("imported  ") == 2
    again = cli("hq", "import", *files, "--hq-db", hq_url, "--json", db=False)
    assert again.code == 0
    assert {f["status"] for f in again.json()["files"]} == {"already_imported"}
    later = cli("hq", "import", str(scenario.batches["SH01"][2]), "--hq-db", hq_url, db=False)
    assert later.code == 0 and "Counter SH01 still misses batch(es) 2" in later.out
    status = cli("hq", "status", "--hq-db", hq_url, "--json", db=False).json()
    assert {s["counter"]: s["missing"] for s in status} == {"BJ02": [], "SH01": [2]}


def test_hq_checks_each_counters_audit_chain(hq: Hq, scenario: Scenario) -> None:
    import_daily(hq, scenario)
    reports = hq.verify_audit()
    assert set(reports) == {"SH01", "BJ02"}
    assert all(r.ok and r.events > 0 for r in reports.values()), reports
    events = schema.table("audit_event")
    with hq.store.write() as conn:
        victim = conn.execute(sa.select(events.c.id).where(events.c.hq_counter == "BJ02")
                              .order_by(events.c.id).limit(1).offset(2)).scalar_one()
        conn.execute(events.update().where(events.c.hq_counter == "BJ02", events.c.id == victim)
                     .values(user="someone else"))
    after = hq.verify_audit()
    assert after["SH01"].ok
    assert not after["BJ02"].ok and after["BJ02"].broken_at == victim
    assert after["BJ02"].reason == "edited"


def test_a_signed_batch_with_a_bad_line_is_refused_at_that_line(
        hq: Hq, scenario: Scenario, tmp_path: Path) -> None:
    """The counter's own key signed it, yet a line that is not a row, or a row without its
    key or with a column the manifest does not list, refuses the whole file."""
    source = scenario.batches["SH01"][0]
    key = keys.load_private_key(scenario.stores["SH01"].with_name("SH01.sqlite3.signing-key"))
    before = snapshot(hq)

    def third_line(text: bytes) -> Callable[[list[bytes]], list[bytes]]:
        return lambda lines: [*lines[:2], text, *lines[3:]]

    check, message = refused(hq, forge_member(source, tmp_path / "a.rdbatch", key,
                                              "ticket.jsonl", third_line(b'{"id": 3,')))
    assert check == "rows" and "ticket.jsonl" in message and "3" in message
    check, message = refused(hq, forge_member(source, tmp_path / "b.rdbatch", key,
                                              "ticket.jsonl", third_line(b'[3, "ticket"]')))
    assert check == "rows" and "3" in message
    for name, text in (("c", b'{"number": "SH01-20261119-0003"}'), ("d", b'{"id": null}'),
                       ("e", b'{"id": 3, "hq_deleted": true, "owner": "x"}')):
        check, message = refused(hq, forge_member(source, tmp_path / f"{name}.rdbatch", key,
                                                  "ticket.jsonl", third_line(text)))
        assert check == "rows" and "ticket.jsonl" in message, name
    assert snapshot(hq) == before
    assert hq.import_files([source])[0][0].status == "imported"


def test_a_deletion_keeps_hqs_row_and_marks_it(hq: Hq, scenario: Scenario,
                                               tmp_path: Path) -> None:
    first = scenario.batches["SH01"][0]
    key = keys.load_private_key(scenario.stores["SH01"].with_name("SH01.sqlite3.signing-key"))
    assert hq.import_files([first])[0][0].status == "imported"
    ticket = schema.table("ticket")
    with hq.store.read() as conn:
        number = conn.execute(sa.select(ticket.c.number).where(
            ticket.c.hq_counter == "SH01", ticket.c.id == 2)).scalar_one()

    def deleted_and_new(lines: list[bytes]) -> list[bytes]:
        return [b'{"$deleted":true,"id":2}', b'{"$deleted":true,"id":999999}']

    def next_batch(manifest: dict) -> None:
        manifest["seq"], manifest["previous_sha256"] = 2, batch.sha256_hex(first.read_bytes())

    second = forge(first, tmp_path / "SH01-000002-20261120.rdbatch", key, next_batch)
    second = forge_member(second, second, key, "ticket.jsonl", deleted_and_new)
    # A deletion the trail records (HQ refuses one that no delete event proves).
    second = forge_member(second, second, key, "audit_event.jsonl",
                          with_events("ticket", "delete", [2, 999999]))
    assert hq.import_files([second])[0][0].status == "imported"
    with hq.store.read() as conn:
        rows = {r.id: r for r in conn.execute(sa.select(ticket).where(
            ticket.c.hq_counter == "SH01", ticket.c.id.in_([2, 999999])))}
    assert rows[2].hq_deleted and rows[2].number == number and rows[2].hq_batch_seq == 2
    assert rows[999999].hq_deleted and rows[999999].number is None
