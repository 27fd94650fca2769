"""ORDS v0.3 at the counter: valid, stable ids, and nothing that names a person or a phone."""

from __future__ import annotations

import re
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repairdesk.demo import seed_demo
from repairdesk.desk import Desk
from repairdesk.errors import InputError
from repairdesk.sync.ords import ords_id, scrub
from tests.conftest import FrozenClock
from tests.unit.sync.factory import intake_doc
from tests.unit.sync.ords_checks import check_ords


def personal_data(store: Path) -> set[str]:
    with sqlite3.connect(store) as raw:
        found = {n for (n,) in raw.execute("select name from customer")}
        for phone, in raw.execute("select phone from customer"):
            found |= {phone, phone.removeprefix("+86")}
        for imei, imei2 in raw.execute("select imei, imei2 from device"):
            found |= {imei, imei2} - {None}
    return found


def test_export_validates_and_carries_no_personal_data(desk: Desk, tmp_path: Path,
                                                       clock: FrozenClock, cli) -> None:
    seed_demo(desk, tickets=150, seed=5)
    # A customer who wrote their own name, phone and IMEI into the fault description.
    doc = intake_doc(11, name="王小明")
    doc["description"] = "王小明的手机 352099001761481 打不开，电话 138-0013-8000 或 a@b.cn"
    number = desk.tickets.intake(doc).ticket
    for status in ("diagnosing", "repairing", "qc", "ready", "collected"):
        desk.tickets.move(number, status)
    out = tmp_path / "ords.csv"
    result = cli("export", "--ords", str(out), "--json").json()
    rows = check_ords(out)
    assert result["rows"] == len(rows) > 50
    assert set(result["repair_status"]) <= {"Fixed", "Repairable", "Unknown"}
    text = out.read_text("utf-8")
    for value in personal_data(desk.store.path):
        assert value not in text, value
    assert not re.search(r"\d(?:[\s\-./()]*\d){7,}", "".join(r["problem"] for r in rows))
    mine = next(r for r in rows if r["id"] == ords_id("repairdesk", number))
    assert mine["repair_status"] == "Fixed" and mine["group_identifier"] == "SH01"
    assert mine["data_provider"] == "徐汇网点" and mine["event_date"] == "2026-11-21"


def test_ids_are_stable_and_only_closed_repairs_appear(desk: Desk, tmp_path: Path,
                                                       clock: FrozenClock) -> None:
    seed_demo(desk, tickets=60, seed=2)
    first = check_ords(Path(desk.sync.export_ords(tmp_path / "a.csv").path))
    open_ticket = desk.tickets.intake(intake_doc(12)).ticket
    clock.now += timedelta(days=2)
    second = check_ords(Path(desk.sync.export_ords(tmp_path / "b.csv", provider="华东维修",
                                              prefix="hd").path))
    assert ords_id("hd", open_ticket) not in {r["id"] for r in second}
    assert [r["id"].removeprefix("repairdesk_") for r in first] == [
        r["id"].removeprefix("hd_") for r in second]
    since = desk.sync.export_ords(tmp_path / "c.csv", since=date(2026, 11, 1))
    assert 0 < since.rows < len(first)
    assert all(r["event_date"] >= "2026-11-01" for r in check_ords(Path(since.path)))


def test_two_counters_never_share_an_id() -> None:
    assert ords_id("x", "SH01-20261121-0001") != ords_id("x", "SH1-20261121-0001")
    assert ords_id("x", "A1-20261121-12345") == "x_36120261121012345"


@pytest.mark.parametrize(("option", "value"), [("--prefix", "RD"), ("--prefix", "rd_1"),
                                               ("--country", "CN")])
def test_bad_options_exit_2_and_write_nothing(desk: Desk, tmp_path: Path, cli, option: str,
                                              value: str) -> None:
    result = cli("export", "--ords", str(tmp_path / "o.csv"), option, value)
    assert result.code == 2 and option in result.err
    assert not (tmp_path / "o.csv").exists()
    with pytest.raises(InputError):
        desk.sync.export_ords(tmp_path / "o.csv", provider=" ")


@given(st.text(alphabet="0123456789 -./()", min_size=8, max_size=30))
def test_scrub_removes_every_long_number(text: str) -> None:
    digits = sum(c.isdigit() for c in text)
    cleaned = scrub(f"电话{text}谢谢", ["张伟"])
    if digits >= 8:
        assert sum(c.isdigit() for c in cleaned) < 8
    assert "\n" not in cleaned


def test_scrub_removes_names_and_addresses() -> None:
    assert scrub("张伟 says: mail zw@example.com\nIMEI 35-209900-176148-1", ["张伟"]) == (
        "[removed] says: mail [removed] IMEI [removed]")
