"""No escape sequence of the data reaches the terminal through the CLI (repairdesk/cli/output.py)."""

from __future__ import annotations

import json

from ..conftest import INTAKE

ESC, CSI = "\x1b", "\x9b"


def test_a_name_with_escape_sequences_is_shown_harmlessly(cli) -> None:
    assert cli("init", "--counter", "SH01", "--name", "徐汇网点").code == 0
    doc = json.loads(json.dumps(INTAKE))
    doc["customer"]["name"] = "张伟\x1b[2J\x9b31m"
    number = cli("intake", "-", "--json", stdin=json.dumps(doc))
    assert number.code == 0 and ESC not in number.out and CSI not in number.out
    ticket = number.json()["ticket"]
    assert number.json()["customer"] == doc["customer"]["name"]  # JSON keeps the data
    for args in (["ticket", "show", ticket], ["lookup", ticket], ["customer", "13800138000"],
                 ["board"], ["print", ticket, "--slip", "intake"], ["ticket", "show", ticket,
                                                                     "--json"]):
        shown = cli(*args)
        assert shown.code == 0, (args, shown.err)
        assert ESC not in shown.out and CSI not in shown.out, args
    refused = cli("ticket", "move", ticket, "\x1b[2Jdone")
    assert refused.code == 2 and ESC not in refused.err
