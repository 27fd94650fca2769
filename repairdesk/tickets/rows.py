"""The one reader of ticket rows: the summary every list shows (board, lookup, search, a
customer's or a device's history) and the device facts a claim and a ticket read, as plain
SQL over the store's sqlite3 connection with one decoder each.

Plain SQL, not the ORM: the board is read before SQLAlchemy is loaded (repairdesk/opening.py)
and lookups list up to fifty tickets on every keystroke. A session's reads go through the
same SQL on the session's own connection (:func:`connection_of`), so a write transaction sees
what it has flushed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from repairdesk.amounts import fen_to_yuan
from repairdesk.phones import mask
from repairdesk.tickets.views import TicketSummary

if TYPE_CHECKING:
    from sqlmodel import Session

#: The columns :func:`summary` decodes, in its order.
SUMMARY_COLUMNS = ("t.number, t.status, t.created_at, t.faults, d.imei, d.brand, d.model,"
                   " c.name, c.phone, t.promised_date")
#: Tickets with their device and customer.
JOINED = "ticket t JOIN device d ON d.id = t.device_id JOIN customer c ON c.id = t.customer_id"
SUMMARY = f"SELECT {SUMMARY_COLUMNS} FROM {JOINED}"
NEWEST_FIRST = " ORDER BY t.created_at DESC, t.id DESC"
#: Every ticket of the device with this first or second IMEI (a scan at the counter).
OF_IMEI = f"{SUMMARY} WHERE d.imei = ? OR d.imei2 = ?{NEWEST_FIRST}"
#: How SQLAlchemy writes a datetime to SQLite (the ORM's UTCDateTime stores UTC).
STORED = "%Y-%m-%d %H:%M:%S.%f"

DEVICE_COLUMNS = ("id, imei, imei2, serial, brand, model, colour, network_label, sale_date,"
                  " invoice_date, invoice_no, price_fen, seller, channel, received_date, proof,"
                  " production_date")
DEVICES = f"SELECT {DEVICE_COLUMNS} FROM device WHERE id IN (SELECT value FROM json_each(?))"


def connection_of(s: Session) -> sqlite3.Connection:
    """The sqlite3 connection under a session, inside its transaction."""
    s.flush()
    conn = s.connection().connection.driver_connection
    assert isinstance(conn, sqlite3.Connection)
    return conn


def stored_time(moment: datetime) -> str:
    """``moment`` as the store holds it (UTC, SQLAlchemy's text form)."""
    return moment.astimezone(UTC).strftime(STORED)


def read_time(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def read_day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@lru_cache(maxsize=4096)
def masked(phone: str) -> str:
    """:func:`repairdesk.phones.mask` of a stored phone, remembered: the board masks the same
    few hundred numbers on every refresh."""
    return mask(phone)


def summary(row: Sequence[Any]) -> TicketSummary:
    """The :class:`TicketSummary` of a row that starts with ``SUMMARY_COLUMNS``."""
    return TicketSummary(
        ticket=row[0], status=row[1], created=read_time(row[2]), faults=json.loads(row[3]),
        imei=row[4], brand=row[5], model=row[6], customer=row[7], phone_masked=masked(row[8]),
        promised_date=read_day(row[9]),
    )


def summaries(conn: sqlite3.Connection, where: str, params: Sequence[Any] = (),
              limit: int | None = None) -> list[TicketSummary]:
    """The tickets ``where`` selects (over ``JOINED``), newest first."""
    sql = f"{SUMMARY} WHERE {where}{NEWEST_FIRST}"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [summary(row) for row in conn.execute(sql, tuple(params))]


def device_facts(row: Sequence[Any]) -> dict[str, Any]:
    """The device as a claim and a ticket read it, from a row of ``DEVICE_COLUMNS``."""
    return {
        "imei": row[1], "imei2": row[2], "serial": row[3], "brand": row[4], "model": row[5],
        "colour": row[6], "network_label": row[7], "sale_date": read_day(row[8]),
        "invoice_date": read_day(row[9]), "invoice_no": row[10],
        "price": fen_to_yuan(row[11]), "seller": row[12], "channel": row[13],
        "received_date": read_day(row[14]), "proof": row[15],
        "production_date": read_day(row[16]),
    }


def devices(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """:func:`device_facts` of each device id."""
    return {row[0]: device_facts(row)
            for row in conn.execute(DEVICES, (json.dumps(sorted(set(ids))),))}
