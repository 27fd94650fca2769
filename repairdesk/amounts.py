"""Amounts of money as people type them (yuan) and as the store keeps them (integer fen).

Exact: a typed ``29.9`` becomes 2990 fen through :class:`~decimal.Decimal`, never a float.
An amount with more than two decimals, a negative, a non-number or a boolean is refused with
the field named, before anything is stored.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import overload

from repairdesk.errors import InputError
from repairdesk.i18n import _

FEN = Decimal("0.01")
#: The largest amount anyone types (twelve digits with the fen).
MAX_YUAN = Decimal("9999999999.99")


def yuan_to_fen(value: object, field: str, *, positive: bool = False,
                limit_fen: int | None = None) -> int:
    """``value`` (str, int, float or Decimal yuan) as integer fen, or :class:`InputError`."""
    amount = parse_yuan(value, field, positive=positive)
    fen = int(amount * 100)
    if limit_fen is not None and fen > limit_fen:
        raise InputError(field, _("money.amount_too_large", value=value,
                                  limit=fen_to_text(limit_fen)))
    return fen


def parse_yuan(value: object, field: str, *, positive: bool = False) -> Decimal:
    """``value`` (str, int, float or Decimal yuan, "¥1,299.50" as typed) as an exact amount
    of at most two decimals, not negative (above zero with ``positive``), or
    :class:`InputError` naming ``field``: the one rule for an amount of money typed in."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise InputError(field, _("money.amount_not_a_number", value=value))
    text = value.strip().replace(",", "").lstrip("¥￥") if isinstance(value, str) else value
    try:
        # str() first: Decimal(29.9) would carry the float's binary error into the fen.
        amount = Decimal(str(text))
    except InvalidOperation:
        raise InputError(field, _("money.amount_not_a_number", value=value)) from None
    if not amount.is_finite():
        raise InputError(field, _("money.amount_not_a_number", value=value))
    if abs(amount) > MAX_YUAN:  # beyond any phone or repair; and Decimal's precision
        raise InputError(field, _("money.amount_too_large", value=value,
                                  limit=f"{MAX_YUAN:.2f}"))
    if amount != amount.quantize(FEN):
        raise InputError(field, _("money.amount_fen", value=value))
    if amount < 0 or (positive and amount == 0):
        key = "money.amount_positive" if positive else "money.amount_negative"
        raise InputError(field, _(key, value=value))
    return amount


@overload
def fen_to_yuan(fen: int) -> Decimal: ...
@overload
def fen_to_yuan(fen: None) -> None: ...
@overload
def fen_to_yuan(fen: int | None) -> Decimal | None: ...
def fen_to_yuan(fen: int | None) -> Decimal | None:
    """Integer fen as yuan (two decimals); None stays None (an amount not recorded)."""
    return None if fen is None else (Decimal(fen) / 100).quantize(FEN)


def fen_to_text(fen: int) -> str:
    """``"1234.50"``: how amounts travel in JSON (exact, unlike a float) and in CSV."""
    return f"{fen_to_yuan(fen):.2f}"


def quantity(value: object, field: str) -> int:
    """A count of parts: a whole number above zero."""
    if isinstance(value, bool):
        raise InputError(field, _("money.qty_invalid", value=value))
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InputError(field, _("money.qty_invalid", value=value)) from None
    if number <= 0 or number > 10_000:
        raise InputError(field, _("money.qty_invalid", value=value))
    return number
