"""The four slips, built from the facade's read views (no store access here).

Each builder is a pure function of :class:`SlipData` (repairdesk/printing/slip_data.py), so a
slip can be tested without a printer or a database; the sections several slips share are in
repairdesk/printing/sections.py. The passcode never reaches this module: :class:`TicketView`
carries only whether one was given. Phones are always masked (138****8000).

The pickup receipt shows what the store records today (work done, parts, what was charged
and paid, the accessories handed back, the repair's own guarantee): one section function
each in :data:`PICKUP_SECTIONS`; nothing is printed for data that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable

from repairdesk.i18n import _
from repairdesk.phones import mask
from repairdesk.printing.model import Field, Section, Signature, Slip, Text
from repairdesk.printing.sections import (
    customer_section,
    day_text,
    device_section,
    estimate,
    fault_text,
    fields,
    header,
    local_time,
    model_name,
    money,
    names,
    or_not_recorded,
    phone_national,
    sanbao_section,
    surname,
    terms_section,
)
from repairdesk.printing.slip_data import SlipData
from repairdesk.tickets.codes import PAYMENT_METHODS
from repairdesk.tickets.views import TicketView

# Statuses whose outcome belongs in the record's "故障处理情况及退、换货证明".
OUTCOMES = ("exchanged", "refunded", "returned_unrepaired", "sent_out")


# -- the four slips --------------------------------------------------------------------


def intake_slip(data: SlipData) -> Slip:
    t = data.ticket
    condition = t.condition
    marks = list(condition.get("marks", []))
    state = [names("mark", marks) if marks else _("print.no_marks"),
             _(f"code.liquid_{condition.get('liquid_indicator', 'unknown')}"),
             _("print.opened_before") if condition.get("opened_before") else _("print.not_opened")]
    if str(condition.get("notes", "")).strip():
        state.append(str(condition["notes"]).strip())
    sections = (
        Section(None, fields(
            (_("print.received_at"), local_time(t.created, data.tz)),
            (_("print.promised"), day_text(t.promised_date) if t.promised_date else None),
        )),
        customer_section(data),
        device_section(data),
        Section(_("print.section_accessories"), (
            Text(names("accessory", t.accessories) if t.accessories
                 else _("print.no_accessories")),
        )),
        Section(_("print.section_condition"), (
            Text(_("print.list_sep").join(state)),
            Field(_("print.lock"), _(f"code.passcode_{t.passcode}")),
        )),
        Section(_("print.section_fault"), fields(
            (_("print.fault_codes"), names("fault", t.faults) if t.faults else None),
            (_("print.description"), t.description.strip() or None),
        )),
        sanbao_section(data),
        Section(_("print.section_money"), fields(
            (_("print.estimate"), estimate(data.at_intake)),
            (_("print.deposit"), money(t.deposit)),
        )),
        terms_section(data),
        Section(None, (Signature(_("print.sign_customer")), Signature(_("print.sign_receiver")))),
    )
    return Slip("intake", _("print.title_intake"), t.ticket, t.ticket, header(data.counter),
                sections)


def device_label(data: SlipData) -> Slip:
    t = data.ticket
    dev = t.device
    lines = fields(
        (_("print.label_customer"), surname(t.customer["name"])),
        (_("print.device_model"), model_name(dev)),
        (_("print.imei"), dev["imei"]),
        (_("print.label_in"), t.created.astimezone(data.tz).date().isoformat()),
    )
    return Slip("label", _("print.title_label"), t.ticket, t.ticket, (), (Section(None, lines),))


def _work_done(data: SlipData) -> Section:
    repair = data.ticket.repair
    return Section(_("print.section_work"), (
        Field(_("print.cause"), or_not_recorded(repair.cause if repair else None)),
        Field(_("print.action"), or_not_recorded(repair.action if repair else None)),
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
        Text(names("accessory", t.accessories) if t.accessories else _("print.no_accessories")),
    ))


PICKUP_SECTIONS: tuple[Callable[[SlipData], Section | None], ...] = (
    _work_done, _parts_used, _money_at_pickup, _returned, _guarantee,
)


def pickup_receipt(data: SlipData) -> Slip:
    t = data.ticket
    dev = t.device
    top = Section(None, fields(
        (_("print.handed_back"), data.handed_back.isoformat()),
        (_("print.received_at"), local_time(t.created, data.tz)),
        (_("print.customer_name"), f"{t.customer['name']} {mask(t.customer['phone'])}"),
        (_("print.device_model"), model_name(dev)),
        (_("print.imei"), dev["imei"]),
    ))
    built = [section(data) for section in PICKUP_SECTIONS]
    sections = (
        top,
        *(s for s in built if s is not None),
        Section(None, (Text(_("print.term_check"), small=True),)),
        Section(None, (Signature(_("print.sign_pickup")),)),
    )
    return Slip("pickup", _("print.title_pickup"), t.ticket, t.ticket, header(data.counter),
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
        lines.append(Text(_("print.earlier_line", handed_in=day_text(r.handed_in),
                            handed_back=day_text(r.handed_back), ticket=item.ticket,
                            fault=fault_text(item.faults, ""), kind=kind)))
    return Section(_("print.section_earlier"), tuple(lines))


def repair_record(data: SlipData) -> Slip:
    t = data.ticket
    repair = t.repair
    counter = data.counter
    record = Section(_("print.section_record"), (
        Field(_("print.record_in"), day_text(repair.handed_in if repair else None)),
        Field(_("print.record_fault"), fault_text(t.faults, t.description)),
        Field(_("print.record_cause"), or_not_recorded(repair.cause if repair else None)),
        Field(_("print.record_action"), _outcome(t, repair.action if repair else "")),
        Field(_("print.record_back"), day_text(repair.handed_back if repair else None)),
        Field(_("print.record_technician"),
              or_not_recorded((repair.technician if repair else None) or t.technician)),
    ), boxed=True)
    consumer = Section(_("print.section_consumer"), fields(
        (_("print.customer_name"), t.customer["name"]),
        (_("print.customer_phone"), mask(t.customer["phone"])),
    ))
    repairer = Section(_("print.section_repairer"), fields(
        (_("print.repairer_name"), counter.name),
        (_("print.counter_code"), counter.code),
        (_("print.repairer_address"), counter.address or None),
        (_("print.repairer_phone"), phone_national(counter.phone) if counter.phone else None),
    ))
    sections = [device_section(data, purchase=True), consumer, record, repairer]
    earlier = _earlier(data)
    if earlier:
        sections.append(earlier)
    sections.append(Section(None, (Signature(_("print.sign_technician")),
                                   Signature(_("print.sign_seal")))))
    return Slip("record", _("print.title_record"), t.ticket, t.ticket, header(counter),
                tuple(sections))


BUILDERS: dict[str, Callable[[SlipData], Slip]] = {
    "intake": intake_slip,
    "label": device_label,
    "pickup": pickup_receipt,
    "record": repair_record,
}


def build_slip(kind: str, data: SlipData) -> Slip:
    return BUILDERS[kind](data)
