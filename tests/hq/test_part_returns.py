"""Faulty parts back at HQ: a return is what a counter sent under one waybill; HQ receives it
once, part by part. A part received leaves the counter's exposure; one not the part claimed
(or missing) holds its claim line again. SH01's October (tests/hq/settle_world.py): the
module repair's faulty LCD went back under SF1000000001, the kept repair's stays."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from repairdesk.errors import InputError
from tests.hq import settle_world
from tests.hq.settle_world import ADMIN, PARTS, World, staff


@pytest.fixture
def hq_url(tmp_path: Path) -> str:
    """SQLite only: tests/hq/test_parts_cycle.py takes the same calls through PostgreSQL."""
    return str(tmp_path / "hq.sqlite3")


@pytest.fixture
def world(tmp_path: Path, hq_url: str) -> Iterator[World]:
    made = settle_world.build(tmp_path, hq_url)
    staff(made, (PARTS, "parts"))
    yield made
    made.hq.close()


def test_a_return_received_lowers_exposure_and_a_wrong_part_holds_its_line(
        world: World, cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    hq = world.hq
    t = world.tickets
    (sent,) = hq.part_returns("SH01")
    assert (sent.ref, sent.received, [(li.ticket, li.part_number, li.outcome)
                                      for li in sent.lines]) == (
        "SF1000000001", False, [(t["module"], "AL-OT332-LCD", None)])
    assert hq.deposit("SH01").due_back == "240.00"  # both faulty LCDs, 2 x 120.00
    hq.login(*PARTS)
    got = hq.receive_return("SH01", "SF1000000001")
    assert [li.outcome for li in got.lines] == ["received"] and got.received
    assert hq.deposit("SH01").due_back == "120.00"
    assert world.lines()["module"].status == "pending"
    with pytest.raises(InputError) as twice:
        hq.receive_return("SH01", "SF1000000001")
    assert twice.value.field == "return"

    desk = world.desk()  # the kept LCD goes back at last
    try:
        kept = [o.id for o in desk.stock.old_parts() if o.ticket == t["kept"]]
        desk.stock.send_old_parts(kept, ref="SF2000000002")
    finally:
        desk.close()
    hq.login(*ADMIN)
    world.send()
    assert world.lines()["kept"].status == "pending"  # sent: released
    hq.login(*PARTS)
    (pending,) = hq.part_returns("SH01", pending=True)
    with pytest.raises(InputError) as stranger:
        hq.receive_return("SH01", "SF2000000002", wrong=[9999])
    assert stranger.value.field == "wrong"
    with pytest.raises(InputError) as unknown:
        hq.receive_return("SH01", "SF-NONE")
    assert unknown.value.field == "return"
    (old,) = [li.old_part for li in pending.lines]
    monkeypatch.setenv("REPAIRDESK_PIN", PARTS[1])
    said = cli("--as", PARTS[0], "--lang", "zh", "hq", "parts", "receive-return", "SH01",
               "SF2000000002", "--wrong", str(old), "--note", "寄回的是电池",
               "--hq-db", hq.store.url, db=False)
    assert said.code == 0, said.err
    assert "非所报配件" in said.out
    held = world.lines()["kept"]
    assert held.status == "held"
    assert [c.code for c in held.checks] == ["part_refused"]
    assert hq.deposit("SH01").due_back == "120.00"  # not back at HQ: still the counter's
