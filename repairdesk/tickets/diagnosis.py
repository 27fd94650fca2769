"""A ticket's diagnosis: the checklist as the bench sees it, and saving its results (the
confirmed fault goes to the repair record, the 三包 decision to the record's warranty flag).
Called by :class:`repairdesk.tickets.facade.TicketDesk` inside its transactions.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from repairdesk.errors import StoreError
from repairdesk.i18n import _
from repairdesk.imei import parse_imei
from repairdesk.models import ChecklistResult, Device, Ticket
from repairdesk.policy import load_rules
from repairdesk.tickets.checklist import (
    BATTERY_TEST,
    battery_result,
    check_results,
    confirmed_faults,
    diagnosed_fault,
    items_for,
    suggested_move,
)
from repairdesk.tickets.claim_document import exclusions_from_condition
from repairdesk.tickets.records import latest_checklists, record_move, repair_record
from repairdesk.tickets.updates import decide
from repairdesk.tickets.views import ChecklistItemView, ChecklistOutcome, ChecklistView
from repairdesk.tickets.workflow import MOVES


def battery_threshold() -> int:
    return load_rules().settings.battery_capacity_threshold_percent


def checklist_view(s: Session, ticket: Ticket) -> ChecklistView:
    """The checklist of a ticket: its items and the last saved results, if any."""
    assert ticket.id is not None
    device = s.get(Device, ticket.device_id)
    saved = latest_checklists(s, [ticket.id]).get(ticket.id)
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
        battery_threshold=battery_threshold(),
        exclusions=list(saved.exclusions) if saved else [],
        intake_exclusions=exclusions_from_condition(ticket.condition),
        voucher_imei=saved.voucher_imei if saved else None,
        notes=saved.notes if saved else "",
        recorded_at=saved.recorded_at if saved else None,
        user=saved.user if saved else None,
    )


def check_voucher(voucher_imei: str | None) -> str:
    """The IMEI on the purchase voucher, checked; "" when none was typed."""
    voucher = voucher_imei.strip() if voucher_imei else ""
    return parse_imei(voucher, field="voucher_imei") if voucher else ""


def save(s: Session, ticket: Ticket, results: dict[str, str], battery_health: int | None,
         exclusions: list[str] | tuple[str, ...], voucher: str, notes: str, now: datetime,
         user: str) -> ChecklistOutcome:
    """Record a diagnosis in the caller's transaction; everything is checked first."""
    assert ticket.id is not None
    device = s.get(Device, ticket.device_id)
    record = repair_record(s, ticket)
    if record is None:
        raise StoreError(_("record.missing", number=ticket.number))
    assert device is not None
    items = items_for(ticket.accessories)
    full, found = check_results(items, results, battery_health, exclusions)
    full[BATTERY_TEST] = battery_result(battery_health, battery_threshold())
    if voucher and voucher not in (device.imei, device.imei2) \
            and "voucher_mismatch" not in found:
        found.append("voucher_mismatch")
    confirmed = confirmed_faults(items, full)
    fault = diagnosed_fault(confirmed, list(ticket.faults))
    row = ChecklistResult(
        ticket_id=ticket.id, results=full, battery_health=battery_health,
        exclusions=found, voucher_imei=voucher or None, notes=notes.strip(),
        fault_code=fault, recorded_at=now, user=user,
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
        record_move(s, ticket, "diagnosing", now, user, _("checklist.move_note"))
    else:
        ticket.updated_at = now
        ticket.version += 1
        s.add(ticket)
    allowed = list(MOVES[ticket.status])
    return ChecklistOutcome(
        ticket=ticket.number, status=ticket.status, fault_code=record.fault_code,
        confirmed=confirmed, exclusions=found, decision=decision, allowed_moves=allowed,
        suggested_move=suggested_move(None if decision.undecided else decision.covered,
                                      allowed),
    )
