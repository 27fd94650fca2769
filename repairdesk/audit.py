"""The audit trail: every change to the store's records becomes a hash-chained event.

Changes are captured where they happen — in the ORM flush of each write transaction — so no
use case can forget to log, and the event commits or rolls back with the change itself.
Each event's hash covers its content and the previous hash: editing or deleting an event
breaks the chain at that point, which :func:`verify_chain` reports.

Events are stored compactly, since the trail is most of what a ticket adds to the store,
without saying less; the hash is taken over the canonical JSON of what is stored, so how
the stored text is spaced does not matter to it:

- ``before`` and ``after`` are stored as compact UTF-8 JSON, and as NULL when there is none;
- a row written or deleted whole leaves out its null columns and its ``id`` (the event's
  ``entity_id``): every other column of the table is there;
- an update keeps only the changed columns, before and after;
- ``prev_hash`` keeps the first ``PREV_KEPT`` characters of the previous event's hash,
  enough to tell a missing event from an edited one: the hash covers the whole previous
  hash, as it always has, so the chain is as strong as before.

Events written before this (whole rows, full ``prev_hash``) verify as they always did.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session
from sqlmodel import col

from repairdesk.models import AuditEvent

GENESIS = "0" * 64
# Tables whose rows are bookkeeping, not records a person changes.
NOT_AUDITED = frozenset({"audit_event", "ticket_sequence", "alembic_version"})
# Never written to the trail (nor, through it, to HQ): secrets stay in their own column.
SECRET = {"ticket": {"passcode_value"}, "user": {"pin_hash"}}
# entity, entity id, action, before, after
Pending = tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]
#: Characters of the previous event's hash an event stores (see the module's docstring).
PREV_KEPT = 16
#: The event table as written: ``before`` and ``after`` as the JSON text this module makes
#: (the model's JSON type would space it out and escape every Chinese character).
_STORED = sa.Table("audit_event", sa.MetaData(), *(
    sa.Column(c.name, sa.Text if c.name in ("before", "after") else c.type,
              primary_key=c.primary_key)
    for c in AuditEvent.__table__.columns))  # type: ignore[attr-defined]  # SQLModel sets __table__, undeclared


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def event_hash(fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _fields(at: datetime, user: str, entity: str, entity_id: str, action: str,
            before: dict[str, Any] | None, after: dict[str, Any] | None,
            prev_hash: str) -> dict[str, Any]:
    return {"at": at.astimezone(UTC).isoformat(), "user": user, "entity": entity,
            "entity_id": entity_id, "action": action, "before": before, "after": after,
            "prev_hash": prev_hash}


def _row(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    """A row written or deleted whole: its columns (``_columns``) but the null ones."""
    found = {}
    for name in names:
        value = getattr(obj, name)
        if value is not None:
            found[name] = _plain(value)
    return found


def _stored(value: dict[str, Any] | None) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    secret = SECRET.get(obj.__tablename__, set())
    for attr in inspect(obj).mapper.column_attrs:
        history = inspect(obj).attrs[attr.key].history
        if not history.has_changes() or attr.key in secret:
            continue
        before[attr.key] = _plain(history.deleted[0]) if history.deleted else None
        after[attr.key] = _plain(history.added[0]) if history.added else None
    return before, after


def _columns(obj: Any) -> list[str]:
    secret = SECRET.get(obj.__tablename__, set())
    mapper = inspect(obj).mapper
    # ``id`` is left out where it is the whole key: ``entity_id`` is that key.
    keyed = [c.key for c in mapper.primary_key] == ["id"]
    return [a.key for a in mapper.column_attrs
            if a.key not in secret and not (keyed and a.key == "id")]


def _after_flush(session: Session, _context: object) -> None:
    user = session.info.get("user", "counter")
    at = session.info.get("now") or datetime.now(UTC)
    pending: list[Pending] = []
    for obj in session.new:
        if getattr(obj, "__tablename__", None) not in NOT_AUDITED:
            pending.append((obj.__tablename__, _key(obj), "insert", None,
                            _row(obj, _columns(obj))))
    for obj in session.dirty:
        if getattr(obj, "__tablename__", None) in NOT_AUDITED or not session.is_modified(obj):
            continue
        before, after = _changes(obj)
        if before or after:
            pending.append((obj.__tablename__, _key(obj), "update", before, after))
    for obj in session.deleted:
        if getattr(obj, "__tablename__", None) not in NOT_AUDITED:
            pending.append((obj.__tablename__, _key(obj), "delete",
                            _row(obj, _columns(obj)), None))
    _append(session, pending, user, at)


def _append(session: Session, pending: list[Pending], user: str, at: datetime) -> None:
    if not pending:
        return
    connection = session.connection()
    prev = connection.execute(
        select(_STORED.c.hash).order_by(_STORED.c.id.desc()).limit(1)
    ).scalar() or GENESIS
    rows = []
    for entity, entity_id, action, before, after in sorted(pending, key=lambda p: p[:2]):
        fields = _fields(at, user, entity, entity_id, action, before, after, prev)
        link = event_hash(fields)
        rows.append({**fields, "at": at, "prev_hash": prev[:PREV_KEPT], "hash": link,
                     "before": _stored(before), "after": _stored(after)})
        prev = link
    connection.execute(insert(_STORED), rows)


def note(session: Session, entity: str, entity_id: str, action: str,
         detail: dict[str, Any] | None = None) -> None:
    """An event that is not a change of a row (a passcode revealed, a ticket reopened)."""
    user = session.info.get("user", "counter")
    at = session.info.get("now") or datetime.now(UTC)
    _append(session, [(entity, entity_id, action, None, _plain(detail) if detail else None)],
            user, at)


def _key(obj: Any) -> str:
    identity = inspect(obj).identity
    if identity:
        return ":".join(str(part) for part in identity)
    return ":".join(str(getattr(obj, c.key)) for c in inspect(obj).mapper.primary_key)


def track(session: Session, user: str, now: datetime | None = None) -> None:
    """Record every change this session flushes, attributed to ``user``."""
    session.info["user"] = user
    if now is not None:
        session.info["now"] = now
    event.listen(session, "after_flush", _after_flush)


@dataclass(frozen=True)
class ChainReport:
    events: int
    ok: bool
    broken_at: int | None = None  # the id of the first event whose link does not hold
    reason: str | None = None  # edited | missing_before

    def to_dict(self) -> dict[str, Any]:
        return {"events": self.events, "ok": self.ok, "broken_at": self.broken_at,
                "reason": self.reason}


def verify_chain(session: Session) -> ChainReport:
    """Walk the chain from the first event; report the first link that does not hold."""
    rows = session.execute(select(AuditEvent).order_by(col(AuditEvent.id))).scalars()
    return verify_events(rows)


def verify_events(rows: Iterable[Any]) -> ChainReport:
    """The chain check over events in id order (the counter's rows, or HQ's copy of them)."""
    prev = GENESIS
    count = 0
    for row in rows:
        count += 1
        # Whole in older events, its first PREV_KEPT characters since; the hash below
        # covers the whole of it either way.
        if len(row.prev_hash) < PREV_KEPT or not prev.startswith(row.prev_hash):
            return ChainReport(count, False, row.id, "missing_before")
        at = datetime.fromisoformat(row.at) if isinstance(row.at, str) else row.at
        if at.tzinfo is None:  # stored as UTC without an offset
            at = at.replace(tzinfo=UTC)
        before, after = (json.loads(v) if isinstance(v, str) else v
                         for v in (row.before, row.after))
        fields = _fields(at, row.user, row.entity, row.entity_id, row.action,
                         before, after, prev)
        if event_hash(fields) != row.hash:
            return ChainReport(count, False, row.id, "edited")
        prev = row.hash
    return ChainReport(count, True)
