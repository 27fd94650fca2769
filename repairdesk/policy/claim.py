"""A 三包 claim: the facts the engine decides on, validated from plain JSON-like data.

Validation is strict because a claim usually comes from a file or a form: a typo in a code or
a date must stop the check with a message naming the field (CLI exit 2), never turn silently
into "not covered".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from repairdesk.errors import InputError
from repairdesk.i18n import _
from repairdesk.vocabulary import vocabulary

__all__ = ["CHANNELS", "DELAYS", "PROOFS", "Claim", "OpenRepair", "Repair", "parse_claim"]

PROOFS = ("full", "copy", "imei_date", "none")
CHANNELS = ("store", "remote")
DELAYS = ("repairer", "parts")
MAX_PRICE = Decimal(100_000_000)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Repair:
    """An earlier 三包 repair of this unit, from the repair record."""

    fault: str
    handed_in: date
    handed_back: date

    @property
    def days(self) -> int:
        return (self.handed_back - self.handed_in).days


@dataclass(frozen=True)
class OpenRepair:
    """The unit is at the repairer now; ``delay`` says whose delay it is (第十六/十七条)."""

    handed_in: date
    delay: str = "repairer"


@dataclass(frozen=True)
class Claim:
    part: str
    fault: str
    claim_date: date
    sale_date: date | None
    invoice_date: date | None
    proof: str = "full"
    production_date: date | None = None
    exchange_date: date | None = None
    price: Decimal | None = None
    # Accessories usually come in the box: the separate retail price then sets their refund.
    sold_with_host: bool = True
    separate_price: Decimal | None = None
    exclusions: tuple[str, ...] = ()
    repairs: tuple[Repair, ...] = ()
    open_repair: OpenRepair | None = None
    accessory_exchanges: int = 0
    in_stock: bool = True
    channel: str = "store"
    received_date: date | None = None
    intact: bool | None = None


_KEYS = (
    "part",
    "fault",
    "claim_date",
    "sale_date",
    "invoice_date",
    "proof",
    "production_date",
    "exchange_date",
    "price",
    "sold_with_host",
    "separate_price",
    "exclusions",
    "repairs",
    "open_repair",
    "accessory_exchanges",
    "in_stock",
    "channel",
    "received_date",
    "intact",
)


def _error(field: str, key: str, **values: object) -> InputError:
    from repairdesk.fields import label, value_names

    # Fields and codes in a message are named as the reader knows them, not by their code.
    if "other" in values:
        values["other"] = label(str(values["other"]))
    if "choices" in values:
        choices = values["choices"]
        assert isinstance(choices, tuple | list)  # _code's choices
        values["choices"] = value_names(field, choices)
    if key in ("sale_date_required", "production_date_required"):
        values.update(proof=label("proof"), imei_date=value_names("proof", ["imei_date"]))
    return InputError(field, _(f"policy.error.{key}", lang=None, **values))


def _given(data: dict[str, Any], key: str, default: object) -> Any:
    value = data.get(key)
    return default if value is None else value


def _date(value: object, field: str, *, required: bool = False) -> date | None:
    if value is None:
        if required:
            raise _error(field, "missing")
        return None
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    # Only YYYY-MM-DD: fromisoformat also takes 20261115 or week dates, which a counter
    # never means and which hide typos.
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise _error(field, "not_a_date", value=value)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _error(field, "impossible_date", value=value) from None


def _code(value: object, field: str, choices: tuple[str, ...] | list[str]) -> str:
    if value is None:
        raise _error(field, "missing")
    if not isinstance(value, str) or value not in choices:
        raise _error(field, "unknown_code", value=value, choices=choices)
    return value


def _bool(value: object, field: str, default: bool | None) -> bool | None:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise _error(field, "not_a_bool", value=value)
    return value


def _money(value: object, field: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise _error(field, "not_a_number", value=value)
    try:
        # str() first: Decimal(2999.1) would carry the float's binary error into the fen.
        amount = Decimal(str(value))
    except InvalidOperation:
        raise _error(field, "not_a_number", value=value) from None
    # A phone's price is well under a hundred million yuan; anything larger is a typo (and
    # would overflow the fen arithmetic of the depreciation).
    if not amount.is_finite() or amount < 0 or amount >= MAX_PRICE:
        raise _error(field, "not_a_number", value=value)
    return amount


def _list(value: object, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise _error(field, "not_a_list")
    return list(value)


def _object(value: object, field: str | None, keys: tuple[str, ...]) -> dict[str, Any]:
    """``value`` as an object with only ``keys``; ``field`` None for the claim itself, whose
    keys are named bare (``colour``, not ``claim.colour``)."""
    if not isinstance(value, dict):
        raise _error(field or "claim", "not_an_object")
    for key in value:
        if key not in keys:
            from repairdesk.fields import label

            # The key is the user's, named in the message; the part holding it is labelled.
            raise InputError(f"{field}.{key}" if field else str(key),
                             _("policy.error.unknown_field", name=key),
                             label=label(field or "claim"))
    return value


def _not_before(day: date | None, field: str, limit: date | None, limit_field: str) -> None:
    if day is not None and limit is not None and day < limit:
        raise _error(field, "before", value=day, other=limit_field, other_value=limit)


def _not_after(day: date | None, field: str, limit: date | None, limit_field: str) -> None:
    if day is not None and limit is not None and day > limit:
        raise _error(field, "after", value=day, other=limit_field, other_value=limit)


def _required_date(value: object, field: str) -> date:
    day = _date(value, field)
    if day is None:
        raise _error(field, "missing")
    return day


def parse_claim(data: dict[str, Any]) -> Claim:
    """The claim in ``data`` (the JSON of docs/domain/sanbao.md), or :class:`InputError`.

    ``None`` for an optional key means "not given" and takes the default.
    """
    data = _object(data, None, _KEYS)
    vocab = vocabulary()
    part = _code(data.get("part"), "part", vocab.parts)
    fault = _code(data.get("fault"), "fault", list(vocab.faults))
    proof = _code(_given(data, "proof", "full"), "proof", PROOFS)
    channel = _code(_given(data, "channel", "store"), "channel", CHANNELS)

    claim_date = _required_date(data.get("claim_date"), "claim_date")
    production_date = _date(data.get("production_date"), "production_date")
    if proof == "imei_date" and production_date is None:
        raise _error("production_date", "production_date_required")
    sale_date = _date(data.get("sale_date"), "sale_date")
    if sale_date is None and proof != "imei_date":
        raise _error("sale_date", "sale_date_required")
    invoice_date = _date(data.get("invoice_date"), "invoice_date") or sale_date
    exchange_date = _date(data.get("exchange_date"), "exchange_date")
    received_date = _date(data.get("received_date"), "received_date")
    if channel == "remote" and received_date is None:
        raise _error("received_date", "received_date_required")

    # Every date of the unit's life lies between its sale (or production) and the claim.
    life = _Life(
        *((sale_date, "sale_date") if sale_date else (production_date, "production_date")),
        claim_date,
    )
    _not_before(claim_date, "claim_date", life.first, life.first_field)
    _not_before(sale_date, "sale_date", production_date, "production_date")
    life.check(invoice_date, "invoice_date")
    life.check(exchange_date, "exchange_date")
    life.check(received_date, "received_date")

    exchanges = _given(data, "accessory_exchanges", 0)
    if not isinstance(exchanges, int) or isinstance(exchanges, bool) or exchanges < 0:
        raise _error("accessory_exchanges", "not_a_count", value=exchanges)

    return Claim(
        part=part,
        fault=fault,
        claim_date=claim_date,
        sale_date=sale_date,
        invoice_date=invoice_date,
        proof=proof,
        production_date=production_date,
        exchange_date=exchange_date,
        price=_money(data.get("price"), "price"),
        sold_with_host=bool(_bool(data.get("sold_with_host"), "sold_with_host", True)),
        separate_price=_money(data.get("separate_price"), "separate_price"),
        exclusions=_exclusions(data.get("exclusions")),
        repairs=tuple(
            _repair(raw, f"repairs.{i}", life)
            for i, raw in enumerate(_list(data.get("repairs"), "repairs"))
        ),
        open_repair=_open_repair(data.get("open_repair"), life),
        accessory_exchanges=exchanges,
        in_stock=bool(_bool(data.get("in_stock"), "in_stock", True)),
        channel=channel,
        received_date=received_date,
        intact=_bool(data.get("intact"), "intact", None),
    )


@dataclass(frozen=True)
class _Life:
    """The span a date of the claim must lie in: from the sale (or production) to the claim."""

    first: date | None
    first_field: str
    claim_date: date

    def check(self, day: date | None, field: str) -> None:
        _not_before(day, field, self.first, self.first_field)
        _not_after(day, field, self.claim_date, "claim_date")


def _exclusions(value: object) -> tuple[str, ...]:
    vocab = vocabulary()
    # faults.toml marks out_of_period `computed`: the engine decides it from the dates, and a
    # typed-in one would hide a wrong date.
    computed = {"out_of_period"}
    codes = _list(value, "exclusions")
    for i, code in enumerate(codes):
        _code(code, f"exclusions.{i}", vocab.exclusions)
        if code in computed:
            raise _error(f"exclusions.{i}", "computed_exclusion", value=code)
    return tuple(dict.fromkeys(codes))


def _repair(raw: object, name: str, life: _Life) -> Repair:
    raw = _object(raw, name, ("fault", "handed_in", "handed_back"))
    fault = _code(raw.get("fault"), f"{name}.fault", list(vocabulary().faults))
    handed_in = _required_date(raw.get("handed_in"), f"{name}.handed_in")
    handed_back = _required_date(raw.get("handed_back"), f"{name}.handed_back")
    life.check(handed_in, f"{name}.handed_in")
    _not_before(handed_back, f"{name}.handed_back", handed_in, f"{name}.handed_in")
    life.check(handed_back, f"{name}.handed_back")
    return Repair(fault, handed_in, handed_back)


def _open_repair(raw: object, life: _Life) -> OpenRepair | None:
    if raw is None:
        return None
    raw = _object(raw, "open_repair", ("handed_in", "delay"))
    handed_in = _required_date(raw.get("handed_in"), "open_repair.handed_in")
    life.check(handed_in, "open_repair.handed_in")
    # Whose delay is often unknown at first: the repairer's is the shorter, safer limit.
    delay = _code(_given(raw, "delay", "repairer"), "open_repair.delay", DELAYS)
    return OpenRepair(handed_in, delay)
