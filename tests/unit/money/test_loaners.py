"""The loaner pool: who holds which phone, and the 三包 repair owed one after day 7."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from repairdesk.desk import Desk
from repairdesk.errors import InputError

from ...conftest import FrozenClock
from .conftest import SOLD_DAY_51, Intake, imei

LOANER = imei(900001)


def test_issue_and_return_tied_to_a_ticket(desk: Desk, take_in: Intake) -> None:
    added = desk.stock.add_loaner(LOANER, "Alcatel One Touch 332", "九成新")
    assert (added.ticket, added.condition) == (None, "九成新")
    with pytest.raises(InputError, match="already in the pool"):
        desk.stock.add_loaner(LOANER, "again")
    with pytest.raises(InputError):
        desk.stock.add_loaner("123", "bad IMEI")
    first, second = take_in(1), take_in(2)
    out = desk.stock.issue_loaner(first, LOANER)
    assert (out.ticket, out.customer, out.issued_by) == (first, "张伟", "tester")
    with pytest.raises(InputError, match=f"out with {first}"):
        desk.stock.issue_loaner(second, LOANER)
    assert [v.imei for v in desk.stock.loaners(out_only=True)] == [LOANER]
    assert desk.money.ticket_money(first).loaner.imei == LOANER  # type: ignore[union-attr]
    back = desk.stock.return_loaner(LOANER, "屏幕有划痕")
    assert (back.ticket, back.condition) == (None, "屏幕有划痕")
    with pytest.raises(InputError, match="not lent out"):
        desk.stock.return_loaner(LOANER)
    assert desk.stock.issue_loaner(second, LOANER).ticket == second


def test_a_covered_repair_past_day_7_is_owed_a_loaner(desk: Desk, take_in: Intake,
                                                     clock: FrozenClock) -> None:
    number = take_in(1, sold=SOLD_DAY_51)
    desk.tickets.move(number, "diagnosing")
    assert desk.stock.loaners_owed(date(2026, 11, 28)) == []  # day 7 in repair
    assert desk.stock.loaners_owed(date(2026, 11, 29)) == [number]  # day 8: 第十五条
    clock.now += timedelta(days=8)
    desk.stock.add_loaner(LOANER, "Alcatel One Touch 332")
    desk.stock.issue_loaner(number, LOANER)
    assert desk.stock.loaners_owed() == []
    report = desk.money.day_report()
    assert [v.ticket for v in report.loaners_out] == [number]


def test_cli_loaners(cli, desk: Desk, take_in: Intake) -> None:
    number = take_in(1)
    assert cli("loaner", "add", LOANER, "Alcatel One Touch 332").code == 0
    issued = cli("loaner", "issue", number, LOANER, "--json")
    assert issued.code == 0 and issued.json()["ticket"] == number
    assert cli("loaner", "issue", number, LOANER).code == 2
    listed = cli("--lang", "zh", "loaner", "list")
    assert "借给" in listed.out and number in listed.out
    assert cli("loaner", "return", LOANER, "--json").json()["ticket"] is None
