"""The board's read (``Desk.board_view``): today's tickets and every open one, newest first,
with the legal deadlines of each open 三包 repair and the loaner (备用机) each ticket holds,
read with the standard library's sqlite3.

The board is the first thing the counter app shows, so it is read without SQLAlchemy or the
ORM models (loading them costs more than a whole start of a bare Textual app): plain SQL over
a ``sqlite3`` connection, typed as the ORM would type the columns (UTC datetimes, dates, JSON,
booleans). The claim of each repair is the one :mod:`repairdesk.money.claims` builds from ORM
rows (a test holds the board's deadlines equal to that path's), decided by the same engine.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from repairdesk.errors import InputError
from repairdesk.tickets.views import BoardRow, BoardView, DeadlineView, fen_to_yuan
from repairdesk.tickets.workflow import OPEN

# Open tickets whose phone is still being repaired: the legal deadlines run (a ticket ready
# for pickup has been repaired; its time in repair has stopped).
IN_REPAIR = OPEN - {"ready"}
#: How SQLAlchemy writes a datetime to SQLite (the ORM's UTCDateTime stores UTC).
STORED = "%Y-%m-%d %H:%M:%S.%f"

BOARD = """
SELECT t.id, t.number, t.status, t.created_at, t.faults, d.imei, d.brand, d.model, c.name,
       c.phone, t.promised_date, t.technician, t.device_id, t.condition
FROM ticket t JOIN device d ON d.id = t.device_id JOIN customer c ON c.id = t.customer_id
WHERE t.created_at >= ? OR t.status IN ({statuses})
ORDER BY t.created_at DESC, t.id DESC
LIMIT ?
"""
DEVICE = """
SELECT id, imei, imei2, serial, brand, model, colour, network_label, sale_date, invoice_date,
       invoice_no, price_fen, seller, channel, received_date, proof, production_date
FROM device WHERE id IN ({ids})
"""
RECORDS = """
SELECT ticket_id, handed_in, handed_back, warranty, fault_code, delay_cause
FROM repair_record WHERE ticket_id IN ({ids})
"""
HISTORY = """
SELECT r.fault_code, r.handed_in, r.handed_back, r.warranty, t.status, t.device_id,
       t.created_at, t.id
