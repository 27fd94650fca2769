"""The intake document: what a counter records when a phone comes in.

The same schema serves ``repairdesk intake FILE`` and the TUI's intake form. Parsing turns
every pydantic error into an :class:`InputError` that names the field in the user's language.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from repairdesk.amounts import parse_yuan
from repairdesk.dates import parse_date
from repairdesk.errors import InputError
from repairdesk.fields import label, value_name, value_names
from repairdesk.freetext import COUNTS, check_count, check_text, rule_or_none
from repairdesk.i18n import _
from repairdesk.imei import parse_imei
from repairdesk.jsontext import MAX_DEPTH, depth, read_json
from repairdesk.phones import parse_phone
from repairdesk.tickets.codes import (
    Accessory,
    Channel,
    LiquidIndicator,
    Mark,
    PasscodeMode,
    PaymentMethod,
    Proof,
)
from repairdesk.vocabulary import vocabulary

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails
    from sqlmodel import Session

    from repairdesk.models import Ticket


def _iso_date(value: Any) -> Any:
    # Only YYYY-MM-DD: pydantic would otherwise read a bare number as a Unix timestamp.
    if value is None or isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError("not a date")
    return date.fromisoformat(value.strip())


def _amount(value: Any) -> Decimal:
    # The one rule for a typed amount (repairdesk.amounts), with its message: pydantic shows
    # a ValueError's text, which _message passes on.
    try:
        return parse_yuan(value, "amount")
    except InputError as exc:
        raise ValueError(exc.reason) from None


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Money = Annotated[Decimal, BeforeValidator(_amount), Field(max_digits=12)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CustomerIn(_Strict):
    # Its limit and characters are repairdesk/freetext.py's, as every text field's.
    name: Annotated[str, Field(min_length=1)]
    phone: str
    # A name other than the one on file for this phone: "rename" that customer on every
    # ticket, or "new" (another person with the same phone). Unset, it is refused
    # (NameDiffers), so nobody is renamed by a typo.
    name_change: Literal["rename", "new"] | None = None


class DeviceIn(_Strict):
    imei: str
    imei2: str | None = None
    serial: str | None = None
    brand: str | None = None
    model: str | None = None
    colour: str | None = None
    network_label: str | None = None
    sale_date: IsoDate | None = None
    invoice_date: IsoDate | None = None
    invoice_no: str | None = None
    price: Money | None = None
    seller: str | None = None
    channel: Channel = "store"
    received_date: IsoDate | None = None
    proof: Proof = "full"
    production_date: IsoDate | None = None


class ConditionIn(_Strict):
    marks: list[Mark] = []
    liquid_indicator: LiquidIndicator = "unknown"
    opened_before: bool = False
    notes: str = ""


class IntakeDoc(_Strict):
    customer: CustomerIn
    device: DeviceIn
    accessories: list[Accessory] = []
    condition: ConditionIn = ConditionIn()
    faults: list[str] = []
    description: str = ""
    passcode: PasscodeMode = "none"
    passcode_value: str | None = None
    deposit: Money = Decimal(0)
    deposit_method: PaymentMethod = "cash"
    promised_date: IsoDate | None = None
    technician: str | None = None
    # The sender's own reference for this intake (a line of a script, a form's id): unique
    # at the counter, so a rerun skips what was taken in already (TicketDesk.intake_lines).
    ref: str | None = None


class NameDiffers(InputError):
    """The phone is on file under another name and the document does not say what that
    means (``customer.name_change``)."""

    def __init__(self, known: str, given: str) -> None:
        super().__init__("customer.name", _("intake.name_differs", known=known, name=given))
        self.known = known
        self.given = given


def _message(error: ErrorDetails, field: str) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return _("core.unknown_key", key=error["loc"][-1])
    if kind == "missing":
        return _("core.required")
    if kind in ("literal_error", "enum"):
        # pydantic lists the codes as "'full', 'copy' or 'none'": the reader gets their names.
        codes = re.findall(r"'([^']*)'", str(error["ctx"]["expected"]))
        return _("core.bad_code", value=error.get("input"),
                 allowed=value_names(field, codes))
    if kind == "value_error" and error["loc"][-1] in DATE_FIELDS:
        return _("core.bad_date", value=error.get("input"))
    if kind == "value_error" and error["loc"][-1] in MONEY_FIELDS:
        return str(error["ctx"]["error"])
    if kind.startswith(("decimal", "float", "int", "greater_than")):
        return _("core.bad_number", value=error.get("input"))
    if kind.startswith("string_too"):
        return _("core.bad_length")
    return _("core.bad_value", value=error.get("input"))


DATE_FIELDS = {"sale_date", "invoice_date", "received_date", "production_date", "promised_date"}
MONEY_FIELDS = {"price", "deposit"}
#: The dates of a purchase: none may lie in the future.
PURCHASE_DATES = ("sale_date", "invoice_date", "received_date", "production_date")


def parse_intake(data: dict[str, Any] | str | bytes) -> IntakeDoc:
    """Parse an intake document (a dict or JSON text); InputError on the first bad field."""
    if isinstance(data, (str, bytes)):
        data = read_json(data)
    elif depth(data) > MAX_DEPTH:  # a dict built by a caller is as deep as it was given
        raise InputError("json", _("input.too_deep", limit=MAX_DEPTH))
    if not isinstance(data, dict):
        raise InputError("json", _("core.bad_json", error="not an object"))
    try:
        return IntakeDoc.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "json"
        # An unknown key is the user's, named in the message: the part holding it is named.
        holder = ".".join(str(part) for part in error["loc"][:-1]) or "json"
        raise InputError(field, _message(error, field), label=label(holder) if
                         error["type"] == "extra_forbidden" else None) from exc


class CheckedIntake(BaseModel):
    """An intake document after the counter's own checks: normalised and ready to store."""

    doc: IntakeDoc
    imei: str
    imei2: str | None
    phone: str
    price_fen: int | None
    deposit_fen: int


