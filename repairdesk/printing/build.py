"""The four slips, built from the facade's read views (no store access here).

Each builder is a pure function of :class:`SlipData`, so a slip can be tested without a
printer or a database. The passcode never reaches this module: :class:`TicketView` carries
only whether one was given. Phones are always masked (138****8000).

The pickup receipt shows what the store records today (work done, deposit, the accessories
handed back, the repair's own guarantee). When parts, charges and payments exist, each
becomes one more section function in :func:`pickup_receipt`; nothing is printed for data
that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING, Any, get_args

from repairdesk.i18n import _
from repairdesk.phones import mask
from repairdesk.printing.config import printing_data
from repairdesk.printing.model import Field, Line, Section, Signature, Slip, Text
from repairdesk.tickets.codes import PaymentMethod
from repairdesk.tickets.guarantees import Guarantee
from repairdesk.tickets.remedies import FREE_REMEDIES, remedy_names
from repairdesk.tickets.views import CounterInfo, RepairRecordView, TicketView, device_name

if TYPE_CHECKING:
    # Printing reads money's view, never money's code (the layers contract in pyproject.toml).
    from repairdesk.money.views import TicketMoneyView

# The methods a payment may be recorded with (the same Literal as repairdesk.money.payments).
PAYMENT_METHODS: tuple[str, ...] = get_args(PaymentMethod)

# Statuses whose outcome belongs in the record's "故障处理情况及退、换货证明".
OUTCOMES = ("exchanged", "refunded", "returned_unrepaired", "sent_out")
# The 三包 engine's reason codes that say why a phone is not covered (see policy.toml).
WHY_NOT_COVERED = frozenset({"exclusion", "no_proof", "not_performance_fault", "out_of_period",
                             "not_covered_part"})


@dataclass(frozen=True)
class EarlierRepair:
    """A repair of the same phone on an earlier ticket of this counter."""

    ticket: str
    faults: tuple[str, ...]
    repair: RepairRecordView


@dataclass(frozen=True)
class SlipData:
    """Everything a slip may show, gathered by the facade in one place."""

    counter: CounterInfo
    ticket: TicketView
    tz: tzinfo
    today: date
    # The 三包 decision on the day the phone was handed in (None: it could not be decided).
    at_intake: dict[str, Any] | None
    # The repair's own guarantee if handed back today (repairdesk/money decides it).
    guarantee: Guarantee | None = None
    # Parts, quote, payments and balance of the ticket (pickup receipt).
    money: TicketMoneyView | None = None
    earlier: tuple[EarlierRepair, ...] = ()
    terms: str | None = None
    unclaimed_days: int = 90

    @property
    def handed_back(self) -> date:
        """The hand-back date: recorded when the ticket closed, else today (printed at pickup)."""
        repair = self.ticket.repair
        return repair.handed_back if repair and repair.handed_back else self.today


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


def _names(prefix: str, codes: list[str] | tuple[str, ...]) -> str:
    return _("print.list_sep").join(_(f"{prefix}.{code}") for code in codes)


def _local(moment: datetime, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _day(value: date | None) -> str:
    return value.isoformat() if value else "—"


def _or_dash(text: str | None) -> str:
    return text.strip() if text and text.strip() else _("print.not_recorded")


def _model(dev: dict[str, Any]) -> str:
    """Brand and model, or that they are unknown: never the IMEI, printed in its own place."""
    return device_name(dev["brand"], dev["model"]) or _("print.model_unknown")


def _header(counter: CounterInfo) -> tuple[str, ...]:
    lines = [counter.name]
    if counter.address:
        lines.append(counter.address)
    if counter.phone:
        lines.append(_("print.counter_phone", phone=phone_national(counter.phone)))
    return tuple(lines)


def _fields(*pairs: tuple[str, str | None]) -> tuple[Line, ...]:
    """Fields whose value is known; an unknown value is left out rather than shown empty."""
    return tuple(Field(label, value) for label, value in pairs if value)


# -- sections shared by several slips ----------------------------------------------------


def _customer(data: SlipData) -> Section:
    customer = data.ticket.customer
    return Section(_("print.section_customer"), _fields(
        (_("print.customer_name"), customer["name"]),
        (_("print.customer_phone"), mask(customer["phone"])),
    ))


def _device(data: SlipData, *, purchase: bool = False) -> Section:
    dev = data.ticket.device
    pairs: list[tuple[str, str | None]] = [
        (_("print.device_model"), _model(dev)),
        (_("print.device_colour"), dev["colour"]),
        (_("print.imei"), dev["imei"]),
        (_("print.imei2"), dev["imei2"]),
        (_("print.serial"), dev["serial"]),
    ]
    if purchase:
        pairs += [
            (_("print.network_label"), dev["network_label"]),
            (_("print.sale_date"), _day(dev["sale_date"]) if dev["sale_date"] else None),
            (_("print.invoice_no"), dev["invoice_no"]),
        ]
    return Section(_("print.section_device"), _fields(*pairs))


def _fault_text(faults: list[str] | tuple[str, ...], description: str) -> str:
    parts = [_names("fault", faults)] if faults else []
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


def _sanbao(data: SlipData) -> Section:
    decision = data.at_intake
    lines: list[Line] = [Text(sanbao_status(decision))]
    if decision and decision.get("period_end"):
        lines.append(Field(_("print.sanbao_until"), str(decision["period_end"])))
    if decision and not decision.get("covered"):
        # Why not: the customer is owed the reasons, not just the verdict.
        lines += [Text(r["text"], small=True) for r in decision.get("reasons", [])
                  if r["code"] in WHY_NOT_COVERED]
    return Section(_("print.section_sanbao"), tuple(lines))


def _estimate(decision: dict[str, Any] | None) -> str:
    free = decision and decision.get("covered") and any(
        r in FREE_REMEDIES for r in decision.get("remedies", []))
    return _("print.estimate_free") if free else _("print.estimate_quote")


def _terms(data: SlipData) -> Section:
    if data.terms and data.terms.strip():
        lines = [Text(t.strip(), small=True) for t in data.terms.strip().splitlines() if t.strip()]
    else:
        lines = [
            Text(_("print.term_backup"), small=True),
            Text(_("print.term_unclaimed", count=data.unclaimed_days), small=True),
            Text(_("print.term_slip"), small=True),
        ]
    return Section(_("print.section_terms"), tuple(lines))


# -- the four slips --------------------------------------------------------------------


def intake_slip(data: SlipData) -> Slip:
    t = data.ticket
    condition = t.condition
    marks = list(condition.get("marks", []))
    state = [_names("mark", marks) if marks else _("print.no_marks"),
             _(f"code.liquid_{condition.get('liquid_indicator', 'unknown')}"),
             _("print.opened_before") if condition.get("opened_before") else _("print.not_opened")]
    if str(condition.get("notes", "")).strip():
        state.append(str(condition["notes"]).strip())
    sections = (
        Section(None, _fields(
            (_("print.received_at"), _local(t.created, data.tz)),
            (_("print.promised"), _day(t.promised_date) if t.promised_date else None),
        )),
        _customer(data),
        _device(data),
        Section(_("print.section_accessories"), (
            Text(_names("accessory", t.accessories) if t.accessories
                 else _("print.no_accessories")),
        )),
        Section(_("print.section_condition"), (
            Text(_("print.list_sep").join(state)),
            Field(_("print.lock"), _(f"code.passcode_{t.passcode}")),
        )),
        Section(_("print.section_fault"), _fields(
            (_("print.fault_codes"), _names("fault", t.faults) if t.faults else None),
            (_("print.description"), t.description.strip() or None),
        )),
        _sanbao(data),
        Section(_("print.section_money"), _fields(
            (_("print.estimate"), _estimate(data.at_intake)),
            (_("print.deposit"), money(t.deposit)),
        )),
        _terms(data),
        Section(None, (Signature(_("print.sign_customer")), Signature(_("print.sign_receiver")))),
    )
    return Slip("intake", _("print.title_intake"), t.ticket, t.ticket, _header(data.counter),
                sections)


def device_label(data: SlipData) -> Slip:
    t = data.ticket
    dev = t.device
    lines = _fields(
        (_("print.label_customer"), surname(t.customer["name"])),
        (_("print.device_model"), _model(dev)),
        (_("print.imei"), dev["imei"]),
        (_("print.label_in"), t.created.astimezone(data.tz).date().isoformat()),
    )
    return Slip("label", _("print.title_label"), t.ticket, t.ticket, (), (Section(None, lines),))


def _work_done(data: SlipData) -> Section:
    repair = data.ticket.repair
    return Section(_("print.section_work"), (
        Field(_("print.cause"), _or_dash(repair.cause if repair else None)),
        Field(_("print.action"), _or_dash(repair.action if repair else None)),
    ))


def _parts_used(data: SlipData) -> Section | None:
    """Parts drawn for the ticket (net of returns), with who pays for them."""
    money_view = data.money
    if money_view is None:
        return None
    net: dict[str, int] = {}
    for move in money_view.parts:
        if move.kind in ("drawn", "returned"):
            net[move.part_number] = net.get(move.part_number, 0) + (
                move.qty if move.kind == "drawn" else -move.qty)
    used = [(part, qty) for part, qty in net.items() if qty > 0]
    if not used:
        return None
    paid = money_view.basis == "paid"
    return Section(_("print.section_parts"), tuple(
        Field(part, f"× {qty}" if paid else _("print.part_warranty", qty=qty))
        for part, qty in used))


def _money_at_pickup(data: SlipData) -> Section | None:
    """The charge, what was paid and how, and what is left: what the customer signs for."""
    money_view = data.money
    if money_view is None:
        deposit = data.ticket.deposit
        return Section(_("print.section_money"), (
            Field(_("print.deposit"), money(deposit)),)) if deposit else None
    balance = money_view.money
    lines: list[Field] = []
    if money_view.quote is not None and money_view.quote.status == "approved":
        for line in money_view.quote.lines:
            lines.append(Field(line.description or (line.part_number or ""), money(line.amount)))
        if money_view.quote.diagnostic_fee:
            lines.append(Field(_("print.diagnostic_fee"), money(money_view.quote.diagnostic_fee)))
    if balance.charge or money_view.payments:
        lines.append(Field(_("print.charge"), money(balance.charge)))
    for payment in money_view.payments:
        method = payment.method if payment.method in (*PAYMENT_METHODS, "unrecorded") else "other"
        label = _(f"print.payment_{payment.kind}", method=_(f"money.method_{method}"))
        lines.append(Field(label, money(payment.amount)))
    if not lines:
        return None
    lines.append(Field(_("print.balance"), money(balance.balance)))
    return Section(_("print.section_money"), tuple(lines))


def _guarantee(data: SlipData) -> Section | None:
    found = data.guarantee
    if found is None:
        return None
    days = (found.end - found.handed_back).days
    if found.kind == "paid":
        fault = _(f"fault.{found.fault}") if found.fault else "-"
        basis = _("print.guarantee_basis_paid", count=days, fault=fault)
    elif found.period_end and found.period_end >= found.end:
        basis = _("print.guarantee_basis_period", period_end=found.period_end.isoformat())
    else:
        basis = _("print.guarantee_basis_own", count=days)
    return Section(_("print.section_guarantee"), (
        Field(_("print.guarantee_until"), found.end.isoformat()),
        Text(basis, small=True),
    ))


def _returned(data: SlipData) -> Section:
    t = data.ticket
    return Section(_("print.section_returned"), (
        Text(_names("accessory", t.accessories) if t.accessories else _("print.no_accessories")),
    ))


PICKUP_SECTIONS: tuple[Callable[[SlipData], Section | None], ...] = (
    _work_done, _parts_used, _money_at_pickup, _returned, _guarantee,
)


def pickup_receipt(data: SlipData) -> Slip:
    t = data.ticket
    dev = t.device
    top = Section(None, _fields(
        (_("print.handed_back"), data.handed_back.isoformat()),
        (_("print.received_at"), _local(t.created, data.tz)),
        (_("print.customer_name"), f"{t.customer['name']} {mask(t.customer['phone'])}"),
        (_("print.device_model"), _model(dev)),
        (_("print.imei"), dev["imei"]),
    ))
    built = [section(data) for section in PICKUP_SECTIONS]
    sections = (
        top,
        *(s for s in built if s is not None),
        Section(None, (Text(_("print.term_check"), small=True),)),
        Section(None, (Signature(_("print.sign_pickup")),)),
    )
    return Slip("pickup", _("print.title_pickup"), t.ticket, t.ticket, _header(data.counter),
                sections)


def _outcome(t: TicketView, action: str) -> str:
    parts = [action.strip()] if action.strip() else []
    if t.status in OUTCOMES:
        parts.append(_(f"status.{t.status}"))
    return _("print.list_sep").join(parts) or _("print.not_recorded")


def _earlier(data: SlipData) -> Section | None:
    if not data.earlier:
        return None
    lines = []
    for item in data.earlier:
        r = item.repair
        kind = f" · {_('print.warranty_repair')}" if r.warranty else ""
        lines.append(Text(_("print.earlier_line", handed_in=_day(r.handed_in),
                            handed_back=_day(r.handed_back), ticket=item.ticket,
                            fault=_fault_text(item.faults, ""), kind=kind)))
    return Section(_("print.section_earlier"), tuple(lines))


def repair_record(data: SlipData) -> Slip:
    t = data.ticket
    repair = t.repair
    counter = data.counter
    record = Section(_("print.section_record"), (
        Field(_("print.record_in"), _day(repair.handed_in if repair else None)),
        Field(_("print.record_fault"), _fault_text(t.faults, t.description)),
        Field(_("print.record_cause"), _or_dash(repair.cause if repair else None)),
        Field(_("print.record_action"), _outcome(t, repair.action if repair else "")),
        Field(_("print.record_back"), _day(repair.handed_back if repair else None)),
        Field(_("print.record_technician"),
              _or_dash((repair.technician if repair else None) or t.technician)),
    ), boxed=True)
    consumer = Section(_("print.section_consumer"), _fields(
        (_("print.customer_name"), t.customer["name"]),
        (_("print.customer_phone"), mask(t.customer["phone"])),
    ))
    repairer = Section(_("print.section_repairer"), _fields(
        (_("print.repairer_name"), counter.name),
        (_("print.counter_code"), counter.code),
        (_("print.repairer_address"), counter.address or None),
        (_("print.repairer_phone"), phone_national(counter.phone) if counter.phone else None),
    ))
    sections = [_device(data, purchase=True), consumer, record, repairer]
    earlier = _earlier(data)
    if earlier:
        sections.append(earlier)
    sections.append(Section(None, (Signature(_("print.sign_technician")),
                                   Signature(_("print.sign_seal")))))
    return Slip("record", _("print.title_record"), t.ticket, t.ticket, _header(counter),
                tuple(sections))


BUILDERS: dict[str, Callable[[SlipData], Slip]] = {
    "intake": intake_slip,
    "label": device_label,
    "pickup": pickup_receipt,
    "record": repair_record,
}


def build_slip(kind: str, data: SlipData) -> Slip:
    return BUILDERS[kind](data)
