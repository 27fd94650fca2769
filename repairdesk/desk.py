"""The one facade: every use case the screens and the CLI call.

Each public method is one transaction on the store. Methods take and return plain values and
the read models of :mod:`repairdesk.tickets.views`; no ORM object or SQL leaves this module.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from repairdesk import audit
from repairdesk.backup import BackupInfo
from repairdesk.tickets.board import masked as _masked
from repairdesk.tickets.board import read_board
from repairdesk.db import Store, open_store
from repairdesk.errors import InputError, NotFound, OpenTicketError, StoreError
from repairdesk.facade_base import Clock, local_now
from repairdesk.i18n import _
from repairdesk.imei import digits, is_valid_imei, parse_imei, shipped_tac
from repairdesk.models import (
    ChecklistResult,
    Counter,
    Customer,
    Device,
    LearnedTac,
    RepairRecord,
    StatusMove,
    Ticket,
)
from repairdesk.money.claims import device_facts
from repairdesk.money.facade import MoneyDesk
from repairdesk.money.payments import record_intake_deposit
from repairdesk.tickets.numbering import is_ticket_number, next_ticket_number
from repairdesk.phones import mask, parse_phone
from repairdesk.printing.facade import PrintingDesk
from repairdesk.tickets.search import CustomerText
from repairdesk.sync.facade import SyncDesk
from repairdesk.tickets.updates import TicketUpdatesDesk
from repairdesk.trust import TrustDesk
from repairdesk.tickets.views import (
    BoardView,
    ChecklistItemView,
    ChecklistOutcome,
    ChecklistView,
    CounterInfo,
    CustomerView,
    DeadlineView,
    DecisionView,
    DeviceHistory,
    IntakeResult,
    LookupResult,
    MoveView,
    RepairRecordView,
    TacView,
    TicketSummary,
    TicketView,
    fen_to_yuan,
)
from repairdesk.tickets.workflow import MOVES, OPEN, check_move

if TYPE_CHECKING:  # the intake's pydantic models are built when an intake is first made
    from repairdesk.tickets.intake import IntakeDoc

COUNTER_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
# Statuses in which the phone leaves the counter: the repair record's hand-back date.
HANDED_BACK = frozenset({"collected", "returned_unrepaired", "exchanged", "refunded"})
UNSTATED_BLACKLIST_REASON = "lost/stolen"
#: Tickets a lookup by name lists: the customer's history, as the intake form lists it.
LOOKUP_LIMIT = 50


class Desk(TicketUpdatesDesk, PrintingDesk, SyncDesk, TrustDesk, MoneyDesk):
    """The counter's use cases over one open store (areas add theirs through mixins)."""

    def __init__(
        self, store: Store, *, clock: Clock = local_now, user: str = "counter", region: str = "CN"
    ) -> None:
        self.store = store
        self.clock = clock
        self.user = user
        self.region = region
        store.user, store.clock = user, clock
        self._customer_text = CustomerText()

    @classmethod
    def open(cls, path: Path, **options: Any) -> Desk:
        return cls(open_store(path), **options)

    def close(self) -> None:
        self.store.close()

    def daily_backup(self, keep: int) -> BackupInfo | None:
        """The day's first start backs the store up (verified); the newest ``keep`` are
        kept. None when today's backup exists already (or ``keep`` is 0)."""
        from repairdesk.backup import daily_backup

        return daily_backup(self.store.path, keep)

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

    def intake(self, document: IntakeDoc | dict[str, Any] | str, *,
               allow_open: bool = True) -> IntakeResult:
        """Take a phone in. Everything is checked before anything is written. With
        ``allow_open`` False a phone that has an open ticket is refused
        (:class:`OpenTicketError`, naming it), checked in the same transaction."""
        from repairdesk.tickets.intake import IntakeDoc, check_intake, parse_intake

        doc = document if isinstance(document, IntakeDoc) else parse_intake(document)
        now = self.clock()
        checked = check_intake(doc, now.date(), self.region)
        dev = doc.device
        tac = self.tac(checked.imei)
        brand = dev.brand or (tac.brand if tac else None)
        model = dev.model or (tac.model if tac else None)
        flag = self._blacklist_reason(checked.imei, checked.imei2)
        with self.store.write() as s:
            counter = s.exec(select(Counter)).first()
            if counter is None:
                raise StoreError(_("core.counter_not_set"))
            device = s.exec(select(Device).where(Device.imei == checked.imei)).first()
            if device is not None and not allow_open:  # asked before the customer's name
                _refuse_open_ticket(s, device)
            customer = _intake_customer(s, doc.customer, checked.phone, now)
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
            record_intake_deposit(s, ticket, doc.deposit_method, now, self.user)
            return IntakeResult(
                ticket=number, status="received", imei=checked.imei, brand=brand, model=model,
                tac_known=tac is not None, customer=customer.name, created=now, blacklisted=flag,
            )

    # -- lookup ------------------------------------------------------------------------

    def lookup(self, query: str) -> LookupResult:
        """An IMEI (any accepted form), a ticket number or a phone number; anything else (a
        customer's name) is looked for with :meth:`search`, kind ``name``."""
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
            # A name (or a part of a number, a model): what the F4 lookup finds as it is typed.
            rows = self.search(text, limit=LOOKUP_LIMIT)
            if not rows and not any(c.isalpha() for c in text):
                raise InputError("query", _("core.query_not_understood", query=text)) from None
            return LookupResult(text, "name", None, None, None, rows)
        with self.store.read() as s:
            rows = _summaries(s, Customer.phone == phone)
        return LookupResult(text, "phone", None, None, None, rows)

    def _blacklist_reason(self, *imeis: str | None) -> str | None:
        for imei in imeis:
            entry = self.blacklisted(imei) if imei else None
            if entry is not None:
                return entry.reason or UNSTATED_BLACKLIST_REASON
        return None

    def _lookup_imei(self, text: str, number: str) -> LookupResult:
        # A 14-digit body or a 16-digit IMEISV names the same device as its 15-digit IMEI.
        imei = number if len(number) == 15 else parse_imei_body(number)
        valid = is_valid_imei(number) if len(number) == 15 else None
        # A scan at the counter: two indexed reads on one connection, without the ORM's
        # session, statement building and objects (they took ten times the reads).
        from repairdesk.tickets.search import IMEI_LOOKUP, typed_row

        with self.store.engine.connect() as conn:
            rows = [_summary(typed_row(r)) for r in
                    conn.exec_driver_sql(IMEI_LOOKUP, (imei, imei)).fetchall()]
            listed = conn.exec_driver_sql(
                "SELECT reason FROM sync_blacklist WHERE imei = ?", (imei,)).first()
        tac = self.tac(imei)
        return LookupResult(text, "imei", imei, valid, tac, rows,
                            blacklisted=(listed[0] or UNSTATED_BLACKLIST_REASON) if listed
                            else None)

    def _lookup_ticket(self, number: str) -> LookupResult:
        with self.store.read() as s:
            device_id = s.exec(select(Ticket.device_id).where(Ticket.number == number)).first()
            if device_id is None:
                raise NotFound(_("core.ticket_not_found", number=number))
            imei = s.get(Device, device_id).imei  # type: ignore[union-attr]
            rows = _summaries(s, Ticket.device_id == device_id)
        return LookupResult(number, "ticket", imei, is_valid_imei(imei), self.tac(imei), rows,
                            blacklisted=self._blacklist_reason(imei))

    # -- tickets -----------------------------------------------------------------------

    def ticket(self, number: str) -> TicketView:
        with self.store.read() as s:
            return _ticket_view(s, _get_ticket(s, number))

    def move(self, number: str, status: str, note: str = "", user: str | None = None,
             version: int | None = None) -> TicketView:
        """Move a ticket along the allowed table; the move is stored with time and user.

        With ``version`` (what the screen showed), a move over a newer change made on another
        terminal is refused with the name of who made it.
        """
        from repairdesk.money.gates import check_move as money_rules

        now = self.clock()
        role = self.acting_role()  # read before the write transaction takes the lock
        with self.store.write() as s:
            ticket = _get_ticket(s, number)
            _check_version(s, ticket, version, now)
            # Paid work waits for an approved quote; nobody collects with a balance open.
            money_rules(s, ticket, status, role, now.date())
            _record_move(s, ticket, status, now, user or self.user, note)
            return _ticket_view(s, ticket)

    def reopen(self, number: str, note: str) -> TicketView:
        """Manager only: bring a closed ticket back to diagnosing (a wrong close, a comeback)."""
        return self._override(number, note, "diagnosing", closed=True)

    def void(self, number: str, note: str) -> TicketView:
        """Manager only: cancel an open ticket whatever its status (an intake made in error)."""
        return self._override(number, note, "cancelled", closed=False)

    def _override(self, number: str, note: str, target: str, *, closed: bool) -> TicketView:
        from repairdesk.tickets.workflow import TERMINAL

        self.require("manager")
        if not note.strip():
            raise InputError("note", _("core.reason_required"))
        now = self.clock()
        with self.store.write() as s:
            ticket = _get_ticket(s, number)
            if (ticket.status in TERMINAL) != closed:
                key = "core.not_closed" if closed else "core.already_closed"
                raise InputError("status", _(key, status=_(f"status.{ticket.status}")))
            s.add(StatusMove(ticket_id=ticket.id, from_status=ticket.status,  # type: ignore[arg-type]
                             to_status=target, at=now, user=self.user, note=note.strip()))
            ticket.status, ticket.updated_at = target, now
            ticket.version += 1
            s.add(ticket)
            s.flush()
            return _ticket_view(s, ticket)

    def reveal_passcode(self, number: str) -> str | None:
        """The passcode a customer gave, for the technician at the bench; the reveal is
        audited. ``None`` once the ticket is collected (it is erased then)."""
        self.require("technician")
        with self.store.write() as s:
            ticket = _get_ticket(s, number)
            audit.note(s, "ticket", str(ticket.id), "reveal_passcode",
                       {"ticket": ticket.number})
            return ticket.passcode_value

    # -- 三包 -------------------------------------------------------------------------

    def warranty_claim(self, number: str, on: date | None = None) -> dict[str, Any]:
        """The claim document of a ticket, as ``repairdesk warranty check`` would read it."""
        with self.store.read() as s:
            return _claim_of(s, number, on or self.today())

    def warranty(self, number: str, on: date | None = None) -> dict[str, Any]:
        """The 三包 decision for a ticket on ``on`` (today by default)."""
        from repairdesk.money.claims import vendor_policy
        from repairdesk.policy import check_claim

        with self.store.read() as s:
            claim = _claim_of(s, number, on or self.today())
            # A vendor policy HQ sent in a reference pack extends the regulation's coverage.
            policy = vendor_policy(s)
        return check_claim(claim, policy=policy)

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

    # -- the counter app: lookups as you type ------------------------------------------

    def search(self, text: str, limit: int = 20) -> list[TicketSummary]:
        """Tickets whose number, IMEI or phone starts with (a phone: contains) what was typed
        so far, newest first; at most ``limit``. Less than 3 terminal cells (3 digits, or a
        two-character Chinese name) finds nothing: too little to mean anyone."""
        from wcwidth import wcswidth

        query = text.strip()
        number = digits(query.lstrip("+"))
        if wcswidth(query) < 3:
            return []
        # Typed on every keystroke over up to a million tickets: see repairdesk/tickets/search.py.
        from repairdesk.tickets.search import search

        with self.store.read() as s:
            rows = search(s.connection(), query, number, limit, self._customer_text)
        return [_summary(row) for row in rows]

    def prepare_search(self) -> None:
        """Load what ``search`` keeps in memory (customers' phones and names: about a second
        for a million tickets), so that the first keystroke does not wait for it."""
        from repairdesk.tickets.search import prepare

        with self.store.read() as s:
            prepare(s.connection(), self._customer_text)

    def customer_by_phone(self, phone: str) -> CustomerView | None:
        """The customer with this phone (any accepted form) and their tickets, newest first;
        None for a new customer. InputError (field ``customer.phone``) for a bad number."""
        e164 = parse_phone(phone, self.region, field="customer.phone")
        with self.store.read() as s:
            customer = _customer_by_phone(s, e164)
            if customer is None:
                return None
            rows = _summaries(s, Ticket.customer_id == customer.id, limit=50)
        return CustomerView(customer.name, customer.phone, mask(customer.phone), rows)

    def open_ticket_of(self, imei: str) -> TicketSummary | None:
        """The open ticket of the phone with this IMEI (first or second), if any: what
        ``intake(..., allow_open=False)`` refuses. InputError for an IMEI that is not valid."""
        return self.device_history(imei).open_ticket

    def device_history(self, imei: str) -> DeviceHistory:
        """Everything the store knows of an IMEI (first or second), with its open ticket.
        InputError (field ``device.imei``) for an IMEI that is not valid."""
        number = parse_imei(imei, field="device.imei")
        tac = self.tac(number)
        with self.store.read() as s:
            device = s.exec(
                select(Device).where(or_(Device.imei == number, Device.imei2 == number))
            ).first()
            if device is None:
                return DeviceHistory(number, False, tac, {}, [], None)
            rows = _summaries(s, Ticket.device_id == device.id, limit=50)
        open_ticket = next((row for row in rows if row.status in OPEN), None)
        return DeviceHistory(number, True, tac, device_facts(device), rows, open_ticket)

    # -- the counter app: 三包 on the screens ------------------------------------------

    def decision(self, number: str, on: date | None = None) -> DecisionView:
        """The 三包 decision as the screens show it. A ticket whose purchase facts are
        incomplete (no sale date, ...) gets ``undecided`` with the engine's reason instead
        of an error: the counter can still work on it."""
        try:
            return DecisionView.from_decision(self.warranty(number, on))
        except InputError as exc:
            return DecisionView.missing(exc.message)

    def deadlines(self, number: str) -> list[DeadlineView]:
        """The legal deadlines of a ticket in 三包 repair (none for a paid or finished one)."""
        today = self.today()
        with self.store.read() as s:
            ticket = _get_ticket(s, number)
            return _deadlines(s, [ticket], today).get(ticket.id) or []  # type: ignore[arg-type]

    def board_view(
        self,
        status: str | None = None,
        technician: str | None = None,
        text: str | None = None,
        limit: int = 500,
    ) -> BoardView:
        """The board (today's tickets and every open one, newest first) with each open
        repair's legal deadlines, filtered by status, technician and free text."""
        today = self.today()
        midnight = datetime.combine(today, time.min, tzinfo=self.clock().tzinfo)
        # Plain SQL on the driver's connection (repairdesk/tickets/board.py): the app's first screen
        # reads it the same way before the ORM is loaded (repairdesk/opening.py).
        with self.store.engine.connect() as conn:
            return read_board(conn.connection.driver_connection,  # type: ignore[arg-type]
                              today, midnight, status, technician, text, limit)

    # -- the counter app: diagnosis and the repair record ------------------------------

    def checklist(self, number: str) -> ChecklistView:
        """The checklist of a ticket: its items and the last saved results, if any."""
        from repairdesk.tickets.checklist import items_for
        from repairdesk.policy import load_rules
        from repairdesk.tickets.claims import exclusions_from_condition

        with self.store.read() as s:
            ticket = _get_ticket(s, number)
            device = s.get(Device, ticket.device_id)
            saved = _latest_checklists(s, [ticket.id]).get(ticket.id)  # type: ignore[list-item]
        assert device is not None
        items = [
            ChecklistItemView(i.code, i.kind, i.fault, i.part, i.measure, i.name)
            for i in items_for(ticket.accessories)
        ]
        return ChecklistView(
            ticket=ticket.number, status=ticket.status, imei=device.imei,
            reported_faults=list(ticket.faults), items=items,
            results=dict(saved.results) if saved else {},
            battery_health=saved.battery_health if saved else None,
            battery_threshold=load_rules().settings.battery_capacity_threshold_percent,
            exclusions=list(saved.exclusions) if saved else [],
            intake_exclusions=exclusions_from_condition(ticket.condition),
            voucher_imei=saved.voucher_imei if saved else None,
            notes=saved.notes if saved else "",
            recorded_at=saved.recorded_at if saved else None,
            user=saved.user if saved else None,
        )

    def save_checklist(
        self,
        number: str,
        results: dict[str, str],
        *,
        battery_health: int | None = None,
        exclusions: list[str] | tuple[str, ...] = (),
        voucher_imei: str | None = None,
        notes: str = "",
        user: str | None = None,
    ) -> ChecklistOutcome:
        """Record a diagnosis: the results, the exclusion evidence, the confirmed fault in the
        repair record, then the 三包 decision on it (the record's warranty flag). A ticket
        still ``received`` moves to ``diagnosing``: its diagnosis has been made. Everything
        is checked first and written in one transaction."""
        from repairdesk.tickets.checklist import (
            BATTERY_TEST,
            battery_result,
            check_results,
            confirmed_faults,
            diagnosed_fault,
            items_for,
            suggested_move,
        )
        from repairdesk.policy import load_rules
        from repairdesk.tickets.updates import decide

        now = self.clock()
        threshold = load_rules().settings.battery_capacity_threshold_percent
        voucher = voucher_imei.strip() if voucher_imei else ""
        voucher = parse_imei(voucher, field="voucher_imei") if voucher else ""
        with self.store.write() as s:
            ticket = _get_ticket(s, number)
            device = s.get(Device, ticket.device_id)
            record = _repair_record(s, ticket)
            if record is None:
                raise StoreError(_("record.missing", number=ticket.number))
            assert device is not None
            items = items_for(ticket.accessories)
            full, found = check_results(items, results, battery_health, exclusions)
            full[BATTERY_TEST] = battery_result(battery_health, threshold)
            if voucher and voucher not in (device.imei, device.imei2) \
                    and "voucher_mismatch" not in found:
                found.append("voucher_mismatch")
            confirmed = confirmed_faults(items, full)
            fault = diagnosed_fault(confirmed, list(ticket.faults))
            row = ChecklistResult(
                ticket_id=ticket.id, results=full, battery_health=battery_health,  # type: ignore[arg-type]
                exclusions=found, voucher_imei=voucher or None, notes=notes.strip(),
                fault_code=fault, recorded_at=now, user=user or self.user,
            )
            s.add(row)
            if fault:
                record.fault_code = fault
            s.flush()
            decision = decide(s, ticket, now.date())
            row.covered = None if decision.undecided else decision.covered
            record.warranty = decision.covered
            s.add(row)
            s.add(record)
            if ticket.status == "received":
                _record_move(s, ticket, "diagnosing", now, user or self.user,
                             _("checklist.move_note"))
            else:
                ticket.updated_at = now
                ticket.version += 1
                s.add(ticket)
            allowed = list(MOVES[ticket.status])
            return ChecklistOutcome(
                ticket=ticket.number, status=ticket.status, fault_code=record.fault_code,
                confirmed=confirmed, exclusions=found, decision=decision,
                allowed_moves=allowed,
                suggested_move=suggested_move(None if decision.undecided else decision.covered,
                                              allowed),
            )


