"""The one facade: every use case the screens and the CLI call.

Each public method is one transaction on the store. Methods take and return plain values and
the read models of :mod:`repairdesk.views`; no ORM object or SQL leaves this module.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from repairdesk.db import Store, open_store
from repairdesk.errors import InputError, NotFound, StoreError
from repairdesk.facade_base import Clock
from repairdesk.i18n import _
from repairdesk.imei import digits, is_valid_imei, shipped_tac
from repairdesk.intake import IntakeDoc, check_intake, parse_intake
from repairdesk.money.facade import MoneyDesk
from repairdesk.models import (
    Counter,
    Customer,
    Device,
    LearnedTac,
    RepairRecord,
    StatusMove,
    Ticket,
)
from repairdesk.numbering import is_ticket_number, next_ticket_number
from repairdesk.phones import mask, parse_phone
from repairdesk.printing.facade import PrintingDesk
from repairdesk.sync.facade import SyncDesk
from repairdesk.trust import TrustDesk
from repairdesk.views import (
    CounterInfo,
    IntakeResult,
    LookupResult,
    MoveView,
    RepairRecordView,
    TacView,
    TicketSummary,
    TicketView,
    fen_to_yuan,
)
from repairdesk.workflow import MOVES, OPEN, check_move

COUNTER_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
# Statuses in which the phone leaves the counter: the repair record's hand-back date.
HANDED_BACK = frozenset({"collected", "returned_unrepaired", "exchanged", "refunded"})


def local_now() -> datetime:
    return datetime.now().astimezone()


class Desk(PrintingDesk, SyncDesk, TrustDesk, MoneyDesk):
    """The counter's use cases over one open store (areas add theirs through mixins)."""

    def __init__(
        self, store: Store, *, clock: Clock = local_now, user: str = "counter", region: str = "CN"
    ) -> None:
        self.store = store
        self.clock = clock
        self.user = user
        self.region = region
        store.user, store.clock = user, clock

    @classmethod
    def open(cls, path: Path, **options: Any) -> Desk:
        return cls(open_store(path), **options)

    def close(self) -> None:
        self.store.close()

    # -- the counter -------------------------------------------------------------------

    def counter(self) -> CounterInfo | None:
        with self.store.read() as s:
            row = s.exec(select(Counter)).first()
            return _counter_view(row) if row else None

    def init_counter(self, code: str, name: str, address: str = "", phone: str = "") -> CounterInfo:
        code = code.strip().upper()
        if not COUNTER_CODE.match(code):
            raise InputError("counter", _("core.counter_code_invalid", code=code))
        if not name.strip():
            raise InputError("name", _("core.required"))
        phone_e164 = parse_phone(phone, self.region, field="phone") if phone.strip() else ""
        with self.store.write() as s:
            other = s.exec(select(Ticket.counter_code).where(Ticket.counter_code != code)).first()
            if other:
                raise InputError("counter", _("core.counter_has_tickets", code=other))
            row = s.exec(select(Counter)).first() or Counter(
                code=code, name=name, created_at=self.clock()
            )
            row.code, row.name, row.address, row.phone = code, name.strip(), address, phone_e164
            s.add(row)
            s.flush()
            return _counter_view(row)

    # -- intake ------------------------------------------------------------------------

    def tac(self, imei: str) -> TacView | None:
        """Brand and model for an IMEI's TAC: the shipped table first, then learned TACs."""
        found = shipped_tac(imei)
        if found:
            return TacView(found.brand, found.model)
        with self.store.read() as s:
            learned = s.get(LearnedTac, imei[:8])
            return TacView(learned.brand, learned.model, learned=True) if learned else None

    def intake(self, document: IntakeDoc | dict[str, Any] | str) -> IntakeResult:
        """Take a phone in. Everything is checked before anything is written."""
        doc = document if isinstance(document, IntakeDoc) else parse_intake(document)
        now = self.clock()
        checked = check_intake(doc, now.date(), self.region)
        dev = doc.device
        tac = self.tac(checked.imei)
        brand = dev.brand or (tac.brand if tac else None)
        model = dev.model or (tac.model if tac else None)
        with self.store.write() as s:
            counter = s.exec(select(Counter)).first()
            if counter is None:
                raise StoreError(_("core.counter_not_set"))
            customer = s.exec(select(Customer).where(Customer.phone == checked.phone)).first()
            if customer is None:
                customer = Customer(
                    name=doc.customer.name, phone=checked.phone, created_at=now, updated_at=now
                )
            elif customer.name != doc.customer.name:
                customer.name, customer.updated_at = doc.customer.name, now
            s.add(customer)
            device = s.exec(select(Device).where(Device.imei == checked.imei)).first()
            if device is None:
                device = Device(imei=checked.imei, created_at=now, updated_at=now)
            purchase = {
                "imei2": checked.imei2, "serial": dev.serial, "brand": brand, "model": model,
                "colour": dev.colour, "network_label": dev.network_label,
                "sale_date": dev.sale_date, "invoice_date": dev.invoice_date or dev.sale_date,
                "invoice_no": dev.invoice_no, "price_fen": checked.price_fen,
                "seller": dev.seller, "received_date": dev.received_date,
                "production_date": dev.production_date,
            }
            # A returning device keeps what was recorded before unless this intake says more.
            for name, value in purchase.items():
                if value is not None:
                    setattr(device, name, value)
            device.channel, device.proof, device.updated_at = dev.channel, dev.proof, now
            s.add(device)
            if dev.brand and dev.model and tac is None:
                s.merge(LearnedTac(tac=checked.imei[:8], brand=dev.brand, model=dev.model,
                                   learned_at=now))
            s.flush()
            number = next_ticket_number(s, counter.code, now.date())
            ticket = Ticket(
                number=number, counter_code=counter.code, customer_id=customer.id,
                device_id=device.id, status="received", accessories=list(doc.accessories),
                condition=doc.condition.model_dump(), faults=list(doc.faults),
                description=doc.description, passcode_mode=doc.passcode,
                passcode_value=doc.passcode_value, deposit_fen=checked.deposit_fen,
                promised_date=doc.promised_date, technician=doc.technician,
                created_at=now, updated_at=now,
            )
            s.add(ticket)
            s.flush()
            s.add(StatusMove(ticket_id=ticket.id, from_status=None, to_status="received",
                             at=now, user=self.user, note=""))
            s.add(RepairRecord(ticket_id=ticket.id, handed_in=now.date(),
                               fault_code=_first_performance_fault(doc.faults)))
            return IntakeResult(
                ticket=number, status="received", imei=checked.imei, brand=brand, model=model,
                tac_known=tac is not None, customer=customer.name, created=now,
            )

    # -- lookup ------------------------------------------------------------------------

    def lookup(self, query: str) -> LookupResult:
        """An IMEI (any accepted form), a ticket number or a phone number."""
        text = query.strip()
        if not text:
            raise InputError("query", _("core.required"))
        if is_ticket_number(text):
            return self._lookup_ticket(text.upper())
        number = digits(text)
        if number and 14 <= len(number) <= 16 and not text.startswith("+"):
            return self._lookup_imei(text, number)
        try:
            phone = parse_phone(text, self.region, field="query")
        except InputError:
            raise InputError("query", _("core.query_not_understood", query=text)) from None
        with self.store.read() as s:
            rows = _summaries(s, Customer.phone == phone)
        return LookupResult(text, "phone", None, None, None, rows)

    def _lookup_imei(self, text: str, number: str) -> LookupResult:
        # A 14-digit body or a 16-digit IMEISV names the same device as its 15-digit IMEI.
        imei = number if len(number) == 15 else parse_imei_body(number)
        valid = is_valid_imei(number) if len(number) == 15 else None
        with self.store.read() as s:
            rows = _summaries(s, or_(Device.imei == imei, Device.imei2 == imei))
        tac = self.tac(imei)
        return LookupResult(text, "imei", imei, valid, tac, rows)

    def _lookup_ticket(self, number: str) -> LookupResult:
        with self.store.read() as s:
            device_id = s.exec(select(Ticket.device_id).where(Ticket.number == number)).first()
            if device_id is None:
                raise NotFound(_("core.ticket_not_found", number=number))
            imei = s.get(Device, device_id).imei  # type: ignore[union-attr]
            rows = _summaries(s, Ticket.device_id == device_id)
        return LookupResult(number, "ticket", imei, is_valid_imei(imei), self.tac(imei), rows)

    # -- tickets -----------------------------------------------------------------------

    def ticket(self, number: str) -> TicketView:
        with self.store.read() as s:
            return _ticket_view(s, _get_ticket(s, number))

    def move(self, number: str, status: str, note: str = "", user: str | None = None) -> TicketView:
        """Move a ticket along the allowed table; the move is stored with time and user."""
        now = self.clock()
        with self.store.write() as s:
            ticket = _get_ticket(s, number)
            check_move(ticket.status, status)
            s.add(StatusMove(ticket_id=ticket.id, from_status=ticket.status, to_status=status,
                             at=now, user=user or self.user, note=note.strip()))
            ticket.status, ticket.updated_at = status, now
            ticket.version += 1
            s.add(ticket)
            record = s.exec(select(RepairRecord).where(RepairRecord.ticket_id == ticket.id)).first()
            if record and status in HANDED_BACK and record.handed_back is None:
                record.handed_back = now.date()
                s.add(record)
            s.flush()
            return _ticket_view(s, ticket)

    # -- 三包 -------------------------------------------------------------------------

    def warranty_claim(self, number: str, on: date | None = None) -> dict[str, Any]:
        """The claim document of a ticket, as ``repairdesk warranty check`` would read it."""
        from repairdesk.ticket_claim import EarlierRepair, claim_document

        on = on or self.today()
        with self.store.read() as s:
            ticket = _get_ticket(s, number)
            view = _ticket_view(s, ticket)
            earlier_rows = s.exec(
                select(RepairRecord, Ticket.status)
                .join(Ticket, RepairRecord.ticket_id == Ticket.id)
                .where(Ticket.device_id == ticket.device_id, Ticket.id != ticket.id,
                       Ticket.created_at < ticket.created_at)
            ).all()
        record = view.repair
        assert record is not None
        return claim_document(
            device=view.device, faults=view.faults, condition=view.condition,
            fault_code=record.fault_code, handed_in=record.handed_in,
            handed_back=record.handed_back, delay_cause=record.delay_cause,
            earlier=[EarlierRepair(r.fault_code, r.handed_in, r.handed_back, r.warranty, status)
                     for r, status in earlier_rows],
            on=on,
        )

    def warranty(self, number: str, on: date | None = None) -> dict[str, Any]:
        """The 三包 decision for a ticket on ``on`` (today by default)."""
        from repairdesk.policy import check_claim

        return check_claim(self.warranty_claim(number, on))

    def board(self, limit: int = 500) -> list[TicketSummary]:
        """Today's tickets and every open one, newest first."""
        midnight = datetime.combine(self.today(), time.min, tzinfo=self.clock().tzinfo)
        with self.store.read() as s:
            return _summaries(
                s, or_(Ticket.created_at >= midnight, col(Ticket.status).in_(sorted(OPEN))),
                limit=limit,
            )

    def count_tickets(self) -> int:
        with self.store.read() as s:
            return s.exec(select(func.count()).select_from(Ticket)).one()


