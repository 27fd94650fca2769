"""The board: today's tickets and every open one, newest first, with the legal deadlines of
each open 三包 repair and the loaner (备用机) each ticket holds.

The board is the first thing the counter app shows, so it is read with the standard
library's sqlite3, before SQLAlchemy or the ORM models are loaded (loading them costs more
than a whole start of a bare Textual app): the rows of :mod:`repairdesk.tickets.rows`, the
deadlines of :mod:`repairdesk.tickets.deadlines`, on one connection in one transaction.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime

from repairdesk.imei import digits
from repairdesk.tickets.deadlines import IN_REPAIR, loaners_out, views_of
from repairdesk.tickets.rows import JOINED, NEWEST_FIRST, SUMMARY_COLUMNS, stored_time, summary
from repairdesk.tickets.views import BoardRow, BoardView
from repairdesk.tickets.workflow import OPEN

BOARD = f"""
SELECT {SUMMARY_COLUMNS}, t.technician, t.id
FROM {JOINED}
WHERE t.created_at >= ? OR t.status IN (SELECT value FROM json_each(?))
{NEWEST_FIRST}
LIMIT ?
"""
OPEN_STATUSES = json.dumps(sorted(OPEN))  # BOARD's json_each list


def read_board(
    conn: sqlite3.Connection,
    today: date,
    midnight: datetime,
    status: str | None = None,
    technician: str | None = None,
    text: str | None = None,
    limit: int = 500,
) -> BoardView:
    """The board as ``desk.tickets.board_view`` returns it, read in one transaction on ``conn``."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        found = conn.execute(BOARD, (stored_time(midnight), OPEN_STATUSES, limit)).fetchall()
        out = loaners_out(conn)
        deadlines = views_of(conn, [r[11] for r in found if r[1] in IN_REPAIR], today, set(out))
    finally:
        if own:
            conn.execute("COMMIT")
    rows = []
    for row in found:
        head, tech, ticket_id = summary(row), row[10], row[11]
        loaner_imei, loaner_model = out.get(ticket_id, (None, None))
        rows.append(BoardRow(
            **vars(head), technician=tech,
            sanbao=None if ticket_id not in deadlines else deadlines[ticket_id] is not None,
            deadlines=deadlines.get(ticket_id) or [],
            promised_overdue=bool(head.promised_date and head.promised_date < today
                                  and head.status in IN_REPAIR),
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
    needle = text.strip().casefold()
    haystack = " ".join(filter(None, (
        row.ticket, row.imei, row.customer, row.phone_masked, row.brand, row.model,
        row.technician,
    ))).casefold()
    number = digits(needle)
    # A loaner's IMEI finds who holds it (a scan of the phone handed back at the counter).
    return needle in haystack or bool(number and (number in row.imei or number in (
        row.loaner_imei or "")))
