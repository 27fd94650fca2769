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

Since migration 0009 an insert or update also carries ``state``, the hash of the row's state
as it was written (:mod:`repairdesk.row_state`, read back on the transaction's connection
after the flush), and the event's hash covers it: the trail proves the rows, not only itself
(:mod:`repairdesk.evidence`). Events without a state hash as they always did. After every
committed write the last event's id and hash go to a head file beside the store
(:func:`write_head`), so a trail cut at its end is seen too.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from repairdesk import row_state
from repairdesk.models import AuditEvent
from repairdesk.store_files import head_path as head_path  # where the head file is

GENESIS = "0" * 64
# Tables whose rows are bookkeeping, not records a person changes.
NOT_AUDITED = frozenset({"audit_event", "ticket_sequence", "alembic_version"})
# entity, entity id, action, before, after
Pending = tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]
#: Actions that change a row (the others are notes); only they carry a state.
ROW_ACTIONS = ("insert", "update", "delete")
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
            prev_hash: str, state: str | None = None) -> dict[str, Any]:
    fields = {"at": at.astimezone(UTC).isoformat(), "user": user, "entity": entity,
              "entity_id": entity_id, "action": action, "before": before, "after": after,
              "prev_hash": prev_hash}
    if state is not None:  # an event without a state hashes as before migration 0009
        fields["state"] = state
    return fields


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
    table = obj.__tablename__
    for attr in inspect(obj).mapper.column_attrs:
        history = inspect(obj).attrs[attr.key].history
        if not history.has_changes() or row_state.is_secret(table, attr.key):
            continue
        before[attr.key] = _plain(history.deleted[0]) if history.deleted else None
        after[attr.key] = _plain(history.added[0]) if history.added else None
    return before, after


def _columns(obj: Any) -> list[str]:
    table = obj.__tablename__
    mapper = inspect(obj).mapper
    # ``id`` is left out where it is the whole key: ``entity_id`` is that key.
    keyed = [c.key for c in mapper.primary_key] == ["id"]
    return [a.key for a in mapper.column_attrs
            if not row_state.is_secret(table, a.key) and not (keyed and a.key == "id")]


def _after_flush(session: Session, _context: object) -> None:
    user = session.info.get("user", "counter")
    at = session.info.get("now") or datetime.now(UTC)
    pending: list[Pending] = []
    written: dict[str, list[Any]] = {}  # table -> keys of the rows inserted or updated
    for obj in session.new:
        if getattr(obj, "__tablename__", None) not in NOT_AUDITED:
            pending.append((obj.__tablename__, _key(obj), "insert", None,
                            _row(obj, _columns(obj))))
            written.setdefault(obj.__tablename__, []).append(_raw_key(obj))
    for obj in session.dirty:
        if getattr(obj, "__tablename__", None) in NOT_AUDITED or not session.is_modified(obj):
            continue
        before, after = _changes(obj)
        if before or after:
            pending.append((obj.__tablename__, _key(obj), "update", before, after))
            written.setdefault(obj.__tablename__, []).append(_raw_key(obj))
    for obj in session.deleted:
        if getattr(obj, "__tablename__", None) not in NOT_AUDITED:
            pending.append((obj.__tablename__, _key(obj), "delete",
                            _row(obj, _columns(obj)), None))
    _append(session, pending, user, at, _states(session, written) if pending else {})


def _states(session: Session, written: dict[str, list[Any]]) -> dict[tuple[str, str], str]:
    """The state of each row just written, as the store holds it now (read back on the
    transaction's connection: defaults, triggers and type conversions included)."""
    plans = row_state.state_plans()
    written = {table: keys for table, keys in written.items() if table in plans}
    if not written:
        return {}
    fairy = session.connection().connection
    raw = fairy.driver_connection
    assert raw is not None
    if not fairy.info.get("row_state"):  # the SQL functions, once per connection
        row_state.prepare(raw)
        fairy.info["row_state"] = True
    return {(table, key): state for table, keys in written.items()
            for key, state in row_state.states(raw, table, keys)}


def _append(session: Session, pending: list[Pending], user: str, at: datetime,
            states: dict[tuple[str, str], str] | None = None) -> None:
    if not pending:
        return
    states = states or {}
    connection = session.connection()
    prev = connection.execute(
        select(_STORED.c.hash).order_by(_STORED.c.id.desc()).limit(1)
    ).scalar() or GENESIS
    rows = []
    for entity, entity_id, action, before, after in sorted(pending, key=lambda p: p[:2]):
        state = states.get((entity, entity_id)) if action != "delete" else None
        fields = _fields(at, user, entity, entity_id, action, before, after, prev, state)
        link = event_hash(fields)
        rows.append({**fields, "at": at, "prev_hash": prev[:PREV_KEPT], "hash": link,
                     "before": _stored(before), "after": _stored(after), "state": state})
        prev = link
    connection.execute(insert(_STORED), rows)
    session.info["appended"] = True