FROM repair_record r JOIN ticket t ON t.id = r.ticket_id
WHERE t.device_id IN ({ids})
"""
# The loaners out now: a pool of a few phones, so all of them (no ticket filter needed).
LOANERS_OUT = """
SELECT i.ticket_id, l.imei, l.model
FROM loaner_issue i JOIN loaner l ON l.id = i.loaner_id
WHERE i.returned_at IS NULL
"""
POLICY = "SELECT policy FROM sync_pack ORDER BY seq DESC LIMIT 1"  # the vendor's, from HQ
CHECKLISTS = """
SELECT ticket_id, exclusions FROM checklist_result WHERE ticket_id IN ({ids}) ORDER BY id
"""


def open_repair_deadlines(claim: dict[str, Any], today: date, holds_loaner: bool) -> list[Any]:
    """The legal deadlines of the covered 三包 repair ``claim`` describes, without the loaner
    duty (第十五条) when the ticket holds a loaner: the engine counts days only, so a loaner
    already lent must not leave the duty owed. Every reader of deadlines (board, ticket, day
    report) goes through here, so that they agree with :meth:`Desk.loaners_owed`."""
    from repairdesk.policy import legal_deadlines

    repair = claim["open_repair"]
    found = legal_deadlines(date.fromisoformat(repair["handed_in"]), today=today, sanbao=True,
                            part=claim["part"], delay=repair["delay"])
    return [d for d in found if not (holds_loaner and d.code == "loaner")]


def deadline_views(claims: dict[int, dict[str, Any]], today: date, holding: set[int],
                   policy: str | None) -> dict[int, list[DeadlineView] | None]:
    """Legal deadlines of the ``claims`` (by ticket id) that are 三包 repairs (their decision
    under the vendor ``policy`` is covered), None for a decided paid repair; a ticket whose
    claim cannot be decided (purchase facts missing) or that is not in repair is absent.
    ``holding``: the tickets holding a loaner."""
    from repairdesk.policy import decide, load_calendar, load_rules_with, parse_claim

    result: dict[int, list[DeadlineView] | None] = {}
    rules, calendar = load_rules_with(policy), load_calendar()
    for ticket_id, claim in claims.items():
        if claim["open_repair"] is None:
            continue
        try:
            # check_claim's decision, without rendering its reasons (no reader shows them).
            covered = decide(parse_claim(claim), rules, calendar).covered
        except InputError:
            continue  # purchase facts missing: not decidable, so not shown as 三包
        if not covered or today < date.fromisoformat(claim["open_repair"]["handed_in"]):
            result[ticket_id] = None
            continue
        result[ticket_id] = [
            DeadlineView(d.code, d.article, d.days, d.last_day, d.owed_from, d.warn_from,
                         d.state, d.label())
            for d in open_repair_deadlines(claim, today, ticket_id in holding)
        ]
    return result


def stored_time(moment: datetime) -> str:
    """``moment`` as the store holds it (UTC, SQLAlchemy's text form)."""
    return moment.astimezone(UTC).strftime(STORED)


def read_time(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


@lru_cache(maxsize=4096)
def masked(phone: str) -> str:
    """:func:`repairdesk.phones.mask` of a stored phone, remembered: the board masks the same
    few hundred numbers on every refresh."""
    from repairdesk.phones import mask

    return mask(phone)


def read_board(
    conn: sqlite3.Connection,
    today: date,
    midnight: datetime,
    status: str | None = None,
    technician: str | None = None,
    text: str | None = None,
    limit: int = 500,
) -> BoardView:
    """The board as ``Desk.board_view`` returns it, read in one transaction on ``conn``."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        statuses = sorted(OPEN)
        found = conn.execute(BOARD.format(statuses=_marks(statuses)),
                             (stored_time(midnight), *statuses, limit)).fetchall()
        out = {row[0]: (row[1], row[2]) for row in conn.execute(LOANERS_OUT)}
        deadlines = _deadlines(conn, [r for r in found if r[2] in IN_REPAIR], today, set(out))
    finally:
        if own:
            conn.execute("COMMIT")
    rows = []
    for (ticket_id, number, status_, created, faults, imei, brand, model, name, phone,
         promised, tech, _device_id, _condition) in found:
        promised_date = _day(promised)
        loaner_imei, loaner_model = out.get(ticket_id, (None, None))
        rows.append(BoardRow(
            ticket=number, status=status_, created=read_time(created), faults=json.loads(faults),
            imei=imei, brand=brand, model=model, customer=name, phone_masked=masked(phone),
            promised_date=promised_date, technician=tech,
            sanbao=None if ticket_id not in deadlines else deadlines[ticket_id] is not None,
            deadlines=deadlines.get(ticket_id) or [],
            promised_overdue=bool(promised_date and promised_date < today
                                  and status_ in IN_REPAIR),
            loaner_imei=loaner_imei, loaner_model=loaner_model,
        ))
    technicians = sorted({row.technician for row in rows if row.technician})
    shown = [row for row in rows if board_match(row, status, technician, text)]
    return BoardView(shown, technicians, len(rows))


def board_match(row: BoardRow, status: str | None, technician: str | None,
                text: str | None) -> bool:
    if status and row.status != status:
        return False
    if technician and row.technician != technician:
        return False
    if not text or not text.strip():
        return True
    from repairdesk.imei import digits

    needle = text.strip().casefold()
    haystack = " ".join(filter(None, (
        row.ticket, row.imei, row.customer, row.phone_masked, row.brand, row.model,
        row.technician,
    ))).casefold()
    number = digits(needle)
    # A loaner's IMEI finds who holds it (a scan of the phone handed back at the counter).
    return needle in haystack or bool(number and (number in row.imei or number in (
        row.loaner_imei or "")))


def _claims(conn: sqlite3.Connection, tickets: list[Any], on: date) -> dict[int, dict[str, Any]]:
    """The claim document of each ticket (a ``BOARD`` row) that has a repair record: the
    same documents as :func:`repairdesk.money.claims.claims`, from plain rows."""
    from repairdesk.tickets.claims import EarlierRepair, claim_document

    if not tickets:
        return {}
    ids = [t[0] for t in tickets]
    device_ids = sorted({t[12] for t in tickets})
    devices = {}
    for d in conn.execute(DEVICE.format(ids=_marks(device_ids)), device_ids):
        devices[d[0]] = {
            "imei": d[1], "imei2": d[2], "serial": d[3], "brand": d[4], "model": d[5],
            "colour": d[6], "network_label": d[7], "sale_date": _day(d[8]),
            "invoice_date": _day(d[9]), "invoice_no": d[10], "price": fen_to_yuan(d[11]),
            "seller": d[12], "channel": d[13], "received_date": _day(d[14]), "proof": d[15],
            "production_date": _day(d[16]),
        }
    records = {r[0]: r for r in conn.execute(RECORDS.format(ids=_marks(ids)), ids)}
    # Each device's repairs, so that a ticket looks only at its own device's.
    history: dict[int, list[tuple[EarlierRepair, datetime, int]]] = {}
    for fault, handed_in, handed_back, warranty, status, device_id, created, other in \
            conn.execute(HISTORY.format(ids=_marks(device_ids)), device_ids):
        history.setdefault(device_id, []).append((
            EarlierRepair(fault, date.fromisoformat(handed_in), _day(handed_back),
                          bool(warranty), status),
            read_time(created), other))
    exclusions: dict[int, list[str]] = {}
    for ticket_id, found in conn.execute(CHECKLISTS.format(ids=_marks(ids)), ids):
        exclusions[ticket_id] = json.loads(found)  # the latest save counts
    claims: dict[int, dict[str, Any]] = {}
    for t in tickets:
        ticket_id, created, device_id = t[0], read_time(t[3]), t[12]
        record = records.get(ticket_id)
        if record is None:
            continue
        earlier = [repair for repair, when, other in history.get(device_id, ())
                   if other != ticket_id and when < created]
        condition = json.loads(t[13])
        extra = exclusions.get(ticket_id)
        if extra:
            condition["exclusions"] = [*condition.get("exclusions", []), *extra]
        claims[ticket_id] = claim_document(
            device=devices[device_id], faults=json.loads(t[4]), condition=condition,
            fault_code=record[4], handed_in=date.fromisoformat(record[1]),
            handed_back=_day(record[2]), delay_cause=record[5], earlier=earlier, on=on,
        )
    return claims


def _deadlines(conn: sqlite3.Connection, tickets: list[Any], today: date,
               holding: set[int]) -> dict[int, list[DeadlineView] | None]:
    policy = conn.execute(POLICY).fetchone()
    return deadline_views(_claims(conn, tickets, today), today, holding,
                          policy[0] if policy else None)
