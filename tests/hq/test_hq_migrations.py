"""HQ's schema under its own migrations (repairdesk/hq/migrations): made by ``hq init``,
checked at every open; an older database upgraded whole or not at all, a newer one refused;
two processes opening an old database at once both find it upgraded once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from repairdesk.errors import StoreError
from repairdesk.hq import schema, store
from repairdesk.hq.facade import Hq
from tests.hq.helpers import HQ_NOW, Scenario, hq_tickets, make_legacy, snapshot


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(store.hq_url(url))
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _revision(hq: Hq) -> str | None:
    with hq.store.read() as conn:
        return conn.execute(sa.text("SELECT version_num FROM hq_alembic_version")).scalar()


def test_init_makes_every_table_at_the_head(hq_url: str, tmp_path: Path) -> None:
    hq = Hq.open(hq_url, check=False)
    with pytest.raises(StoreError, match="hq init"):
        Hq.open(hq_url)
    hq.init(tmp_path / "hq.key")
    assert _revision(hq) == store.head_revision()
    assert {t.name for t in schema.hq_metadata().sorted_tables} | {"hq_alembic_version"} \
        == _tables(hq_url)
    hq.close()


def test_an_hq_database_from_before_migrations_is_upgraded_as_it_opens(
        hq: Hq, scenario: Scenario) -> None:
    hq.import_files(scenario.day(0))
    tickets = hq_tickets(hq)
    make_legacy(hq.store.url)
    assert "hq_user" not in _tables(hq.store.url)
    upgraded = Hq.open(hq.store.url, clock=lambda: HQ_NOW)
    try:
        assert _revision(upgraded) == store.head_revision()
        assert hq_tickets(upgraded) == tickets
        # The counters trusted before are in the registry, their code standing for a name.
        assert [(c.code, c.name, c.state, c.trusted) for c in upgraded.counters()] == [
            ("BJ02", "BJ02", "active", True), ("SH01", "SH01", "active", True)]
        outcomes, _gaps = upgraded.import_files(scenario.day(1))
        assert {o.status for o in outcomes} == {"imported"}
    finally:
        upgraded.close()


def test_a_failed_upgrade_leaves_the_database_as_it_was(
        hq: Hq, scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    hq.import_files(scenario.day(0))
    make_legacy(hq.store.url)
    before = _tables(hq.store.url)

    def broken(conn: sa.Connection) -> None:
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(store, "_sync_mirrors", broken)  # after the migrations ran
    with pytest.raises(RuntimeError):
        Hq.open(hq.store.url)
    assert _tables(hq.store.url) == before  # no hq_user, no version table: nothing half-done
    monkeypatch.undo()
    Hq.open(hq.store.url).close()
    assert "hq_user" in _tables(hq.store.url)


def test_a_database_from_a_newer_repairdesk_is_refused(hq: Hq, tmp_path: Path) -> None:
    with hq.store.write() as conn:
        conn.execute(sa.text("UPDATE hq_alembic_version SET version_num = 'h0099_future'"))
    before = snapshot(hq)
    with pytest.raises(StoreError, match="newer RepairDesk"):
        Hq.open(hq.store.url)
    unchecked = Hq.open(hq.store.url, check=False)
    with pytest.raises(StoreError, match="newer RepairDesk"):
        unchecked.init(tmp_path / "hq.key")
    unchecked.close()
    assert snapshot(hq) == before


def test_two_opens_of_an_old_database_upgrade_it_once(hq: Hq, scenario: Scenario) -> None:
    hq.import_files(scenario.day(0))
    make_legacy(hq.store.url)
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def open_it() -> None:
        start.wait()
        try:
            Hq.open(hq.store.url).close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _revision(hq) == store.head_revision()
