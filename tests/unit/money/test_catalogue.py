"""The price list: loaded from CSV whole or not at all; prices are a manager's to change."""

from __future__ import annotations

import pytest

from repairdesk.desk import Desk
from repairdesk.errors import InputError
from repairdesk.trust import PermissionDenied

from .conftest import PRICE_LIST

HEADER = "part_number,name_zh,name_en,models,price,kind,min_stock\n"


def test_example_price_list_loads_with_names_models_and_minimums(desk: Desk) -> None:
    result = desk.stock.import_price_list(PRICE_LIST.read_text(encoding="utf-8"), PRICE_LIST.name)
    assert result.rows == 12 and len(result.added) == 12 and not result.price_changes
    lcd = desk.stock.part("hw-p40-lcd")  # part numbers are matched whatever the case typed
    assert (lcd.name_zh, lcd.name_en, str(lcd.price)) == ("屏幕总成（含框）",
                                                           "Screen assembly with frame", "1099.00")
    assert lcd.models == ["HUAWEI P40", "HUAWEI P40 Pro"] and lcd.kind == "original"
    assert lcd.on_hand == 0 and lcd.low  # minimum 1, nothing received yet
    assert [p.part_number for p in desk.stock.parts(model="p40 pro")] == ["HW-P40-LCD", "HW-P40-USB"]
    again = desk.stock.import_price_list(PRICE_LIST.read_text(encoding="utf-8"))
    assert again.unchanged == 12 and not again.added and not again.updated


def test_an_hq_pack_price_list_loads_too_and_keeps_the_english_names(desk: Desk) -> None:
    desk.stock.import_price_list(PRICE_LIST.read_text(encoding="utf-8"))
    hq = "code,name,price,brand,model\nMI-13-BAT,电池,149.00,Xiaomi,Xiaomi 13\nZT-A1-BAT,电池,59.90,ZTE,A1\n"
    result = desk.stock.import_price_list(hq, "price_list.csv")
    assert result.added == ["ZT-A1-BAT"] and result.unchanged == 1
    assert desk.stock.part("MI-13-BAT").name_en == "Battery"
    new = desk.stock.part("ZT-A1-BAT")
    assert new.models == ["ZTE A1"] and str(new.price) == "59.90" and new.min_stock == 0


@pytest.mark.parametrize(("line", "field", "says"), [
    ("X-1,屏,Screen,,-5.00,original,0", "prices.csv:3: price", "negative"),
    ("X-1,屏,Screen,,五十,original,0", "prices.csv:3: price", "not an amount"),
    ("X-1,屏,Screen,,12.345,original,0", "prices.csv:3: price", "two decimals"),
    ("X-1,屏,Screen,,,original,0", "prices.csv:3: price", "not an amount"),
    ("X-1,屏,Screen,,12.00,refurbished,0", "prices.csv:3: kind", "refurbished"),
    ("X-1,,Screen,,12.00,original,0", "prices.csv:3: name_zh", "required"),
    ("X 1,屏,Screen,,12.00,original,0", "prices.csv:3: part_number", "not a part number"),
    ("X-1,屏,Screen,,12.00,original,-1", "prices.csv:3: min_stock", "quantity"),
])
def test_a_bad_line_names_its_line_and_column_and_stores_nothing(
        desk: Desk, line: str, field: str, says: str) -> None:
    good = "OK-1,好,Good,,1.00,original,0\n"  # line 2: the bad one is line 3
    with pytest.raises(InputError) as err:
        desk.stock.import_price_list(HEADER + good + line + "\n", "prices.csv")
    assert err.value.field == field and says in err.value.reason
    assert desk.stock.parts() == []


@pytest.mark.parametrize(("text", "says"), [
    ("part_number,name_zh,colour,price\nX,屏,黑,1\n", "unknown column 'colour'"),
    ("part_number,name_zh\nX,屏\n", "'price' is missing"),
    (HEADER + "X,屏,,,1,original,0\nx,屏,,,2,original,0\n", "X appears twice"),
    (HEADER, "no parts"),
])
def test_a_bad_file_is_refused_whole(desk: Desk, text: str, says: str) -> None:
    with pytest.raises(InputError, match=says):
        desk.stock.import_price_list(text, "prices.csv")
    assert desk.stock.parts() == []


def test_only_a_manager_changes_a_price(desk: Desk) -> None:
    desk.stock.import_price_list(HEADER + "X-1,屏,Screen,,100.00,original,0\n")
    assert str(desk.stock.set_price("X-1", "95.50").price) == "95.50"  # no users yet: the manager
    desk.trust.add_user("王店长", "manager", "123456")
    desk.trust.login("王店长", "123456")
    desk.trust.add_user("小李", "front_desk", "5678")
    desk.trust.login("小李", "5678")
    with pytest.raises(PermissionDenied, match="manager"):
        desk.stock.set_price("X-1", "80.00")
    with pytest.raises(PermissionDenied):
        desk.stock.import_price_list(HEADER + "X-1,屏,Screen,,80.00,original,0\n")
    # A new part, or the same prices again, is no price change.
    desk.stock.import_price_list(HEADER + "X-1,屏,Screen,,95.50,original,0\nX-2,壳,,,5,original,0\n")
    assert str(desk.stock.part("X-1").price) == "95.50"
    desk.trust.login("王店长", "123456")
    result = desk.stock.import_price_list(HEADER + "X-1,屏,Screen,,80.00,original,0\n")
    assert [(c.part_number, str(c.old), str(c.new)) for c in result.price_changes] == [
        ("X-1", "95.50", "80.00")]


@pytest.mark.parametrize("price", ["-1", "abc", "1.001", ""])
def test_a_negative_or_non_numeric_price_is_refused(desk: Desk, price: str) -> None:
    desk.stock.import_price_list(HEADER + "X-1,屏,Screen,,100.00,original,0\n")
    with pytest.raises(InputError) as err:
        desk.stock.set_price("X-1", price)
    assert err.value.field == "price"
    assert str(desk.stock.part("X-1").price) == "100.00"


def test_cli_imports_and_lists_parts(cli, desk: Desk) -> None:
    result = cli("parts", "import", str(PRICE_LIST), "--json")
    assert result.code == 0, result.err
    assert len(result.json()["added"]) == 12
    assert cli("parts", "receive", "AL-OT332-LCD", "5", "--json").json()["on_hand"] == 5
    listed = cli("parts", "list", "--json").json()
    lcd = next(p for p in listed if p["part_number"] == "AL-OT332-LCD")
    assert lcd["price"] == "120.00" and lcd["on_hand"] == 5 and lcd["low"] is False
    low = [p["part_number"] for p in cli("parts", "list", "--low", "--json").json()]
    assert "AL-OT332-LCD" not in low and "AL-OT332-BAT" in low
    human = cli("--lang", "zh", "parts", "list", "--low")
    assert human.code == 0 and "电池" in human.out and "原厂" in human.out
    bad = cli("parts", "price", "AL-OT332-LCD", "-3")
    assert bad.code == 2 and "price" in bad.err and "Traceback" not in bad.err
    bad = cli("parts", "import", "-", stdin=HEADER + "Y,壳,,,abc,original,0\n")
    assert bad.code == 2 and "stdin:2: price" in bad.err

