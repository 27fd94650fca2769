"""Amounts of money as people type them (yuan) and as the store keeps them (integer fen).

Exact: a typed ``29.9`` becomes 2990 fen through :class:`~decimal.Decimal`, never a float.
An amount with more than two decimals, a negative, a non-number or a boolean is refused with
the field named, before anything is stored.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from repairdesk.errors import InputError
from repairdesk.i18n import _

FEN = Decimal("0.01")


def yuan_to_fen(value: object, field: str, *, positive: bool = False,
                limit_fen: int | None = None) -> int:
    """``value`` (str, int, float or Decimal yuan) as integer fen, or :class:`InputError`."""
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
    if amount != amount.quantize(FEN):
        raise InputError(field, _("money.amount_fen", value=value))
    if amount < 0 or (positive and amount == 0):
        key = "money.amount_positive" if positive else "money.amount_negative"
        raise InputError(field, _(key, value=value))
    fen = int(amount * 100)
    if limit_fen is not None and fen > limit_fen:
        raise InputError(field, _("money.amount_too_large", value=value,
                                  limit=fen_to_text(limit_fen)))
    return fen


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(FEN)


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
