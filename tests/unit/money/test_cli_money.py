"""The money commands: JSON in and out for scripts, clear messages for people."""

from __future__ import annotations

import json

import pytest

from repairdesk.desk import Desk

from .conftest import Intake

QUOTE = {"lines": [{"kind": "labour", "description": "换屏", "price": "60"},
                   {"kind": "part", "part": "AL-OT332-LCD"}], "diagnostic_fee": "20.00"}


def test_quote_money_and_payments(cli, stocked: Desk, take_in: Intake) -> None:
    number = take_in(1)
    assert cli("ticket", "move", number, "diagnosing").code == 0
    made = cli("quote", "make", number, "-", "--json", stdin=json.dumps(QUOTE))
    assert made.code == 0, made.err
    assert made.json()["total"] == "200.00" and made.json()["status"] == "pending"
    refused = cli("ticket", "move", number, "repairing")
    assert refused.code == 2 and "waiting for the customer's approval" in refused.err
    stale = cli("quote", "approve", number, "--how", "phone", "--revision", "2")
    assert stale.code == 2 and "revision" in stale.err
    assert cli("quote", "approve", number, "--how", "telepathy").code == 2
    approved = cli("quote", "approve", number, "--how", "phone", "--json").json()
    assert approved["decided_how"] == "phone"
    assert cli("money", "deposit", number, "50", "--method", "wechat").code == 0
    shown = cli("money", "show", number, "--json").json()
    assert shown["basis"] == "paid" and shown["money"]["balance"] == "150.00"
    assert "repairing" not in shown["blocked"]  # approved: the work may start
    # Should it leave unrepaired after all, only the fee (20.00) of the 50.00 deposit is due.
    assert "owes the customer ¥30.00" in shown["blocked"]["returned_unrepaired"]
    human = cli("--lang", "zh", "money", "show", number)
    assert human.code == 0 and "付费维修" in human.out and "微信支付" in human.out
    assert "150.00" in human.out
    for bad in (["money", "pay", number, "abc", "--method", "cash"],
                ["money", "pay", number, "-5", "--method", "cash"],
                ["money", "pay", number, "5", "--method", "shells"],
                ["money", "pay", number, "151", "--method", "cash"]):
        result = cli(*bad)
        assert result.code == 2 and "Traceback" not in result.err, bad
    assert cli("quote", "show", number, "--all", "--json").json()[0]["revision"] == 1
    assert "Diagnostic fee" in cli("quote", "show", number).out
    assert cli("money", "show", "SH01-20261121-9999").code == 1


def test_manager_actions_need_the_manager_once_there_are_users(
        cli, stocked: Desk, take_in: Intake, monkeypatch: pytest.MonkeyPatch) -> None:
    number = take_in(1, deposit=80)
    stocked.trust.add_user("王店长", "manager", "123456")
    stocked.trust.login("王店长", "123456")
    stocked.trust.add_user("小李", "front_desk", "5678")
    refused = cli("money", "refund", number, "--method", "cash")
    assert refused.code == 2 and "--as" in refused.err
    monkeypatch.setenv("REPAIRDESK_PIN", "5678")
    front = cli("money", "refund", number, "--method", "cash", "--as", "小李")
    assert front.code == 1 and "only a manager" in front.err
    monkeypatch.setenv("REPAIRDESK_PIN", "123456")
    done = cli("money", "refund", number, "--method", "cash", "--as", "王店长", "--json")
    assert done.code == 0 and done.json()["user"] == "王店长" and done.json()["amount"] == "80.00"
    assert cli("parts", "price", "AL-OT332-LCD", "130", "--as", "王店长").code == 0
    assert str(stocked.stock.part("AL-OT332-LCD").price) == "130.00"


def test_reports_and_help(cli, stocked: Desk) -> None:
    day = cli("report", "day", "--date", "2026-11-21", "--json")
    assert day.code == 0 and day.json()["day"] == "2026-11-21"
    assert cli("report", "day", "--date", "21/11/2026").code == 2
    month = cli("report", "month", "--month", "2026-11", "--json")
    assert month.code == 0 and month.json()["month"] == "2026-11"
    assert "Month 2026-11" in cli("report", "month", "--month", "2026-11").out
    assert cli("report", "month", "--month", "November").code == 2
    for group in ("parts", "quote", "money", "loaner", "report"):
        shown = cli("--lang", "zh", group, "--help", db=False)
        assert shown.code == 0 and shown.out.strip(), group
