"""The counter's side of settlement: HQ's pack brings its lines, statements and answers;
a pack made for another counter changes nothing; a dispute goes up in the next batch and
its answer comes back in the next pack."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from repairdesk.errors import InputError, NotFound
from repairdesk.sync import keys, packs
from repairdesk.sync.batch import BatchRefused
from tests.hq import settle_world
from tests.hq.settle_world import World


@pytest.fixture
def world(tmp_path: Path) -> World:
    made = settle_world.build(tmp_path, str(tmp_path / "hq.sqlite3"))
    yield made
    made.hq.close()


def _rows(store: Path, table: str) -> int:
    engine = sa.create_engine(f"sqlite:///{store}")
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def test_a_pack_made_for_another_counter_is_refused_and_changes_nothing(world: World) -> None:
    world.hq.add_counter("BJ02", "海淀网点", level="diamond")
    other = world.pack("bj02.rdpack", counter="BJ02")
    before = {t: _rows(world.store, t) for t in ("sync_pack", "sync_claim_line",
                                                 "sync_rate_card", "part")}
    desk = world.desk()
    try:
        with pytest.raises(BatchRefused) as refused:
            desk.sync.apply_pack(other)
        assert "BJ02" in str(refused.value) and "SH01" in str(refused.value)
    finally:
        desk.close()
    assert {t: _rows(world.store, t) for t in before} == before


def test_the_pack_brings_hqs_lines_and_the_earning_agrees(world: World) -> None:
    desk = world.desk()
    try:
        desk.sync.apply_pack(world.pack("pack-2.rdpack"))
        got = {v.ticket: (v.status, v.amount, [c.code for c in v.checks])
               for v in desk.settlement.lines()}
        hq = {v.ticket: (v.status, v.amount, [c.code for c in v.checks])
              for v in world.hq.claim_lines() if v.kind == "claim"}
        assert got == hq
        t = world.tickets
        assert got[t["module"]] == ("pending", "160.25", [])
        assert got[t["kept"]][:1] == ("held",)
        kept = desk.settlement.lines(status="held")
        assert [v.ticket for v in kept] == [t["kept"]]
        assert "AL-OT332-LCD" in kept[0].checks[0].reason
        earned = desk.settlement.earning(t["module"])
        assert (earned.level, earned.labour, earned.total, earned.missing) == (
            "gold", "40.25", "160.25", None)
        assert desk.settlement.earning(t["ungraded"]).missing == "no_grade"
        assert desk.settlement.earning(t["paid"]).missing == "not_warranty"
        with pytest.raises(InputError) as bad:
            desk.settlement.lines(month="2026-13")
        assert bad.value.field == "month"
    finally:
        desk.close()


def test_a_dispute_goes_up_and_its_answer_comes_back(world: World) -> None:
    t = world.tickets
    line = world.lines()["ungraded"]
    desk = world.desk()
    try:
        desk.sync.apply_pack(world.pack("pack-2.rdpack"))
        with pytest.raises(InputError) as blank:
            desk.settlement.dispute(line.id, "  ")
        assert blank.value.field == "reason"
        with pytest.raises(NotFound):
            desk.settlement.dispute(99999, "没有这条")
        raised = desk.settlement.dispute(line.id, "维修等级漏填，实为软件刷机")
        with pytest.raises(InputError) as twice:
            desk.settlement.dispute(line.id, "再次申诉")
        assert twice.value.field == "line"
        assert [d.outcome for d in desk.settlement.line(line.id).disputes] == [None]
    finally:
        desk.close()
    world.send()
    (seen,) = world.hq.disputes("SH01", open_only=True)
    assert (seen.dispute, seen.line, seen.ticket, seen.reason) == (
        raised.id, line.id, t["ungraded"], "维修等级漏填，实为软件刷机")
    world.hq.resolve_dispute("SH01", raised.id, accept=True, reason="同意按软件级结算",
                             amount="23.00")
    desk = world.desk()
    try:
        desk.sync.apply_pack(world.pack("pack-3.rdpack"))
        (answered,) = desk.settlement.line(line.id).disputes
        assert (answered.outcome, answered.answer, answered.amount) == (
            "accepted", "同意按软件级结算", "23.00")
        adjustment = [v for v in desk.settlement.lines() if v.kind == "adjustment"]
        assert [(v.adjusts, v.amount) for v in adjustment] == [(line.id, "23.00")]
        again = desk.settlement.dispute(line.id, "仍有疑问")  # answered: a new one may be raised
        assert again.id != raised.id
    finally:
        desk.close()


def test_the_command_line_lists_shows_disputes_and_earns(world: World, cli) -> None:
    desk = world.desk()
    try:
        desk.sync.apply_pack(world.pack("pack-2.rdpack"))
    finally:
        desk.close()
    db = ("--db", str(world.store))
    t = world.tickets
    listed = cli("settlement", "list", "2026-10", "--json", *db, db=False)
    assert listed.code == 0, listed.err
    rows = {r["ticket"]: r for r in listed.json()}
    assert (rows[t["module"]]["status"], rows[t["module"]]["amount"]) == ("pending", "160.25")
    human = cli("settlement", "list", "--status", "held", *db, db=False)
    assert t["kept"] in human.out and t["module"] not in human.out
    assert "AL-OT332-LCD" in human.out
    zh = cli("settlement", "list", "--lang", "zh", *db, db=False)
    assert "暂扣" in zh.out and "拒付" in zh.out
    bad = cli("settlement", "list", "--status", "paid", *db, db=False)
    assert bad.code == 2 and "paid" in bad.err and "Traceback" not in bad.err
    earned = cli("settlement", "earn", t["module"], *db, db=False)
    assert "¥160.25" in earned.out
    line = rows[t["ungraded"]]["id"]
    blank = cli("settlement", "dispute", str(line), "--reason", " ", *db, db=False)
    assert blank.code == 2 and "why" in blank.err
    raised = cli("settlement", "dispute", str(line), "--reason", "实为软件刷机", "--json",
                 *db, db=False)
    assert raised.code == 0, raised.err
    assert raised.json()["line"] == line and raised.json()["outcome"] is None
    shown = cli("settlement", "show", str(line), *db, db=False)
    assert "实为软件刷机" in shown.out and "waiting for HQ" in shown.out
    none = cli("settlement", "statements", *db, db=False)
    assert none.code == 0 and "No statements" in none.out


def test_a_statement_not_as_hq_sealed_it_is_refused_though_the_pack_is_signed(
        world: World) -> None:
    """A statement outlives its pack: the counter checks the statement's own seal, so a pack
    signed by HQ's key but holding a statement changed after its close is refused whole."""
    world.hq.close_month("2026-10", key_path=world.key)
    good = world.pack("pack-2.rdpack")
    hq_key = keys.load_private_key(world.key)
    signed, content = packs.read_pack(good.name, good.read_bytes(),
                                      keys.public_key_text(hq_key))
    (statement,) = content.settlement["statements"]
    statement["document"]["totals"]["total_fen"] += 10_000  # ¥100 more than HQ signed
    forged = world.root / "pack-2b.rdpack"
    forged.write_bytes(packs.build_pack(
        int(signed.manifest["seq"]), datetime.fromisoformat(signed.manifest["issued"]),
        content, hq_key))
    before = {t: _rows(world.store, t) for t in ("sync_pack", "sync_statement",
                                                 "sync_claim_line")}
    desk = world.desk()
    try:
        with pytest.raises(BatchRefused) as refused:
            desk.sync.apply_pack(forged)
        assert refused.value.check == "statement" and "2026-10" in str(refused.value)
    finally:
        desk.close()
    assert {t: _rows(world.store, t) for t in before} == before
    desk = world.desk()
    try:
        desk.sync.apply_pack(good)
        (kept,) = desk.settlement.statements()
        assert kept.month == "2026-10"
    finally:
        desk.close()
