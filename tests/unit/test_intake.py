"""Taking a phone in through the facade: what is stored, and what is refused whole."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from repairdesk.desk import Desk
from repairdesk.errors import InputError, StoreError


def counts(path: Path) -> tuple[int, ...]:
    with sqlite3.connect(path) as raw:
        return tuple(
            raw.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("customer", "device", "ticket", "status_move", "repair_record",
                          "ticket_sequence", "learned_tac")
        )


def test_intake_stores_the_ticket(desk: Desk, intake_doc: dict[str, Any]) -> None:
    intake_doc["passcode_value"] = "852456"
    result = desk.tickets.intake(intake_doc)
    assert result.ticket == "SH01-20261121-0001"
    assert (result.imei, result.brand, result.model) == (
        "352099001761481", "Alcatel", "One Touch 332")
    view = desk.tickets.ticket(result.ticket)
    assert view.status == "received"
    assert view.customer == {"name": "张伟", "phone": "+8613800138000"}
    assert view.device["sale_date"].isoformat() == "2026-11-18"
    assert str(view.device["price"]) == "2999.00"
    assert view.accessories == ["battery", "back_cover", "sim_tray"]
    assert view.condition["marks"] == ["scratches"]
    assert view.condition["liquid_indicator"] == "clean"
    assert view.faults == ["display"]
    assert view.passcode == "given"
    assert "852456" not in repr(view.to_dict()) and "852456" not in repr(result.to_dict())
    assert view.repair is not None and view.repair.fault_code == "display"


def test_returning_customer_and_device_are_reused(desk: Desk, intake_doc: dict,
                                                  store_path: Path) -> None:
    desk.tickets.intake(intake_doc)
    intake_doc["customer"]["phone"] = "+86 13800138000"
    intake_doc["device"]["imei"] = "３５２０９９００１７６１４８１"
    desk.tickets.intake(intake_doc)
    assert counts(store_path)[:3] == (1, 1, 2)
    assert [t.ticket for t in desk.tickets.lookup("352099001761481").tickets] == [
        "SH01-20261121-0002", "SH01-20261121-0001"]


def test_unknown_tac_never_blocks_and_typed_model_is_learned(desk: Desk, intake_doc: dict,
                                                             store_path: Path) -> None:
    imei = "999999990000008"  # TAC 99999999 is not in the shipped table
    intake_doc["device"]["imei"] = imei
    assert desk.tickets.intake(intake_doc).brand is None
    intake_doc["device"].update(brand="Xiaomi", model="14 Ultra")
    desk.tickets.intake(intake_doc)
    tac = desk.tickets.tac(imei)
    assert tac is not None and (tac.brand, tac.model, tac.learned) == ("Xiaomi", "14 Ultra", True)
    # Learned TACs live in their own table, never in the shipped CC BY-SA file.
    assert counts(store_path)[6] == 1


def _set(doc: dict, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for key in parents:
        doc = doc[key]
    if value is KeyError:
        del doc[last]
    else:
        doc[last] = value


REFUSALS = [
    ("device.imei", "352099001761482", "device.imei"),
    ("device.imei", "3520990017614812", "device.imei"),
    ("device.imei", KeyError, "device.imei"),
    ("customer.phone", "12345", "customer.phone"),
    ("customer.name", KeyError, "customer.name"),
    ("customer.name", "", "customer.name"),
    ("device.sale_date", "2026-02-30", "device.sale_date"),
    ("device.sale_date", "2026-12-01", "device.sale_date"),
    ("device.sale_date", 20261118, "device.sale_date"),
    ("device.proof", "receipt", "device.proof"),
    ("device.channel", "shop", "device.channel"),
    ("device.price", -1, "device.price"),
    ("device.price", 12.345, "device.price"),
    ("device.colour_code", "x", "device.colour_code"),
    ("accessories", ["battery", "charger_cable"], "accessories.1"),
    ("condition.marks", ["scratch"], "condition.marks.0"),
    ("condition.liquid_indicator", "wet", "condition.liquid_indicator"),
    ("faults", ["screen"], "faults.0"),
    ("passcode", "maybe", "passcode"),
    ("deposit", "lots", "deposit"),
    ("promised", "2026-11-25", "promised"),
    ("device.channel", "remote", "device.received_date"),
    ("device.received_date", "2026-11-17", "device.received_date"),
]


@pytest.mark.parametrize(("path", "value", "field"), REFUSALS)
def test_bad_input_is_refused_naming_the_field_and_stores_nothing(
    desk: Desk, intake_doc: dict, store_path: Path, path: str, value: Any, field: str
) -> None:
    desk.tickets.intake(intake_doc)
    before = counts(store_path)
    _set(intake_doc, path, value)
    with pytest.raises(InputError) as err:
        desk.tickets.intake(intake_doc)
    assert err.value.field == field
    assert counts(store_path) == before


def test_faults_or_description_required(desk: Desk, intake_doc: dict, store_path: Path) -> None:
    intake_doc["faults"], intake_doc["description"] = [], "  "
    with pytest.raises(InputError) as err:
        desk.tickets.intake(intake_doc)
    assert err.value.field == "faults"
    assert counts(store_path)[2] == 0
    intake_doc["description"] = "开不了机"
    assert desk.tickets.intake(intake_doc).ticket


def test_passcode_value_without_given_mode_is_refused(desk: Desk, intake_doc: dict) -> None:
    intake_doc.update(passcode="none", passcode_value="1234")
    with pytest.raises(InputError) as err:
        desk.tickets.intake(intake_doc)
    assert err.value.field == "passcode_value"


def test_intake_needs_a_counter(store_path: Path, intake_doc: dict) -> None:
    desk = Desk.open(store_path)
    try:
        with pytest.raises(StoreError):
            desk.tickets.intake(intake_doc)
        assert counts(store_path)[:3] == (0, 0, 0)
    finally:
        desk.close()


def test_counter_code_cannot_change_once_tickets_exist(desk: Desk, intake_doc: dict) -> None:
    desk.init_counter("SH01", "徐汇网点（新名）")
    desk.tickets.intake(intake_doc)
    with pytest.raises(InputError) as err:
        desk.init_counter("SH02", "另一个网点")
    assert "SH01" in err.value.reason
    assert desk.counter().code == "SH01"  # type: ignore[union-attr]
    assert desk.counter().name == "徐汇网点（新名）"  # type: ignore[union-attr]