def parse_imei_body(number: str) -> str:
    from stdnum import luhn

    return number[:14] + luhn.calc_check_digit(number[:14])


def _first_performance_fault(faults: list[str]) -> str | None:
    from repairdesk.vocabulary import vocabulary

    known = vocabulary().faults
    return next((f for f in faults if f in known and known[f].performance), None)


def _counter_view(row: Counter) -> CounterInfo:
    return CounterInfo(row.code, row.name, row.address, row.phone)


def _get_ticket(s: Session, number: str) -> Ticket:
    ticket = s.exec(select(Ticket).where(Ticket.number == number.strip().upper())).first()
    if ticket is None:
        raise NotFound(_("core.ticket_not_found", number=number.strip()))
    return ticket


def _summaries(s: Session, where: Any, limit: int | None = None) -> list[TicketSummary]:
    stmt = (
        select(Ticket, Device, Customer)
        .join(Device, Ticket.device_id == Device.id)
        .join(Customer, Ticket.customer_id == Customer.id)
        .where(where)
        .order_by(col(Ticket.created_at).desc(), col(Ticket.id).desc())
    )
    if limit:
        stmt = stmt.limit(limit)
    return [
        TicketSummary(
            ticket=t.number, status=t.status, created=t.created_at, faults=list(t.faults),
            imei=d.imei, brand=d.brand, model=d.model, customer=c.name,
            phone_masked=mask(c.phone), promised_date=t.promised_date,
        )
        for t, d, c in s.exec(stmt)
    ]


