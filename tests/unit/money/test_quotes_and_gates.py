"""Quotes the customer approves, and the money rules of a status move."""

from __future__ import annotations

import pytest

from repairdesk.desk import Desk
from repairdesk.errors import InputError
from repairdesk.trust import PermissionDenied

from ...conftest import FrozenClock
from .conftest import SOLD_DAY_3, SOLD_DAY_51, Intake, advance

LINES = [{"kind": "labour", "description": "更换屏幕工时", "price": "60.00"},
         {"kind": "part", "part": "AL-OT332-LCD"}]


def quoted(desk: Desk, take_in: Intake, serial: int = 1, **intake: object) -> str:
    number = take_in(serial, **intake)
    desk.tickets.move(number, "diagnosing")
    desk.money.make_quote(number, LINES)
    desk.tickets.move(number, "awaiting_approval")
    return number


def test_a_quote_prices_parts_from_the_price_list(stocked: Desk, take_in: Intake) -> None:
    number = take_in(1)
    quote = stocked.money.make_quote(number, [*LINES, {"kind": "part", "part": "AL-OT332-SPK",
                                                  "qty": 2}], note="屏幕+喇叭")
    assert [(line.kind, line.part_number, line.description, line.qty, str(line.amount))
            for line in quote.lines] == [
        ("labour", None, "更换屏幕工时", 1, "60.00"),
        ("part", "AL-OT332-LCD", "显示屏总成", 1, "120.00"),
        ("part", "AL-OT332-SPK", "扬声器", 2, "37.00"),
    ]
    assert (str(quote.diagnostic_fee), str(quote.total)) == ("30.00", "247.00")
    assert (quote.revision, quote.status, quote.created_by) == (1, "pending", "tester")


@pytest.mark.parametrize(("lines", "field"), [
    ([], "lines"),
    ([{"kind": "labour", "description": "工时", "price": "-10"}], "lines.0.price"),
    ([{"kind": "labour", "description": "工时", "price": "十元"}], "lines.0.price"),
    ([{"kind": "labour", "price": "10"}], "lines.0.description"),
    ([{"kind": "part", "part": "AL-OT332-LCD", "price": "99.00"}], "lines.0.price"),
    ([{"kind": "part", "part": "AL-OT332-LCD", "qty": 0}], "lines.0.qty"),
    ([{"kind": "gift"}], "lines.0.kind"),
    ([{"kind": "labour", "description": "工时", "price": "1", "discount": "1"}],
     "lines.0.discount"),
])
def test_bad_quote_lines_are_refused_and_nothing_is_stored(
        stocked: Desk, take_in: Intake, lines: list, field: str) -> None:
    number = take_in(1)
    with pytest.raises(InputError) as err:
        stocked.money.make_quote(number, lines)
    assert err.value.field == field
    assert stocked.money.quote(number) is None


def test_a_warranty_repair_gets_no_quote(stocked: Desk, take_in: Intake) -> None:
    number = take_in(1, sold=SOLD_DAY_51)
    with pytest.raises(InputError, match="三包/warranty repair: no charge"):
        stocked.money.make_quote(number, LINES)


def test_paid_work_waits_for_the_customers_approval(stocked: Desk, take_in: Intake,
                                                    clock: FrozenClock) -> None:
    plain = take_in(9)
    stocked.tickets.move(plain, "diagnosing")
    with pytest.raises(InputError, match="needs a quote the customer approved"):
        stocked.tickets.move(plain, "repairing")
    number = quoted(stocked, take_in)
    for target in ("repairing", "awaiting_parts"):
        with pytest.raises(InputError, match="waiting for the customer's approval"):
            stocked.tickets.move(number, target)
    assert stocked.tickets.ticket(number).status == "awaiting_approval"
    assert set(stocked.money.blocked_moves(number)) == {"awaiting_parts", "repairing",
                                                  "returned_unrepaired", "cancelled"}
    advance(clock)
    quote = stocked.money.approve_quote(number, "phone", revision=1)
    assert (quote.status, quote.decided_how, quote.decided_by, quote.decided_at) == (
        "approved", "phone", "tester", clock.now)
    assert stocked.tickets.move(number, "repairing").status == "repairing"


