"""HQ's rate card: the shipped example, what a line earns, which version is in force, and a
card refused whole, naming its key."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repairdesk import i18n
from repairdesk.errors import InputError
from repairdesk.ratecard import GRADES, Earning, check_grade, earn, in_force, parse_card

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = (ROOT / "data" / "hq" / "settlement.toml").read_text(encoding="utf-8")


def test_the_shipped_card_names_every_grade_and_level() -> None:
    card = parse_card(SHIPPED)
    assert card.effective == date(2026, 1, 1) and card.return_days == 15
    assert card.cap_fen == 60000 and sorted(card.labour_fen) == sorted(GRADES)
    assert card.labour_fen["module"] == 3500
    assert {str(v) for v in card.multipliers.values()} == {"1.30", "1.15", "1.00", "0.90"}


def test_a_line_earns_labour_times_the_level_plus_parts_under_the_cap() -> None:
    card = parse_card(SHIPPED)
    # 35.00 × 1.15 = 40.25; a screen at 120.00
    assert earn(card, "module", "gold", [(1, 12000)]) == Earning(4025, 12000, 16025, False)
    # 60.00 × 0.90 = 54.00; half a fen rounds up: 25.00 × 1.30 = 32.50 exactly
    assert earn(card, "board", "general", []).total_fen == 5400
    assert earn(card, "exchange", "diamond", []).labour_fen == 3250
    # a counter without a level (or one the card lacks) is paid the plain fee
    assert earn(card, "software", None, []).labour_fen == 2000
    assert earn(card, "software", "platinum", []).labour_fen == 2000
    capped = earn(card, "board", "diamond", [(2, 30000)])
    assert capped.total_fen == 60000 and capped.capped
    assert capped.labour_fen + capped.parts_fen == 7800 + 60000


def test_the_version_in_force_is_the_latest_effective_by_then() -> None:
    first = replace(parse_card(SHIPPED), version=1)
    second = replace(first, effective=date(2026, 7, 1), version=2)
    again = replace(first, effective=date(2026, 7, 1), version=3)
    assert in_force([first, second], date(2025, 12, 31)) is None
    assert in_force([first, second], date(2026, 6, 30)) is first
    assert in_force([second, first], date(2026, 7, 1)) is second
    assert in_force([again, first, second], date(2026, 8, 1)) is again


@pytest.mark.parametrize(("change", "key"), [
    (("cap = \"600.00\"", "cap = \"-1\""), "cap"),
    (("return_days = 15", "return_days = 0"), "return_days"),
    (("effective = 2026-01-01", "effective = \"soon\""), "effective"),
    (("gold = \"1.15\"", "gold = \"x\""), "level.gold"),
    (("board = \"60.00\"", "board = \"60.001\""), "labour.board"),
    (("refund = \"15.00\"      # a refund handled", ""), "labour.refund"),
    (("[level]", "surcharge = 1\n[level]"), "surcharge"),
])
def test_a_wrong_value_is_refused_naming_its_key(change: tuple[str, str], key: str) -> None:
    assert change[0] in SHIPPED
    with pytest.raises(InputError) as refused:
        parse_card(SHIPPED.replace(*change))
    assert refused.value.field.endswith(key)


def test_grades_are_checked_and_named_in_both_languages() -> None:
    assert check_grade(" Board ") == "board" and check_grade("") is None
    i18n.set_language("zh")
    try:
        with pytest.raises(InputError) as refused:
            check_grade("major")
        assert "主板级维修" in str(refused.value) and "“major”" in str(refused.value)
    finally:
        i18n.set_language("en")


@given(st.text(max_size=200))
def test_any_text_is_a_card_or_a_clear_refusal(text: str) -> None:
    try:
        parse_card(text)
    except InputError as refused:
        assert refused.field.startswith("settlement.toml")
