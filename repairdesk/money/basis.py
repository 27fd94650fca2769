"""On what a ticket is charged, and the guarantees of a phone's earlier repairs.

- ``warranty``: a 三包/warranty repair (the engine's decision is covered, or the repair record
  says so): no charge; its parts are warranty cost to settle with the manufacturer.
- ``guarantee``: the phone is back inside the guarantee of an earlier repair: no charge; the
  parts are the counter's own cost.
- ``paid``: everything else: the customer pays what the approved quote says.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from repairdesk.models import Device, RepairRecord, Ticket
from repairdesk.tickets.claims import decide, session_claims, session_policy
from repairdesk.tickets.guarantees import Guarantee, paid_guarantee, warranty_guarantee

WARRANTY = "warranty"
GUARANTEE = "guarantee"
PAID = "paid"
BASES = (WARRANTY, GUARANTEE, PAID)


def record_of(s: Session, ticket: Ticket) -> RepairRecord | None:
    return s.exec(select(RepairRecord).where(RepairRecord.ticket_id == ticket.id)).first()


def charge_basis(s: Session, ticket: Ticket, on: date) -> str:
    """The basis of ``ticket`` as the store stands on ``on``."""
    record = record_of(s, ticket)
    if record is not None and record.warranty:
        return WARRANTY
    claim = session_claims(s, [ticket], on).get(ticket.id)  # type: ignore[arg-type]  # a stored ticket: its id is set
    if claim is None:
        return PAID
    decision = decide(claim, session_policy(s))
    if decision is not None and decision["covered"]:
        return WARRANTY
    # Misuse found on this visit (liquid, impact, opened) is not the earlier repair failing.
    if not claim["exclusions"] and record is not None:
        for earlier in device_guarantees(s, ticket.device_id, before=ticket):
            if earlier.covers(claim["fault"], record.handed_in):
                return GUARANTEE
    return PAID


def ticket_guarantee(s: Session, ticket: Ticket) -> Guarantee | None:
    """The guarantee on a collected ticket's repair; None for a phone not repaired here."""
    record = record_of(s, ticket)
    if ticket.status != "collected" or record is None or record.handed_back is None:
        return None
    return guarantee_if_handed_back(s, ticket, record.handed_back)


def guarantee_if_handed_back(s: Session, ticket: Ticket, back: date) -> Guarantee | None:
    """The guarantee the repair gives when the phone is handed back on ``back`` (the pickup
    receipt is printed before the ticket is closed)."""
    record = record_of(s, ticket)
    if record is None:
        return None
    claim = session_claims(s, [ticket], back).get(ticket.id)  # type: ignore[arg-type]  # a stored ticket: its id is set
    if claim is None:
        return paid_guarantee(ticket.number, back, record.fault_code)
    # As of hand-back, with this repair itself counted: its days lengthen the 三包 period.
    claim["open_repair"] = None
    claim["repairs"] = [*claim["repairs"], {"fault": claim["fault"],
                                             "handed_in": record.handed_in.isoformat(),
                                             "handed_back": back.isoformat()}]
    decision = decide(claim, session_policy(s))
    fault = record.fault_code or claim["fault"]
    if record.warranty or (decision is not None and decision["covered"]):
        end = decision["period_end"] if decision else None
        return warranty_guarantee(ticket.number, back, fault,
                                  date.fromisoformat(end) if end else None)
    return paid_guarantee(ticket.number, back, fault)


def device_guarantees(s: Session, device_id: int, before: Ticket | None = None
                      ) -> list[Guarantee]:
    """Guarantees of the device's collected repairs (newest first); with ``before``, only
    those of tickets taken in before that one."""
    stmt = select(Ticket).where(Ticket.device_id == device_id)
    if before is not None:
        stmt = stmt.where(col(Ticket.created_at) < before.created_at, Ticket.id != before.id)
    # The status is checked here, not in SQL: given both, SQLite (without statistics) walks
    # the status index, every collected ticket of the store (165 ms at a million tickets),
    # where the device's own few tickets are one index probe away.
    tickets = [t for t in s.exec(stmt.order_by(col(Ticket.created_at).desc()))
               if t.status == "collected"]
    return [g for g in (ticket_guarantee(s, t) for t in tickets) if g is not None]


def device_of_imei(s: Session, imei: str) -> Device | None:
    return s.exec(select(Device).where((Device.imei == imei) | (Device.imei2 == imei))).first()
