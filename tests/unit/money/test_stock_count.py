"""Counting the shelf: each difference is a stock move (found or lost) referenced by the
count; a count with a difference is a manager's, one without is anyone's; a bad count is
refused whole, naming the field; the count travels to HQ in the next batch."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from repairdesk.desk import Desk
from repairdesk.errors import InputError
from repairdesk.trust import PermissionDenied

MANAGER = ("王店长", "246810")
TECH = ("李师傅", "1357")


def _shelf(desk: Desk) -> dict[str, int]:
    return {p.part_number: p.on_hand for p in desk.stock.parts()}


def test_a_count_adjusts_the_stock_and_only_a_manager_may(stocked: Desk,
                                                         tmp_path: Path) -> None:
    stocked.trust.add_user(MANAGER[0], "manager", MANAGER[1])
    stocked.trust.login(*MANAGER)
    stocked.trust.add_user(TECH[0], "technician", TECH[1])
    stocked.trust.login(*TECH)
    same = stocked.parts.count_stock({"AL-OT332-LCD": "5", "AL-OT332-BAT": 4})
    assert [(li.part_number, li.expected, li.counted, li.difference) for li in same.lines] == [
        ("AL-OT332-LCD", 5, 5, 0), ("AL-OT332-BAT", 4, 4, 0)]
    before = (_shelf(stocked), len(stocked.parts.counts()))
    with pytest.raises(PermissionDenied):
        stocked.parts.count_stock({"AL-OT332-LCD": 4})
    assert (_shelf(stocked), len(stocked.parts.counts())) == before
    stocked.trust.login(*MANAGER)
    made = stocked.parts.count_stock({"AL-OT332-LCD": 4, "AL-OT332-SPK": " 5 "}, note="月底盘点")
    assert [(li.part_number, li.expected, li.counted, li.difference) for li in made.lines] == [
        ("AL-OT332-LCD", 5, 4, -1), ("AL-OT332-SPK", 3, 5, 2)]
    shelf = _shelf(stocked)
    assert (shelf["AL-OT332-LCD"], shelf["AL-OT332-SPK"], shelf["AL-OT332-BAT"]) == (4, 5, 4)
    assert [c.id for c in stocked.parts.counts()] == [same.id, made.id]
    stocked.sync.ensure_signing_key()
    out = tmp_path / "stick"
    out.mkdir()
    sent = Path(stocked.sync.export_batch(out).path)
    with zipfile.ZipFile(sent) as zf:
        counts = [json.loads(x) for x in zf.read("stock_count.jsonl").splitlines()]
        moves = [json.loads(x) for x in zf.read("stock_move.jsonl").splitlines()]
    assert [c["note"] for c in counts] == ["", "月底盘点"]
    assert sorted((m["kind"], m["qty"], m["ref"]) for m in moves
                  if m["kind"].startswith("count_")) == [
        ("count_found", 2, f"count #{made.id}"), ("count_lost", 1, f"count #{made.id}")]


@pytest.mark.parametrize("counted", [
    {}, {"NO-SUCH": 1}, {"AL-OT332-LCD": "x"}, {"AL-OT332-LCD": -1}, {"AL-OT332-LCD": "1.5"},
    {"AL-OT332-LCD": True}, {"AL-OT332-LCD": 3, "NO-SUCH": 1},
])
def test_a_bad_count_names_its_field_and_changes_nothing(stocked: Desk, counted: dict) -> None:
    before = (_shelf(stocked), len(stocked.parts.counts()))
    with pytest.raises(InputError) as refused:
        stocked.parts.count_stock(counted)
    assert refused.value.field == "counted"
    assert (_shelf(stocked), len(stocked.parts.counts())) == before


def test_the_command_line_counts(cli, stocked: Desk) -> None:
    done = cli("parts", "count", "AL-OT332-LCD=3", "AL-OT332-BAT=4", "--json")
    assert done.code == 0, done.err
    assert [li["difference"] for li in done.json()["lines"]] == [-2, 0]
    zh = cli("--lang", "zh", "parts", "counts")
    assert zh.code == 0 and "盘点 #" in zh.out and "-2" in zh.out
    bad = cli("parts", "count", "AL-OT332-LCD")
    assert bad.code == 2 and "Counted (PART=QTY):" in bad.err and "Traceback" not in bad.err


def test_a_count_with_a_difference_by_a_technician_is_refused_at_the_command_line(
        cli, stocked: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    stocked.trust.add_user(MANAGER[0], "manager", MANAGER[1])
    stocked.trust.login(*MANAGER)
    stocked.trust.add_user(TECH[0], "technician", TECH[1])
    before = (_shelf(stocked), len(stocked.parts.counts()))
    monkeypatch.setenv("REPAIRDESK_PIN", TECH[1])
    refused = cli("--as", TECH[0], "parts", "count", "AL-OT332-LCD=1")
    assert refused.code != 0 and TECH[0] in refused.err and "Traceback" not in refused.err
    assert (_shelf(stocked), len(stocked.parts.counts())) == before
    same = cli("--as", TECH[0], "parts", "count", "AL-OT332-LCD=5", "--json")
    assert same.code == 0, same.err  # nothing differs: anyone may record it
