"""A loaner lent meets the 第十五条 duty everywhere: the board, the ticket's deadlines and the
day report agree with ``desk.stock.loaners_owed``, and the board says who holds which loaner."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from repairdesk.desk import Desk
from repairdesk.opening import open_desk
from repairdesk.tickets.deadlines import IN_REPAIR
from repairdesk.tickets.views import BoardRow

from ...conftest import FrozenClock
from .conftest import SOLD_DAY_51, Intake, imei

LOANER = imei(900001)


def row_of(desk: Desk, number: str) -> BoardRow:
    return next(r for r in desk.tickets.board_view().rows if r.ticket == number)


def codes(row: BoardRow) -> dict[str, str]:
    return {d.code: d.state for d in row.deadlines}


def assert_consistent(desk: Desk) -> None:
    """The board flags the loaner owed exactly for the tickets ``loaners_owed`` names, and
    the ticket screen's deadlines are the board's."""
    owed = set(desk.stock.loaners_owed())
    for row in desk.tickets.board_view().rows:
        if row.status not in IN_REPAIR:
            continue
        assert (codes(row).get("loaner") == "overdue") == (row.ticket in owed), row.ticket
        assert row.deadlines == desk.tickets.deadlines(row.ticket), row.ticket


def test_a_loaner_lent_meets_the_duty_on_the_board_and_the_ticket(
        desk: Desk, take_in: Intake, clock: FrozenClock) -> None:
    covered, other = take_in(1, sold=SOLD_DAY_51), take_in(2, sold=SOLD_DAY_51)
    for number in (covered, other):
        desk.tickets.move(number, "diagnosing")
    desk.stock.add_loaner(LOANER, "Alcatel One Touch 332", "九成新")
    clock.now += timedelta(days=8)  # day 8 in repair: 第十五条
    assert set(desk.stock.loaners_owed()) == {covered, other}
    assert codes(row_of(desk, covered))["loaner"] == "overdue"
    assert row_of(desk, covered).overdue
    assert_consistent(desk)

    desk.stock.issue_loaner(covered, LOANER, "九成新，无划痕")
    row = row_of(desk, covered)
    assert (row.loaner_imei, row.loaner_model) == (LOANER, "Alcatel One Touch 332")
    assert "loaner" not in codes(row) and not row.overdue
    assert "loaner" not in {d.code for d in desk.tickets.deadlines(covered)}
    assert codes(row_of(desk, other))["loaner"] == "overdue"  # still owed one
    assert row_of(desk, other).loaner_imei is None
    assert desk.stock.loaners_owed() == [other]
    assert [r.ticket for r in desk.tickets.board_view(text=LOANER).rows] == [covered]  # who has it
    assert_consistent(desk)

    desk.stock.return_loaner(LOANER, "屏幕有划痕")  # back while the phone is still in repair
    row = row_of(desk, covered)
    assert row.loaner_imei is None and codes(row)["loaner"] == "overdue"
    assert set(desk.stock.loaners_owed()) == {covered, other}
    assert_consistent(desk)


def test_the_day_reports_overdue_section_drops_the_duty_met(
        desk: Desk, take_in: Intake, clock: FrozenClock) -> None:
    number = take_in(1, sold=SOLD_DAY_51)
    desk.tickets.move(number, "diagnosing")
    desk.stock.add_loaner(LOANER, "Alcatel One Touch 332")
    clock.now += timedelta(days=13)  # the loaner is owed and the 15-day warning is due
    late = {r.ticket: r for r in desk.money.day_report().overdue}
    assert {d["code"] for d in late[number].deadlines} >= {"loaner", "deliberate_delay"}
    desk.stock.issue_loaner(number, LOANER)
    report = desk.money.day_report()
    late = {r.ticket: r for r in report.overdue}
    assert {d["code"] for d in late[number].deadlines} == {"deliberate_delay"}
    assert report.loaners_owed == [] and [v.ticket for v in report.loaners_out] == [number]


def test_the_opening_desk_shows_the_loaner_as_the_full_desk_does(
        desk: Desk, take_in: Intake, clock: FrozenClock, store_path: Path) -> None:
    number = take_in(1, sold=SOLD_DAY_51)
    desk.tickets.move(number, "diagnosing")
    desk.stock.add_loaner(LOANER, "Alcatel One Touch 332")
    desk.stock.issue_loaner(number, LOANER)
    clock.now += timedelta(days=9)
    opening = open_desk(store_path, clock=clock, user="tester")
    try:
        assert opening.tickets.board_view() == desk.tickets.board_view()
        assert row_of(desk, number).loaner_imei == LOANER
    finally:
        opening.close()
