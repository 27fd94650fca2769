"""The small formatters and the sections several slips share (counter header, customer,
device, the 三包 decision at intake, the terms).

Pure functions of :class:`SlipData`, like the builders in :mod:`repairdesk.printing.build`.
Phones are always masked (138****8000); a value that is not known is left out rather than
printed empty.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from repairdesk.i18n import _
from repairdesk.phones import mask
from repairdesk.printing.config import printing_data
from repairdesk.printing.model import Field, Line, Section, Text
from repairdesk.printing.slip_data import SlipData
from repairdesk.tickets.remedies import FREE_REMEDIES, remedy_names
from repairdesk.tickets.views import CounterInfo, device_name

# The 三包 engine's reason codes that say why a phone is not covered (see policy.toml).
WHY_NOT_COVERED = frozenset({"exclusion", "no_proof", "not_performance_fault", "out_of_period",
                             "not_covered_part"})


# -- small formatters ------------------------------------------------------------------


def money(amount: Decimal | None) -> str:
    return _("print.money", amount=f"{amount or Decimal(0):,.2f}")


def phone_national(e164: str) -> str:
    """The counter's own phone as people dial it (021 6400 0000); it is not masked."""
    import phonenumbers  # only when a slip is printed: see repairdesk.phones

    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def surname(name: str) -> str:
    """What a bag label shows of a customer: 张 / 欧阳 / Smith."""
    name = name.strip()
    if " " in name:
        return name.split()[-1]
    for compound in printing_data().compound_surnames:
        if name.startswith(compound) and len(name) > len(compound):
            return compound
    return name[:1]


def names(prefix: str, codes: list[str] | tuple[str, ...]) -> str:
    return _("print.list_sep").join(_(f"{prefix}.{code}") for code in codes)


def local_time(moment: datetime, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def day_text(value: date | None) -> str:
    return value.isoformat() if value else "—"


def or_not_recorded(text: str | None) -> str:
    return text.strip() if text and text.strip() else _("print.not_recorded")


def model_name(dev: dict[str, Any]) -> str:
    """Brand and model, or that they are unknown: never the IMEI, printed in its own place."""
    return device_name(dev["brand"], dev["model"]) or _("print.model_unknown")


def header(counter: CounterInfo) -> tuple[str, ...]:
    lines = [counter.name]
    if counter.address:
        lines.append(counter.address)
    if counter.phone:
        lines.append(_("print.counter_phone", phone=phone_national(counter.phone)))
    return tuple(lines)


def fields(*pairs: tuple[str, str | None]) -> tuple[Line, ...]:
    """Fields whose value is known; an unknown value is left out rather than shown empty."""
    return tuple(Field(label, value) for label, value in pairs if value)


# -- sections shared by several slips ----------------------------------------------------


def customer_section(data: SlipData) -> Section:
    customer = data.ticket.customer
    return Section(_("print.section_customer"), fields(
        (_("print.customer_name"), customer["name"]),
        (_("print.customer_phone"), mask(customer["phone"])),
    ))


def device_section(data: SlipData, *, purchase: bool = False) -> Section:
    dev = data.ticket.device
    pairs: list[tuple[str, str | None]] = [
        (_("print.device_model"), model_name(dev)),
        (_("print.device_colour"), dev["colour"]),
        (_("print.imei"), dev["imei"]),
        (_("print.imei2"), dev["imei2"]),
        (_("print.serial"), dev["serial"]),
    ]
    if purchase:
        pairs += [
            (_("print.network_label"), dev["network_label"]),
            (_("print.sale_date"), day_text(dev["sale_date"]) if dev["sale_date"] else None),
            (_("print.invoice_no"), dev["invoice_no"]),
        ]
    return Section(_("print.section_device"), fields(*pairs))


def fault_text(faults: list[str] | tuple[str, ...], description: str) -> str:
    parts = [names("fault", faults)] if faults else []
    if description.strip():
        parts.append(description.strip())
    return _("print.list_sep").join(parts) or _("print.not_recorded")


def sanbao_status(decision: dict[str, Any] | None) -> str:
    """One sentence: covered or not, what the customer may choose, and the articles."""
    if decision is None:
        return _("print.sanbao_unknown")
    cited = "、".join(decision.get("articles", []))
    articles = _("print.articles", articles=cited) if cited else ""
    remedies = decision.get("remedies", [])
    if decision.get("covered") and FREE_REMEDIES.intersection(remedies):
        return _("print.sanbao_covered", remedies=remedy_names(remedies), articles=articles)
    return _("print.sanbao_not_covered", articles=articles)


def sanbao_section(data: SlipData) -> Section:
    decision = data.at_intake
    lines: list[Line] = [Text(sanbao_status(decision))]
    if decision and decision.get("period_end"):
        lines.append(Field(_("print.sanbao_until"), str(decision["period_end"])))
    if decision and not decision.get("covered"):
        # Why not: the customer is owed the reasons, not just the verdict.
        lines += [Text(r["text"], small=True) for r in decision.get("reasons", [])
                  if r["code"] in WHY_NOT_COVERED]
    return Section(_("print.section_sanbao"), tuple(lines))


def estimate(decision: dict[str, Any] | None) -> str:
    free = decision and decision.get("covered") and any(
        r in FREE_REMEDIES for r in decision.get("remedies", []))
    return _("print.estimate_free") if free else _("print.estimate_quote")


def terms_section(data: SlipData) -> Section:
    if data.terms and data.terms.strip():
        lines = [Text(t.strip(), small=True) for t in data.terms.strip().splitlines() if t.strip()]
    else:
        lines = [
            Text(_("print.term_backup"), small=True),
            Text(_("print.term_unclaimed", count=data.unclaimed_days), small=True),
            Text(_("print.term_slip"), small=True),
        ]
    return Section(_("print.section_terms"), tuple(lines))
