"""``repairdesk lookup 张伟`` finds by name with the F4 lookup's search (repairdesk/tickets/search.py)."""

from __future__ import annotations

import json

from repairdesk.desk import Desk

from ..conftest import INTAKE


def test_lookup_by_name_finds_what_the_f4_search_finds(cli, store_path) -> None:
    assert cli("init", "--counter", "SH01", "--name", "徐汇网点").code == 0
    first = cli("intake", "-", "--json", stdin=json.dumps(INTAKE)).json()["ticket"]
    other = json.loads(json.dumps(INTAKE))
    other["customer"] = {"name": "王芳", "phone": "13912345678"}
    cli("intake", "-", stdin=json.dumps(other))
    found = cli("lookup", "张伟", "--json")
    assert found.code == 0, found.err
    data = found.json()
    assert data["kind"] == "name" and [t["ticket"] for t in data["tickets"]] == [first]
    desk = Desk.open(store_path)
    try:
        assert [t.ticket for t in desk.tickets.search("张伟", limit=50)] == [first]
    finally:
        desk.close()
    human = cli("--lang", "zh", "lookup", "张伟")
    assert human.code == 0 and first in human.out and "张伟" in human.out


def test_a_name_nobody_has_finds_no_tickets(cli) -> None:
    assert cli("init", "--counter", "SH01", "--name", "徐汇网点").code == 0
    cli("intake", "-", stdin=json.dumps(INTAKE))
    result = cli("lookup", "赵六六")
    assert result.code == 0 and "No tickets." in result.out
