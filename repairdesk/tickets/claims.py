"""The 三包 claim of stored tickets: what the engine needs, read off the record. The one
place a claim is assembled: the board, the ticket screen, the checklist, the money rules,
the day report and the slips all ask :func:`read_claims`.

The claim document is built from plain rows (:func:`claim_document` is pure), so it goes
through the same ``check_claim`` as ``repairdesk warranty check`` and the decision cannot
differ; it is read with plain SQL on the store's sqlite3 connection, which a session lends
inside its own transaction (:func:`repairdesk.tickets.rows.connection_of`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from repairdesk.errors import InputError
from repairdesk.policy import check_claim
from repairdesk.tickets.claim_document import EarlierRepair, claim_document
from repairdesk.tickets.rows import connection_of, devices, read_day, read_time

if TYPE_CHECKING:
    from sqlmodel import Session

    from repairdesk.models import Ticket


TICKETS = """
SELECT t.id, t.device_id, t.created_at, t.faults, t.condition, r.fault_code, r.handed_in,
       r.handed_back, r.delay_cause
FROM ticket t JOIN repair_record r ON r.ticket_id = t.id
WHERE t.id IN (SELECT value FROM json_each(?))
"""
HISTORY = """
SELECT r.fault_code, r.handed_in, r.handed_back, r.warranty, t.status, t.device_id,
       t.created_at, t.id
FROM repair_record r JOIN ticket t ON t.id = r.ticket_id
WHERE t.device_id IN (SELECT value FROM json_each(?))
"""
CHECKLISTS = """
SELECT ticket_id, exclusions FROM checklist_result
WHERE ticket_id IN (SELECT value FROM json_each(?)) ORDER BY id
"""
POLICY = "SELECT policy FROM sync_pack ORDER BY seq DESC LIMIT 1"  # the vendor's, from HQ


@dataclass(frozen=True)
class TicketRow:
    """What a claim reads of one ticket and its repair record, decoded."""

    ticket_id: int
    device_id: int
    created: datetime
    faults: list[str]
    condition: dict[str, Any]
    fault_code: str | None
    handed_in: date
    handed_back: date | None
    delay_cause: str | None


@dataclass(frozen=True)
class HistoryRow:
    """One repair of a device (any of its tickets), decoded."""

    fault_code: str | None
    handed_in: date
    handed_back: date | None
    warranty: bool
    status: str
    device_id: int
    created: datetime
    ticket_id: int


def read_claims(conn: sqlite3.Connection, ticket_ids: list[int],
                on: date) -> dict[int, dict[str, Any]]:
    """The claim document of each ticket that has a repair record, keyed by ticket id, in a
    handful of queries however many tickets (the board decides every open repair at once)."""
    if not ticket_ids:
        return {}
    ids = json.dumps(sorted(set(ticket_ids)))
    tickets = [
        TicketRow(ticket_id, device_id, read_time(created_at), json.loads(faults),
                  json.loads(condition_json), fault_code, date.fromisoformat(handed_in),
                  read_day(handed_back), delay_cause)
        for (ticket_id, device_id, created_at, faults, condition_json, fault_code, handed_in,
             handed_back, delay_cause) in conn.execute(TICKETS, (ids,)).fetchall()]
    device_ids = sorted({t.device_id for t in tickets})
    history = [
        HistoryRow(fault, date.fromisoformat(handed_in), read_day(handed_back), bool(warranty),
                   status, device_id, read_time(created), other)
        for fault, handed_in, handed_back, warranty, status, device_id, created, other in
        conn.execute(HISTORY, (json.dumps(device_ids),))]
    exclusions: dict[int, list[str]] = {}
    for ticket_id, found in conn.execute(CHECKLISTS, (ids,)):
        exclusions[ticket_id] = json.loads(found)  # the latest save counts
    return assemble_claims(tickets, devices(conn, device_ids), history, exclusions, on)


def assemble_claims(tickets: Iterable[TicketRow], facts: Mapping[int, dict[str, Any]],
                    repairs: Iterable[HistoryRow], exclusions: Mapping[int, list[str]],
                    on: date | Mapping[int, date]) -> dict[int, dict[str, Any]]:
    """The claim documents of ``tickets`` from plain rows (pure): ``facts`` the devices'
    (:func:`repairdesk.tickets.rows.device_facts`) by device id, ``repairs`` every repair of
    those devices, ``exclusions`` each ticket's latest checklist exclusions, ``on`` the day
    of the claim (one for all, or per ticket id). HQ decides the counters' tickets again
    from its copies of their rows through this same function."""
    # Each device's repairs, grouped once: scanning the whole history for each ticket grew
    # with the square of their number.
    history: dict[int, list[tuple[EarlierRepair, datetime, int]]] = {}
    for r in repairs:
        history.setdefault(r.device_id, []).append((
            EarlierRepair(r.fault_code, r.handed_in, r.handed_back, r.warranty, r.status),
            r.created, r.ticket_id))
    claims: dict[int, dict[str, Any]] = {}
    for t in tickets:
        earlier = [repair for repair, when, other in history.get(t.device_id, ())
                   if other != t.ticket_id and when < t.created]
        condition = dict(t.condition)
        extra = exclusions.get(t.ticket_id)
        if extra:
            condition["exclusions"] = [*condition.get("exclusions", []), *extra]
        claims[t.ticket_id] = claim_document(
            device=facts[t.device_id], faults=t.faults, condition=condition,
            fault_code=t.fault_code, handed_in=t.handed_in, handed_back=t.handed_back,
            delay_cause=t.delay_cause, earlier=earlier,
            on=on if isinstance(on, date) else on[t.ticket_id],
        )
    return claims


def vendor_policy(conn: sqlite3.Connection) -> str | None:
    """The vendor policy in force: the newest HQ pack's, if any (it extends the
    regulation's coverage)."""
    row = conn.execute(POLICY).fetchone()
    return row[0] if row else None


def decide(claim: dict[str, Any], policy: str | None = None) -> dict[str, Any] | None:
    """The engine's decision on ``claim`` under the vendor ``policy``; None when it cannot
    be decided (facts missing)."""
    try:
        return check_claim(claim, policy=policy)
    except InputError:
        return None


def session_claims(s: Session, tickets: Sequence[Ticket], on: date) -> dict[int, dict[str, Any]]:
    """:func:`read_claims` of ``tickets`` as the session ``s`` sees them (its transaction)."""
    return read_claims(connection_of(s), [t.id for t in tickets if t.id is not None], on)


def session_policy(s: Session) -> str | None:
    """:func:`vendor_policy` as the session ``s`` sees it."""
    return vendor_policy(connection_of(s))
