"""Use cases that change a ticket after intake, besides moves and money: the repair record
(cause, action, confirmed fault, 三包 or paid, whose delay, technician), the promise
(date and technician) and the checklist from a document (the CLI's input).

A mixin of :class:`repairdesk.desk.Desk`; the store helpers live in ``repairdesk.desk``
(imported when called: desk.py assembles this class).
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from repairdesk.errors import InputError, StoreError
from repairdesk.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from repairdesk.models import Ticket
    from repairdesk.tickets.views import ChecklistOutcome, DecisionView, TicketView

#: The keys of a checklist document (``repairdesk ticket checklist NUMBER FILE``).
CHECKLIST_KEYS = ("results", "battery_health", "exclusions", "voucher_imei", "notes")


class TicketUpdatesDesk:
    """Needs ``self.store``, ``self.clock``, ``self.require`` and ``save_checklist``."""

    store: Any
    clock: Any

    def update_repair(
        self,
        number: str,
        *,
        cause: str | None = None,
        action: str | None = None,
        handed_back: date | None = None,
        delay_cause: str | None = None,
        technician: str | None = None,
        fault_code: str | None = None,
        warranty: bool | None = None,
        version: int | None = None,
    ) -> TicketView:
        """Edit the repair record (cause, action, hand-back date, whose delay, technician,
        the confirmed fault, 三包 or paid). ``None`` leaves a field as it is. With
        ``version``, a save over a newer change (from another terminal) is refused.

        The 三包 flag follows the decision on the record's facts, as the checklist sets it:
        ``warranty`` that contradicts a decision is refused (an exclusion found at the bench
        changes the decision, through the checklist); it is taken as given only where no
        decision can be made."""
        from repairdesk.desk import _check_version, _get_ticket, _repair_record, _ticket_view
        from repairdesk.policy.claim import DELAYS
        from repairdesk.vocabulary import vocabulary

        now = self.clock()
        if fault_code is not None and fault_code not in vocabulary().faults:
            raise InputError("fault_code", _("core.bad_code", value=fault_code,
                                             allowed=_names("fault", vocabulary().faults)))
        if delay_cause is not None and delay_cause not in ("", *DELAYS):
            raise InputError("delay_cause", _("core.bad_code", value=delay_cause,
                                              allowed=_names("delay_cause", DELAYS)))
        with self.store.write() as s:
            ticket = _get_ticket(s, number)
            _check_version(s, ticket, version, now)
            record = _repair_record(s, ticket)
            if record is None:
                raise StoreError(_("record.missing", number=ticket.number))
            if record.handed_back is not None and record.handed_back < now.date():
                # The customer signed for it: changing it now is a manager's correction.
                self.require("manager")  # type: ignore[attr-defined]
            if handed_back is not None:
                if handed_back < record.handed_in:
                    raise InputError("handed_back", _("record.back_before_in",
                                                      handed_in=record.handed_in.isoformat()))
                if handed_back > now.date():
                    raise InputError("handed_back",
                                     _("core.date_in_future", value=handed_back.isoformat()))
                record.handed_back = handed_back
            if cause is not None:
                record.cause = cause.strip()
            if action is not None:
                record.action = action.strip()
            if delay_cause is not None:
                record.delay_cause = delay_cause or None
            if technician is not None:
                record.technician = ticket.technician = technician.strip() or None
            if fault_code is not None or warranty is not None:
                if fault_code is not None:
                    record.fault_code = fault_code
                s.add(record)
                s.flush()
                decision = decide(s, ticket, now.date())
                record.warranty = _warranty(decision, warranty)
            ticket.updated_at = now
            ticket.version += 1
            s.add(record)
            s.add(ticket)
            s.flush()
            return _ticket_view(s, ticket)

    def update_ticket(self, number: str, *, promised_date: date | None = None,
                      technician: str | None = None, version: int | None = None) -> TicketView:
        """Change what was promised at intake: the date the phone will be ready, and who
        repairs it (the repair record's technician too). ``None`` leaves it as it is."""
        from repairdesk.desk import _check_version, _get_ticket, _repair_record, _ticket_view

        now = self.clock()
        if promised_date is not None and promised_date < now.date():
            raise InputError("promised_date", _("core.promised_in_past"))
        with self.store.write() as s:
            ticket = _get_ticket(s, number)
            _check_version(s, ticket, version, now)
            if promised_date is not None:
                ticket.promised_date = promised_date
            if technician is not None:
                record = _repair_record(s, ticket)
                ticket.technician = technician.strip() or None
                if record is not None:
                    record.technician = ticket.technician
                    s.add(record)
            ticket.updated_at = now
            ticket.version += 1
            s.add(ticket)
            s.flush()
            return _ticket_view(s, ticket)

    def save_checklist_from(self, number: str, document: dict[str, Any] | str,
                            user: str | None = None) -> ChecklistOutcome:
        """:meth:`save_checklist` from a JSON document ``{"results": {ITEM: "pass"|"fail"|
        "untested"}, "battery_health": 85, "exclusions": [...], "voucher_imei": ...,
        "notes": ...}`` (the CLI's input); the same checks, nothing stored on error."""
        doc = _json_object(document)
        for key in doc:
            if key not in CHECKLIST_KEYS:
                raise InputError(str(key), _("core.unknown_key", key=key), label=_label("json"))
        results = doc.get("results") or {}
        if not isinstance(results, dict) or not all(isinstance(v, str) for v in
                                                    results.values()):
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
        return self.save_checklist(  # type: ignore[attr-defined, no-any-return]
            number, results, battery_health=health, exclusions=exclusions,
            voucher_imei=voucher, notes=notes, user=user)


def decide(s: Session, ticket: Ticket, on: date) -> DecisionView:
    """The 三包 decision on the ticket's stored facts, inside the caller's transaction;
    ``undecided`` (with the reason) when a fact it needs is missing."""
    from repairdesk.desk import _claims
    from repairdesk.money.claims import vendor_policy
    from repairdesk.policy import check_claim
    from repairdesk.tickets.views import DecisionView

    try:
        return DecisionView.from_decision(
            check_claim(_claims(s, [ticket], on)[ticket.id],  # type: ignore[index]
                        policy=vendor_policy(s)))
    except InputError as exc:
        return DecisionView.missing(exc.message)


def _warranty(decision: DecisionView, asked: bool | None) -> bool | None:
    if decision.undecided:
        return asked
    if asked is not None and asked != decision.covered:
        said = _("money.basis_warranty") if decision.covered else _("money.basis_paid")
        raise InputError("warranty", _("cli.warranty_against_decision", decision=said))
    return decision.covered


def _json_object(document: dict[str, Any] | str) -> dict[str, Any]:
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except json.JSONDecodeError as exc:
            raise InputError("json", _("core.bad_json", error=str(exc))) from exc
    if not isinstance(document, dict):
        raise InputError("json", _("core.bad_json", error=_("cli.not_an_object")))
    return document


def _names(field: str, codes: Any) -> str:
    from repairdesk.fields import value_names

    return value_names(field, codes)


def _label(field: str) -> str:
    from repairdesk.fields import label

    return label(field)
