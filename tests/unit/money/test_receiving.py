"""Receiving HQ's shipment at the counter: every line as shipped unless said otherwise, a
difference needs its reason, a bad count or line is refused naming its field and nothing is
stored; a shipment is received once. (The shipment is stored as a pack stores it; the whole
way from HQ is tests/hq/test_part_orders.py.)"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repairdesk.desk import Desk
from repairdesk.errors import InputError
from repairdesk.models_parts import SyncShipment

LINES = [{"line": 1, "part_number": "AL-OT332-LCD", "qty": 2, "cost_fen": 12000,
          "request_id": 1, "free": False},
         {"line": 2, "part_number": "AL-OT332-BAT", "qty": 3, "cost_fen": 4500,
          "request_id": 2, "free": True}]


@pytest.fixture
def shipped(stocked: Desk) -> Desk:
    with stocked.store.write() as s:
        s.add(SyncShipment(id=7, waybill="SF-1", shipped_at=datetime(2026, 11, 20,
                                                                     tzinfo=UTC),
                           lines=LINES, pack_seq=1))
    return stocked


def _state(desk: Desk) -> tuple[int, dict[str, int]]:
    with desk.store.read() as s:
        receipts = s.connection().execute(sa.text("SELECT count(*) FROM shipment_receipt"))
        count = int(receipts.scalar_one())
    return count, {p.part_number: p.on_hand for p in desk.stock.parts()}


def test_received_as_shipped_and_only_once(shipped: Desk) -> None:
    _, before = _state(shipped)
    view = shipped.parts.receive_shipment(7)
    assert [(li.received, li.damaged) for li in view.lines] == [(2, 0), (3, 0)]
    count, after = _state(shipped)
    assert count == 2
    assert after["AL-OT332-LCD"] - before["AL-OT332-LCD"] == 2
    assert after["AL-OT332-BAT"] - before["AL-OT332-BAT"] == 3
    with pytest.raises(InputError) as twice:
        shipped.parts.receive_shipment(7)
    assert twice.value.field == "shipment"
    assert _state(shipped) == (count, after)


@pytest.mark.parametrize(("args", "field"), [
    ((8,), "shipment"),
    ((7, {3: 1}), "shipment_line"),
    ((7, {1: 3}), "qty"),
    ((7, {1: -1}), "qty"),
    ((7, {1: "x"}), "qty"),
    ((7, {1: 1}), "reason"),
    ((7, None, {2: 1}), "reason"),
    ((7, None, {2: 4}, {2: "碎"}), "qty"),
    ((7, {1: 1}, None, {1: "\x1b[2J"}), "reason"),
])
def test_a_bad_receipt_names_its_field_and_stores_nothing(shipped: Desk, args: tuple,
                                                         field: str) -> None:
    before = _state(shipped)
    with pytest.raises(InputError) as refused:
        shipped.parts.receive_shipment(*args)
    assert refused.value.field == field
    assert _state(shipped) == before


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(good=st.one_of(st.integers(-2, 4), st.text(max_size=3)),
       bad=st.one_of(st.integers(-1, 3), st.text(max_size=3)))
def test_any_typed_counts_are_received_as_typed_or_refused_whole(shipped: Desk, good: object,
                                                                 bad: object) -> None:
    before = _state(shipped)
    try:
        view = shipped.parts.receive_shipment(7, {2: good}, {2: bad}, {2: "数不对"})
    except InputError:
        assert _state(shipped) == before
        return
    line = view.lines[1]
    assert (line.received, line.damaged) == (int(str(good)), int(str(bad)))
    assert line.received + line.damaged <= 3
    with shipped.store.write() as s:  # the next example receives it afresh
        s.connection().execute(sa.text("DELETE FROM shipment_receipt"))
        s.connection().execute(sa.text(
            "DELETE FROM stock_move WHERE ref = 'SF-1 #7'"))
