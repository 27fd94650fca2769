"""The facade methods the counter app calls: lookups as you type, the board with its legal
deadlines, the diagnosis checklist and the repair record."""

from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest

from repairdesk.desk import Desk
from repairdesk.errors import InputError
from tests.conftest import INTAKE, FrozenClock

IMEI = "352099001761481"
OTHER_IMEI = "490154203237518"


def take(desk: Desk, sale: str | None = "2026-11-11", **changes: object) -> str:
    doc = copy.deepcopy(INTAKE)
    doc["device"]["sale_date"] = doc["device"]["invoice_date"] = sale
    for key, value in changes.items():
        if key in ("imei", "phone"):
            (doc["device"] if key == "imei" else doc["customer"])[key] = value
        else:
            doc[key] = value
    return desk.tickets.intake(doc).ticket


def test_search_as_you_type(desk: Desk) -> None:
    first = take(desk)
    second = take(desk, imei=OTHER_IMEI, phone="139 1111 2222")
    assert desk.tickets.search("35") == []  # too short to mean anything
    assert [r.ticket for r in desk.tickets.search("3520990")] == [first]
    assert [r.ticket for r in desk.tickets.search("sh01-2026")] == [second, first]
    assert [r.ticket for r in desk.tickets.search("1111")] == [second]  # part of a phone
    assert [r.ticket for r in desk.tickets.search("张伟")] == [second, first]
    assert len(desk.tickets.search("SH01", limit=1)) == 1
    assert desk.tickets.search("100%") == []


def test_customer_by_phone(desk: Desk) -> None:
    number = take(desk)
    customer = desk.tickets.customer_by_phone("+86 138-0013-8000")
    assert customer is not None and customer.name == "张伟"
    assert customer.phone_masked == "138****8000"
    assert [t.ticket for t in customer.tickets] == [number]
    assert desk.tickets.customer_by_phone("13911112222") is None
    with pytest.raises(InputError) as bad:
        desk.tickets.customer_by_phone("12345")
    assert bad.value.field == "customer.phone"


def test_device_history_with_its_open_ticket(desk: Desk) -> None:
    unknown = desk.tickets.device_history(IMEI)
    assert not unknown.known and unknown.tac is not None and unknown.open_ticket is None
    old = take(desk)
    desk.tickets.move(old, "cancelled")
    new = take(desk)
    history = desk.tickets.device_history("35-209900-176148-1")
    assert history.known and [t.ticket for t in history.tickets] == [new, old]
    assert history.open_ticket is not None and history.open_ticket.ticket == new
    assert history.device["sale_date"] == date(2026, 11, 11)
    with pytest.raises(InputError) as bad:
        desk.tickets.device_history("352099001761482")
    assert bad.value.field == "device.imei"


def test_a_decision_that_cannot_be_made_says_why(desk: Desk) -> None:
    number = take(desk, sale=None)
    decision = desk.tickets.decision(number)
    assert decision.undecided and "Sale date" in decision.undecided
    assert desk.tickets.deadlines(number) == []


def test_the_board_shows_deadlines_of_sanbao_repairs_only(desk: Desk, clock: FrozenClock
                                                          ) -> None:
    now = clock.now
    clock.now = now - timedelta(days=8)
    late = take(desk, sale="2026-11-01", technician="李工")
    clock.now = now
    paid = take(desk, sale="2026-11-01", faults=["cosmetic"], promised_date="2026-11-21")
    unknown = take(desk, sale=None, imei=OTHER_IMEI)
    rows = {r.ticket: r for r in desk.tickets.board_view().rows}
    assert rows[late].sanbao is True and rows[late].overdue
    assert rows[late].pressing is not None and rows[late].pressing.code == "loaner"
    assert rows[late].pressing.owed_from == date(2026, 11, 21)
    assert rows[paid].sanbao is False and rows[paid].deadlines == []
    assert rows[unknown].sanbao is None
    clock.now = now + timedelta(days=1)
    assert desk.tickets.board_view().rows[1].promised_overdue  # the paid one, promised yesterday
    clock.now = now
    view = desk.tickets.board_view(technician="李工")
    assert [r.ticket for r in view.rows] == [late] and view.technicians == ["李工"]
    assert view.total == 3
    assert [r.ticket for r in desk.tickets.board_view(text="one touch").rows] == [paid, late]
    desk.tickets.move(paid, "diagnosing")
    assert [r.ticket for r in desk.tickets.board_view(status="diagnosing").rows] == [paid]


def test_a_checklist_on_day_10_makes_an_exchange_case(desk: Desk) -> None:
    number = take(desk)
    outcome = desk.tickets.save_checklist(number, {"bench.display_touch": "fail"}, battery_health=92)
    assert outcome.status == "diagnosing" and outcome.fault_code == "display"
    assert outcome.decision.covered and "exchange" in outcome.decision.remedies
    assert outcome.suggested_move == "repairing"
    view = desk.tickets.ticket(number)
    assert [m.to_status for m in view.moves] == ["received", "diagnosing"]
    assert view.repair is not None and view.repair.warranty is True
    assert desk.tickets.checklist(number).results["bench.battery_health"] == "pass"


