"""HQ's answer to the counters' part requests: approved within the headroom (all or part),
beyond a per-request limit only with a second user of the parts role, rejected with a
reason, then shipped in one shipment at HQ's standard cost, which counts as in transit.

SH01's October (tests/hq/settle_world.py) exposes 780.00 (540.00 on the shelf, 240.00 of
faulty LCDs due back); a deposit of 1000.00 at a multiple of 1 leaves 220.00 of headroom.
The policy (data/hq/network.toml) allows 10 parts or ¥3000.00 in one request.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from repairdesk.errors import InputError
from repairdesk.hq.facade import Hq
from repairdesk.trust import PermissionDenied
from tests.hq import settle_world
from tests.hq.settle_world import ADMIN, PARTS, PARTS2, VIEWER, World, _take_in, staff


@pytest.fixture
def hq_url(tmp_path: Path) -> str:
    """SQLite only: tests/hq/test_parts_cycle.py takes the same calls through PostgreSQL."""
    return str(tmp_path / "hq.sqlite3")


@pytest.fixture
def world(tmp_path: Path, hq_url: str) -> Iterator[World]:
    made = settle_world.build(tmp_path, hq_url)
    hq = made.hq
    staff(made, (PARTS, "parts"), (PARTS2, "parts"), (VIEWER, "viewer"))
    hq.login(*PARTS)
    hq.deposit_pay("SH01", "1000", ref="ICBC-1")
    desk = made.desk()
    try:
        made.tickets["open"] = _take_in(desk, 6, "2026-09-20")  # a warranty repair, open
        t = made.tickets
        made.requests = {  # type: ignore[attr-defined]  # the test's own
            "lcd": desk.parts.request("AL-OT332-LCD", 1).id,
            "bat": desk.parts.request("AL-OT332-BAT", 3).id,
            "big": desk.parts.request("AL-OT332-LCD", 12, ticket=t["open"], free=True).id,
            "spk": desk.parts.request("AL-OT332-SPK", 1, note="备货").id,
        }
    finally:
        desk.close()
    hq.login(*ADMIN)  # the import is the network's
    made.send()
    hq.login(*PARTS)
    yield made
    hq.close()


def _as(world: World, who: tuple[str, str]) -> Hq:
    world.hq.login(*who)
    return world.hq


def test_approval_within_headroom_and_limits_then_one_shipment(world: World) -> None:
    r = world.requests  # type: ignore[attr-defined]
    hq = world.hq
    queue = {v.request: (v.part_number, v.qty, v.free, v.state) for v in hq.part_requests()}
    assert queue == {r["lcd"]: ("AL-OT332-LCD", 1, False, "open"),
                     r["bat"]: ("AL-OT332-BAT", 3, False, "open"),
                     r["big"]: ("AL-OT332-LCD", 12, True, "open"),
                     r["spk"]: ("AL-OT332-SPK", 1, False, "open")}
    lcd = hq.approve_part_request("SH01", r["lcd"])  # 120.00 of 220.00
    assert (lcd.state, lcd.approved_qty, lcd.value) == ("approved", 1, "120.00")
    with pytest.raises(InputError) as beyond:  # 3 x 45.00 = 135.00 > the 100.00 left
        hq.approve_part_request("SH01", r["bat"])
    assert beyond.value.field == "qty" and "100.00" in beyond.value.message
    bat = hq.approve_part_request("SH01", r["bat"], qty=2)  # 90.00: within
    assert (bat.state, bat.approved_qty, bat.value) == ("approved", 2, "90.00")
    big = hq.approve_part_request("SH01", r["big"])  # free, but 12 > 10 in one request
    assert (big.state, big.value, big.by) == ("second", "0.00", PARTS[0])
    with pytest.raises(InputError) as same:
        hq.approve_part_request("SH01", r["big"])
    assert same.value.field == "user"
    big = _as(world, PARTS2).approve_part_request("SH01", r["big"])
    assert (big.state, big.approved_qty, big.by, big.second_user) == (
        "approved", 12, PARTS[0], PARTS2[0])
    spk = hq.reject_part_request("SH01", r["spk"], "本月扬声器已配足")
    assert (spk.state, spk.answer) == ("rejected", "本月扬声器已配足")
    with pytest.raises(InputError):
        hq.approve_part_request("SH01", r["spk"])  # answered once

    shipped = hq.ship_parts("SH01", "SF-7700112")
    # LCD 1 x 120.00 + battery 2 x 45.00 + 12 free LCDs x 120.00 = 1650.00
    assert [(li.part_number, li.qty, li.cost, li.free) for li in shipped.lines] == [
        ("AL-OT332-LCD", 1, "120.00", False), ("AL-OT332-BAT", 2, "45.00", False),
        ("AL-OT332-LCD", 12, "120.00", True)]
    assert (shipped.waybill, shipped.value) == ("SF-7700112", "1650.00")
    position = hq.deposit("SH01")
    assert (position.in_transit, position.exposure, position.headroom) == (
        "1650.00", "2430.00", "-1430.00")
    assert {v.request: v.state for v in hq.part_requests("SH01")} == {
        r["lcd"]: "shipped", r["bat"]: "shipped", r["big"]: "shipped", r["spk"]: "rejected"}
    with pytest.raises(InputError) as nothing:
        hq.ship_parts("SH01", "SF-1")
    assert nothing.value.field == "request"
    with pytest.raises(InputError):
        hq.reject_part_request("SH01", r["lcd"], "晚了")
    trail = [(e["action"], e["user"]) for e in reversed(hq.events())
             if e["action"].startswith(("hq.approve_part", "hq.reject_part", "hq.ship"))]
    assert trail == [("hq.approve_part_request", PARTS[0])] * 3 + [
        ("hq.approve_part_request", PARTS2[0]), ("hq.reject_part_request", PARTS2[0]),
        ("hq.ship_parts", PARTS2[0])]


BAD_ANSWERS = [
    (lambda hq, r: hq.approve_part_request("SH01", r["lcd"], qty=0), "qty"),
    (lambda hq, r: hq.approve_part_request("SH01", r["lcd"], qty=2), "qty"),
    (lambda hq, r: hq.approve_part_request("SH01", 999), "request"),
    (lambda hq, r: hq.reject_part_request("SH01", r["lcd"], "  "), "reason"),
    (lambda hq, r: hq.ship_parts("SH01", " ", None), "waybill"),
    (lambda hq, r: hq.ship_parts("SH01", "SF-1", [r["lcd"]]), "request"),
    (lambda hq, r: hq.part_requests(state="lost"), "state"),
]


def test_a_bad_answer_names_its_field_and_changes_nothing(world: World) -> None:
    hq = world.hq
    before = ([v.to_dict() for v in hq.part_requests()], hq.shipments())
    for call, field in BAD_ANSWERS:  # one world for all: each refusal leaves it as it was
        with pytest.raises(InputError) as refused:
            call(hq, world.requests)  # type: ignore[attr-defined]
        assert refused.value.field == field
        assert ([v.to_dict() for v in hq.part_requests()], hq.shipments()) == before


def test_a_viewer_sees_the_queue_and_answers_nothing(world: World, cli: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    r = world.requests  # type: ignore[attr-defined]
    viewer = _as(world, VIEWER)
    assert len(viewer.part_requests("SH01")) == 4
    with pytest.raises(PermissionDenied):
        viewer.approve_part_request("SH01", r["lcd"])
    monkeypatch.setenv("REPAIRDESK_PIN", PARTS[1])
    url = world.hq.store.url
    done = cli("--as", PARTS[0], "--lang", "zh", "hq", "parts", "approve", "SH01",
               str(r["big"]), "--hq-db", url, db=False)
    assert done.code == 0, done.err
    assert "待复核" in done.out and "另一位备件岗位用户" in done.out
    cli("--as", PARTS[0], "hq", "parts", "approve", "SH01", str(r["lcd"]), "--hq-db", url,
        db=False)
    over = cli("--as", PARTS[0], "hq", "parts", "approve", "SH01", str(r["bat"]),
               "--hq-db", url, db=False)  # 135.00 beyond the 100.00 left
    assert over.code == 2 and "headroom" in over.err and "Traceback" not in over.err
    shipped = cli("--as", PARTS[0], "hq", "parts", "ship", "SH01", "--waybill", "SF-9",
                  "--json", "--hq-db", url, db=False)
    assert shipped.code == 0, shipped.err
    assert [li["part_number"] for li in shipped.json()["lines"]] == ["AL-OT332-LCD"]
    listed = cli("hq", "parts", "requests", "--state", "shipped", "--json", "--hq-db", url,
                 db=False)
    assert [v["request"] for v in listed.json()] == [r["lcd"]]


def test_the_shipment_travels_in_the_pack_and_its_receipt_comes_back(world: World,
                                                                     cli: Any) -> None:
    r = world.requests  # type: ignore[attr-defined]
    hq = world.hq
    hq.approve_part_request("SH01", r["lcd"])
    hq.approve_part_request("SH01", r["bat"], qty=2)
    hq.approve_part_request("SH01", r["big"])
    _as(world, PARTS2).approve_part_request("SH01", r["big"])
    shipped = hq.ship_parts("SH01", "SF-7700112")
    hq.login(*ADMIN)
    hq.add_counter("BJ02", "海淀网点")
    other = world.pack("bj02.rdpack", counter="BJ02")
    pack = world.pack("pack-2.rdpack")
    db = ("--db", str(world.store))
    refused = cli("apply", str(other), *db, db=False)
    assert refused.code == 2 and "BJ02" in refused.err
    assert cli("apply", str(pack), *db, db=False).code == 0
    (pending,) = cli("parts", "shipments", "--pending", "--json", *db, db=False).json()
    assert (pending["id"], pending["waybill"], [li["shipped"] for li in pending["lines"]]) == (
        shipped.id, "SF-7700112", [1, 2, 12])
    before = {p["part_number"]: p["on_hand"]
              for p in cli("parts", "list", "--json", *db, db=False).json()}
    bad = cli("parts", "receive", "--shipment", str(shipped.id), "--received", "2=1", *db,
              db=False)  # one battery short, no reason given
    assert bad.code == 2 and "--reason 2=" in bad.err
    done = cli("parts", "receive", "--shipment", str(shipped.id), "--received", "2=1",
               "--reason", "2=少一块", "--damaged", "3=1", "--reason", "3=屏碎", "--json", *db,
               db=False)
    assert done.code == 0, done.err
    assert [(li["received"], li["damaged"]) for li in done.json()["lines"]] == [
        (1, 0), (1, 0), (11, 1)]
    again = cli("parts", "receive", "--shipment", str(shipped.id), *db, db=False)
    assert again.code == 2 and "received on" in again.err
    after = {p["part_number"]: p["on_hand"]
             for p in cli("parts", "list", "--json", *db, db=False).json()}
    assert (after["AL-OT332-LCD"] - before["AL-OT332-LCD"],
            after["AL-OT332-BAT"] - before["AL-OT332-BAT"]) == (12, 1)  # 1 + 11 good; 1
    world.send()
    hq.login(*PARTS)
    (seen,) = hq.shipments("SH01", differences=True)
    assert [(li.received, li.damaged, li.short, li.reason) for li in seen.lines] == [
        (1, 0, 0, ""), (1, 0, 1, "少一块"), (11, 1, 0, "屏碎")]
    position = hq.deposit("SH01")
    # in transit 0; on the shelf 15 LCDs x 120.00 + 5 batteries x 45.00 = 2025.00; 240.00
    # of faulty LCDs due back: 2265.00 of exposure against 1000.00 of credit
    assert (position.in_transit, position.held, position.exposure, position.headroom) == (
        "0.00", "2025.00", "2265.00", "-1265.00")
    hq.login(*ADMIN)
    again_pack = world.pack("pack-3.rdpack")
    assert cli("apply", str(again_pack), *db, db=False).code == 0
    assert cli("parts", "shipments", "--pending", "--json", *db, db=False).json() == []