def record_inserted(session: Session, table: str, keys: Sequence[Any],
                    action: str = "insert") -> None:
    """Insert events for rows a bulk writer inserted through Core in this transaction (the
    demo): the same events, states included, as the ORM's flush would have written.
    ``action`` "update": the rows' whole state bound again (``audit bind``)."""
    from sqlmodel import SQLModel

    t = SQLModel.metadata.tables[table]
    (key,) = [c.name for c in t.primary_key.columns]
    names = [c.name for c in t.columns
             if not row_state.is_secret(table, c.name) and not (key == "id" and c.name == "id")]
    pending: list[Pending] = []
    connection = session.connection()
    for start in range(0, len(keys), 500):
        part = list(keys[start:start + 500])
        for row in connection.execute(sa.select(t).where(t.c[key].in_(part))):
            values = row._mapping
            after = {n: _plain(values[n]) for n in names if values[n] is not None}
            pending.append((table, str(values[key]), action, None, after))
    user = session.info.get("user", "counter")
    at = session.info.get("now") or datetime.now(UTC)
    _append(session, pending, user, at, _states(session, {table: list(keys)}))


def record_deleted(session: Session, table: str, entity_id: str) -> None:
    """A delete event for a row that is gone without one (``audit bind``)."""
    user = session.info.get("user", "counter")
    at = session.info.get("now") or datetime.now(UTC)
    _append(session, [(table, entity_id, "delete", None, None)], user, at)


def note(session: Session, entity: str, entity_id: str, action: str,
         detail: dict[str, Any] | None = None) -> None:
    """An event that is not a change of a row (a passcode revealed, a ticket reopened)."""
    user = session.info.get("user", "counter")
    at = session.info.get("now") or datetime.now(UTC)
    _append(session, [(entity, entity_id, action, None, _plain(detail) if detail else None)],
            user, at)


def _raw_key(obj: Any) -> Any:
    identity = inspect(obj).identity
    return identity[0] if identity else getattr(obj, inspect(obj).mapper.primary_key[0].key)


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
    broken: int = 0  # links that do not hold (the walk goes on past each)
    last: Head | None = None  # the last event walked

    def to_dict(self) -> dict[str, Any]:
        return {"events": self.events, "ok": self.ok, "broken_at": self.broken_at,
                "reason": self.reason}


class OnChain:
    """A report resting on a chain check (the counter's evidence, HQ's copy of a counter's
    trail): its events, and its first broken link and why, are the chain's."""

    chain: ChainReport

    @property
    def events(self) -> int:
        return self.chain.events

    @property
    def broken_at(self) -> int | None:
        return self.chain.broken_at

    @property
    def reason(self) -> str | None:
        return self.chain.reason


def verify_chain(session: Session) -> ChainReport:
    """Walk the chain from the first event; report the first link that does not hold."""
    rows = session.connection().execute(select(_STORED).order_by(_STORED.c.id))
    return verify_events(rows)


def row_hash(row: Any, prev: str) -> str:
    """The hash an event (the counter's row, or HQ's copy) must have after ``prev``."""
    at = datetime.fromisoformat(row.at) if isinstance(row.at, str) else row.at
    if at.tzinfo is None:  # stored as UTC without an offset
        at = at.replace(tzinfo=UTC)
    before, after = (json.loads(v) if isinstance(v, str) else v
                     for v in (row.before, row.after))
    return event_hash(_fields(at, row.user, row.entity, row.entity_id, row.action,
                              before, after, prev, getattr(row, "state", None)))


def links(prev: str, row: Any) -> bool:
    """Whether ``row`` names ``prev`` as the event before it."""
    # Whole in older events, its first PREV_KEPT characters since; the hash covers the
    # whole of it either way.
    return len(row.prev_hash) >= PREV_KEPT and prev.startswith(row.prev_hash)


def verify_events(rows: Iterable[Any]) -> ChainReport:
    """The chain check over events in id order (the counter's rows, or HQ's copy of them).

    The walk goes on past a broken link (from the hash the event states), so every broken
    link is counted; the first is named."""
    prev = GENESIS
    count = broken = 0
    first: tuple[int, str] | None = None
    last: Head | None = None
    for row in rows:
        count += 1
        reason = None
        if not links(prev, row):
            reason = "missing_before"
        elif row_hash(row, prev) != row.hash:
            reason = "edited"
        if reason:
            broken += 1
            first = first or (row.id, reason)
        prev = row.hash
        last = Head(row.id, row.hash)
    if first:
        return ChainReport(count, False, first[0], first[1], broken, last)
    return ChainReport(count, True, last=last)


# -- the head file: the trail's last event, kept beside the store -----------------------------


@dataclass(frozen=True)
class Head:
    """An event by id and hash: the end of a chain (the head file's, a batch's)."""

    id: int
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "hash": self.hash}


def last_event(connection: sa.Connection) -> Head | None:
    row = connection.execute(
        select(_STORED.c.id, _STORED.c.hash).order_by(_STORED.c.id.desc()).limit(1)).first()
    return Head(row.id, row.hash) if row else None


def save_head(path: Path, head: Head | None) -> None:
    """Write (or, for a trail with no event, remove) the head file. Not fsync'd: a head a
    crash leaves behind the trail only makes the tail check see less, never a false alarm."""
    if head is None:
        path.unlink(missing_ok=True)
        return
    part = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # owner-only, as the store
    try:
        os.write(fd, json.dumps(head.to_dict()).encode("utf-8") + b"\n")
    finally:
        os.close(fd)
    os.replace(part, path)


def write_head(path: Path, connection: sa.Connection) -> None:
    """The head file of the store whose connection this is (after a restore, say)."""
    save_head(path, last_event(connection))


def read_head(path: Path) -> Head | None:
    """The head file's event; None without a file; ValueError for a file that is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ValueError(str(exc)) from exc
    try:
        found = json.loads(text)
        return Head(int(found["id"]), str(found["hash"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(text[:80]) from exc
