"""A month's end at HQ: approved and rejected lines frozen into a signed statement, the rest
carried forward; the statement proved again from the lines, written as a workbook and a PDF
that say the same; a frozen line's later change becomes next month's adjustment."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from repairdesk.errors import InputError
from repairdesk.hq import schema
from repairdesk.sync import seal
from tests.hq import settle_world
from tests.hq.settle_world import World

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def world(tmp_path: Path, hq_url: str) -> World:
    made = settle_world.build(tmp_path, hq_url)
    lines = made.lines()
    made.hq.approve_lines([lines["module"].id])
    made.hq.adjust_line(lines["software"].id, "20.00", "刷机一次未成功")
    yield made
    made.hq.close()


def test_closing_october_freezes_the_reviewed_lines_and_carries_the_rest(world: World) -> None:
    (statement,) = world.hq.close_month("2026-10", key_path=world.key)
    assert statement.new and (statement.counter, statement.month) == ("SH01", "2026-10")
    # module 160.25 (labour 40.25 + LCD 120.00) and software adjusted to 20.00.
    assert (statement.labour, statement.parts, statement.adjustments, statement.total) == (
        "60.25", "120.00", "0.00", "180.25")
    lines = world.lines()
    assert {r for r, v in lines.items() if v.statement == statement.id} == {
        "module", "software", "ungraded"}  # the rejected one is frozen too, at nothing
    assert lines["kept"].statement is None  # held: it waits for its faulty part
    with world.hq.store.read() as conn:
        row = conn.execute(sa.select(schema.table("hq_statement"))).one()
    assert seal.digest(row.document) == row.sha256 == statement.sha256
    assert seal.signature_valid(_public_key(world), row.sha256, row.signature)
    assert not seal.signature_valid(_public_key(world), "0" * 64, row.signature)
    again = world.hq.close_month("2026-10", key_path=world.key)
    assert [(s.id, s.sha256, s.new) for s in again] == [(statement.id, statement.sha256, False)]


def _public_key(world: World) -> str:
    from repairdesk.sync import keys

    return keys.public_key_text(keys.load_private_key(world.key))


def test_a_month_not_ended_or_before_a_closed_one_is_refused(world: World) -> None:
    with pytest.raises(InputError) as running:
        world.hq.close_month("2026-11", key_path=world.key)
    assert running.value.field == "month"
    with pytest.raises(InputError):
        world.hq.close_month("2026-13", key_path=world.key)
    world.hq.close_month("2026-10", key_path=world.key)
    with pytest.raises(InputError) as earlier:
        world.hq.close_month("2026-09", "SH01", key_path=world.key)
    assert earlier.value.field == "month" and "2026-10" in earlier.value.reason
    assert world.hq.close_month("2026-09", key_path=world.key) == []  # nothing left in it
    assert [s.month for s in world.hq.statements()] == ["2026-10"]


def test_verify_finds_a_frozen_line_changed_behind_hqs_back(world: World, hq_url: str,
                                                            cli) -> None:
    world.hq.close_month("2026-10", key_path=world.key)
    (ok,) = world.hq.verify_month("2026-10")
    assert ok.ok and ok.differences == []
    lines = schema.table("hq_claim_line")
    with world.hq.store.write() as conn:
        conn.execute(sa.update(lines).where(lines.c.ticket_number == world.tickets["module"])
                     .values(approved_fen=99_999))
    (bad,) = world.hq.verify_month("2026-10")
    assert not bad.ok and bad.differences
    result = cli("hq", "settle", "verify", "--month", "2026-10", "--hq-db", hq_url, db=False)
    assert result.code == 1 and "SH01" in result.out


def test_a_frozen_lines_later_change_is_an_adjustment_in_the_next_month(world: World) -> None:
    world.hq.close_month("2026-10", key_path=world.key)
    desk = world.desk()
    try:
        desk.tickets.update_repair(world.tickets["module"], grade="board")
    finally:
        desk.close()
    world.send()
    frozen = world.lines()["module"]
    assert (frozen.approved, frozen.labour) == ("160.25", "40.25")  # never changes
    (adjustment,) = [v for v in world.hq.claim_lines() if v.kind == "adjustment"]
    # Board labour 60 × 1.15 = 69.00 instead of 40.25: 28.75 more, in November.
    assert (adjustment.adjusts, adjustment.amount, adjustment.month, adjustment.status) == (
        frozen.id, "28.75", "2026-11", "pending")


def test_the_statement_as_workbook_and_pdf_says_what_its_json_says(world: World,
                                                                    tmp_path: Path) -> None:
    world.hq.close_month("2026-10", key_path=world.key)
    xlsx, pdf = tmp_path / "SH01-2026-10.xlsx", tmp_path / "SH01-2026-10.pdf"
    view = world.hq.write_statement("SH01", "2026-10", xlsx=xlsx, pdf=pdf)
    book = openpyxl.load_workbook(xlsx)
    rows = [row for sheet in book for row in sheet.iter_rows(values_only=True)]
    paid = {row[1]: row[10] for row in rows if row[1] in world.tickets.values()}
    assert paid == {world.tickets["module"]: 160.25, world.tickets["software"]: 20,
                    world.tickets["ungraded"]: None, world.tickets["kept"]: None}
    assert ("Total", float(view.total)) in {(row[0], row[1]) for row in rows}
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    for expected in (world.tickets["module"], world.tickets["software"], "180.25", "SH01",
                     "2026-10", view.sha256[:16]):
        assert expected in text, expected