def _ticket_view(s: Session, t: Ticket) -> TicketView:
    device = s.get(Device, t.device_id)
    customer = s.get(Customer, t.customer_id)
    assert device is not None and customer is not None
    moves = s.exec(
        select(StatusMove).where(StatusMove.ticket_id == t.id).order_by(col(StatusMove.id))
    ).all()
    record = s.exec(select(RepairRecord).where(RepairRecord.ticket_id == t.id)).first()
    return TicketView(
        ticket=t.number, status=t.status, created=t.created_at, updated=t.updated_at,
        version=t.version,
        customer={"name": customer.name, "phone": customer.phone},
        device={
            "imei": device.imei, "imei2": device.imei2, "serial": device.serial,
            "brand": device.brand, "model": device.model, "colour": device.colour,
            "network_label": device.network_label, "sale_date": device.sale_date,
            "invoice_date": device.invoice_date, "invoice_no": device.invoice_no,
            "price": fen_to_yuan(device.price_fen), "seller": device.seller,
            "channel": device.channel, "received_date": device.received_date,
            "proof": device.proof, "production_date": device.production_date,
        },
        accessories=list(t.accessories), condition=dict(t.condition), faults=list(t.faults),
        description=t.description, passcode=t.passcode_mode,
        deposit=fen_to_yuan(t.deposit_fen), promised_date=t.promised_date,
        technician=t.technician,
        moves=[MoveView(m.from_status, m.to_status, m.at, m.user, m.note) for m in moves],
        repair=RepairRecordView(
            record.handed_in, record.handed_back, record.cause, record.action, record.warranty,
            record.fault_code, record.delay_cause, record.technician,
        ) if record else None,
        allowed_moves=list(MOVES[t.status]),
    )
