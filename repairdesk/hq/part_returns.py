"""Faulty parts back at HQ: a counter's return is the old parts it sent under one waybill
(``repairdesk parts send-old --ref WAYBILL``: its ``old_part`` rows with that ``sent_ref``);
HQ receives it once, line by line: each part received, missing, or not the part claimed.

A part HQ received leaves the counter's exposure. One missing or not the part claimed holds
its claim line again (check ``part_refused``), as if it had never been sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk.errors import InputError
from repairdesk.freetext import check_text
from repairdesk.hq import schema
from repairdesk.i18n import _


@dataclass(frozen=True)
class ReturnLine:
    old_part: int
    ticket: str | None
    part_number: str
    qty: int
    outcome: str | None  # received | missing | wrong; None: not received at HQ yet


def outcomes(conn: Connection, counter: str) -> dict[int, str]:
    """HQ's finding per old part of ``counter``."""
    found = schema.table("hq_return_line")
    return {int(r.old_part_id): r.outcome for r in conn.execute(
        sa.select(found.c.old_part_id, found.c.outcome).where(found.c.counter == counter))}


def returns(conn: Connection, counter: str | None = None) -> list[dict[str, Any]]:
    """Every return the counters sent: counter, waybill, when, its lines, and whether HQ has
    received it; in the order sent."""
    m = schema.mirrors()
    old, parts, tickets = m["old_part"], m["part"], m["ticket"]
    c = schema.COUNTER
    query = (
        sa.select(old.c[c].label("counter"), old.c.id, old.c.qty, old.c.sent_at, old.c.sent_ref,
                  parts.c.part_number, tickets.c.number)
        .select_from(old.join(parts, sa.and_(parts.c[c] == old.c[c], parts.c.id == old.c.part_id))
                     .outerjoin(tickets, sa.and_(tickets.c[c] == old.c[c],
                                                 tickets.c.id == old.c.ticket_id)))
        .where(old.c[schema.DELETED].is_(False), old.c.sent_at.is_not(None))
        .order_by(old.c.sent_at, old.c[c], old.c.id))
    if counter:
        query = query.where(old.c[c] == counter)
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    found: dict[str, dict[int, str]] = {}
    for row in conn.execute(query):
        if row.counter not in found:
            found[row.counter] = outcomes(conn, row.counter)
        entry = grouped.setdefault((row.counter, row.sent_ref), {
            "counter": row.counter, "ref": row.sent_ref, "sent_at": row.sent_at, "lines": []})
        entry["lines"].append(ReturnLine(int(row.id), row.number, row.part_number,
                                         int(row.qty), found[row.counter].get(int(row.id))))
    return list(grouped.values())


def receive(conn: Connection, counter: str, ref: str, missing: list[int], wrong: list[int],
            note: str, now: datetime, user: str | None) -> dict[str, Any]:
    """HQ receives ``counter``'s return ``ref``: every line received but those ``missing``
    or ``wrong``; returns the return as it now stands."""
    note = check_text("note", note)
    mine = [r for r in returns(conn, counter) if r["ref"] == ref.strip()]
    if not mine:
        raise InputError("return", _("hqparts.no_return", counter=counter, ref=ref.strip()))
    (found,) = mine
    lines = {li.old_part: li for li in found["lines"]}
    if any(li.outcome is not None for li in lines.values()):
        raise InputError("return", _("hqparts.return_received", ref=found["ref"]))
    for listed, field in ((missing, "missing"), (wrong, "wrong")):
        for old_part in listed:
            if old_part not in lines:
                raise InputError(field, _("hqparts.not_in_return", old_part=old_part,
                                          ref=found["ref"], lines=", ".join(
                                              str(i) for i in sorted(lines))))
    both = set(missing) & set(wrong)
    if both:
        raise InputError("wrong", _("hqparts.missing_and_wrong", old_part=min(both)))
    rows = [{"counter": counter, "old_part_id": old_part, "return_ref": found["ref"],
             "outcome": "missing" if old_part in missing else "wrong" if old_part in wrong
             else "received", "note": note, "at": now, "by_user": user}
            for old_part in sorted(lines)]
    conn.execute(sa.insert(schema.table("hq_return_line")), rows)
    return next(r for r in returns(conn, counter) if r["ref"] == found["ref"])
