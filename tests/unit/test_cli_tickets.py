"""A ticket from intake to hand-back on the command line alone: the checklist, the repair
record, the promise; the same checks and messages as the screens (repairdesk/use_cases.py)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from ..conftest import INTAKE


@pytest.fixture
def number(cli) -> str:
    assert cli("init", "--counter", "SH01", "--name", "徐汇网点").code == 0
    doc = json.loads(json.dumps(INTAKE))
    doc["device"].update(sale_date=str(date.today() - timedelta(days=3)),
                         invoice_date=str(date.today() - timedelta(days=3)))
    return cli("intake", "-", "--json", stdin=json.dumps(doc)).json()["ticket"]


def test_intake_to_hand_back_without_a_screen(cli, number: str) -> None:
    items = cli("ticket", "checklist", number, "--json").json()["items"]
    assert "bench.display_touch" in {i["code"] for i in items}
    results = {"results": {"fault.display": "fail", "bench.display_touch": "fail"},
               "battery_health": 90, "notes": "排线松动"}
    saved = cli("ticket", "checklist", number, "-", "--json", stdin=json.dumps(results))
    assert saved.code == 0, saved.err
    outcome = saved.json()
    assert outcome["status"] == "diagnosing" and outcome["fault_code"] == "display"
    assert outcome["decision"]["covered"] is True
    assert cli("ticket", "checklist", number, "--json").json()["results"][
        "bench.display_touch"] == "fail"
    record = cli("ticket", "record", number, "--cause", "排线松动", "--action", "重插排线",
                 "--fault", "display", "--warranty", "--technician", "李工",
                 "--grade", "Module", "--json")
    assert record.code == 0, record.err
    assert record.json()["repair"]["grade"] == "module"
    promised = str(date.today() + timedelta(days=2))
    assert cli("ticket", "update", number, "--promised", promised, "--technician", "王工").code == 0
    shown = cli("ticket", "show", number, "--json").json()
    assert shown["repair"]["cause"] == "排线松动" and shown["repair"]["action"] == "重插排线"
    assert shown["repair"]["fault_code"] == "display" and shown["repair"]["warranty"] is True
    assert shown["repair"]["grade"] == "module"
    assert (shown["promised_date"], shown["technician"]) == (promised, "王工")
    assert shown["decision"]["covered"] is True and shown["deadlines"]
    for status in ("repairing", "qc", "ready", "collected"):
        moved = cli("ticket", "move", number, status)
        assert moved.code == 0, moved.err
    assert cli("ticket", "show", number, "--json").json()["repair"]["handed_back"] == str(
        date.today())


@pytest.mark.parametrize(("args", "label"), [
    (["ticket", "record", "{n}", "--paid"], "Warranty or paid:"),
    (["ticket", "record", "{n}", "--fault", "bogus"], "Fault:"),
    (["ticket", "record", "{n}", "--delay-cause", "weather"], "Delay caused by:"),
    (["ticket", "record", "{n}", "--handed-back", "2020-01-01"], "Handed back:"),
    (["ticket", "record", "{n}", "--grade", "major"], "Repair grade:"),
    (["ticket", "update", "{n}", "--promised", "2020-01-01"], "Promised for:"),
    (["ticket", "update", "{n}", "--promised", "soon"], "Promised for:"),
])
def test_bad_values_exit_2_naming_the_field_and_store_nothing(cli, number: str,
                                                              args: list[str],
                                                              label: str) -> None:
    before = cli("ticket", "show", number, "--json").json()
    result = cli(*[a.format(n=number) for a in args])
    assert result.code == 2 and label in result.err and "Traceback" not in result.err
    assert cli("ticket", "show", number, "--json").json() == before


@pytest.mark.parametrize(("document", "label"), [
    ({"results": {"bench.power": "broken"}}, "Results"),
    ({"results": {"no.such": "pass"}}, "Results"),
    ({"result": {}}, "Document"),
    ({"battery_health": 120}, "Battery health"),
    ({"exclusions": ["bad_luck"]}, "Exclusions (item 1)"),
    ("[]", "Document"),
])
def test_a_bad_checklist_document_exits_2_and_stores_nothing(cli, number: str,
                                                             document: object,
                                                             label: str) -> None:
    text = document if isinstance(document, str) else json.dumps(document)
    result = cli("ticket", "checklist", number, "-", stdin=text)
    assert result.code == 2 and result.err.startswith(f"Error: {label}")
    assert "_" not in result.err.split(":", 2)[1]  # the label, not a code
    shown = cli("ticket", "checklist", number, "--json").json()
    assert shown["results"] == {} and shown["status"] == "received"


def test_board_customer_device_and_parts(cli, number: str) -> None:
    board = cli("board", "--json").json()
    assert [r["ticket"] for r in board["rows"]] == [number]
    assert cli("customer", "138 0013 8000", "--json").json()["tickets"][0]["ticket"] == number
    device = cli("device", "352099001761481", "--json").json()
    assert device["open_ticket"]["ticket"] == number
    assert cli("--lang", "zh", "customer", "13900000000").out.strip() == "新客户"
    missing = cli("parts", "show", "NOPE")
    assert missing.code in (1, 2) and "NOPE" in missing.err
