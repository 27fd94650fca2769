"""Asking HQ for parts: for stock (charged against the credit) or for a ticket (free when it is
a warranty repair); every refusal names its field and stores nothing; the suggestion counts
the minimum, the last 30 days' use, the shelf and what was asked for; a request travels in
the next batch."""

from __future__ import annotations

import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repairdesk.desk import Desk
from repairdesk.errors import InputError, NotFound

from ...conftest import FrozenClock
from .conftest import SOLD_DAY_51, Intake


def _count(desk: Desk) -> int:
    with desk.store.read() as s:
        return int(s.connection().execute(sa.text("SELECT count(*) FROM part_request"))
                   .scalar_one())


def test_a_warranty_tickets_parts_are_free_and_stock_is_charged(stocked: Desk,
                                                                take_in: Intake) -> None:
    warranty = take_in(1, sold=SOLD_DAY_51)  # in its 三包 period: a free repair
    paid = take_in(2)  # an old phone: a paid repair
    free = stocked.parts.request("AL-OT332-LCD", 1, ticket=warranty, free=True)
    assert (free.ticket, free.reason, free.free, free.qty) == (warranty, "ticket", True, 1)
    # free or not is the ticket's basis, not what the counter ticks
    implied = stocked.parts.request("al-ot332-bat", "2", ticket=warranty)
    assert (implied.part_number, implied.free, implied.qty) == ("AL-OT332-BAT", True, 2)
    charged = stocked.parts.request("AL-OT332-LCD", 1, ticket=paid)
    assert (charged.reason, charged.free) == ("ticket", False)
    shelf = stocked.parts.request("AL-OT332-SPK", 6, note="旺季备货")
    assert (shelf.ticket, shelf.reason, shelf.free, shelf.note) == (None, "stock", False,
                                                                     "旺季备货")
    assert [r.id for r in stocked.parts.requests()] == [free.id, implied.id, charged.id,
                                                        shelf.id]


@pytest.mark.parametrize(("part", "qty", "options", "field"), [
    ("NO-SUCH-PART", 1, {}, "part"),
    ("AL-OT332-LCD", 0, {}, "qty"),
    ("AL-OT332-LCD", -2, {}, "qty"),
    ("AL-OT332-LCD", "1.5", {}, "qty"),
    ("AL-OT332-LCD", "abc", {}, "qty"),
    ("AL-OT332-LCD", 1, {"reason": "ticket"}, "ticket"),
    ("AL-OT332-LCD", 1, {"reason": "gift"}, "reason"),
    ("AL-OT332-LCD", 1, {"free": True}, "free"),
    ("AL-OT332-LCD", 1, {"free": True, "ticket": "PAID"}, "free"),
    ("AL-OT332-LCD", 1, {"reason": "stock", "ticket": "PAID"}, "reason"),
    ("AL-OT332-LCD", 1, {"note": "\x1b[31m红字"}, "note"),
])
def test_a_bad_request_names_its_field_and_stores_nothing(stocked: Desk, take_in: Intake,
                                                         part: str, qty: object,
                                                         options: dict, field: str) -> None:
    if options.get("ticket") == "PAID":
        options = {**options, "ticket": take_in(3)}
    with pytest.raises(InputError) as refused:
        stocked.parts.request(part, qty, **options)
    assert refused.value.field == field
    assert _count(stocked) == 0


def test_a_closed_ticket_takes_no_request(stocked: Desk, take_in: Intake) -> None:
    with pytest.raises(NotFound):
        stocked.parts.request("AL-OT332-LCD", 1, ticket="SH01-20991231-0001")
    number = take_in(4)
    stocked.tickets.move(number, "cancelled", note="客户取回")
    with pytest.raises(InputError) as refused:
        stocked.parts.request("AL-OT332-LCD", 1, ticket=number)
    assert refused.value.field == "ticket"
    assert _count(stocked) == 0


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(qty=st.one_of(st.integers(-5, 5), st.text(max_size=6)),
       note=st.text(max_size=30))
