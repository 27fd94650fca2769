"""Looking a phone up at the counter: by a scanned IMEI, a ticket number, a phone number or a
customer's name; a device's history and a customer's tickets.

Each read is a few indexed queries on the store's sqlite3 connection, through the one row
reader (:mod:`repairdesk.tickets.rows`): a scan at the counter must answer at once.
"""

from __future__ import annotations

import sqlite3

from repairdesk.errors import InputError, NotFound
from repairdesk.i18n import _
from repairdesk.imei import digits, is_valid_imei, parse_imei, shipped_tac
from repairdesk.phones import mask, parse_phone
from repairdesk.tickets.numbering import is_ticket_number
from repairdesk.tickets.rows import DEVICE_COLUMNS, OF_IMEI, device_facts, summaries, summary
from repairdesk.tickets.views import (
    CustomerView,
    DeviceHistory,
    LookupResult,
    TacView,
    TicketSummary,
)
from repairdesk.tickets.workflow import OPEN

UNSTATED_BLACKLIST_REASON = "lost/stolen"
#: Tickets a history lists: the customer's history, as the intake form lists it.
HISTORY_LIMIT = 50


def tac(conn: sqlite3.Connection, imei: str) -> TacView | None:
    """Brand and model for an IMEI's TAC: the shipped table first, then learned TACs."""
    found = shipped_tac(imei)
    if found:
        return TacView(found.brand, found.model)
    learned = conn.execute("SELECT brand, model FROM learned_tac WHERE tac = ?",
                           (imei[:8],)).fetchone()
    return TacView(learned[0], learned[1], learned=True) if learned else None


def blacklist_reason(conn: sqlite3.Connection, *imeis: str | None) -> str | None:
    """Why HQ listed one of ``imeis`` as lost or stolen (from the newest pack), or None."""
    for imei in imeis:
        number = digits(imei) if imei else ""
        row = conn.execute("SELECT reason FROM sync_blacklist WHERE imei = ?",
                           (number,)).fetchone() if number else None
        if row is not None:
            return row[0] or UNSTATED_BLACKLIST_REASON
    return None


def imei_of_body(number: str) -> str:
    """The 15-digit IMEI of a 14-digit body or a 16-digit IMEISV (same device)."""
    from stdnum import luhn

    return number[:14] + luhn.calc_check_digit(number[:14])


def kind_of(text: str) -> str:
    """``ticket``, ``imei``, or ``other`` (a phone, else a name) for a lookup's text."""
    if is_ticket_number(text):
        return "ticket"
    number = digits(text)
    if number and 14 <= len(number) <= 16 and not text.startswith("+"):
        return "imei"
    return "other"


def by_imei(conn: sqlite3.Connection, text: str) -> LookupResult:
    number = digits(text)
    imei = number if len(number) == 15 else imei_of_body(number)
    valid = is_valid_imei(number) if len(number) == 15 else None
    rows = [summary(r) for r in conn.execute(OF_IMEI, (imei, imei))]
    return LookupResult(text, "imei", imei, valid, tac(conn, imei), rows,
                        blacklisted=blacklist_reason(conn, imei))


def by_ticket(conn: sqlite3.Connection, number: str) -> LookupResult:
    found = conn.execute("SELECT d.imei, d.id FROM ticket t JOIN device d ON d.id = t.device_id"
                         " WHERE t.number = ?", (number,)).fetchone()
    if found is None:
        raise NotFound(_("core.ticket_not_found", number=number))
    imei, device_id = found
    rows = summaries(conn, "t.device_id = ?", (device_id,))
    return LookupResult(number, "ticket", imei, is_valid_imei(imei), tac(conn, imei), rows,
                        blacklisted=blacklist_reason(conn, imei))


def by_phone(conn: sqlite3.Connection, text: str, phone: str) -> LookupResult:
    return LookupResult(text, "phone", None, None, None,
                        summaries(conn, "c.phone = ?", (phone,)))


def phone_or_none(text: str, region: str) -> str | None:
    try:
        return parse_phone(text, region, field="query")
    except InputError:
        return None


def check_query(text: str) -> str:
    text = text.strip()
    if not text:
        raise InputError("query", _("core.required"))
    return text


def by_name(text: str, rows: list[TicketSummary]) -> LookupResult:
    """A name (or a part of a number, a model): what the F4 lookup finds as it is typed."""
    if not rows and not any(c.isalpha() for c in text):
        raise InputError("query", _("core.query_not_understood", query=text))
    return LookupResult(text, "name", None, None, None, rows)


def phone_owner(conn: sqlite3.Connection, e164: str) -> tuple[int, str, str] | None:
    """(id, name, phone) of the customer a phone (E.164) stands for: of several people
    sharing it, the one whose record changed last (the one the counter saw last)."""
    found = conn.execute("SELECT id, name, phone FROM customer WHERE phone = ?"
                         " ORDER BY updated_at DESC, id DESC LIMIT 1", (e164,)).fetchone()
    return (found[0], found[1], found[2]) if found else None


def customer_by_phone(conn: sqlite3.Connection, e164: str) -> CustomerView | None:
    """:func:`phone_owner` with their tickets, newest first."""
    found = phone_owner(conn, e164)
    if found is None:
        return None
    rows = summaries(conn, "t.customer_id = ?", (found[0],), limit=HISTORY_LIMIT)
    return CustomerView(found[1], found[2], mask(found[2]), rows)


def device_history(conn: sqlite3.Connection, imei: str) -> DeviceHistory:
    """Everything the store knows of an IMEI (first or second), with its open ticket."""
    number = parse_imei(imei, field="device.imei")
    known = tac(conn, number)
    row = conn.execute(f"SELECT {DEVICE_COLUMNS} FROM device WHERE imei = ? OR imei2 = ?"
                       " ORDER BY imei = ? DESC LIMIT 1", (number, number, number)).fetchone()
    if row is None:
        return DeviceHistory(number, False, known, {}, [], None)
    rows = summaries(conn, "t.device_id = ?", (row[0],), limit=HISTORY_LIMIT)
    open_ticket = next((r for r in rows if r.status in OPEN), None)
    return DeviceHistory(number, True, known, device_facts(row), rows, open_ticket)
