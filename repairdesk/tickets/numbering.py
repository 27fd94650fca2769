"""Ticket numbers: ``<COUNTER>-<YYYYMMDD>-<NNNN>``, per counter per local day, never reused.

The sequence row is read and bumped inside the caller's write transaction, which SQLite
holds with BEGIN IMMEDIATE: two processes on one store queue up instead of taking the same
number, and a crash before commit leaves the counter where it was.
"""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import Session, select

from repairdesk.models import TicketSequence

TICKET_NUMBER = re.compile(r"^([A-Z][A-Z0-9]{1,7})-(\d{8})-(\d{4,})$")


def next_ticket_number(session: Session, counter_code: str, day: date) -> str:
    key = day.strftime("%Y%m%d")
    row = session.exec(
        select(TicketSequence).where(
            TicketSequence.counter_code == counter_code, TicketSequence.day == key
        )
    ).first()
    if row is None:
        row = TicketSequence(counter_code=counter_code, day=key, last=0)
    row.last += 1
    session.add(row)
    session.flush()
    return f"{counter_code}-{key}-{row.last:04d}"


def is_ticket_number(text: str) -> bool:
    return TICKET_NUMBER.match(text.strip().upper()) is not None
