"""Lookup as you type gives the same tickets whichever way it finds them (repairdesk/search.py):
by checking the newest tickets row by row, or through the indexes and the customers kept in
memory, which a store of a million tickets needs."""

from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory

from repairdesk import search
from repairdesk.db import alembic_config, heads
from repairdesk.demo import seed_demo
from repairdesk.desk import Desk


def queries(desk: Desk) -> list[str]:
    found = []
    for row in desk.board(limit=12):
        found += [row.imei[:6], row.imei, row.ticket.lower(), row.ticket[:9], row.customer,
                  row.customer[:1] + "x", (row.model or "none")[:4].upper()]
    return [*found, "138", "0013", "+86 139", "sh01", "100%", "a_b", "李工", "Apple"]


@pytest.fixture
def seeded(desk: Desk) -> Desk:
    seed_demo(desk, tickets=80, seed=3)
    return desk


def test_the_indexes_find_what_checking_every_row_finds(
    seeded: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "WINDOW", 10**6)  # every ticket checked row by row
    expected = {q: seeded.search(q, limit=5) for q in queries(seeded)}
    monkeypatch.setattr(search, "WINDOW", 1)  # nearly always through the indexes
    for query, rows in expected.items():
        assert seeded.search(query, limit=5) == rows, query
    assert any(expected.values())


def test_a_customer_renamed_after_the_search_loaded_is_found_by_the_new_name(
    seeded: Desk, intake_doc: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "WINDOW", 1)
    first = seeded.intake(intake_doc).ticket
    assert [r.ticket for r in seeded.search("张伟")][:1] == [first]
    intake_doc["customer"]["name"] = "Zhang Weiming"
    intake_doc["device"]["imei"] = "490154203237518"
    second = seeded.intake(intake_doc).ticket
    assert [r.ticket for r in seeded.search("weiming")] == [second, first]
    assert first not in [r.ticket for r in seeded.search("张伟")]


def test_heads_read_from_the_scripts_are_alembics() -> None:
    assert heads() == set(ScriptDirectory.from_config(alembic_config()).get_heads())