def to_fen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


#: The intake's free-text fields, in the order a person reads the form.
TEXT_FIELDS = (
    "customer.name", "customer.phone", "device.imei", "device.imei2", "device.serial",
    "device.brand", "device.model", "device.colour", "device.network_label",
    "device.invoice_no", "device.seller", "condition.notes", "description", "passcode_value",
    "technician", "ref",
)


def check_texts(doc: IntakeDoc) -> None:
    """The document's lists and free text against repairdesk/freetext.py's table, each
    value replaced by what is stored (a note's CRLF as newlines)."""
    for path in COUNTS:
        check_count(path, _holder_value(doc, path)[2])
    for path in TEXT_FIELDS:
        holder, name, value = _holder_value(doc, path)
        if value is not None:
            setattr(holder, name, check_text(path, value))


def _holder_value(doc: IntakeDoc, path: str) -> tuple[Any, str, Any]:
    *parents, name = path.split(".")
    holder: Any = doc
    for part in parents:
        holder = getattr(holder, part)
    return holder, name, getattr(holder, name)


def check_intake(doc: IntakeDoc, today: date, region: str = "CN") -> CheckedIntake:
    """Everything a store-less check can refuse, in the order a person reads the form."""
    check_texts(doc)
    phone = parse_phone(doc.customer.phone, region, field="customer.phone")
    imei = parse_imei(doc.device.imei, field="device.imei")
    imei2 = parse_imei(doc.device.imei2, field="device.imei2") if doc.device.imei2 else None
    if imei2 == imei:
        raise InputError("device.imei2", _("core.imei2_same"))
    known = vocabulary().faults
    for index, code in enumerate(doc.faults):
        if code not in known:
            raise InputError(
                f"faults.{index}", _("core.bad_code", value=code,
                                     allowed=value_names("faults", known))
            )
    if not doc.faults and not doc.description.strip():
        raise InputError("faults", _("core.fault_or_description"))
    device = doc.device
    for name in PURCHASE_DATES:
        value = getattr(device, name)
        if value is not None:
            check_day(f"device.{name}", value, today)
    if device.channel == "remote" and device.received_date is None:
        # The 7-day return of a remote sale (消法第二十五条) counts from receipt, not sale.
        raise InputError("device.received_date", _("core.received_date_remote"))
    if device.sale_date and device.received_date and device.received_date < device.sale_date:
        raise InputError("device.received_date", _("core.received_before_sale"))
    if device.sale_date and device.invoice_date and device.invoice_date < device.sale_date:
        raise InputError("device.invoice_date", _("core.invoice_before_sale"))
    if device.proof == "imei_date" and device.sale_date is None and device.production_date is None:
        raise InputError("device.production_date", _("core.production_date_needed"))
    if doc.promised_date is not None:
        check_day("promised_date", doc.promised_date, today)
    if doc.passcode_value and doc.passcode != "given":
        raise InputError("passcode_value", _("core.passcode_not_given", passcode=label("passcode"),
                                             given=value_name("passcode", "given")))
    return CheckedIntake(
        doc=doc,
        imei=imei,
        imei2=imei2,
        phone=phone,
        price_fen=to_fen(device.price) if device.price is not None else None,
        deposit_fen=to_fen(doc.deposit),
    )


def take_deposit(s: Session, ticket: Ticket, method: str, now: datetime, user: str) -> None:
    """Record the intake's deposit with how it was paid, in the intake's own transaction."""
    from repairdesk.models import Payment

    if ticket.deposit_fen <= 0:
        return
    assert ticket.id is not None
    s.add(Payment(ticket_id=ticket.id, kind="deposit", method=method,
                  amount_fen=ticket.deposit_fen, at_intake=True, at=now, user=user))


def check_day(path: str, day: date, today: date) -> None:
    """A purchase date lies in the past, the promised date in the future."""
    if path == "promised_date":
        if day < today:
            raise InputError(path, _("core.promised_in_past"))
    elif day > today:
        raise InputError(path, _("core.date_in_future", value=day.isoformat()))


def check_typed(path: str, raw: str, today: date, region: str = "CN") -> None:
    """One typed field of an intake (``path`` in the document, e.g. ``device.imei``) as a
    form checks it when it is left: :func:`check_intake`'s rule and message for it, before
    the whole document is checked again on saving. Dates may be typed short
    (repairdesk.dates); InputError names the field."""
    text = raw.strip()
    name = path.rpartition(".")[2]
    if rule_or_none(path) is not None:  # its length and characters first: a 1 MB IMEI
        check_text(path, raw)
    if path in ("device.imei", "device.imei2"):
        parse_imei(text, field=path)
    elif path == "customer.phone":
        parse_phone(text, region, field=path)
    elif name in DATE_FIELDS:
        try:
            day = parse_date(text, today, past=name != "promised_date")
        except ValueError as exc:
            raise InputError(path, str(exc)) from None
        check_day(path, day, today)
    elif name in MONEY_FIELDS:
        parse_yuan(text, path)
