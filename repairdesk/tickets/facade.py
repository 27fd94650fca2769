"""The ticket's use cases (``desk.tickets``): intake, lookup, the ticket and its moves, the
board, 三包 on a stored ticket, the checklist and the repair record.

Each public method is one transaction on the store. Methods take and return plain values and
the read models of :mod:`repairdesk.tickets.views`; no ORM object or SQL leaves the package.
The money rules of a move are money's (:mod:`repairdesk.money.gates`): the desk hands them in
as ``move_rule``, so this package never imports money.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlmodel import Session, func, select

from repairdesk import audit
from repairdesk.acting import Acting, Area
from repairdesk.db import Store
from repairdesk.errors import InputError, StoreError
from repairdesk.freetext import check_optional, check_text
from repairdesk.i18n import _
from repairdesk.imei import digits
from repairdesk.models import StatusMove, Ticket
from repairdesk.phones import parse_phone
from repairdesk.policy import check_claim
from repairdesk.tickets import diagnosis, intake_store, lookup, updates
from repairdesk.tickets.board import read_board
from repairdesk.tickets.claims import read_claims, vendor_policy
from repairdesk.tickets.deadlines import views_of
from repairdesk.tickets.intake_store import LineOutcome
from repairdesk.tickets.records import (
    check_version,
    erase_passcode,
    get_ticket,
    record_move,
    ticket_view,
)
from repairdesk.tickets.rows import connection_of
from repairdesk.tickets.search import CustomerText, prepare, search
from repairdesk.tickets.views import (
    BoardView,
    ChecklistOutcome,
    ChecklistView,
    CustomerView,
    DeadlineView,
    DecisionView,
    DeviceHistory,
    IntakeResult,
    LookupResult,
    TacView,
    TicketSummary,
    TicketView,
)
from repairdesk.tickets.workflow import TERMINAL
from repairdesk.trust import TrustDesk

if TYPE_CHECKING:  # the intake's pydantic models are built when an intake is first made
    import sqlite3

    from repairdesk.tickets.intake import CheckedIntake, IntakeDoc


class MoveRule(Protocol):
    """A rule a move must pass inside its transaction (raises to refuse it)."""

    def __call__(self, s: Session, ticket: Ticket, target: str, role: str | None,
                 on: date, /) -> None: ...


def no_rule(s: Session, ticket: Ticket, target: str, role: str | None, on: date, /) -> None:
    """No rule beyond the workflow's table (a desk without money)."""


