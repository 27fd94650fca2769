"""A counter's month, frozen: the statement HQ pays on, signed with HQ's key.

Closing month M freezes, per counter, every line not yet in a statement whose month is M or
earlier and whose state is final (approved or rejected, claim and adjustment lines alike):
they get the statement's id and never change again. Held and pending lines are listed as
carried forward and stay open for the next month. The document is canonical JSON (keys
sorted, no spaces), so its SHA-256, and HQ's Ed25519 signature over it, can be recomputed
by anyone holding the document (:mod:`repairdesk.hq.settle_verify`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk.dates import is_month
from repairdesk.errors import InputError
from repairdesk.hq import schema
from repairdesk.i18n import _
from repairdesk.sync import seal

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

FORMAT = "repairdesk.statement"
VERSION = 1
FINAL = ("approved", "rejected")
OPEN = ("pending", "held")


def check_month(value: str, today: date, field: str = "month") -> str:
    """``value`` as YYYY-MM, a month that has ended by ``today``."""
    month = value.strip()
    if not is_month(month):
        raise InputError(field, _("hqclose.bad_month", value=value))
    if month >= today.strftime("%Y-%m"):
        raise InputError(field, _("hqclose.month_not_ended", month=month))
    return month


def line_document(m: Any) -> dict[str, Any]:
    """One line as a statement holds it: codes and fen, never words (they are rendered in
    the reader's language)."""
    return {
        "id": m["id"], "ticket": m["ticket_number"], "kind": m["kind"], "adjusts": m["adjusts"],
        "imei": m["imei"], "brand": m["brand"], "model": m["model"], "fault": m["fault"],
        "remedy": m["remedy"], "grade": m["grade"],
        "handed_in": m["handed_in"].isoformat() if m["handed_in"] else None,
        "handed_back": m["handed_back"].isoformat() if m["handed_back"] else None,
        "level": m["level"], "card_version": m["card_version"], "parts": list(m["parts"] or []),
        "labour_fen": int(m["labour_fen"]), "parts_fen": int(m["parts_fen"]),
        "amount_fen": int(m["amount_fen"]),
        "approved_fen": None if m["approved_fen"] is None else int(m["approved_fen"]),
        "checks": [{"code": c["code"], "outcome": c["outcome"],
                    "params": dict(c.get("params") or {})} for c in (m["checks"] or [])],
        "status": m["status"], "review": m["review"], "review_reason": m["review_reason"],
        "reviewed_by": m["reviewed_by"], "month": m["month"],
    }


def totals(approved: list[dict[str, Any]], adjustments: list[dict[str, Any]]) -> dict[str, int]:
    """What the statement pays: labour (of each approved claim line, at most what was
    approved), parts (the rest of what was approved), the adjustments, and their total."""
    labour = sum(min(line["labour_fen"], line["approved_fen"] or 0) for line in approved)
    paid = sum(line["approved_fen"] or 0 for line in approved)
    adjusted = sum(line["approved_fen"] or 0 for line in adjustments)
    return {"labour_fen": labour, "parts_fen": paid - labour, "adjustments_fen": adjusted,
            "total_fen": paid + adjusted}


def last_month(conn: Connection, counter: str) -> str | None:
    statements = schema.table("hq_statement")
    return conn.execute(sa.select(sa.func.max(statements.c.month))
                        .where(statements.c.counter == counter)).scalar()


def counters_to_close(conn: Connection, month: str) -> list[str]:
    """The counters with a line of ``month`` or earlier that no statement holds yet, and
    those with a statement of ``month`` already (closing again returns it)."""
    lines, statements = schema.table("hq_claim_line"), schema.table("hq_statement")
    open_ = sa.select(lines.c.counter).where(lines.c.statement_id.is_(None),
                                             lines.c.month <= month)
    closed = sa.select(statements.c.counter).where(statements.c.month == month)
    return sorted({row[0] for row in conn.execute(open_.union(closed))})


def close_counter(conn: Connection, counter: str, month: str, now: datetime,
                  user: str | None, key: Ed25519PrivateKey) -> tuple[int, bool]:
    """Freeze ``counter``'s ``month``; returns the statement's id and whether it is new (a
    month closed before is returned as it is)."""
    statements, lines = schema.table("hq_statement"), schema.table("hq_claim_line")
    existing = conn.execute(sa.select(statements.c.id).where(
        statements.c.counter == counter, statements.c.month == month)).scalar()
    if existing is not None:
        return int(existing), False
    last = last_month(conn, counter)
    if last is not None and last > month:
        raise InputError("month", _("hqclose.closed_later", counter=counter, month=month,
                                    last=last))
    rows = [row._mapping for row in conn.execute(
        sa.select(lines).where(lines.c.counter == counter, lines.c.statement_id.is_(None),
                               lines.c.month <= month).order_by(lines.c.id))]
    final = [line_document(m) for m in rows if m["status"] in FINAL]
    approved = [d for d in final if d["status"] == "approved" and d["kind"] == "claim"]
    adjustments = [d for d in final if d["status"] == "approved" and d["kind"] != "claim"]
    registry = schema.table("hq_counter")
    info = conn.execute(sa.select(registry.c.name, registry.c.level)
                        .where(registry.c.code == counter)).first()
    total = totals(approved, adjustments)
    document: dict[str, Any] = {
        "format": FORMAT, "version": VERSION, "counter": counter,
        "name": info.name if info else counter, "level": info.level if info else None,
        "month": month, "closed_at": now.isoformat(), "closed_by": user,
        "card_versions": sorted({d["card_version"] for d in final
                                 if d["card_version"] is not None}),
        "approved": approved,
        "rejected": [d for d in final if d["status"] == "rejected"],
        "adjustments": adjustments,
        "carried": [line_document(m) for m in rows if m["status"] in OPEN],
        "totals": total,
    }
    sha, signature = seal.seal(key, document)
    statement_id = conn.execute(sa.insert(statements).values(
        counter=counter, month=month, closed_at=now, closed_by=user,
        labour_fen=total["labour_fen"], parts_fen=total["parts_fen"],
        total_fen=total["total_fen"], lines=len(final), document=document, sha256=sha,
        signature=signature,
    ).returning(statements.c.id)).scalar_one()
    if final:
        conn.execute(sa.update(lines).where(lines.c.id.in_([d["id"] for d in final]))
                     .values(statement_id=statement_id, updated_at=now))
    return int(statement_id), True
