"""The counter a store belongs to: its code (shared with HQ's registry and every batch
file), name, address and phone. One row per store.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session, select

from repairdesk.errors import InputError
from repairdesk.i18n import _
from repairdesk.models import Counter, Ticket
from repairdesk.tickets.views import CounterInfo

#: A counter's code: a capital letter, then 1 to 7 capitals or digits (``SH01``).
COUNTER_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")


def check_code(code: str) -> str:
    code = code.strip().upper()
    if not COUNTER_CODE.match(code):
        raise InputError("counter", _("core.counter_code_invalid", code=code))
    return code


def read_counter(s: Session) -> CounterInfo | None:
    row = s.exec(select(Counter)).first()
    return CounterInfo(row.code, row.name, row.address, row.phone) if row else None


def set_counter(s: Session, code: str, name: str, address: str, phone_e164: str,
                now: datetime) -> CounterInfo:
    """Name the store's counter; its code cannot change once it has tickets."""
    other = s.exec(select(Ticket.counter_code).where(Ticket.counter_code != code)).first()
    if other:
        raise InputError("counter", _("core.counter_has_tickets", code=other))
    row = s.exec(select(Counter)).first() or Counter(code=code, name=name, created_at=now)
    row.code, row.name, row.address, row.phone = code, name.strip(), address, phone_e164
    s.add(row)
    s.flush()
    return CounterInfo(row.code, row.name, row.address, row.phone)