def test_a_changed_quote_needs_approval_again(stocked: Desk, take_in: Intake) -> None:
    number = quoted(stocked, take_in)
    stocked.money.approve_quote(number, "in_person")
    stocked.tickets.move(number, "repairing")
    # The back cover turns out cracked too: a new revision, to be approved before more work.
    changed = stocked.money.make_quote(number, [*LINES, {"kind": "part", "part": "GEN-SIMTRAY"}])
    assert (changed.revision, changed.status, str(changed.total)) == (2, "pending", "225.00")
    with pytest.raises(InputError, match="revision 2 is waiting"):
        stocked.tickets.move(number, "qc")
    with pytest.raises(InputError, match="answered revision 1, but the quote is now at "
                                         "revision 2"):
        stocked.money.approve_quote(number, "phone", revision=1)
    stocked.money.approve_quote(number, "phone", revision=2)
    with pytest.raises(InputError, match="already approved"):
        stocked.money.approve_quote(number, "phone")
    assert [q.status for q in stocked.money.quote_history(number)] == ["approved", "approved"]
    stocked.tickets.move(number, "qc")
    assert stocked.money.ticket_money(number).money.charge == stocked.money.quote(number).total  # type: ignore[union-attr]


def test_a_declined_quote_ends_unrepaired_with_the_diagnostic_fee(
        stocked: Desk, take_in: Intake) -> None:
    number = quoted(stocked, take_in, deposit=100)
    stocked.stock.draw_part(number, "AL-OT332-LCD")  # fitted to test, before the answer
    stocked.money.decline_quote(number, "in_person")
    for target in ("repairing", "awaiting_parts"):
        with pytest.raises(InputError, match="declined"):
            stocked.tickets.move(number, target)
    with pytest.raises(InputError, match="declined"):
        stocked.tickets.move(number, "cancelled")
    with pytest.raises(InputError, match="return them to stock"):
        stocked.tickets.move(number, "returned_unrepaired")
    stocked.stock.return_part(number, "AL-OT332-LCD")
    money = stocked.money.ticket_money(number).money
    assert (str(money.charge), str(money.deposits), str(money.balance)) == (
        "30.00", "100.00", "-70.00")
    with pytest.raises(InputError, match="owes the customer ¥70.00"):
        stocked.tickets.move(number, "returned_unrepaired")
    refund = stocked.money.refund(number, "cash")
    assert (refund.kind, refund.reason, str(refund.amount)) == ("refund", "overpaid", "70.00")
    assert stocked.tickets.move(number, "returned_unrepaired").status == "returned_unrepaired"


def test_collecting_with_a_balance_is_refused_until_paid_or_waived(
        stocked: Desk, take_in: Intake) -> None:
    number = quoted(stocked, take_in)  # total 210.00
    stocked.money.approve_quote(number, "in_person")
    for status in ("repairing", "qc", "ready"):
        stocked.tickets.move(number, status)
    with pytest.raises(InputError, match=r"still owes ¥210\.00"):
        stocked.tickets.move(number, "collected")
    with pytest.raises(InputError, match="more than the 210.00 owed"):
        stocked.money.take_payment(number, "300", "cash")
    stocked.money.take_payment(number, "200.00", "wechat")
    with pytest.raises(InputError, match=r"still owes ¥10\.00"):
        stocked.tickets.move(number, "collected")
    stocked.trust.add_user("王店长", "manager", "123456")
    stocked.trust.login("王店长", "123456")
    stocked.trust.add_user("小李", "front_desk", "5678")
    stocked.trust.login("小李", "5678")
    with pytest.raises(PermissionDenied, match="manager"):
        stocked.money.waive(number, note="老顾客")
    with pytest.raises(PermissionDenied):
        stocked.money.refund(number, "cash", "1.00")
    stocked.trust.login("王店长", "123456")
    waiver = stocked.money.waive(number, note="老顾客")
    assert (waiver.kind, str(waiver.amount), waiver.user) == ("waiver", "10.00", "王店长")
    stocked.trust.login("小李", "5678")
    assert stocked.tickets.move(number, "collected").status == "collected"
    money = stocked.money.ticket_money(number).money
    assert (str(money.payments), str(money.waived), str(money.balance)) == (
        "200.00", "10.00", "0.00")


