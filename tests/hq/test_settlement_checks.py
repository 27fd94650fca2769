"""The checks an honest counter's batches cannot trigger, run on the facts of a real line.

A counter's own CLI never hands back a phone the engine does not cover under 三包, never
claims one ticket twice and is never suspended at its own counter; HQ must still refuse such
a line when a batch brings one. The facts are those HQ derived from SH01's October batch
(tests/hq/settle_world.py), changed one fact at a time, and run through the same checks the
import runs (repairdesk.hq.settle_checks).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from repairdesk import ratecard
from repairdesk.hq import schema, settle_checks
from repairdesk.hq.settle_checks import Other
from repairdesk.settle_reasons import reason
from tests.hq import settle_world

TODAY = date(2026, 11, 3)


@pytest.fixture(scope="module")
def software(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The software line of SH01's October (pending, no finding), as HQ stored it."""
    root: Path = tmp_path_factory.mktemp("checks")
    world = settle_world.build(root, f"sqlite:///{root / 'hq.sqlite3'}")
    lines = schema.table("hq_claim_line")
    with world.hq.store.read() as conn:
        row = conn.execute(sa.select(lines).where(
            lines.c.ticket_number == world.tickets["software"])).one()
    yield row
    world.hq.close()


def _run(row: Any, facts: dict[str, Any], others: list[Other] = ()) -> list[dict[str, Any]]:
    card = ratecard.parse_card(settle_world.CARD.read_text(encoding="utf-8"))
    return settle_checks.run(facts, line_id=row.id, card=card,
                             earned=settle_checks.earning(facts, card), others=list(others),
                             blacklisted=None, today=TODAY)


def test_the_line_as_imported_finds_nothing(software: Any) -> None:
    row = software
    assert row.status == "pending" and row.checks == []
    assert _run(row, copy.deepcopy(row.facts)) == []


def test_a_repair_the_engine_does_not_cover_is_rejected_naming_why(software: Any) -> None:
    row = software
    facts = copy.deepcopy(row.facts)
    for decided in facts["sanbao"].values():
        decided.update(covered=False, remedies=[])
    found = _run(row, facts)
    assert [(f["code"], f["outcome"]) for f in found] == [("not_covered", "reject")]
    assert settle_checks.status(found) == "rejected"
    for lang in ("en", "zh"):  # the words a reviewer and the counter read
        assert reason(found[0], lang).strip()


def test_an_exclusion_is_rejected(software: Any) -> None:
    row = software
    facts = copy.deepcopy(row.facts)
    facts["exclusions"] = ["liquid_damage"]
    found = _run(row, facts)
    assert [(f["code"], f["outcome"]) for f in found] == [("exclusion", "reject")]
    assert found[0]["params"]["exclusions"] == ["liquid_damage"]


def test_the_same_ticket_claimed_again_is_rejected_once_paid_first(software: Any) -> None:
    row = software
    facts = copy.deepcopy(row.facts)
    first = Other(id=row.id - 1, counter="SH01", ticket_id=row.ticket_id + 100,
                  ticket=row.ticket_number, imei=row.imei, handed_in=row.handed_in,
                  handed_back=row.handed_back, fault=row.fault)
    found = _run(row, facts, [first])
    assert ("duplicate", "reject") in [(f["code"], f["outcome"]) for f in found]
    # the first line of the pair is the one paid: it is not a duplicate of the later one
    later = Other(id=row.id + 1, counter="SH01", ticket_id=row.ticket_id + 100,
                  ticket=row.ticket_number, imei=row.imei, handed_in=row.handed_in,
                  handed_back=row.handed_back, fault=row.fault)
    assert "duplicate" not in [f["code"] for f in _run(row, facts, [later])]


@pytest.mark.parametrize("state", ["suspended", "retired"])
def test_a_counter_suspended_or_retired_on_the_hand_back_day_is_rejected(software: Any,
                                                                        state: str) -> None:
    row = software
    facts = copy.deepcopy(row.facts)
    facts["counter"]["state"] = state
    found = _run(row, facts)
    assert [(f["code"], f["outcome"]) for f in found] == [("counter_state", "reject")]
    assert found[0]["params"]["state"] == state
