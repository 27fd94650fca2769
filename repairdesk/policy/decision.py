"""The decision on a claim, and its JSON form (docs/domain/sanbao.md, "The claim and the
decision as JSON")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from repairdesk.i18n import _

__all__ = ["REMEDY_ORDER", "Decision", "Reason", "to_fen"]

#: Remedies are listed in this order whatever order the rules fired in, so that the same
#: claim always prints the same list (the example claim of docs/domain/sanbao.md gives
#: ["exchange", "free_repair", "refund_depreciated"]).
REMEDY_ORDER = (
    "refund",
    "exchange",
    "free_repair",
    "refund_depreciated",
    "paid_repair",
    "not_covered",
)

#: Values that are vocabulary codes: shown by their name in the reader's language.
_NAMED = ("part", "fault", "exclusion")

_FEN = Decimal("0.01")


def to_fen(amount: Decimal) -> Decimal:
    """Rounded to the fen, half up (四舍五入), as a counter rounds money."""
    return amount.quantize(_FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Reason:
    """One rule that fired. The text is rendered when asked for, in the language of that
    moment, so a stored decision reads the same to a Chinese and an English user."""

    code: str
    values: tuple[tuple[str, str | int], ...] = ()
    key: str | None = None  # the message, when one code has several wordings

    def text(self, lang: str | None = None) -> str:
        values = {
            name: _(f"{name}.{value}", lang=lang) if name in _NAMED else value
            for name, value in self.values
        }
        return _(f"policy.reason.{self.key or self.code}", lang=lang, **values)


@dataclass(frozen=True)
class Decision:
    covered: bool
    remedies: tuple[str, ...]
    amounts: Mapping[str, Decimal]  # refund kind -> amount, to the fen
    loaner: bool
    period_end: date | None
    days_since_sale: int | None
    articles: tuple[str, ...]
    reasons: tuple[Reason, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """The JSON shape of docs/domain/sanbao.md; amounts become numbers with two decimals."""
        return {
            "covered": self.covered,
            "remedies": list(self.remedies),
            "amounts": {kind: float(to_fen(amount)) for kind, amount in self.amounts.items()},
            "loaner": self.loaner,
            "period_end": self.period_end.isoformat() if self.period_end else None,
            "days_since_sale": self.days_since_sale,
            "articles": list(self.articles),
            "reasons": [{"code": r.code, "text": r.text(lang)} for r in self.reasons],
        }
