"""The guarantee on a repair's own work, and a phone that comes back inside it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import select

from repairdesk.desk import Desk
from repairdesk.models import Ticket
from repairdesk.tickets.claims import session_claims

from ...conftest import CST, FrozenClock
from .conftest import SOLD_DAY_51, Intake, imei

LCD = [{"kind": "labour", "description": "换屏", "price": "60"},
       {"kind": "part", "part": "AL-OT332-LCD"}]


def repair(desk: Desk, number: str, clock: FrozenClock, days: int = 2) -> None:
    """Diagnose, (quote if paid,) repair and hand back ``days`` later."""
    desk.tickets.move(number, "diagnosing")
    if desk.money.ticket_money(number).basis == "paid":
        quote = desk.money.make_quote(number, LCD)
        desk.money.approve_quote(number, "in_person")
        desk.money.take_payment(number, quote.total, "cash")
    for status in ("repairing", "qc", "ready"):
        desk.tickets.move(number, status)
    clock.now += timedelta(days=days)
    desk.tickets.move(number, "collected")


def test_a_warranty_repair_runs_to_the_later_of_its_period_and_90_days(
        stocked: Desk, take_in: Intake, clock: FrozenClock) -> None:
    number = take_in(1, sold=SOLD_DAY_51)
    assert stocked.money.repair_guarantee(number) is None  # not repaired yet
    repair(stocked, number, clock)
    end, kind = stocked.money.repair_guarantee(number)  # type: ignore[misc]
    view = stocked.money.guarantee(number)
    assert kind == "warranty" and view is not None and view.handed_back == date(2026, 11, 23)
    # The 三包 period (a year from 2026-10-01, plus the 2 days in repair) ends after 90 days.
    assert view.period_end is not None and view.period_end >= date(2027, 10, 3)
    assert end == view.period_end and not view.same_fault_only


def test_a_paid_repair_is_guaranteed_90_days_for_the_same_fault(
        stocked: Desk, take_in: Intake, clock: FrozenClock) -> None:
    first = take_in(1)  # sold 2024: out of 三包, a paid repair
    repair(stocked, first, clock)
    assert stocked.money.repair_guarantee(first) == (date(2027, 2, 21), "paid")  # 11-23 + 90
    clock.now += timedelta(days=30)
    again = take_in(1)  # the same phone, the same fault
    money = stocked.money.ticket_money(again)
    assert money.basis == "guarantee" and money.returning is not None
    assert money.returning.ticket == first
    stocked.tickets.move(again, "diagnosing")
    stocked.tickets.move(again, "repairing")  # no charge: no quote to approve
    assert stocked.money.ticket_money(again).money.charge == 0
    other = take_in(1, fault="audio")  # another fault is not guaranteed
    assert stocked.money.ticket_money(other).basis == "paid"


def test_the_imei_lookup_flags_a_phone_inside_its_repair_guarantee(
        stocked: Desk, take_in: Intake, clock: FrozenClock, cli) -> None:
    first = take_in(1)
    repair(stocked, first, clock)
    found = stocked.money.guarantee_for_imei(imei(1))
    assert found is not None and (found.ticket, found.kind, found.fault) == (
        first, "paid", "display")
    assert stocked.money.guarantee_for_imei(imei(1), date(2027, 2, 22)) is None
    assert stocked.money.guarantee_for_imei(imei(2)) is None
    shown = cli("guarantee", imei(1), "--on", "2027-02-21", "--json")
    assert shown.code == 0 and shown.json()["end"] == "2027-02-21"
    assert cli("guarantee", first, "--json").json()["kind"] == "paid"
    assert "No repair guarantee" in cli("guarantee", imei(1), "--on", "2027-03-01").out


def test_a_return_inside_a_paid_repairs_guarantee_counts_as_a_repeat_repair(
        stocked: Desk, take_in: Intake, clock: FrozenClock) -> None:
    sold = "2026-03-01"
    clock.now = datetime(2026, 7, 1, 10, 0, tzinfo=CST)
    wet = take_in(1, sold=sold, liquid_indicator="triggered")  # liquid: a paid repair
    repair(stocked, wet, clock)
    clock.now = datetime(2026, 8, 1, 10, 0, tzinfo=CST)
    covered = take_in(1, sold=sold)  # a 三包 repair of the same fault
    assert stocked.money.ticket_money(covered).basis == "warranty"
    repair(stocked, covered, clock)
    clock.now = datetime(2026, 9, 1, 10, 0, tzinfo=CST)
    third = take_in(1, sold=sold)
    claim = stocked.tickets.warranty_claim(third)
    # The paid repair of 07-01 is inside its 90-day guarantee for this fault: a repeat.
    assert [r["handed_in"] for r in claim["repairs"]] == ["2026-07-01", "2026-08-01"]
    decision = stocked.tickets.warranty(third)
    assert "exchange" in decision["remedies"] and "第十三条" in decision["articles"]
    # The money rules read the same claim as the facade.
    with stocked.store.read() as s:
        tickets = s.exec(select(Ticket).order_by(Ticket.id)).all()
        mine = session_claims(s, list(tickets), clock.now.date())
    for ticket in tickets:
        assert mine[ticket.id] == stocked.tickets.warranty_claim(ticket.number)  # type: ignore[index]
