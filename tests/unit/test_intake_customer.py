"""The customer of an intake: another name for a known phone is never a silent rename
(the facade's part; the form's question is in tests/tui/test_intake_keys.py)."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from repairdesk.desk import Desk
from repairdesk.tickets.intake import NameDiffers
from tests.conftest import INTAKE, FrozenClock


def intake(desk: Desk, name: str, imei: str, change: str | None = None) -> str:
    doc = copy.deepcopy(INTAKE)
    doc["customer"]["name"] = name
    doc["device"]["imei"] = imei
    if change:
        doc["customer"]["name_change"] = change
    return desk.tickets.intake(doc).ticket


def test_another_name_for_a_known_phone_is_refused_and_nothing_is_stored(desk: Desk) -> None:
    first = intake(desk, "张伟", "352099001761481")
    with pytest.raises(NameDiffers) as refused:
        intake(desk, "李娜", "352099001761507")
    assert (refused.value.field, refused.value.known, refused.value.given) == (
        "customer.name", "张伟", "李娜")
    assert desk.tickets.count_tickets() == 1
    assert desk.tickets.ticket(first).customer["name"] == "张伟"


def test_rename_renames_the_customer_on_every_ticket(desk: Desk) -> None:
    first = intake(desk, "张伟", "352099001761481")
    second = intake(desk, "张伟伟", "352099001761507", "rename")
    assert desk.tickets.ticket(first).customer["name"] == desk.tickets.ticket(second).customer["name"] == "张伟伟"


def test_another_person_with_the_same_phone_is_a_new_customer(desk: Desk,
                                                              clock: FrozenClock) -> None:
    first = intake(desk, "张伟", "352099001761481")
    clock.now += timedelta(minutes=5)
    second = intake(desk, "李娜", "352099001761507", "new")
    assert desk.tickets.ticket(first).customer == {"name": "张伟", "phone": "+8613800138000"}
    assert desk.tickets.ticket(second).customer == {"name": "李娜", "phone": "+8613800138000"}
    # The phone now stands for whoever came last; either name is taken as it is.
    assert desk.tickets.customer_by_phone("13800138000").name == "李娜"
    clock.now += timedelta(minutes=5)
    third = intake(desk, "张伟", "490154203237518")
    assert desk.tickets.ticket(third).customer["name"] == "张伟"
    assert desk.tickets.customer_by_phone("13800138000").name == "张伟"
    assert desk.tickets.ticket(second).customer["name"] == "李娜"
