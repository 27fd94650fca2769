"""Customer phone numbers through phonenumbers: stored in E.164, masked on slips."""

from __future__ import annotations

import phonenumbers

from repairdesk.errors import InputError
from repairdesk.i18n import _
from repairdesk.imei import digits


def parse_phone(raw: str, region: str = "CN", field: str = "customer.phone") -> str:
    text = raw.strip()
    if not text:
        raise InputError(field, _("core.required"))
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InputError(field, _("core.phone_invalid", phone=text)) from exc
    if not phonenumbers.is_valid_number(number):
        raise InputError(field, _("core.phone_invalid", phone=text))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national(e164: str) -> str:
    """The number as the customer knows it (13800138000 for a mainland mobile)."""
    number = phonenumbers.parse(e164)
    return phonenumbers.national_significant_number(number)


def mask(e164: str) -> str:
    """138****8000: enough to recognise, not enough to call."""
    local = national(e164)
    if len(local) <= 7:
        return local[:2] + "*" * (len(local) - 2)
    return local[:3] + "*" * (len(local) - 7) + local[-4:]


def looks_like_phone(query: str) -> bool:
    text = query.strip()
    return bool(digits(text.lstrip("+"))) and 7 <= len(digits(text.lstrip("+"))) <= 15