def test_cancelling_a_ticket_with_money_on_it_is_a_managers_call(
        stocked: Desk, take_in: Intake) -> None:
    number = take_in(1)
    stocked.money.take_deposit(number, "50", "alipay")
    stocked.trust.add_user("王店长", "manager", "123456")
    stocked.trust.login("王店长", "123456")
    stocked.trust.add_user("小李", "front_desk", "5678")
    stocked.trust.login("小李", "5678")
    with pytest.raises(PermissionDenied, match="only a manager cancels"):
        stocked.tickets.move(number, "cancelled")
    stocked.trust.login("王店长", "123456")
    with pytest.raises(InputError, match="owes the customer ¥50.00"):
        stocked.tickets.move(number, "cancelled")
    stocked.money.refund(number, "alipay")
    assert stocked.tickets.move(number, "cancelled").status == "cancelled"


def test_the_7_day_refund_is_the_engines_amount(stocked: Desk, take_in: Intake) -> None:
    number = take_in(1, sold=SOLD_DAY_3)
    stocked.tickets.move(number, "diagnosing")
    assert stocked.tickets.warranty(number)["amounts"] == {"refund": 2999.0}
    with pytest.raises(InputError, match="the 三包 refund is not recorded yet"):
        stocked.tickets.move(number, "refunded")
    with pytest.raises(InputError, match="exactly the amount the engine computed: 2999.00"):
        stocked.money.refund(number, "card", "2990.00", reason="sanbao")
    with pytest.raises(InputError, match="no amount for “Refund less depreciation”"):
        stocked.money.refund(number, "card", reason="sanbao", remedy="refund_depreciated")
    refund = stocked.money.refund(number, "card", reason="sanbao")
    assert (str(refund.amount), refund.method, refund.reason) == ("2999.00", "card", "sanbao")
    with pytest.raises(InputError, match="already recorded"):
        stocked.money.refund(number, "card", reason="sanbao")
    assert stocked.money.ticket_money(number).money.balance == 0  # not a charge: nothing owed back
    assert stocked.tickets.move(number, "refunded").status == "refunded"


def test_a_paid_ticket_refuses_a_sanbao_refund(stocked: Desk, take_in: Intake) -> None:
    number = take_in(1)
    with pytest.raises(InputError, match="gives no amount"):
        stocked.money.refund(number, "cash", reason="sanbao")
    with pytest.raises(InputError, match="Paid by"):
        stocked.money.take_deposit(number, "10", "bitcoin")
    with pytest.raises(InputError, match="owes nothing"):
        stocked.money.take_payment(number, "10", "cash")


def test_desk_move_itself_applies_the_money_rules(stocked: Desk, take_in: Intake) -> None:
    number = take_in(1)
    stocked.tickets.move(number, "diagnosing")
    with pytest.raises(InputError):
        stocked.tickets.move(number, "repairing")


def test_an_approved_repair_that_cannot_be_done_owes_the_fee_only(
        stocked: Desk, take_in: Intake) -> None:
    number = quoted(stocked, take_in, deposit=100)  # approved total 210.00
    stocked.money.approve_quote(number, "phone")
    stocked.tickets.move(number, "awaiting_parts")
    assert str(stocked.money.ticket_money(number).money.balance) == "110.00"  # if repaired
    # The part never comes: the phone goes back unrepaired, the diagnostic fee only.
    with pytest.raises(InputError, match="owes the customer ¥70.00"):
        stocked.tickets.move(number, "returned_unrepaired")
    stocked.money.refund(number, "cash")
    stocked.tickets.move(number, "returned_unrepaired")
    money = stocked.money.ticket_money(number).money
    assert (str(money.charge), str(money.refunded), str(money.balance)) == (
        "30.00", "70.00", "0.00")
