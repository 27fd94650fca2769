"""Lookup as you type gives the same tickets whichever way it finds them (repairdesk/tickets/search.py):
by checking the newest tickets row by row, or through the indexes and the customers kept in
memory, which a store of a million tickets needs."""

from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory

from repairdesk.db import alembic_config, heads
from repairdesk.demo import seed_demo
from repairdesk.desk import Desk
from repairdesk.tickets import search


def queries(desk: Desk) -> list[str]:
    found = []
    for row in desk.tickets.board(limit=12):
        found += [row.imei[:6], row.imei, row.ticket.lower(), row.ticket[:9], row.customer,
                  row.customer[:1] + "x", (row.model or "none")[:4].upper()]
    return [*found, "138", "0013", "+86 139", "sh01", "100%", "a_b", "李工", "Apple"]


@pytest.fixture
def seeded(desk: Desk) -> Desk:
    seed_demo(desk, tickets=80, seed=3)
    return desk


def forget(desk: Desk) -> None:
    """Drop what the desk's search keeps in memory, so that it loads again as configured."""
    desk._customer_text = search.CustomerText()


@pytest.mark.parametrize("recent", [10**6, 30, 0])  # all tickets, the newest 30, none
def test_the_indexes_find_what_checking_every_row_finds(
    seeded: Desk, monkeypatch: pytest.MonkeyPatch, recent: int
) -> None:
    monkeypatch.setattr(search, "RECENT", 0)
    monkeypatch.setattr(search, "WINDOW", 10**6)  # every ticket checked row by row
    expected = {q: seeded.tickets.search(q, limit=5) for q in queries(seeded)}
    monkeypatch.setattr(search, "RECENT", recent)
    monkeypatch.setattr(search, "WINDOW", 1)  # nearly always through the indexes
    forget(seeded)
    for query, rows in expected.items():
        assert seeded.tickets.search(query, limit=5) == rows, query
    assert any(expected.values())


def test_typing_on_finds_what_was_taken_in_since_the_last_keystroke(
    seeded: Desk, intake_doc: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The newest tickets and the phones held in memory, and the phones the last search
    # found, are brought up to date by each search.
    monkeypatch.setattr(search, "RECENT", 20)
    forget(seeded)
    assert seeded.tickets.search("1390099") == []
    intake_doc["customer"]["phone"] = "139 0099 0001"
    intake_doc["device"]["imei"] = "490154203237518"
    number = seeded.tickets.intake(intake_doc).ticket
    assert [r.ticket for r in seeded.tickets.search("13900990")] == [number]
    assert [r.ticket for r in seeded.tickets.search("4901542")] == [number]


def test_a_customer_renamed_after_the_search_loaded_is_found_by_the_new_name(
    seeded: Desk, intake_doc: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "WINDOW", 1)
    first = seeded.tickets.intake(intake_doc).ticket
    assert [r.ticket for r in seeded.tickets.search("张伟")][:1] == [first]
    intake_doc["customer"].update(name="Zhang Weiming", name_change="rename")
    intake_doc["device"]["imei"] = "490154203237518"
    second = seeded.tickets.intake(intake_doc).ticket
    assert [r.ticket for r in seeded.tickets.search("weiming")] == [second, first]
    assert first not in [r.ticket for r in seeded.tickets.search("张伟")]


def test_heads_read_from_the_scripts_are_alembics() -> None:
    assert heads() == set(ScriptDirectory.from_config(alembic_config()).get_heads())


def test_typing_a_name_on_sees_renamed_and_new_customers(
    seeded: Desk, intake_doc: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "WINDOW", 1)
    intake_doc["customer"].update(name="Qiao Weiming", phone="139 0099 0002")
    first = seeded.tickets.intake(intake_doc).ticket
    assert [r.ticket for r in seeded.tickets.search("Qiao")] == [first]
    # The same phone: the customer renamed.
    intake_doc["customer"].update(name="Lin Weiming", name_change="rename")
    intake_doc["device"]["imei"] = "490154203237518"
    second = seeded.tickets.intake(intake_doc).ticket
    intake_doc["customer"].update(name="Qiao Wen", phone="139 0099 0003")
    intake_doc["device"]["imei"] = "356938035643809"
    third = seeded.tickets.intake(intake_doc).ticket
    assert [r.ticket for r in seeded.tickets.search("Qiao W")] == [third]  # narrowed from "Qiao"
    assert [r.ticket for r in seeded.tickets.search("Lin Wei")] == [second, first]