class TicketDesk(Area):
    """Intake, lookup, moves, the board, 三包 decisions, the checklist and repair record."""

    def __init__(self, store: Store, acting: Acting, trust: TrustDesk,
                 move_rule: MoveRule = no_rule) -> None:
        super().__init__(store, acting)
        self.trust = trust
        self.move_rule = move_rule
        self._customer_text = CustomerText()

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """The store's sqlite3 connection, for the plain reads of this package."""
        with self.store.read() as s:
            yield connection_of(s)

    # -- intake ------------------------------------------------------------------------

    def tac(self, imei: str) -> TacView | None:
        """Brand and model for an IMEI's TAC: the shipped table first, then learned TACs."""
        with self._reading() as conn:
            return lookup.tac(conn, imei)

    def intake(self, document: IntakeDoc | dict[str, Any] | str, *,
               allow_open: bool = True) -> IntakeResult:
        """Take a phone in. Everything is checked before anything is written. With
        ``allow_open`` False a phone that has an open ticket is refused
        (:class:`OpenTicketError`, naming it), checked in the same transaction."""
        self.trust.require("tickets.intake")
        checked, now = self._checked(document)
        with self.store.write() as s:
            known = intake_store.taken_in_as(s, checked.doc.ref)
            if known is not None:
                raise InputError("ref", _("input.ref_taken", ref=checked.doc.ref, ticket=known))
            return intake_store.store_intake(s, checked, now, self.user, allow_open)

    def _checked(self, document: IntakeDoc | dict[str, Any] | str) -> tuple[CheckedIntake,
                                                                            datetime]:
        from repairdesk.tickets.intake import IntakeDoc, check_intake, parse_intake

        doc = document if isinstance(document, IntakeDoc) else parse_intake(document)
        now = self.clock()
        return check_intake(doc, now.date(), self.region), now

    def intake_lines(self, lines: Iterable[tuple[int, str]], *, allow_open: bool = True,
                     each: bool = False) -> Iterator[LineOutcome]:
        """Many intakes, one JSON document per (numbered) line: all or none, unless ``each``
        (each line in its own transaction, a refused one reported and passed). A line whose
        ``ref`` was taken in already is skipped (repairdesk/tickets/intake_store.py)."""
        self.trust.require("tickets.intake")  # before the first line, not when it is read
        return intake_store.take_lines(
            self.store.write, lines, lambda text: self._checked(text)[0],
            lambda s, checked: intake_store.store_intake(s, checked, self.clock(), self.user,
                                                         allow_open),
            each)

    # -- lookup ------------------------------------------------------------------------

    def lookup(self, query: str) -> LookupResult:
        """An IMEI (any accepted form), a ticket number or a phone number; anything else (a
        customer's name) is looked for with :meth:`search`, kind ``name``."""
        text = lookup.check_query(query)
        kind = lookup.kind_of(text)
        phone = lookup.phone_or_none(text, self.region) if kind == "other" else None
        if kind == "other" and phone is None:
            return lookup.by_name(text, self.search(text, limit=lookup.HISTORY_LIMIT))
        # A scan at the counter: a few indexed reads on one connection, no ORM objects.
        with self._reading() as conn:
            if kind == "ticket":
                return lookup.by_ticket(conn, text.upper())
            if kind == "imei":
                return lookup.by_imei(conn, text)
            assert phone is not None
            return lookup.by_phone(conn, text, phone)

    def search(self, text: str, limit: int = 20) -> list[TicketSummary]:
        """Tickets whose number, IMEI or phone starts with (a phone: contains) what was typed
        so far, newest first; at most ``limit``. Less than 3 terminal cells (3 digits, or a
        two-character Chinese name) finds nothing: too little to mean anyone."""
        query = text.strip()
        # wcwidth (about a megabyte) is loaded by the first search, not with the facade.
        from wcwidth import wcswidth

        if wcswidth(query) < 3:
            return []
        # Typed on every keystroke over up to a million tickets: see tickets/search.py.
        with self.store.read() as s:
            return search(s.connection(), query, digits(query.lstrip("+")), limit,
                          self._customer_text)

    def prepare_search(self) -> None:
        """Load what ``search`` keeps in memory (customers' phones and names: about a second
        for a million tickets), so that the first keystroke does not wait for it."""
        with self.store.read() as s:
            prepare(s.connection(), self._customer_text)

    def customer_by_phone(self, phone: str) -> CustomerView | None:
        """The customer with this phone (any accepted form) and their tickets, newest first;
        None for a new customer. InputError (field ``customer.phone``) for a bad number."""
        e164 = parse_phone(phone, self.region, field="customer.phone")
        with self._reading() as conn:
            return lookup.customer_by_phone(conn, e164)

    def device_history(self, imei: str) -> DeviceHistory:
        """Everything the store knows of an IMEI (first or second), with its open ticket.
        InputError (field ``device.imei``) for an IMEI that is not valid."""
        with self._reading() as conn:
            return lookup.device_history(conn, imei)

    def open_ticket_of(self, imei: str) -> TicketSummary | None:
        """The open ticket of the phone with this IMEI (first or second), if any: what
        ``intake(..., allow_open=False)`` refuses. InputError for an IMEI that is not valid."""
        return self.device_history(imei).open_ticket

    # -- the ticket and its moves ------------------------------------------------------

    def ticket(self, number: str) -> TicketView:
        with self.store.read() as s:
            return ticket_view(s, get_ticket(s, number))

    def move(self, number: str, status: str, note: str = "", user: str | None = None,
             version: int | None = None) -> TicketView:
        """Move a ticket along the allowed table; the move is stored with time and user.

        With ``version`` (what the screen showed), a move over a newer change made on another
        terminal is refused with the name of who made it.
        """
        self.trust.require("tickets.move")
        now = self.clock()
        role = self.trust.acting_role()  # read before the write transaction takes the lock
        with self.store.write() as s:
            ticket = get_ticket(s, number)
            check_version(s, ticket, version, now)
            # Paid work waits for an approved quote; nobody collects with a balance open.
            self.move_rule(s, ticket, status, role, now.date())
            record_move(s, ticket, status, now, user or self.user, note)
            return ticket_view(s, ticket)

    def reopen(self, number: str, note: str) -> TicketView:
        """Manager only: bring a closed ticket back to diagnosing (a wrong close, a comeback)."""
        return self._override(number, note, "diagnosing", closed=True, action="tickets.reopen")

    def void(self, number: str, note: str) -> TicketView:
        """Manager only: cancel an open ticket whatever its status (an intake made in error)."""
        return self._override(number, note, "cancelled", closed=False, action="tickets.void")

    def _override(self, number: str, note: str, target: str, *, closed: bool,
                  action: str) -> TicketView:
        self.trust.require(action)
        note = check_text("note", note)
        if not note:
            raise InputError("note", _("core.reason_required"))
        now = self.clock()
        with self.store.write() as s:
            ticket = get_ticket(s, number)
            if (ticket.status in TERMINAL) != closed:
                key = "core.not_closed" if closed else "core.already_closed"
                raise InputError("status", _(key, status=_(f"status.{ticket.status}")))
            assert ticket.id is not None
            s.add(StatusMove(ticket_id=ticket.id, from_status=ticket.status, to_status=target,
                             at=now, user=self.user, note=note))
            ticket.status, ticket.updated_at = target, now
            erase_passcode(ticket)
            ticket.version += 1
            s.add(ticket)
            s.flush()
            return ticket_view(s, ticket)

    def reveal_passcode(self, number: str) -> str | None:
        """The passcode a customer gave, for the technician at the bench; the reveal is
        audited. ``None`` once the ticket is collected (it is erased then)."""
        self.trust.require("tickets.reveal_passcode")
        with self.store.write() as s:
            ticket = get_ticket(s, number)
            audit.note(s, "ticket", str(ticket.id), "reveal_passcode",
                       {"ticket": ticket.number})
            return ticket.passcode_value

    # -- the board ---------------------------------------------------------------------

    def board_view(self, status: str | None = None, technician: str | None = None,
                   text: str | None = None, limit: int = 500) -> BoardView:
        """The board (today's tickets and every open one, newest first) with each open
        repair's legal deadlines, filtered by status, technician and free text."""
        # The app's first screen reads it the same way before the ORM is loaded
        # (repairdesk/opening.py).
        with self._reading() as conn:
            return read_board(conn, self.today(), self.acting.midnight(), status, technician,
                              text, limit)

    def board(self, limit: int = 500) -> list[TicketSummary]:
        """Today's tickets and every open one, newest first (the board's rows, unfiltered)."""
        return [TicketSummary(**{name: getattr(row, name)
                                 for name in TicketSummary.__dataclass_fields__})
                for row in self.board_view(limit=limit).rows]

    def count_tickets(self) -> int:
        with self.store.read() as s:
            return s.exec(select(func.count()).select_from(Ticket)).one()

    # -- 三包 on a stored ticket --------------------------------------------------------

    def warranty_claim(self, number: str, on: date | None = None) -> dict[str, Any]:
        """The claim document of a ticket, as ``repairdesk warranty check`` would read it."""
        with self.store.read() as s:
            return self._claim(s, number, on or self.today())

    def warranty(self, number: str, on: date | None = None) -> dict[str, Any]:
        """The 三包 decision for a ticket on ``on`` (today by default)."""
        with self.store.read() as s:
            claim = self._claim(s, number, on or self.today())
            # A vendor policy HQ sent in a reference pack extends the regulation's coverage.
            policy = vendor_policy(connection_of(s))
        return check_claim(claim, policy=policy)

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
            ticket = get_ticket(s, number)
            assert ticket.id is not None
            return views_of(connection_of(s), [ticket.id], today).get(ticket.id) or []

    def _claim(self, s: Session, number: str, on: date) -> dict[str, Any]:
        ticket = get_ticket(s, number)
        assert ticket.id is not None
        claim = read_claims(connection_of(s), [ticket.id], on).get(ticket.id)
        if claim is None:  # the claim is read off the repair record
            raise StoreError(_("record.missing", number=ticket.number))
        return claim

    # -- diagnosis and the repair record -----------------------------------------------

    def checklist(self, number: str) -> ChecklistView:
        """The checklist of a ticket: its items and the last saved results, if any."""
        with self.store.read() as s:
            return diagnosis.checklist_view(s, get_ticket(s, number))

    def save_checklist(self, number: str, results: dict[str, str], *,
                       battery_health: int | None = None,
                       exclusions: list[str] | tuple[str, ...] = (),
                       voucher_imei: str | None = None, notes: str = "",
                       user: str | None = None) -> ChecklistOutcome:
        """Record a diagnosis: the results, the exclusion evidence, the confirmed fault in the
        repair record, then the 三包 decision on it (the record's warranty flag). A ticket
        still ``received`` moves to ``diagnosing``: its diagnosis has been made. Everything
        is checked first and written in one transaction."""
        self.trust.require("tickets.save_checklist")
        voucher = diagnosis.check_voucher(voucher_imei)
        notes = check_text("notes", notes)
        now = self.clock()
        with self.store.write() as s:
            return diagnosis.save(s, get_ticket(s, number), results, battery_health,
                                  exclusions, voucher, notes, now, user or self.user)

    def save_checklist_from(self, number: str, document: dict[str, Any] | str,
                            user: str | None = None) -> ChecklistOutcome:
        """:meth:`save_checklist` from a JSON document ``{"results": {ITEM: "pass"|"fail"|
        "untested"}, "battery_health": 85, "exclusions": [...], "voucher_imei": ...,
        "notes": ...}`` (the CLI's input); the same checks, nothing stored on error."""
        return self.save_checklist(number, user=user, **updates.checklist_document(document))

    def update_repair(self, number: str, *, cause: str | None = None,
                      action: str | None = None, handed_back: date | None = None,
                      delay_cause: str | None = None, technician: str | None = None,
                      fault_code: str | None = None, warranty: bool | None = None,
                      grade: str | None = None, version: int | None = None) -> TicketView:
        """Edit the repair record (cause, action, hand-back date, whose delay, technician,
        the confirmed fault, 三包 or paid). ``None`` leaves a field as it is. With
        ``version``, a save over a newer change (from another terminal) is refused. The 三包
        flag follows the decision on the record's facts (:func:`updates.update_repair`);
        ``grade`` is the repair grade HQ's rate card pays ("" clears it)."""
        self.trust.require("tickets.update_repair")
        change = updates.RepairChange(cause, action, handed_back, delay_cause, technician,
                                      fault_code, warranty, grade)
        now = self.clock()
        change = updates.check_repair_change(change)
        with self.store.write() as s:
            ticket = get_ticket(s, number)
            check_version(s, ticket, version, now)
            updates.update_repair(s, ticket, change, now, self.trust)
            return ticket_view(s, ticket)

    def update_ticket(self, number: str, *, promised_date: date | None = None,
                      technician: str | None = None, version: int | None = None) -> TicketView:
        """Change what was promised at intake: the date the phone will be ready, and who
        repairs it (the repair record's technician too). ``None`` leaves it as it is."""
        self.trust.require("tickets.update_ticket")
        now = self.clock()
        technician = check_optional("technician", technician)
        if promised_date is not None and promised_date < now.date():
            raise InputError("promised_date", _("core.promised_in_past"))
        with self.store.write() as s:
            ticket = get_ticket(s, number)
            check_version(s, ticket, version, now)
            updates.update_promise(s, ticket, promised_date, technician, now)
            return ticket_view(s, ticket)

