"""Changes to a ticket after intake, besides moves and money: the repair record (cause,
action, confirmed fault, 三包 or paid, whose delay, technician, the repair grade), the promise (date and
technician) and the checklist from a document (the CLI's input). Called by
:class:`repairdesk.tickets.facade.TicketDesk` inside its write transactions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from repairdesk.errors import InputError, StoreError
from repairdesk.fields import label, value_names
from repairdesk.freetext import check_optional
from repairdesk.i18n import _
from repairdesk.jsontext import read_json
from repairdesk.policy import check_claim
from repairdesk.policy.claim import DELAYS
from repairdesk.ratecard import check_grade
from repairdesk.tickets.claims import read_claims, vendor_policy
from repairdesk.tickets.records import repair_record
from repairdesk.tickets.rows import connection_of
from repairdesk.tickets.views import DecisionView
from repairdesk.vocabulary import vocabulary

if TYPE_CHECKING:
    from sqlmodel import Session

    from repairdesk.models import Ticket
    from repairdesk.tickets.views import DecisionView
    from repairdesk.trust import TrustDesk

#: The keys of a checklist document (``repairdesk ticket checklist NUMBER FILE``).
CHECKLIST_KEYS = ("results", "battery_health", "exclusions", "voucher_imei", "notes")


@dataclass(frozen=True)
class RepairChange:
    """What an edit of the repair record changes (None: left as it is)."""

    cause: str | None = None
    action: str | None = None
    handed_back: date | None = None
    delay_cause: str | None = None
    technician: str | None = None
    fault_code: str | None = None
    warranty: bool | None = None
    grade: str | None = None  # "": no grade


def check_repair_change(change: RepairChange) -> RepairChange:
    """The change as it is stored: its codes and its text (repairdesk/freetext.py) checked
    before anything is read or written."""
    if change.fault_code is not None and change.fault_code not in vocabulary().faults:
        raise InputError("fault_code", _("core.bad_code", value=change.fault_code,
                                         allowed=_names("fault", vocabulary().faults)))
    if change.delay_cause is not None and change.delay_cause not in ("", *DELAYS):
        raise InputError("delay_cause", _("core.bad_code", value=change.delay_cause,
                                          allowed=_names("delay_cause", DELAYS)))
    grade = None if change.grade is None else (check_grade(change.grade) or "")
    return replace(change, grade=grade, cause=check_optional("cause", change.cause),
                   action=check_optional("action", change.action),
                   technician=check_optional("technician", change.technician))


def update_repair(s: Session, ticket: Ticket, change: RepairChange, now: datetime,
                  trust: TrustDesk) -> None:
    """Apply ``change`` to the ticket's repair record. The 三包 flag follows the decision on
    the record's facts, as the checklist sets it: ``warranty`` that contradicts a decision is
    refused (an exclusion found at the bench changes the decision, through the checklist); it
    is taken as given only where no decision can be made."""
    record = repair_record(s, ticket)
    if record is None:
        raise StoreError(_("record.missing", number=ticket.number))
    if record.handed_back is not None and record.handed_back < now.date():
        # The customer signed for it: changing it now is a manager's correction.
        trust.require("tickets.correct_handed_back")
    if change.handed_back is not None:
        if change.handed_back < record.handed_in:
            raise InputError("handed_back", _("record.back_before_in",
                                              handed_in=record.handed_in.isoformat()))
        if change.handed_back > now.date():
            raise InputError("handed_back",
                             _("core.date_in_future", value=change.handed_back.isoformat()))
        record.handed_back = change.handed_back
    if change.cause is not None:
        record.cause = change.cause.strip()
    if change.action is not None:
        record.action = change.action.strip()
    if change.delay_cause is not None:
        record.delay_cause = change.delay_cause or None
    if change.grade is not None:
        record.grade = change.grade or None
    if change.technician is not None:
        record.technician = ticket.technician = change.technician.strip() or None
    if change.fault_code is not None or change.warranty is not None:
        if change.fault_code is not None:
            record.fault_code = change.fault_code
        s.add(record)
        s.flush()
        record.warranty = _warranty(decide(s, ticket, now.date()), change.warranty,
                                    record.warranty)
    ticket.updated_at = now
    ticket.version += 1
    s.add(record)
    s.add(ticket)
    s.flush()


def update_promise(s: Session, ticket: Ticket, promised_date: date | None,
                   technician: str | None, now: datetime) -> None:
    if promised_date is not None:
        ticket.promised_date = promised_date
    if technician is not None:
        record = repair_record(s, ticket)
        ticket.technician = technician.strip() or None
        if record is not None:
            record.technician = ticket.technician
            s.add(record)
    ticket.updated_at = now
    ticket.version += 1
    s.add(ticket)
    s.flush()


def checklist_document(document: dict[str, Any] | str) -> dict[str, Any]:
    """The keyword arguments of ``save_checklist`` from a JSON document (the CLI's input)."""
    doc = _json_object(document)
    for key in doc:
        if key not in CHECKLIST_KEYS:
            raise InputError(str(key), _("core.unknown_key", key=key), label=_label("json"))
    results = doc.get("results") or {}
    if not isinstance(results, dict) or not all(isinstance(v, str) for v in results.values()):
        raise InputError("results", _("core.bad_value", value=json.dumps(results)))
    health = doc.get("battery_health")
    if health is not None and (isinstance(health, bool) or not isinstance(health, int)):
        raise InputError("battery_health", _("core.bad_value", value=health))
    exclusions = doc.get("exclusions") or []
    if not isinstance(exclusions, list) or not all(isinstance(e, str) for e in exclusions):
        raise InputError("exclusions", _("core.bad_value", value=json.dumps(exclusions)))
    voucher, notes = doc.get("voucher_imei"), doc.get("notes") or ""
    if voucher is not None and not isinstance(voucher, str):
        raise InputError("voucher_imei", _("core.bad_value", value=voucher))
    if not isinstance(notes, str):
        raise InputError("notes", _("core.bad_value", value=notes))
    return {"results": results, "battery_health": health, "exclusions": exclusions,
            "voucher_imei": voucher, "notes": notes}


def decide(s: Session, ticket: Ticket, on: date) -> DecisionView:
    """The 三包 decision on the ticket's stored facts, inside the caller's transaction;
    ``undecided`` (with the reason) when a fact it needs is missing."""
    assert ticket.id is not None
    conn = connection_of(s)
    try:
        return DecisionView.from_decision(
            check_claim(read_claims(conn, [ticket.id], on)[ticket.id],
                        policy=vendor_policy(conn)))
    except InputError as exc:
        return DecisionView.missing(exc.message)


def _warranty(decision: DecisionView, asked: bool | None, current: bool) -> bool:
    """The record's 三包 flag: the decision's; where none can be made, what was asked, else
    what the record says already (a new fault alone changes nothing undecidable)."""
    if decision.undecided:
        return current if asked is None else asked
    if asked is not None and asked != decision.covered:
        said = _("money.basis_warranty") if decision.covered else _("money.basis_paid")
        raise InputError("warranty", _("cli.warranty_against_decision", decision=said))
    return decision.covered


def _json_object(document: dict[str, Any] | str) -> dict[str, Any]:
    if isinstance(document, str):
        document = read_json(document)
    if not isinstance(document, dict):
        raise InputError("json", _("core.bad_json", error=_("cli.not_an_object")))
    return document


def _names(field: str, codes: Any) -> str:
    return value_names(field, codes)


def _label(field: str) -> str:
    return label(field)
