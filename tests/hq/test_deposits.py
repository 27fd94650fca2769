"""A counter's deposit with HQ: the ledger (paid in, refunded, deducted), the credit it
gives, and the exposure HQ reads off the counter's own batches: the parts on its shelf and
the faulty parts due back, at HQ's standard cost. Worked by hand on SH01's October
(tests/hq/settle_world.py): 5 LCDs and 4 batteries received, two LCDs drawn for warranty
repairs, both faulty LCDs still to reach HQ (one sent, one kept)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from repairdesk.errors import InputError
from repairdesk.hq.facade import Hq
from repairdesk.hq.store import hq_url as engine_url
from repairdesk.trust import PermissionDenied
from tests.hq import settle_world
from tests.hq.helpers import PARTS_TABLES
from tests.hq.settle_world import ADMIN, PARTS, VIEWER, World, staff


@pytest.fixture
def world(tmp_path: Path, hq_url: str) -> Iterator[World]:
    made = settle_world.build(tmp_path, hq_url)
    staff(made, (PARTS, "parts"), (VIEWER, "viewer"))
    made.hq.login(*PARTS)
    yield made
    made.hq.close()


def _cli(cli: Any, monkeypatch: pytest.MonkeyPatch, world: World, who: tuple[str, str],
         *args: str) -> Any:
    monkeypatch.setenv("REPAIRDESK_PIN", who[1])
    return cli("--as", who[0], "hq", *args, "--hq-db", world.hq.store.url, db=False)


def _ledger(world: World) -> list[tuple[Any, ...]]:
    engine = sa.create_engine(engine_url(world.hq.store.url))
    try:
        with engine.connect() as conn:
            entries = conn.execute(sa.text(
                "SELECT counter, kind, amount_fen, balance_fen, ref FROM hq_deposit_entry "
                "ORDER BY id")).all()
            deposit = conn.execute(sa.text(
                "SELECT deposit_fen FROM hq_counter WHERE code = 'SH01'")).scalar_one()
        return [tuple(e) for e in entries] + [("deposit_fen", deposit)]
    finally:
        engine.dispose()


def test_the_exposure_is_read_off_the_counters_batches_at_hqs_cost(world: World) -> None:
    hq = world.hq
    start = hq.deposit("SH01")
    # On the shelf: 3 LCDs x 120.00 + 4 batteries x 45.00 = 540.00; due back: the two
    # faulty LCDs of the warranty repairs, 2 x 120.00 = 240.00, until HQ receives them.
    assert (start.deposit, start.credit, start.held, start.in_transit, start.due_back,
            start.exposure, start.headroom) == (
        "0.00", "0.00", "540.00", "0.00", "240.00", "780.00", "-780.00")
    paid = hq.deposit_pay("SH01", "1,000", ref="ICBC-20261103-01")
    assert (paid.deposit, paid.credit, paid.headroom) == ("1000.00", "1000.00", "220.00")
    hq.login(*ADMIN)
    hq.edit_counter("SH01", credit_multiple="3")
    hq.login(*PARTS)
    tripled = hq.deposit("SH01")
    assert (tripled.credit, tripled.headroom) == ("3000.00", "2220.00")
    hq.deposit_deduct("SH01", "120", ref="HQ-D-7", note="旧屏未返还")
    hq.deposit_refund("SH01", "380.00", ref="ICBC-20261120-04")
    after = hq.deposit("SH01")
    assert [(e.kind, e.amount, e.balance, e.by) for e in after.entries] == [
        ("pay", "1000.00", "1000.00", PARTS[0]), ("deduct", "120.00", "880.00", PARTS[0]),
        ("refund", "380.00", "500.00", PARTS[0])]
    # 500.00 x 3 = 1500.00 of credit, 780.00 of it used
    assert (after.deposit, after.credit, after.exposure, after.headroom) == (
        "500.00", "1500.00", "780.00", "720.00")
    assert [v.counter for v in hq.deposits()] == ["SH01"]
    trail = [e for e in reversed(hq.events()) if e["action"].startswith("hq.deposit_")]
    assert [(e["action"], e["user"], e["subject"]) for e in trail] == [
        ("hq.deposit_pay", PARTS[0], "SH01"), ("hq.deposit_deduct", PARTS[0], "SH01"),
        ("hq.deposit_refund", PARTS[0], "SH01")]


BAD_ENTRIES = [
    ("refund", "0.01", "X-1", "amount"),  # nothing to refund yet
    ("pay", "0", "X-1", "amount"),
    ("pay", "-5", "X-1", "amount"),
    ("pay", "abc", "X-1", "amount"),
    ("pay", "100", "  ", "ref"),
    ("pay", "100", "\x1b[2J", "ref"),
    ("pay", "1e12", "X-1", "amount"),
]


def test_a_bad_entry_names_its_field_and_changes_nothing(world: World) -> None:
    before = _ledger(world)
    for kind, amount, ref, field in BAD_ENTRIES:  # one world: each refusal changes nothing
        with pytest.raises(InputError) as refused:
            getattr(world.hq, f"deposit_{kind}")("SH01", amount, ref=ref)
        assert refused.value.field == field, (kind, amount, ref)
        assert _ledger(world) == before


def test_the_command_line_says_the_same_and_holds_roles(world: World, cli: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    paid = _cli(cli, monkeypatch, world, PARTS, "deposit", "pay", "SH01", "2000",
                "--ref", "ICBC-1", "--json")
    assert paid.code == 0, paid.err
    assert (paid.json()["deposit"], paid.json()["headroom"]) == ("2000.00", "1220.00")
    said = _cli(cli, monkeypatch, world, PARTS, "--lang", "zh", "deposit", "show", "SH01")
    assert said.code == 0, said.err
    for words in ("可用额度", "¥1220.00", "待返还旧件", "¥240.00", "ICBC-1"):
        assert words in said.out
    before = _ledger(world)
    over = _cli(cli, monkeypatch, world, PARTS, "deposit", "refund", "SH01", "2000.01",
                "--ref", "ICBC-2")
    assert over.code == 2 and "Amount (yuan):" in over.err and "2000.00" in over.err
    assert "Traceback" not in over.err
    viewer = _cli(cli, monkeypatch, world, VIEWER, "deposit", "pay", "SH01", "1",
                  "--ref", "X")
    assert viewer.code != 0 and "Traceback" not in viewer.err
    unknown = _cli(cli, monkeypatch, world, PARTS, "deposit", "pay", "ZZ99", "1", "--ref", "X")
    assert unknown.code != 0 and "ZZ99" in unknown.err
    assert _ledger(world) == before
    listed = _cli(cli, monkeypatch, world, VIEWER, "deposit", "list", "--json")
    assert [(v["counter"], v["exposure"]) for v in listed.json()] == [("SH01", "780.00")]


def test_a_viewer_reads_but_never_enters(world: World) -> None:
    viewer = Hq.open(world.hq.store.url)
    try:
        viewer.login(*VIEWER)
        assert viewer.deposit("SH01").deposit == "0.00"
        with pytest.raises(PermissionDenied):
            viewer.deposit_pay("SH01", "10", ref="X")
    finally:
        viewer.close()


def test_a_deposit_set_before_the_ledger_is_its_first_entry_after_the_upgrade(
        hq_url: str, tmp_path: Path) -> None:
    """A database of h0006 whose registry held a deposit: h0007 opens its ledger with it."""
    setup = Hq.open(hq_url, check=False)
    setup.init(tmp_path / "hq.key")
    setup.add_counter("SH01", "徐汇网点", credit_multiple="2")
    setup.add_counter("BJ02", "海淀网点")
    setup.close()
    engine = sa.create_engine(engine_url(hq_url))
    with engine.begin() as conn:
        for table in PARTS_TABLES:  # as it stood at h0006
            conn.exec_driver_sql(f"DROP TABLE {table}")
        conn.exec_driver_sql("UPDATE hq_counter SET deposit_fen = 500000 WHERE code = 'SH01'")
        conn.exec_driver_sql("UPDATE hq_alembic_version SET version_num = 'h0006_settlement'")
    engine.dispose()
    upgraded = Hq.open(hq_url)
    try:
        sh = upgraded.deposit("SH01")
        assert (sh.deposit, sh.credit) == ("5000.00", "10000.00")
        assert [(e.kind, e.amount, e.balance, e.ref) for e in sh.entries] == [
            ("pay", "5000.00", "5000.00", "registry")]
        assert upgraded.deposit("BJ02").entries == []
        upgraded.deposit_refund("SH01", "5000", ref="closing")
        assert upgraded.deposit("SH01").deposit == "0.00"
    finally:
        upgraded.close()
