"""The day-end report's other sections and the month's summary."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from repairdesk.desk import Desk
from repairdesk.errors import InputError

from ...conftest import CST, FrozenClock
from .conftest import SOLD_DAY_51, Intake

LINES = [{"kind": "labour", "description": "换电池", "price": "20"},
         {"kind": "part", "part": "AL-OT332-BAT"}]


def test_an_intakes_deposit_is_recorded_with_its_method(stocked: Desk, take_in: Intake) -> None:
    number = take_in(1, deposit=50)
    report = stocked.money.day_report()
    assert report.takings["cash"].deposits == 50 and report.net == 50
    assert [(e.ticket, e.method) for e in report.entries] == [(number, "cash")]
    assert str(stocked.money.ticket_money(number).money.balance) == "-50.00"


def test_quotes_waiting_overdue_tickets_and_legal_deadlines(
        stocked: Desk, take_in: Intake, clock: FrozenClock) -> None:
    waiting = take_in(1)
    stocked.tickets.move(waiting, "diagnosing")
    stocked.money.make_quote(waiting, LINES)
    covered = take_in(2, sold=SOLD_DAY_51)
    stocked.tickets.move(covered, "diagnosing")
    clock.now += timedelta(days=13)  # day 13 in repair: the 15-day warning is due
    report = stocked.money.day_report()
    assert [(q.ticket, str(q.total)) for q in report.quotes_waiting] == [(waiting, "95.00")]
    late = {row.ticket: row for row in report.overdue}
    assert set(late) == {covered}
    codes = {d["code"]: d["state"] for d in late[covered].deadlines}
    assert codes["loaner"] == "overdue" and codes["deliberate_delay"] == "due"
    assert report.loaners_owed == [covered]
    assert report.tickets_in == 0  # nothing taken in today


def test_the_month_summary(stocked: Desk, take_in: Intake, clock: FrozenClock) -> None:
    number = take_in(1)
    stocked.tickets.move(number, "diagnosing")
    stocked.money.make_quote(number, LINES)
    stocked.money.approve_quote(number, "in_person")
    stocked.stock.draw_part(number, "AL-OT332-BAT")
    for status in ("repairing", "qc", "ready"):
        stocked.tickets.move(number, status)
    clock.now = datetime(2026, 11, 24, 9, 0, tzinfo=CST)
    stocked.money.take_payment(number, "95.00", "wechat")
    stocked.tickets.move(number, "collected")
    covered = take_in(2, sold=SOLD_DAY_51)
    stocked.tickets.move(covered, "diagnosing")
    stocked.stock.draw_part(covered, "AL-OT332-BAT")
    for status in ("repairing", "qc", "ready", "collected"):
        stocked.tickets.move(covered, status)
    month = stocked.money.month_report("2026-11")
    assert (month.first, month.last) == (date(2026, 11, 1), date(2026, 11, 30))
    assert (month.tickets_in, month.tickets_out) == (2, 2)
    assert month.repairs_by_basis == {"warranty": 1, "guarantee": 0, "paid": 1}
    assert month.turnaround_median_days == 1.5  # 3 days and 0 days
    assert str(month.net) == "95.00" and month.takings["wechat"].payments == 95
    assert {str(v) for v in month.parts_value.values()} == {"45.00", "0.00"}
    assert (month.old_parts_kept, month.old_parts_sent) == (1, 0)
    days = {d["day"]: d for d in month.days}
    assert len(days) == 30 and days["2026-11-24"]["net"] == 95
    assert days["2026-11-21"]["tickets_in"] == 1 and days["2026-11-24"]["tickets_out"] == 2
    assert stocked.money.month_report(date(2026, 12, 5)).tickets_in == 0
    with pytest.raises(InputError, match="not a month"):
        stocked.money.month_report("2026-13")


def test_parts_drawn_are_named_in_the_readers_language(stocked: Desk, take_in: Intake) -> None:
    from repairdesk import i18n

    number = take_in(1)
    stocked.stock.draw_part(number, "AL-OT332-LCD")
    assert [p.name for p in stocked.money.day_report().parts] == ["Display assembly"]
    i18n.set_language("zh")
    assert [p.name for p in stocked.money.day_report().parts] == ["显示屏总成"]