def test_any_typed_request_is_stored_as_typed_or_refused_whole(stocked: Desk, qty: object,
                                                               note: str) -> None:
    before = _count(stocked)
    try:
        made = stocked.parts.request("AL-OT332-LCD", qty, note=note)
    except InputError as refused:
        assert refused.field in ("qty", "note")
        assert _count(stocked) == before
        return
    assert made.qty == int(str(qty).strip()) >= 1
    assert made.note == note.strip()
    assert _count(stocked) == before + 1


def test_the_suggestion_counts_minimum_use_shelf_and_requests(stocked: Desk, take_in: Intake,
                                                              clock: FrozenClock) -> None:
    stocked.stock.set_min_stock("AL-OT332-LCD", 4)
    stocked.stock.set_min_stock("AL-OT332-BAT", 2)
    old = take_in(5)  # 40 days ago: its draw is outside the 30 days counted
    stocked.stock.draw_part(old, "AL-OT332-BAT")
    clock.now += timedelta(days=40)
    drawn = [take_in(serial) for serial in (6, 7, 8)]
    for number in drawn:  # three LCDs drawn in the last 30 days, one put back
        stocked.stock.draw_part(number, "AL-OT332-LCD")
    stocked.stock.return_part(drawn[-1], "AL-OT332-LCD")

    def suggested() -> dict[str, object]:
        return {v.part_number: v for v in stocked.parts.suggest()}

    # LCD: minimum 4 + used 2 - on hand 3 = 3; battery: 2 + 0 - 3 < 0; speaker: 1 - 3 < 0;
    # the parts never received: their minimum (the SIM tray's is 5)
    found = suggested()
    lcd = found["AL-OT332-LCD"]
    assert (lcd.on_hand, lcd.min_stock, lcd.used_30_days, lcd.requested, lcd.suggested) == (
        3, 4, 2, 0, 3)
    assert "AL-OT332-BAT" not in found and "AL-OT332-SPK" not in found
    assert found["GEN-SIMTRAY"].suggested == 5
    stocked.parts.request("AL-OT332-LCD", 2)
    lcd = suggested()["AL-OT332-LCD"]
    assert (lcd.requested, lcd.suggested) == (2, 1)
    clock.now += timedelta(hours=1)
    stocked.stock.receive_stock("AL-OT332-LCD", 2, ref="HQ-DN-1")  # the delivery answers it
    lcd = suggested()["AL-OT332-LCD"]
    assert (lcd.on_hand, lcd.requested, lcd.suggested) == (5, 0, 1)
    stocked.stock.receive_stock("AL-OT332-LCD", 1, ref="HQ-DN-2")
    assert "AL-OT332-LCD" not in suggested()


def test_the_command_line_and_the_next_batch(cli, stocked: Desk, take_in: Intake,
                                            tmp_path: Path) -> None:
    warranty = take_in(10, sold=SOLD_DAY_51)
    made = cli("parts", "request", "AL-OT332-LCD", "1", "--ticket", warranty, "--free",
               "--json")
    assert made.code == 0, made.err
    assert (made.json()["free"], made.json()["ticket"]) == (True, warranty)
    zh = cli("--lang", "zh", "parts", "request", "AL-OT332-SPK", "3")
    assert zh.code == 0 and "用于备货" in zh.out and "计入信用额度" in zh.out
    bad = cli("parts", "request", "AL-OT332-SPK", "0")
    assert bad.code == 2 and "Quantity:" in bad.err and "Traceback" not in bad.err
    bad_zh = cli("--lang", "zh", "parts", "request", "AL-OT332-SPK", "1", "--free")
    assert bad_zh.code == 2 and "免费（保修）" in bad_zh.err
    listed = cli("parts", "requests", "--json").json()
    assert [(r["part_number"], r["qty"], r["free"]) for r in listed] == [
        ("AL-OT332-LCD", 1, True), ("AL-OT332-SPK", 3, False)]
    out = tmp_path / "stick"
    out.mkdir()
    stocked.sync.ensure_signing_key()
    sent = Path(stocked.sync.export_batch(out).path)
    with zipfile.ZipFile(sent) as zf:
        rows = [json.loads(line) for line in zf.read("part_request.jsonl").splitlines()]
    assert [(r["qty"], r["free"], r["reason"]) for r in rows] == [(1, True, "ticket"),
                                                                   (3, False, "stock")]
