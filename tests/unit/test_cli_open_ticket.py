"""A second open ticket for the same IMEI is refused unless asked for (``--allow-open``)."""

from __future__ import annotations

import json

import pytest

from repairdesk.desk import Desk
from repairdesk.errors import OpenTicketError

from ..conftest import INTAKE


@pytest.fixture
def first(cli) -> str:
    assert cli("init", "--counter", "SH01", "--name", "徐汇网点").code == 0
    return cli("intake", "-", "--json", stdin=json.dumps(INTAKE)).json()["ticket"]


def test_intake_refuses_a_second_open_ticket_naming_it(cli, first: str) -> None:
    again = cli("intake", "-", stdin=json.dumps(INTAKE))
    assert again.code == 2
    assert first in again.err and "--allow-open" in again.err and "Traceback" not in again.err
    scripted = cli("intake", "-", "--json", stdin=json.dumps(INTAKE))
    assert scripted.code == 2
    assert json.loads(scripted.err)["error"]["field"] == "device.imei"
    zh = cli("--lang", "zh", "intake", "-", stdin=json.dumps(INTAKE))
    assert zh.code == 2 and first in zh.err and "未结" in zh.err
    # Nothing was stored by the refusals.
    assert [t["ticket"] for t in cli("lookup", first, "--json").json()["tickets"]] == [first]


def test_allow_open_takes_it_in_and_a_closed_ticket_never_blocks(cli, first: str) -> None:
    second = cli("intake", "-", "--allow-open", "--json", stdin=json.dumps(INTAKE))
    assert second.code == 0, second.err
    assert second.json()["ticket"] != first
    lines = cli("intake", "-", "--lines", stdin=json.dumps(INTAKE))
    assert lines.code == 2 and "--allow-open" in lines.err and "line 1" in lines.err


def test_the_one_check_the_screens_call(desk: Desk, intake_doc: dict) -> None:
    number = desk.tickets.intake(intake_doc).ticket
    assert desk.tickets.open_ticket_of("35-209900-176148-1").ticket == number  # type: ignore[union-attr]
    with pytest.raises(OpenTicketError) as caught:
        desk.tickets.intake(intake_doc, allow_open=False)
    assert caught.value.ticket == number and caught.value.field == "device.imei"
    desk.tickets.move(number, "cancelled")
    assert desk.tickets.open_ticket_of("352099001761481") is None
    assert desk.tickets.intake(intake_doc, allow_open=False).ticket != number
