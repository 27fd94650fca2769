"""What an intake writes (the customer, the device, the ticket, its first move, its repair
record and deposit) inside the caller's transaction, and intakes of many documents: all of
them or none (the default), or each in its own transaction; a document's ``ref`` taken in
already is skipped, not taken in twice."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlmodel import Session, col, select

from repairdesk.errors import InputError, StoreError
from repairdesk.i18n import _
from repairdesk.models import (
    Counter,
    Device,
    IntakeRef,
    LearnedTac,
    RepairRecord,
    StatusMove,
    Ticket,
)
from repairdesk.tickets import lookup
from repairdesk.tickets.numbering import next_ticket_number
from repairdesk.tickets.records import (
    first_performance_fault,
    intake_customer,
    refuse_open_ticket,
)
from repairdesk.tickets.rows import connection_of
from repairdesk.tickets.views import IntakeResult

if TYPE_CHECKING:
    from repairdesk.tickets.intake import CheckedIntake


def taken_in_as(s: Session, ref: str | None) -> str | None:
    """The number of the ticket an intake with this reference made, if one did."""
    if ref is None:
        return None
    return s.exec(select(Ticket.number).join(IntakeRef, col(IntakeRef.ticket_id) == Ticket.id)
                  .where(IntakeRef.ref == ref)).first()


def store_intake(s: Session, checked: CheckedIntake, now: datetime, user: str,
                 allow_open: bool) -> IntakeResult:
    doc, dev = checked.doc, checked.doc.device
    conn = connection_of(s)
    tac = lookup.tac(conn, checked.imei)
    flag = lookup.blacklist_reason(conn, checked.imei, checked.imei2)
    brand = dev.brand or (tac.brand if tac else None)
    model = dev.model or (tac.model if tac else None)
    counter = s.exec(select(Counter)).first()
    if counter is None:
        raise StoreError(_("core.counter_not_set"))
    device = s.exec(select(Device).where(Device.imei == checked.imei)).first()
    if device is not None and not allow_open:  # asked before the customer's name
        refuse_open_ticket(s, device)
    customer = intake_customer(s, doc.customer, checked.phone, now)
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
    assert customer.id is not None and device.id is not None  # flushed just above
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
    assert ticket.id is not None  # flushed just above
    s.add(StatusMove(ticket_id=ticket.id, from_status=None, to_status="received",
                     at=now, user=user, note=""))
    s.add(RepairRecord(ticket_id=ticket.id, handed_in=now.date(),
                       fault_code=first_performance_fault(doc.faults)))
    if doc.ref is not None:
        s.add(IntakeRef(ref=doc.ref, ticket_id=ticket.id))
    from repairdesk.tickets.intake import take_deposit

    take_deposit(s, ticket, doc.deposit_method, now, user)
    s.flush()
    return IntakeResult(
        ticket=number, status="received", imei=checked.imei, brand=brand, model=model,
        tac_known=tac is not None, customer=customer.name, created=now, blacklisted=flag,
    )


@dataclass(frozen=True)
class LineOutcome:
    """What became of one line of ``intake --lines``: ``stored`` (``result``), ``skipped``
    (its ``ref`` was taken in already, as ``ticket``) or ``failed`` (``error``)."""

    line: int
    outcome: Literal["stored", "skipped", "failed"]
    ticket: str | None = None
    ref: str | None = None
    result: IntakeResult | None = None
    error: InputError | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"line": self.line, "outcome": self.outcome}
        if self.result is not None:
            data.update(self.result.to_dict())
        elif self.ticket is not None:
            data["ticket"] = self.ticket
        if self.ref is not None:
            data["ref"] = self.ref
        if self.error is not None:
            data["error"] = self.error.to_dict()
        return data


def on_line(number: int, exc: InputError) -> InputError:
    """``exc`` with its line named first ("line 5001: Customer name: …")."""
    where = _("cli.line", number=number)
    named = InputError(exc.field, exc.reason, label=f"{where}: {exc.label}")
    named.__cause__ = exc  # what it was (an open ticket: the CLI says how to go on)
    return named


Check = Callable[[str], "CheckedIntake"]
Write = Callable[[], Any]


def take_lines(write: Write, lines: Iterable[tuple[int, str]], check: Check,
               take: Callable[[Session, CheckedIntake], IntakeResult],
               each: bool) -> Iterator[LineOutcome]:
    """The outcome of each document. All of them or none unless ``each``: every document
    is checked before any is written, then all are written in one transaction (the first
    refusal, named by its line, stores nothing). With ``each``, every line is checked and
    written in its own transaction; a refused one is reported and the next goes on."""
    if each:
        for number, text in lines:
            yield _one(write, number, text, check, take)
        return
    checked: list[tuple[int, CheckedIntake]] = []
    for number, text in lines:
        try:
            checked.append((number, check(text)))
        except InputError as exc:
            raise on_line(number, exc) from exc
    outcomes = []
    with write() as s:
        for number, intake in checked:
            try:
                outcomes.append(_written(s, number, intake, take))
            except InputError as exc:
                raise on_line(number, exc) from exc
            # Written and flushed: kept in the session, thousands of rows would make every
            # later flush look through all of them.
            s.expunge_all()
    yield from outcomes


def _one(write: Write, number: int, text: str, check: Check,
         take: Callable[[Session, CheckedIntake], IntakeResult]) -> LineOutcome:
    try:
        intake = check(text)
        with write() as s:
            return _written(s, number, intake, take)
    except InputError as exc:
        return LineOutcome(number, "failed", error=on_line(number, exc))


def _written(s: Session, number: int, intake: CheckedIntake,
             take: Callable[[Session, CheckedIntake], IntakeResult]) -> LineOutcome:
    ref = intake.doc.ref
    known = taken_in_as(s, ref)
    if known is not None:
        return LineOutcome(number, "skipped", ticket=known, ref=ref)
    result = take(s, intake)
    return LineOutcome(number, "stored", ticket=result.ticket, ref=ref, result=result)
