"""Stock: the sum of its movements, never negative; faulty parts tracked until sent."""

from __future__ import annotations

import pytest

from repairdesk.desk import Desk
from repairdesk.errors import InputError

from .conftest import SOLD_DAY_51, Intake


def test_a_draw_beyond_stock_is_refused_with_what_is_there(stocked: Desk, take_in: Intake
                                                           ) -> None:
    number = take_in(1)
    with pytest.raises(InputError) as err:
        stocked.stock.draw_part(number, "AL-OT332-LCD", 6)
    assert err.value.field == "qty"
    assert "only 5 of AL-OT332-LCD in stock (6 asked for)" in err.value.reason
    assert stocked.stock.part("AL-OT332-LCD").on_hand == 5
    assert stocked.money.ticket_money(number).parts == []
    with pytest.raises(InputError, match="only 0 of MI-13-LCD"):
        stocked.stock.draw_part(number, "MI-13-LCD")
    with pytest.raises(InputError, match="no part NOPE"):
        stocked.stock.draw_part(number, "NOPE")


def test_draws_returns_and_write_offs_add_up(stocked: Desk, take_in: Intake) -> None:
    number = take_in(1)  # an old phone: a paid repair
    drawn = stocked.stock.draw_part(number, "AL-OT332-LCD", 2)
    assert (drawn.kind, drawn.basis, drawn.on_hand, str(drawn.unit_price)) == (
        "drawn", "paid", 3, "120.00")
    assert stocked.stock.return_part(number, "AL-OT332-LCD").on_hand == 4
    with pytest.raises(InputError, match="only 1 of AL-OT332-LCD were drawn"):
        stocked.stock.return_part(number, "AL-OT332-LCD", 2)
    stocked.stock.receive_stock("AL-OT332-LCD", 1, source="bought", ref="发票 0099", cost="80.00")
    assert stocked.stock.write_off("AL-OT332-LCD", 1, "跌落损坏").on_hand == 4
    with pytest.raises(InputError, match="Reason"):
        stocked.stock.write_off("AL-OT332-LCD", 1, " ")
    with pytest.raises(InputError, match="only 4"):
        stocked.stock.write_off("AL-OT332-LCD", 5, "盘亏")
    assert stocked.stock.part("AL-OT332-LCD").on_hand == 4  # 5 + 1 - 2 + 1 - 1
    assert [(m.kind, m.qty) for m in stocked.money.ticket_money(number).parts] == [
        ("drawn", 2), ("returned", 1)]
    assert stocked.stock.old_parts() == []  # a paid repair keeps no faulty part by default


def test_a_warranty_draw_keeps_the_faulty_part_until_it_is_sent(
        stocked: Desk, take_in: Intake) -> None:
    number = take_in(2, sold=SOLD_DAY_51)  # in its 三包 period: a warranty repair
    move = stocked.stock.draw_part(number, "AL-OT332-BAT", 2)
    assert move.basis == "warranty"
    pending = stocked.stock.old_parts()
    assert [(o.part_number, o.ticket, o.qty, o.sent_at) for o in pending] == [
        ("AL-OT332-BAT", number, 2, None)]
    assert stocked.stock.part("AL-OT332-BAT").old_pending == 2
    # One of the two new batteries went back unused: one faulty part fewer to send.
    stocked.stock.return_part(number, "AL-OT332-BAT")
    assert [o.qty for o in stocked.stock.old_parts()] == [1]
    sent = stocked.stock.send_old_parts(ref="SF1234567890")
    assert [(o.qty, o.sent_ref, o.sent_by) for o in sent] == [(1, "SF1234567890", "tester")]
    assert stocked.stock.old_parts() == [] and len(stocked.stock.old_parts(pending=False)) == 1
    with pytest.raises(InputError, match="99"):
        stocked.stock.send_old_parts([99])


def test_a_closed_ticket_draws_nothing(stocked: Desk, take_in: Intake) -> None:
    number = take_in(3)
    stocked.tickets.move(number, "cancelled")
    with pytest.raises(InputError, match="closed"):
        stocked.stock.draw_part(number, "AL-OT332-LCD")


def test_cli_stock_commands(cli, stocked: Desk, take_in: Intake) -> None:
    number = take_in(4, sold=SOLD_DAY_51)
    assert cli("parts", "draw", number, "AL-OT332-SPK", "--qty", "4").code == 2
    drawn = cli("parts", "draw", number, "AL-OT332-SPK", "--json")
    assert drawn.code == 0 and drawn.json()["on_hand"] == 2
    old = cli("parts", "old", "--json").json()
    assert [(o["part_number"], o["ticket"]) for o in old] == [("AL-OT332-SPK", number)]
    assert cli("parts", "send-old", "--id", str(old[0]["id"]), "--ref", "EMS1").code == 0
    assert cli("parts", "old", "--json").json() == []
    human = cli("parts", "old", "--all")
    assert "EMS1" in human.out
    assert cli("parts", "return", number, "AL-OT332-SPK").code == 0
    assert cli("parts", "write-off", "AL-OT332-SPK", "1", "--reason", "损坏").code == 0
    assert stocked.stock.part("AL-OT332-SPK").on_hand == 2
