"""HQ's rate card: what one warranty job earns a counter (``data/hq/settlement.toml``).

One rule in one place: HQ prices every claim line with :func:`earn`, and the counter shows
what a repair will earn with the same function over the versions HQ's packs brought. A card
is checked whole before anything keeps it; a wrong value is refused naming its key.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from repairdesk.amounts import yuan_to_fen
from repairdesk.errors import InputError
from repairdesk.i18n import _

#: The repair grades, in the order people pick them (the labour fee is per grade).
GRADES = ("inspection", "software", "module", "board", "exchange", "refund")
#: A claim line's states, at HQ and in the counter's copy: ``pending`` awaits review (the
#: checks passed, perhaps with flags), ``held`` waits for something (the faulty part),
#: ``rejected`` by a check or by review, ``approved`` by review (at ``approved_fen``).
LINE_STATES = ("pending", "held", "rejected", "approved")
#: The grade of a ticket that ended in an exchange or a refund, whatever the record says.
REMEDY_GRADES = {"exchanged": "exchange", "refunded": "refund"}
SOURCE = "settlement.toml"
MAX_MULTIPLIER = Decimal("10")


@dataclass(frozen=True)
class RateCard:
    """One version of the card, checked. ``text`` is the TOML as HQ loaded it."""

    effective: date
    name: str
    cap_fen: int
    return_days: int
    labour_fen: dict[str, int]
    multipliers: dict[str, Decimal]
    text: str
    version: int = 0  # HQ's number of the version (0: not loaded yet)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def multiplier(self, level: str | None) -> Decimal:
        """The level's multiplier; 1 for a counter without a level or one the card lacks."""
        return self.multipliers.get(level or "", Decimal(1))


@dataclass(frozen=True)
class Earning:
    """What one line earns by the card: labour and parts, and the total after the cap."""

    labour_fen: int
    parts_fen: int
    total_fen: int
    capped: bool  # the cap cut the total


def grade_label(code: str) -> str:
    return _(f"settle.grade_{code}")


def check_grade(value: str | None, field: str = "grade") -> str | None:
    """A typed grade code (empty: none), or InputError listing the grades by their names."""
    if value is None:
        return None
    code = value.strip().lower()
    if not code:
        return None
    if code not in GRADES:
        allowed = ", ".join(f"{g} ({grade_label(g)})" for g in GRADES)
        raise InputError(field, _("core.bad_code", value=value, allowed=allowed))
    return code


def parse_card(text: str, source: str = SOURCE) -> RateCard:
    """The card in ``text``, or InputError naming ``source``'s key that is wrong."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(source, _("settle.card_not_toml", error=str(exc))) from None
    known = {"effective", "name", "cap", "return_days", "labour", "level"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise InputError(f"{source}: {unknown[0]}", _("settle.card_unknown_key",
                                                      key=unknown[0]))
    effective = raw.get("effective")
    if not isinstance(effective, date):
        raise InputError(f"{source}: effective", _("settle.card_bad_date",
                                                    value=effective))
    days = raw.get("return_days")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
        raise InputError(f"{source}: return_days", _("settle.card_bad_days", value=days))
    labour = _table(raw, "labour", source)
    missing = [g for g in GRADES if g not in labour]
    extra = sorted(set(labour) - set(GRADES))
    if missing or extra:
        key = f"labour.{(missing or extra)[0]}"
        raise InputError(f"{source}: {key}", _("settle.card_grades",
                                               grades=", ".join(GRADES)))
    levels = _table(raw, "level", source)
    return RateCard(
        effective=effective,
        name=str(raw.get("name") or effective.isoformat()),
        cap_fen=yuan_to_fen(raw.get("cap"), f"{source}: cap", positive=True),
        return_days=days,
        labour_fen={g: yuan_to_fen(labour[g], f"{source}: labour.{g}") for g in GRADES},
        multipliers={code: _multiplier(value, f"{source}: level.{code}")
                     for code, value in levels.items()},
        text=text,
    )


def _table(raw: dict[str, Any], key: str, source: str) -> dict[str, Any]:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise InputError(f"{source}: {key}", _("settle.card_table", key=key))
    return value


def _multiplier(value: object, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal(-1)
    if isinstance(value, bool) or not number.is_finite() or not 0 < number <= MAX_MULTIPLIER:
        raise InputError(field, _("settle.card_bad_multiplier", value=value))
    return number


def in_force(cards: Iterable[RateCard], day: date) -> RateCard | None:
    """The version in force on ``day``: the latest effective on or before it (of two with
    the same day, the one loaded last)."""
    best: RateCard | None = None
    for card in cards:
        if card.effective <= day and (
                best is None or (card.effective, card.version) > (best.effective, best.version)):
            best = card
    return best


def earn(card: RateCard, grade: str, level: str | None,
         parts: Sequence[tuple[int, int]]) -> Earning:
    """What a line of ``grade`` at a counter of ``level`` earns with ``parts`` (quantity,
    unit cost in fen, at HQ's standard cost): the labour fee times the level's multiplier
    (rounded half up to the fen), plus the parts, never above the card's cap."""
    labour = int((card.labour_fen[grade] * card.multiplier(level))
                 .quantize(Decimal(1), rounding=ROUND_HALF_UP))
    parts_fen = sum(qty * unit for qty, unit in parts)
    total = min(labour + parts_fen, card.cap_fen)
    return Earning(labour, parts_fen, total, capped=labour + parts_fen > card.cap_fen)
