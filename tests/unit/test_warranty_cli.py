"""The 三包 decision through the CLI and from a stored ticket: one engine, one answer."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from repairdesk.desk import Desk

from ..conftest import FrozenClock

EXAMPLE = {
    "part": "host", "fault": "display", "claim_date": "2026-11-25", "sale_date": "2026-11-15",
    "invoice_date": "2026-11-15", "proof": "full", "production_date": None,
    "exchange_date": None, "price": 2999.0, "sold_with_host": True, "separate_price": None,
    "exclusions": [], "repairs": [], "open_repair": None, "accessory_exchanges": 0,
    "in_stock": True, "channel": "store", "received_date": None, "intact": None,
}


def test_check_prints_the_issue_example_decision(cli) -> None:
    result = cli("warranty", "check", "-", stdin=json.dumps(EXAMPLE))
    assert result.code == 0, result.err
    data = result.json()
    assert data["covered"] is True
    assert data["remedies"] == ["exchange", "free_repair", "refund_depreciated"]
    assert data["amounts"] == {"refund_depreciated": 2849.05}
    assert data["loaner"] is False
    assert data["period_end"] == "2027-11-15"
    assert data["days_since_sale"] == 10
    assert data["articles"] == ["第十二条", "第十九条"]
    assert {r["code"] for r in data["reasons"]} >= {"exchange_window"}


def test_reasons_follow_the_language(cli) -> None:
    zh = cli("--lang", "zh", "warranty", "check", "-", stdin=json.dumps(EXAMPLE)).json()
    assert any("第十二条" in r["text"] and "换货" in r["text"] for r in zh["reasons"])


@pytest.mark.parametrize(
    ("change", "field", "label"),
    [
        ({"fault": "screen"}, "fault", "Fault:"),
        ({"claim_date": None}, "claim_date", "Claim date:"),
        ({"claim_date": "2026-11-10"}, "claim_date", "Claim date:"),
        ({"sale_date": "2026-02-30"}, "sale_date", "Sale date:"),
        ({"repairs": [{"fault": "display", "handed_in": "2026-11-20",
                       "handed_back": "2026-11-18"}]}, "repairs.0.handed_back",
         "Handed back (item 1): 2026-11-18 is before Handed in (item 1)"),
    ],
)
def test_bad_claims_exit_2_naming_the_field(cli, change: dict, field: str, label: str) -> None:
    claim = json.dumps({**EXAMPLE, **change})
    result = cli("warranty", "check", "-", "--json", stdin=claim)
    assert result.code == 2
    assert json.loads(result.err)["error"]["field"] == field and "Traceback" not in result.err
    human = cli("warranty", "check", "-", stdin=claim)
    assert human.code == 2 and label in human.err and f"{field}:" not in human.err


def _intake(desk: Desk, doc: dict, **changes: object) -> str:
    doc = json.loads(json.dumps(doc))
    for key, value in changes.items():
        if key in doc["device"]:
            doc["device"][key] = value
        else:
            doc[key] = value
    return desk.tickets.intake(doc).ticket


def test_ticket_decision_equals_the_cli_decision_on_its_claim(cli, desk: Desk,
                                                                intake_doc: dict) -> None:
    number = _intake(desk, intake_doc)  # sold 2026-11-18, handed in 2026-11-21: day 3
    claim = desk.tickets.warranty_claim(number)
    assert claim["claim_date"] == "2026-11-21" and claim["fault"] == "display"
    assert claim["open_repair"] == {"handed_in": "2026-11-21", "delay": "repairer"}
    # The CLI opens its own desk on the real clock: pin the claim date to the test's day.
    by_ticket = cli("warranty", "ticket", number, "--on", "2026-11-21", "--json").json()
    by_file = cli("warranty", "check", "-", stdin=json.dumps(claim)).json()
    assert by_ticket == by_file == desk.tickets.warranty(number)
    assert by_ticket["remedies"][0] == "refund" and "第十一条" in by_ticket["articles"]
    human = cli("--lang", "zh", "warranty", "ticket", number, "--on", "2026-11-21")
    assert human.code == 0 and "退货" in human.out


def test_ticket_on_a_later_date_owes_a_loaner(desk: Desk, intake_doc: dict) -> None:
    number = _intake(desk, intake_doc)
    assert desk.tickets.warranty(number, date(2026, 11, 28))["loaner"] is False  # 7 days in repair
    assert desk.tickets.warranty(number, date(2026, 11, 29))["loaner"] is True  # day 8


def test_liquid_indicator_turns_day_3_into_paid_repair(desk: Desk, intake_doc: dict) -> None:
    intake_doc["condition"]["liquid_indicator"] = "triggered"
    decision = desk.tickets.warranty(_intake(desk, intake_doc))
    assert decision["covered"] is False and decision["remedies"] == ["paid_repair"]


def test_two_earlier_warranty_repairs_add_exchange(desk: Desk, clock: FrozenClock,
                                                  intake_doc: dict) -> None:
    intake_doc["device"].update(sale_date="2026-03-01", invoice_date="2026-03-01")
    clock.now -= timedelta(days=120)
    for _ in range(2):
        number = _intake(desk, intake_doc)
        with desk.store.write() as s:  # a 三包 repair, as the checklist will record it
            from sqlmodel import select

            from repairdesk.models import RepairRecord, Ticket

            ticket = s.exec(select(Ticket).where(Ticket.number == number)).one()
            record = s.exec(select(RepairRecord).where(RepairRecord.ticket_id == ticket.id)).one()
            record.warranty = True
            s.add(record)
        for status in ("diagnosing", "repairing", "qc", "ready"):
            desk.tickets.move(number, status)
        clock.now += timedelta(days=5)
        desk.tickets.move(number, "collected")
        clock.now += timedelta(days=30)
    third = _intake(desk, intake_doc)
    claim = desk.tickets.warranty_claim(third)
    assert len(claim["repairs"]) == 2
    decision = desk.tickets.warranty(third)
    assert "exchange" in decision["remedies"] and "第十三条" in decision["articles"]
