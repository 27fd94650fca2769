"""The 三包 claim and decision of stored tickets, for the money rules.

The same claim document as ``Desk.warranty_claim`` (a test holds the two equal), built here
from the rows of the caller's session so that a rule checked inside a write transaction sees
what that transaction sees.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from repairdesk.errors import InputError
from repairdesk.models import ChecklistResult, Device, RepairRecord, SyncPack, Ticket
from repairdesk.tickets.views import fen_to_yuan


def device_facts(device: Device) -> dict[str, Any]:
    """The device as the claim reads it (the shape of the facade's device dict)."""
    return {
        "imei": device.imei, "imei2": device.imei2, "serial": device.serial,
        "brand": device.brand, "model": device.model, "colour": device.colour,
        "network_label": device.network_label, "sale_date": device.sale_date,
        "invoice_date": device.invoice_date, "invoice_no": device.invoice_no,
        "price": fen_to_yuan(device.price_fen), "seller": device.seller,
        "channel": device.channel, "received_date": device.received_date,
        "proof": device.proof, "production_date": device.production_date,
    }


def claims(s: Session, tickets: list[Ticket], on: date) -> dict[int, dict[str, Any]]:
    """The claim document of each ticket that has a repair record, keyed by ticket id."""
    from repairdesk.tickets.claims import EarlierRepair, claim_document

    if not tickets:
        return {}
    ids = [t.id for t in tickets]
    device_ids = sorted({t.device_id for t in tickets})
    devices = {d.id: d for d in s.exec(select(Device).where(col(Device.id).in_(device_ids)))}
    records = {r.ticket_id: r for r in s.exec(
        select(RepairRecord).where(col(RepairRecord.ticket_id).in_(ids)))}
    # Grouped by device once: the board asks this for every open ticket, and scanning the
    # whole history for each ticket grew with the square of their number.
    history: dict[int, list[tuple[RepairRecord, str, datetime, int]]] = {}
    for r, status, device_id, created, other in s.exec(
        select(RepairRecord, Ticket.status, Ticket.device_id, Ticket.created_at, Ticket.id)
        .join(Ticket, col(RepairRecord.ticket_id) == col(Ticket.id))
        .where(col(Ticket.device_id).in_(device_ids))
    ):
        history.setdefault(device_id, []).append((r, status, created, other))
    checklists: dict[int, ChecklistResult] = {}
    for row in s.exec(select(ChecklistResult).where(col(ChecklistResult.ticket_id).in_(ids))
                      .order_by(col(ChecklistResult.id))):
        checklists[row.ticket_id] = row  # the latest save counts
    found: dict[int, dict[str, Any]] = {}
    for t in tickets:
        assert t.id is not None
        record = records.get(t.id)
        if record is None:
            continue
        earlier = [
            EarlierRepair(r.fault_code, r.handed_in, r.handed_back, r.warranty, status)
            for r, status, created, other in history.get(t.device_id, ())
            if other != t.id and created < t.created_at
        ]
        condition = dict(t.condition)
        checklist = checklists.get(t.id)
        if checklist is not None and checklist.exclusions:
            condition["exclusions"] = [*condition.get("exclusions", []), *checklist.exclusions]
        found[t.id] = claim_document(
            device=device_facts(devices[t.device_id]), faults=list(t.faults),
            condition=condition, fault_code=record.fault_code, handed_in=record.handed_in,
            handed_back=record.handed_back, delay_cause=record.delay_cause,
            earlier=earlier, on=on,
        )
    return found


def vendor_policy(s: Session) -> str | None:
    """The vendor policy in force as the session sees it: the newest HQ pack's, if any."""
    return s.exec(select(SyncPack.policy).order_by(col(SyncPack.seq).desc())).first()


def decide(claim: dict[str, Any], policy: str | None = None) -> dict[str, Any] | None:
    """The engine's decision on ``claim`` under the vendor ``policy`` (see
    :func:`vendor_policy`); None when it cannot be decided (facts missing)."""
    from repairdesk.policy import check_claim

    try:
        return check_claim(claim, policy=policy)
    except InputError:
        return None


def decisions(s: Session, tickets: list[Ticket], on: date) -> dict[int, dict[str, Any] | None]:
    policy = vendor_policy(s)
    return {ticket_id: decide(claim, policy)
            for ticket_id, claim in claims(s, tickets, on).items()}
