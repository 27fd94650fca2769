"""No escape sequence of the data reaches the terminal through the CLI (repairdesk/inert.py):
new input is refused them (tests/unit/trust/test_input_hygiene.py), and a store that holds
them already (written before, or with sqlite3) is shown inert, as text and as JSON."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from ..conftest import INTAKE

ESC, CSI, RLO = "\x1b", "\x9b", "\u202e"
CLEAR = "\x1b[2J"
OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"  # writes "rm -rf ~" to the reader's clipboard
HOSTILE = f"张伟{CLEAR}{OSC52}{CSI}31m{RLO}8000"


def _raw(text: str) -> bool:
    return any(c in text for c in (ESC, CSI, RLO, "\x07"))


def test_text_stored_before_the_checks_is_shown_inert(cli, store_path: Path) -> None:
    assert cli("init", "--counter", "SH01", "--name", "徐汇网点").code == 0
    ticket = cli("intake", "-", "--json", stdin=json.dumps(INTAKE)).json()["ticket"]
    with sqlite3.connect(store_path) as raw:  # what an old store, or sqlite3, may hold
        raw.execute("update customer set name = ?", (HOSTILE,))
        raw.execute("update ticket set description = ?", (f"黑屏{OSC52}",))
        raw.execute("update status_move set note = ?", (f"{RLO}收到",))
    for args in (["ticket", "show", ticket], ["lookup", ticket], ["lookup", "13800138000"],
                 ["customer", "13800138000"], ["board"], ["print", ticket, "--slip", "intake"]):
        shown = cli(*args)
        assert shown.code == 0, (args, shown.err)
        assert not _raw(shown.out), (args, shown.out)
    shown = cli("ticket", "show", ticket).out
    assert "\\x1b[2J" in shown and "\\u202e" in shown  # shown for what it is, not acted on
    # JSON stays exact JSON: the same value, every such character as a JSON escape.
    for args in (["ticket", "show", ticket, "--json"], ["lookup", ticket, "--json"]):
        out = cli(*args).out
        assert not _raw(out), args
        data = json.loads(out)
        name = data["customer"]["name"] if "customer" in data else data["tickets"][0]["customer"]
        assert name == HOSTILE


def test_a_refusal_quoting_the_input_is_inert(cli) -> None:
    assert cli("init", "--counter", "SH01", "--name", "徐汇网点").code == 0
    ticket = cli("intake", "-", "--json", stdin=json.dumps(INTAKE)).json()["ticket"]
    refused = cli("ticket", "move", ticket, f"{CLEAR}{RLO}done")
    assert refused.code == 2 and not _raw(refused.err)
