"""The ticket's rows in a session: found by number, moved along the table, shown whole.

Every area that changes a ticket inside its own transaction (money, stock, printing) finds
it with :func:`get_ticket` and moves it with :func:`record_move`, so the rules of a move
(the table, the repair record's hand-back date, the passcode erased) hold for all of them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from repairdesk.amounts import fen_to_yuan
from repairdesk.errors import InputError, NotFound, OpenTicketError
from repairdesk.freetext import check_text
from repairdesk.i18n import _
from repairdesk.models import (
    AuditEvent,
    ChecklistResult,
    Customer,
    Device,
    RepairRecord,
    StatusMove,
    Ticket,
)
from repairdesk.tickets.lookup import phone_owner
from repairdesk.tickets.rows import connection_of, devices
from repairdesk.tickets.views import MoveView, RepairRecordView, TicketView
from repairdesk.tickets.workflow import MOVES, OPEN, TERMINAL, check_move
from repairdesk.vocabulary import vocabulary

# Statuses in which the phone leaves the counter: the repair record's hand-back date.
HANDED_BACK = frozenset({"collected", "returned_unrepaired", "exchanged", "refunded"})


def get_ticket(s: Session, number: str) -> Ticket:
    ticket = s.exec(select(Ticket).where(Ticket.number == number.strip().upper())).first()
    if ticket is None:
        raise NotFound(_("core.ticket_not_found", number=number.strip()))
    return ticket


def record_move(s: Session, ticket: Ticket, status: str, now: datetime, user: str,
                 note: str) -> None:
    """Move ``ticket`` along the allowed table, inside the caller's transaction."""
    check_move(ticket.status, status)
    note = check_text("note", note)
    s.add(StatusMove(ticket_id=ticket.id, from_status=ticket.status, to_status=status,  # type: ignore[arg-type]  # a stored ticket: its id is set
                     at=now, user=user, note=note))
    ticket.status, ticket.updated_at = status, now
    ticket.version += 1
    s.add(ticket)
    record = repair_record(s, ticket)
    if record and status in HANDED_BACK and record.handed_back is None:
        record.handed_back = now.date()
        s.add(record)
    erase_passcode(ticket)
    s.flush()


def erase_passcode(ticket: Ticket) -> None:
    """A ticket that has ended (collected, cancelled, ...) keeps no passcode: the phone has
    left the counter, or no one will work on it again."""
    if ticket.status in TERMINAL:
        ticket.passcode_value = None


def refuse_open_ticket(s: Session, device: Device) -> None:
    """The one check of a second open ticket for a device (the CLI's and the form's)."""
    row = s.exec(
        select(Ticket.number, Ticket.status)
        .where(Ticket.device_id == device.id, col(Ticket.status).in_(sorted(OPEN)))
        .order_by(col(Ticket.created_at).desc())
    ).first()
    if row is not None:
        raise OpenTicketError(row[0], row[1])


def check_version(s: Session, ticket: Ticket, version: int | None, now: datetime) -> None:
    """Refuse a save based on an older state of the ticket, naming who changed it since."""
    if version is None or version == ticket.version:
        return
    last = s.exec(
        select(AuditEvent.user, AuditEvent.at)
        .where(AuditEvent.entity == "ticket", AuditEvent.entity_id == str(ticket.id))
        .order_by(col(AuditEvent.id).desc())
    ).first()
    # The counter's own clock says which time zone the technician reads times in.
    who, when = (last[0], last[1].astimezone(now.tzinfo).strftime("%H:%M")) if last else ("?", "?")
    raise InputError("version", _("core.stale", number=ticket.number, user=who, at=when))


def repair_record(s: Session, ticket: Ticket) -> RepairRecord | None:
    return s.exec(select(RepairRecord).where(RepairRecord.ticket_id == ticket.id)).first()


def latest_checklists(s: Session, ticket_ids: list[int]) -> dict[int, ChecklistResult]:
    rows = s.exec(
        select(ChecklistResult).where(col(ChecklistResult.ticket_id).in_(ticket_ids))
        .order_by(col(ChecklistResult.id))
    )
    return {row.ticket_id: row for row in rows}  # later saves replace earlier ones


def ticket_view(s: Session, t: Ticket) -> TicketView:
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
        device=devices(connection_of(s), [t.device_id])[t.device_id],
        accessories=list(t.accessories), condition=dict(t.condition), faults=list(t.faults),
        description=t.description, passcode=t.passcode_mode,
        deposit=fen_to_yuan(t.deposit_fen), promised_date=t.promised_date,
        technician=t.technician,
        moves=[MoveView(m.from_status, m.to_status, m.at, m.user, m.note) for m in moves],
        repair=RepairRecordView(
            record.handed_in, record.handed_back, record.cause, record.action, record.warranty,
            record.fault_code, record.delay_cause, record.technician, record.grade,
        ) if record else None,
        allowed_moves=list(MOVES[t.status]),
    )



def intake_customer(s: Session, given: Any, phone: str, now: datetime) -> Customer:
    """The customer of an intake (``given``: its CustomerIn). Someone on file with this
    phone and this name is that customer; another name is renamed or a new customer only
    as ``name_change`` says, else NameDiffers (nothing is renamed silently)."""
    # Here, not at the top: the intake module brings pydantic, which only an intake needs.
    from repairdesk.tickets.intake import NameDiffers

    same = s.exec(select(Customer).where(Customer.phone == phone,
                                         Customer.name == given.name)).first()
    owner = None if same else phone_owner(connection_of(s), phone)
    known = same or (s.get(Customer, owner[0]) if owner else None)
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


def first_performance_fault(faults: list[str]) -> str | None:
    known = vocabulary().faults
    return next((f for f in faults if f in known and known[f].performance), None)