def parse_imei_body(number: str) -> str:
    from stdnum import luhn

    return number[:14] + luhn.calc_check_digit(number[:14])


def _first_performance_fault(faults: list[str]) -> str | None:
    from repairdesk.vocabulary import vocabulary

    known = vocabulary().faults
    return next((f for f in faults if f in known and known[f].performance), None)


def _customer_by_phone(s: Session, phone: str) -> Customer | None:
    """The customer a phone (E.164) stands for: of several people sharing it, the one
    whose record changed last (the one the counter saw last)."""
    return s.exec(select(Customer).where(Customer.phone == phone).order_by(
        col(Customer.updated_at).desc(), col(Customer.id).desc())).first()


def _intake_customer(s: Session, given: Any, phone: str, now: datetime) -> Customer:
    """The customer of an intake (``given``: its CustomerIn). Someone on file with this
    phone and this name is that customer; another name is renamed or a new customer only
    as ``name_change`` says, else NameDiffers (nothing is renamed silently)."""
    from repairdesk.tickets.intake import NameDiffers

    same = s.exec(select(Customer).where(Customer.phone == phone,
                                         Customer.name == given.name)).first()
    known = same or _customer_by_phone(s, phone)
    if known is not None and known.name != given.name:
        if given.name_change is None:
            raise NameDiffers(known.name, given.name)
        if given.name_change == "rename":
            known.name = given.name
        else:
            known = None
    if known is None:
        known = Customer(name=given.name, phone=phone, created_at=now, updated_at=now)
    known.updated_at = now
    s.add(known)
    return known


