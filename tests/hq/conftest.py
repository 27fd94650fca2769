"""HQ fixtures: every HQ test runs on a SQLite file and on a real PostgreSQL 15 server.

The PostgreSQL server is started once per test process from the Debian binaries (see
``pgserver.py``). Without them the PostgreSQL half of the tests is skipped with the reason,
except on CI (``CI=true``), where a missing server is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from repairdesk.demo import seed_demo
from repairdesk.desk import Desk
from repairdesk.hq.facade import Hq
from tests.conftest import FrozenClock
from tests.hq.helpers import COUNTERS, DAYS, FIRST_DAY, HQ_NOW, Scenario
from tests.hq.pgserver import PostgresServer, find_bindir, throwaway_server
from tests.unit.sync.factory import work_a_day


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    bindir = find_bindir()
    if bindir is None:
        reason = ("PostgreSQL server binaries not found (/usr/lib/postgresql/15/bin): "
                  "install them with `apt-get install postgresql-15`")
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with throwaway_server(bindir) as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def hq_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database for one test: a SQLite file, or a new database on the server."""
    if request.param == "sqlite":
        return str(tmp_path / "hq.sqlite3")
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.create_database()


@pytest.fixture(scope="session")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    root = tmp_path_factory.mktemp("counters")
    made = Scenario(root)
    for index, (code, name, seed) in enumerate(COUNTERS):
        clock = FrozenClock(FIRST_DAY)
        desk = Desk.open(root / f"{code}.sqlite3", clock=clock, user="tester")
        try:
            desk.init_counter(code, name)
            made.public_keys[code] = desk.sync.ensure_signing_key().public_key
            seed_demo(desk, tickets=30, seed=seed)
            out = root / f"{code}-stick"
            out.mkdir()
            for day in range(DAYS):
                clock.now = FIRST_DAY + timedelta(days=day)
                work_a_day(desk, clock, serial=10_000 * index + 100 * day)
                clock.now = FIRST_DAY + timedelta(days=day, hours=9)
                result = desk.sync.export_batch(out)
                made.batches.setdefault(code, []).append(Path(result.path))
        finally:
            desk.close()
        made.stores[code] = root / f"{code}.sqlite3"
    return made


@pytest.fixture
def hq(hq_url: str, tmp_path: Path, scenario: Scenario) -> Iterator[Hq]:
    """An initialised HQ that trusts both scenario counters."""
    setup = Hq.open(hq_url, check=False, clock=lambda: HQ_NOW)
    setup.init(tmp_path / "hq.key")
    setup.close()
    opened = Hq.open(hq_url, clock=lambda: HQ_NOW)
    for code, key in scenario.public_keys.items():
        opened.add_counter(code, code)
        opened.trust(code, key)
    yield opened
    opened.close()
