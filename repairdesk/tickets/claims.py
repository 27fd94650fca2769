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
from collections.abc import Sequence
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


def read_claims(conn: sqlite3.Connection, ticket_ids: list[int],
                on: date) -> dict[int, dict[str, Any]]:
    """The claim document of each ticket that has a repair record, keyed by ticket id, in a
    handful of queries however many tickets (the board decides every open repair at once)."""
    if not ticket_ids:
        return {}
    ids = json.dumps(sorted(set(ticket_ids)))
    tickets = conn.execute(TICKETS, (ids,)).fetchall()
    device_ids = sorted({t[1] for t in tickets})
    facts = devices(conn, device_ids)
    # Each device's repairs, grouped once: scanning the whole history for each ticket grew
    # with the square of their number.
    history: dict[int, list[tuple[EarlierRepair, datetime, int]]] = {}
    for fault, handed_in, handed_back, warranty, status, device_id, created, other in \
            conn.execute(HISTORY, (json.dumps(device_ids),)):
        history.setdefault(device_id, []).append((
            EarlierRepair(fault, date.fromisoformat(handed_in), read_day(handed_back),
                          bool(warranty), status),
            read_time(created), other))
    exclusions: dict[int, list[str]] = {}
    for ticket_id, found in conn.execute(CHECKLISTS, (ids,)):
        exclusions[ticket_id] = json.loads(found)  # the latest save counts
    claims: dict[int, dict[str, Any]] = {}
    for (ticket_id, device_id, created_at, faults, condition_json, fault_code, handed_in,
         handed_back, delay_cause) in tickets:
        created = read_time(created_at)
        earlier = [repair for repair, when, other in history.get(device_id, ())
                   if other != ticket_id and when < created]
        condition = json.loads(condition_json)
        extra = exclusions.get(ticket_id)
        if extra:
            condition["exclusions"] = [*condition.get("exclusions", []), *extra]
        claims[ticket_id] = claim_document(
            device=facts[device_id], faults=json.loads(faults), condition=condition,
            fault_code=fault_code, handed_in=date.fromisoformat(handed_in),
            handed_back=read_day(handed_back), delay_cause=delay_cause, earlier=earlier, on=on,
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