def _counter_view(row: Counter) -> CounterInfo:
    return CounterInfo(row.code, row.name, row.address, row.phone)


def _get_ticket(s: Session, number: str) -> Ticket:
    ticket = s.exec(select(Ticket).where(Ticket.number == number.strip().upper())).first()
    if ticket is None:
        raise NotFound(_("core.ticket_not_found", number=number.strip()))
    return ticket


def _summaries(s: Session, where: Any, limit: int | None = None) -> list[TicketSummary]:
    # Columns, not ORM objects: lookups list up to fifty tickets on every keystroke.
    tickets, devices, customers = (m.__table__ for m in (Ticket, Device, Customer))  # type: ignore[attr-defined]
    ticket, device, customer = tickets.c, devices.c, customers.c
    stmt = (
        select(ticket.number, ticket.status, ticket.created_at, ticket.faults, device.imei,
               device.brand, device.model, customer.name, customer.phone,
               ticket.promised_date)
        .select_from(tickets)
        .join(devices, ticket.device_id == device.id)
        .join(customers, ticket.customer_id == customer.id)
        .where(where)
        .order_by(ticket.created_at.desc(), ticket.id.desc())
    )
    if limit:
        stmt = stmt.limit(limit)
    return [_summary(row) for row in s.connection().execute(stmt)]