def test_liquid_damage_at_the_bench_makes_it_a_paid_repair(desk: Desk) -> None:
    number = take(desk)
    desk.tickets.save_checklist(number, {"bench.display_touch": "fail"})
    outcome = desk.tickets.save_checklist(number, {"bench.display_touch": "fail"},
                                  exclusions=["liquid"], notes="主板腐蚀")
    assert outcome.decision.remedies == ["paid_repair"]
    assert outcome.suggested_move == "awaiting_approval"
    assert desk.tickets.warranty_claim(number)["exclusions"] == ["liquid"]
    assert desk.tickets.ticket(number).repair.warranty is False  # type: ignore[union-attr]
    saved = desk.tickets.checklist(number)
    assert saved.notes == "主板腐蚀" and saved.exclusions == ["liquid"]
    # A later checklist replaces the earlier one's evidence (both stay stored).
    desk.tickets.save_checklist(number, {"bench.display_touch": "fail"})
    assert desk.tickets.warranty(number)["covered"] is True


def test_a_voucher_imei_that_is_not_the_device_is_evidence(desk: Desk) -> None:
    number = take(desk)
    outcome = desk.tickets.save_checklist(number, {}, voucher_imei=OTHER_IMEI)
    assert outcome.exclusions == ["voucher_mismatch"]
    same = desk.tickets.save_checklist(number, {}, voucher_imei=IMEI)
    assert same.exclusions == []


def test_a_weak_battery_is_a_battery_fault(desk: Desk) -> None:
    number = take(desk, faults=["battery_fault"])
    outcome = desk.tickets.save_checklist(number, {}, battery_health=70)
    assert outcome.fault_code == "battery_fault"
    assert desk.tickets.warranty_claim(number)["part"] == "battery"


def test_a_bad_checklist_stores_nothing(desk: Desk) -> None:
    number = take(desk)
    with pytest.raises(InputError):
        desk.tickets.save_checklist(number, {"bench.power": "maybe"})
    with pytest.raises(InputError) as bad:
        desk.tickets.save_checklist(number, {}, voucher_imei="123")
    assert bad.value.field == "voucher_imei"
    assert desk.tickets.checklist(number).recorded_at is None
    assert desk.tickets.ticket(number).status == "received"


def test_the_repair_record(desk: Desk) -> None:
    number = take(desk)
    version = desk.tickets.ticket(number).version
    view = desk.tickets.update_repair(number, cause="排线松动", action="重新插接", technician="李工",
                              delay_cause="parts", version=version)
    assert view.repair is not None
    assert (view.repair.cause, view.repair.action, view.repair.delay_cause) == \
        ("排线松动", "重新插接", "parts")
    assert view.technician == "李工" and view.repair.technician == "李工"
    with pytest.raises(InputError) as stale:
        desk.tickets.update_repair(number, cause="x", version=version)
    assert stale.value.field == "version"
    for bad in (date(2026, 11, 20), date(2026, 11, 22)):
        with pytest.raises(InputError):
            desk.tickets.update_repair(number, handed_back=bad)
    with pytest.raises(InputError):
        desk.tickets.update_repair(number, delay_cause="weather")
    assert desk.tickets.ticket(number).repair.cause == "排线松动"  # type: ignore[union-attr]
    view = desk.tickets.update_repair(number, handed_back=date(2026, 11, 21), delay_cause="")
    assert view.repair.handed_back == date(2026, 11, 21)  # type: ignore[union-attr]
    assert view.repair.delay_cause is None  # type: ignore[union-attr]


def test_a_confirmed_fault_on_a_ticket_that_cannot_be_decided_keeps_its_flag(
        desk: Desk, intake_doc: dict) -> None:
    """No sale date, no production date: no 三包 decision. Recording the confirmed fault
    stores it and leaves the record's 三包 flag as it was (it is never blank)."""
    from repairdesk.vocabulary import vocabulary

    intake_doc["device"].pop("sale_date", None)
    intake_doc["device"].pop("invoice_date", None)
    number = desk.tickets.intake(intake_doc).ticket
    assert desk.tickets.decision(number).undecided
    fault = next(code for code, f in vocabulary().faults.items() if f.performance)
    view = desk.tickets.update_repair(number, fault_code=fault)
    assert view.repair is not None
    assert (view.repair.fault_code, view.repair.warranty) == (fault, False)
    view = desk.tickets.update_repair(number, warranty=True)
    assert view.repair is not None and view.repair.warranty is True
    view = desk.tickets.update_repair(number, fault_code=fault)
    assert view.repair is not None and view.repair.warranty is True
