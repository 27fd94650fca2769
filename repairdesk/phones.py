"""Customer phone numbers through phonenumbers: stored in E.164, masked on slips.

phonenumbers is imported by the functions that parse (its metadata is a good share of a
megabyte, and some 30 ms to import): the counter app loads this module with the facade on
every start, and parses a number only at an intake or a phone lookup. A stored mainland
number is masked without it (:func:`national`).
"""

from __future__ import annotations

from repairdesk.errors import InputError
from repairdesk.i18n import _
from repairdesk.imei import digits


def parse_phone(raw: str, region: str = "CN", field: str = "customer.phone") -> str:
    import phonenumbers

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
    if e164.startswith("+86") and e164[3:].isdigit() and not e164.startswith("+860"):
        # A stored mainland number's national part is what follows +86: the ticket screen
        # and the slips mask one without importing phonenumbers or parsing it (~50 µs).
        return e164[3:]
    import phonenumbers

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
