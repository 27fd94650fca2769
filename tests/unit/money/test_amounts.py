"""Amounts as typed become exact fen, or are refused naming the field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from repairdesk.amounts import fen_to_text, quantity, yuan_to_fen
from repairdesk.errors import InputError


@given(st.integers(min_value=0, max_value=10**9))
def test_fen_round_trip_through_text_and_float(fen: int) -> None:
    text = fen_to_text(fen)
    assert yuan_to_fen(text, "amount") == fen
    # A JSON number such as 29.9 arrives as a float: its shortest repr is the exact amount.
    assert yuan_to_fen(float(text), "amount") == fen
    assert yuan_to_fen(Decimal(text), "amount") == fen


@pytest.mark.parametrize(("typed", "fen"), [
    ("29.9", 2990), (29.9, 2990), ("0.1", 10), ("0.30", 30),
    ("¥1,299.00", 129900), (" 45 ", 4500), (12, 1200), ("0", 0),
])
def test_typed_amounts(typed: object, fen: int) -> None:
    assert yuan_to_fen(typed, "price") == fen


@pytest.mark.parametrize(("typed", "says"), [
    ("-5", "negative"), (-0.01, "negative"), ("abc", "not an amount"), ("", "not an amount"),
    ("1.234", "two decimals"), (0.1 + 0.2, "two decimals"), (float("nan"), "not an amount"), ("Infinity", "not an amount"),
    (True, "not an amount"), (None, "not an amount"), ([1], "not an amount"),
])
def test_bad_amounts_name_the_field(typed: object, says: str) -> None:
    with pytest.raises(InputError) as err:
        yuan_to_fen(typed, "lines.0.price")
    assert err.value.field == "lines.0.price" and says in err.value.reason


def test_positive_and_limit() -> None:
    with pytest.raises(InputError, match="above zero"):
        yuan_to_fen("0.00", "amount", positive=True)
    with pytest.raises(InputError, match="limit of 100.00"):
        yuan_to_fen("100.01", "amount", limit_fen=10000)


@pytest.mark.parametrize("typed", ["0", "-1", "1.5", "x", True, 10_001])
def test_bad_quantities(typed: object) -> None:
    with pytest.raises(InputError):
        quantity(typed, "qty")
    assert quantity("3", "qty") == 3