def _summary(row: Any) -> TicketSummary:
    """A row of number, status, created, faults, imei, brand, model, name, phone, promised."""
    return TicketSummary(
        ticket=row[0], status=row[1], created=row[2], faults=list(row[3]), imei=row[4],
        brand=row[5], model=row[6], customer=row[7], phone_masked=_masked(row[8]),
        promised_date=row[9],
    )


def _record_move(s: Session, ticket: Ticket, status: str, now: datetime, user: str,
                 note: str) -> None:
    """Move ``ticket`` along the allowed table, inside the caller's transaction."""
    check_move(ticket.status, status)
    s.add(StatusMove(ticket_id=ticket.id, from_status=ticket.status, to_status=status,  # type: ignore[arg-type]
                     at=now, user=user, note=note.strip()))
    ticket.status, ticket.updated_at = status, now
    ticket.version += 1
    s.add(ticket)
    record = _repair_record(s, ticket)
    if record and status in HANDED_BACK and record.handed_back is None:
        record.handed_back = now.date()
        s.add(record)
    if status in HANDED_BACK:
        # The phone has left the counter: its passcode has no business being kept.
        ticket.passcode_value = None
    s.flush()


def _refuse_open_ticket(s: Session, device: Device) -> None:
    """The one check of a second open ticket for a device (the CLI's and the form's)."""
    row = s.exec(
        select(Ticket.number, Ticket.status)
        .where(Ticket.device_id == device.id, col(Ticket.status).in_(sorted(OPEN)))
        .order_by(col(Ticket.created_at).desc())
    ).first()
    if row is not None:
        raise OpenTicketError(row[0], row[1])


