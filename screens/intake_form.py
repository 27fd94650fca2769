"""The intake form's fields: how each is checked as it is left, and how the form becomes the
intake document that ``desk.tickets.intake`` takes (the same schema as ``repairdesk intake FILE``).

No widgets here: the screen reads values off its widgets and hands them in as plain values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from repairdesk.dates import parse_date
from repairdesk.errors import InputError
from repairdesk.i18n import _, get_language
from repairdesk.imei import parse_imei
from repairdesk.phones import parse_phone
from repairdesk.vocabulary import vocabulary


@dataclass(frozen=True)
class Field:
    id: str  # the widget id on the intake screen
    path: str  # the key in the intake document (dotted)
    kind: str  # imei | phone | text | past_date | future_date | money | choice | choices | flag
    required: bool = False
    max_length: int | None = None


#: Typed fields in the order a person fills them in (the screen's focus order matches):
#: the purchase date right after the faults, where the 三包 decision needs it.
TYPED = (
    Field("imei", "device.imei", "imei", required=True),
    Field("phone", "customer.phone", "phone", required=True),
    Field("name", "customer.name", "text", required=True, max_length=100),
    Field("description", "description", "text"),
    Field("sale-date", "device.sale_date", "past_date"),
    Field("production-date", "device.production_date", "past_date"),
    Field("condition-notes", "condition.notes", "text"),
    Field("invoice-date", "device.invoice_date", "past_date"),
    Field("invoice-no", "device.invoice_no", "text"),
    Field("price", "device.price", "money"),
    Field("received-date", "device.received_date", "past_date"),
    Field("brand", "device.brand", "text"),
    Field("model", "device.model", "text"),
    Field("colour", "device.colour", "text"),
    Field("imei2", "device.imei2", "imei"),
    Field("passcode-value", "passcode_value", "text"),
    Field("deposit", "deposit", "money"),
    Field("promised-date", "promised_date", "future_date"),
    Field("technician", "technician", "text"),
)
#: Choices and lists (Select, SelectionList, Checkbox widgets).
CHOSEN = (
    Field("faults", "faults", "choices"),
    Field("accessories", "accessories", "choices"),
    Field("marks", "condition.marks", "choices"),
    Field("liquid", "condition.liquid_indicator", "choice"),
    Field("opened-before", "condition.opened_before", "flag"),
    Field("channel", "device.channel", "choice"),
    Field("proof", "device.proof", "choice"),
    Field("passcode", "passcode", "choice"),
)
FIELDS = {f.id: f for f in (*TYPED, *CHOSEN)}
BY_PATH = {f.path: f for f in (*TYPED, *CHOSEN)}
DEFAULTS: dict[str, Any] = {
    "faults": [], "accessories": [], "marks": [], "liquid": "unknown",
    "opened-before": False, "channel": "store", "proof": "full", "passcode": "none",
}


def field_day(field: Field, raw: str, today: date) -> date:
    """A date field's day, from the full form or a short one (repairdesk.dates)."""
    return parse_date(raw, today, past=field.kind == "past_date")


def shown_value(field_id: str, raw: str, today: date) -> str:
    """What the field should show once left: a date typed short, written out in full
    (the counter reads back the day it meant); anything else as typed."""
    field = FIELDS[field_id]
    if field.kind not in ("past_date", "future_date") or not raw.strip():
        return raw
    try:
        return field_day(field, raw, today).isoformat()
    except ValueError:
        return raw


def parse_money(raw: str) -> Decimal:
    try:
        amount = Decimal(raw.strip().replace(",", "").lstrip("¥￥"))
    except InvalidOperation:
        raise ValueError(_("core.bad_number", value=raw.strip())) from None
    if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(_("core.bad_number", value=raw.strip()))
    return amount


def field_error(field_id: str, raw: str, today: date, region: str = "CN") -> str | None:
    """The message to show next to a typed field as it is left, or None when it is fine."""
    field = FIELDS[field_id]
    text = raw.strip()
    if not text:
        return _("core.required") if field.required else None
    try:
        if field.kind == "imei":
            parse_imei(text, field=field.path)
        elif field.kind == "phone":
            parse_phone(text, region, field=field.path)
        elif field.kind in ("past_date", "future_date"):
            day = field_day(field, text, today)
            if field.kind == "past_date" and day > today:
                return _("core.date_in_future", value=day.isoformat())
            if field.kind == "future_date" and day < today:
                return _("core.promised_in_past")
        elif field.kind == "money":
            parse_money(text)
        elif field.max_length and len(text) > field.max_length:
            return _("core.bad_length")
    except InputError as exc:
        return exc.reason
    except ValueError as exc:
        return str(exc)
    return None


def _put(doc: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for key in parents:
        doc = doc.setdefault(key, {})
    doc[last] = value


def build_document(values: dict[str, Any], today: date) -> dict[str, Any]:
    """The intake document from the form's values (widget id -> str / list / bool); dates
    typed short are written out as of ``today``.

    Only what was filled in is put in; the document's own defaults do the rest, and the
    facade checks the whole of it again before anything is stored.
    """
    doc: dict[str, Any] = {"customer": {}, "device": {}, "condition": {}}
    for field in (*TYPED, *CHOSEN):
        value = values.get(field.id, DEFAULTS.get(field.id, ""))
        if isinstance(value, str):
            value = value.strip()
            if not value:
                if field.required:
                    _put(doc, field.path, "")
                continue
            if field.kind == "money":
                value = str(parse_money(value))
            value = shown_value(field.id, value, today)
        _put(doc, field.path, value)
    return doc


def widget_for(path: str) -> str | None:
    """The widget that shows an error the facade raised for ``path`` (e.g. "faults.0")."""
    while path:
        if path in BY_PATH:
            return BY_PATH[path].id
        path = path.rpartition(".")[0]
    return None


def fault_options() -> list[str]:
    """Fault codes in the table's order: the performance faults of 附录3 first."""
    faults = vocabulary().faults.values()
    return [f.code for f in faults if f.performance] + [f.code for f in faults
                                                         if not f.performance]


def fault_matches(query: str) -> list[str]:
    """Faults whose code or name (in either language) contains ``query``."""
    needle = query.strip().casefold()
    if not needle:
        return []
    return [code for code, names in fault_names(get_language()) if any(
        needle in name for name in names)]


@cache
def fault_names(lang: str) -> list[tuple[str, tuple[str, str, str]]]:
    """Each fault code with its code and names folded for matching, the UI language's name
    first. Kept: a keystroke in the fault search reads them all, and the other language's
    catalog takes a good part of a second to load the first time."""
    other = "en" if lang == "zh" else "zh"
    return [(code, (code.casefold(), _(f"fault.{code}", lang=lang).casefold(),
                    _(f"fault.{code}", lang=other).casefold()))
            for code in fault_options()]