def _check_version(s: Session, ticket: Ticket, version: int | None, now: datetime) -> None:
    """Refuse a save based on an older state of the ticket, naming who changed it since."""
    if version is None or version == ticket.version:
        return
    from repairdesk.models import AuditEvent

    last = s.exec(
        select(AuditEvent.user, AuditEvent.at)
        .where(AuditEvent.entity == "ticket", AuditEvent.entity_id == str(ticket.id))
        .order_by(col(AuditEvent.id).desc())
    ).first()
    # The counter's own clock says which time zone the technician reads times in.
    who, when = (last[0], last[1].astimezone(now.tzinfo).strftime("%H:%M")) if last else ("?", "?")
    raise InputError("version", _("core.stale", number=ticket.number, user=who, at=when))


def _repair_record(s: Session, ticket: Ticket) -> RepairRecord | None:
    return s.exec(select(RepairRecord).where(RepairRecord.ticket_id == ticket.id)).first()


def _latest_checklists(s: Session, ticket_ids: list[int]) -> dict[int, ChecklistResult]:
    rows = s.exec(
        select(ChecklistResult).where(col(ChecklistResult.ticket_id).in_(ticket_ids))
        .order_by(col(ChecklistResult.id))
    )
    return {row.ticket_id: row for row in rows}  # later saves replace earlier ones


def _claims(s: Session, tickets: list[Ticket], on: date) -> dict[int, dict[str, Any]]:
    """The 三包 claim document of each ticket (that has a repair record), in a handful of
    queries however many tickets: the board decides every open repair at once."""
    from repairdesk.money.claims import claims

    return claims(s, tickets, on)


def _claim_of(s: Session, number: str, on: date) -> dict[str, Any]:
    ticket = _get_ticket(s, number)
    if _repair_record(s, ticket) is None:
        raise StoreError(_("record.missing", number=ticket.number))
    return _claims(s, [ticket], on)[ticket.id]  # type: ignore[index]


def _deadlines(
    s: Session, tickets: list[Ticket], today: date
) -> dict[int, list[DeadlineView] | None]:
    """:func:`repairdesk.tickets.board.deadline_views` of ``tickets``, read in the session ``s``."""
    from repairdesk.tickets.board import deadline_views
    from repairdesk.money.claims import vendor_policy
    from repairdesk.money.loaners import holding

    lent = holding(s, [t.id for t in tickets if t.id is not None])
    return deadline_views(_claims(s, tickets, today), today, lent, vendor_policy(s))


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
        device=device_facts(device),
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
