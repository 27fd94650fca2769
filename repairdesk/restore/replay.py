"""Replaying the counter's own batches into a restored store, so no exported change is lost.

A backup older than the last export lacks what the batches made since carry. Those batches
are kept twice: as files in the outbox beside the store, and in the store being replaced
(``sync_batch.content``). Each is checked as HQ checks it (the counter's own signature, its
sequence, the hash chain from the batch before) and applied in order:

- the rows of each member are upserted and its deletions applied with SQL, not through the
  ORM: the audit trail is not written again, since the batch carries the audit events
  themselves, inserted as they are (an event already there with the same hash is skipped;
  one with another hash is a conflict, and the restore is refused);
- the secret columns (passcode, PIN hashes) never travel in batches: a row that exists
  keeps the backup's, a row new to the store gets none (a user must be given a PIN again);
- each batch is recorded as exported (same sequence, hash and bytes), so the next export
  continues the sequence and HQ's hash chain;
- what the replay wrote is taken off the change log: the next export must not send again
  what HQ already has.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from repairdesk.db import Store
from repairdesk.errors import StoreError
from repairdesk.i18n import _
from repairdesk.models import SyncBatch, TicketSequence
from repairdesk.store_files import BATCH_SUFFIX
from repairdesk.sync import batch
from repairdesk.sync.tables import DELETED, ExportTable, export_tables, json_decoder

CHUNK = 2000
AUDIT = "audit_event"
_NAME = re.compile(rf"^(?P<counter>[A-Z][A-Z0-9]*)-(?P<seq>\d{{6,}})-\d{{8}}{re.escape(BATCH_SUFFIX)}$")


@dataclass
class Replayed:
    """What came back: batches, rows and events; and the batches that could not."""

    batches: list[int] = field(default_factory=list)
    rows: int = 0
    events: int = 0
    #: the first batch that was needed and not found or not valid, with why
    missing: int | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"batches": self.batches, "rows": self.rows, "events": self.events,
                "missing": self.missing, "reason": self.reason}


def outbox_files(outbox: Path, counter: str, after: int) -> dict[int, list[tuple[str, bytes]]]:
    """The outbox's batches of ``counter`` numbered above ``after``, by sequence number."""
    found: dict[int, list[tuple[str, bytes]]] = {}
    for path in sorted(outbox.glob(f"{counter}-*{BATCH_SUFFIX}")) if outbox.is_dir() else []:
        match = _NAME.match(path.name)
        if match and match["counter"] == counter and int(match["seq"]) > after:
            try:
                found.setdefault(int(match["seq"]), []).append((path.name, path.read_bytes()))
            except OSError:
                continue
    return found


def replay(store: Store, counter: str, public_key: str, after: int, previous: str | None,
           candidates: dict[int, list[tuple[str, bytes]]]) -> Replayed:
    """Apply the batches numbered above ``after`` (the restored store's last, of hash
    ``previous``), in order, from ``candidates`` (each sequence's copies: the first valid
    one is used), until one is missing; one transaction."""
    done = Replayed()
    tables = {t.name: t for t in export_tables()}
    seq, last = after + 1, previous
    high = 0
    with store.engine.begin() as conn:
        # Members come in table-name order; a row may point at one of a later member.
        conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        while seq in candidates or seq <= max(candidates, default=0):
            signed, data, why = _valid(candidates.get(seq, []), counter, public_key, seq,
                                       last)
            if signed is None:
                done.missing, done.reason = seq, why
                break
            manifest = signed.manifest
            for member in manifest["members"]:
                t = tables.get(member["table"])
                if t is None:
                    raise StoreError(_("restore.replay_unknown_table", seq=seq,
                                       table=member["table"]))
                rows = (row for _number, row in signed.lines(member["name"]))
                if t.name == AUDIT:
                    done.events += _insert_events(conn, t, rows, seq)
                else:
                    done.rows += _upsert(conn, t, rows)
            _record(conn, signed, data)
            done.batches.append(seq)
            high = max(high, int(manifest["changes"]["through"]))
            last, seq = signed.sha256, seq + 1
        if done.batches:
            _forget_changes(conn, high)
    return done


def _valid(copies: list[tuple[str, bytes]], counter: str, public_key: str, seq: int,
           previous: str | None) -> tuple[batch.SignedFile | None, bytes, str]:
    """The first copy that is this counter's batch ``seq`` following ``previous``."""
    why = _("restore.replay_not_found")
    for name, data in copies:
        try:
            signed = batch.open_signed(name, data, fmt=batch.FORMAT,
                                       versions=batch.UNDERSTOOD_VERSIONS,
                                       signer_key=lambda _manifest: public_key)
        except batch.BatchRefused as exc:
            why = exc.reason
            continue
        manifest = signed.manifest
        if manifest.get("counter") != counter or manifest.get("seq") != seq:
            why = _("restore.replay_not_ours", file=name)
        elif manifest.get("previous_sha256") != previous:
            why = _("restore.replay_chain", file=name)
        else:
            return signed, data, ""
    return None, b"", why


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    while chunk := list(islice(rows, CHUNK)):
        yield chunk


def _decoded(t: ExportTable, rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Rows as the store's Python values; a secret column a new row must have, empty."""
    decoders = [(c, json_decoder(t.table.c[c].type)) for c in t.columns]
    required = {c.name: "" for c in t.table.columns
                if c.name not in t.columns and not c.nullable and c.default is None
                and c.server_default is None}
    for row in rows:
        deleted = bool(row.get(DELETED))
        values: dict[str, Any] = {DELETED: True} if deleted else dict(required)
        for name, decode in decoders:
            if name in row and (not deleted or name in t.key):
                value = row[name]
                values[name] = value if value is None or decode is None else decode(value)
        yield values


def _upsert(conn: Connection, t: ExportTable, rows: Iterator[dict[str, Any]]) -> int:
    stmt = sqlite_insert(t.table)
    data = [c for c in t.columns if c not in t.key]
    # A row the store has keeps its secret columns: only what the batch carries is set.
    upsert = stmt.on_conflict_do_update(index_elements=list(t.key),
                                        set_={c: stmt.excluded[c] for c in data}) \
        if data else stmt.on_conflict_do_nothing()
    gone = sa.delete(t.table).where(*(t.table.c[c] == sa.bindparam(f"k_{c}") for c in t.key))
    count = 0
    for chunk in _chunks(_decoded(t, rows)):
        alive = [r for r in chunk if DELETED not in r]
        deleted = [{f"k_{c}": r[c] for c in t.key} for r in chunk if DELETED in r]
        if alive:
            conn.execute(upsert, alive)
        if deleted:
            conn.execute(gone, deleted)
        count += len(chunk)
    return count


def _insert_events(conn: Connection, t: ExportTable, rows: Iterator[dict[str, Any]],
                   seq: int) -> int:
    """The batch's audit events as they are; one the store has must be the same event."""
    table = t.table
    count = 0
    for chunk in _chunks(_decoded(t, rows)):
        ids = [r["id"] for r in chunk]
        held = dict(conn.execute(sa.select(table.c.id, table.c.hash)
                                 .where(table.c.id.in_(ids))).all())
        new = []
        for row in chunk:
            if row["id"] not in held:
                new.append(row)
            elif held[row["id"]] != row.get("hash"):
                raise StoreError(_("restore.replay_event_conflict", seq=seq, id=row["id"]))
        if new:
            conn.execute(sa.insert(table), new)
        count += len(new)
    return count


def _record(conn: Connection, signed: batch.SignedFile, data: bytes) -> None:
    """The batch as the export recorded it: the next export continues after it."""
    manifest = signed.manifest
    until = datetime.fromisoformat(manifest["until"])
    since = datetime.fromisoformat(manifest["since"]) if manifest.get("since") else None
    conn.execute(sa.insert(SyncBatch.__table__).values(  # type: ignore[attr-defined]  # SQLModel sets __table__
        seq=manifest["seq"], file_name=signed.name, sha256=signed.sha256, created_at=until,
        since=since, until=until, change_from=manifest["changes"]["after"],
        change_to=manifest["changes"]["through"], rows=manifest["rows"], content=data))


def _forget_changes(conn: Connection, high: int) -> None:
    """Empty the change log (what the backup had logged went out in these batches, what the
    replay logged came from them) and number the next change above the last batch's: an
    export takes the changes numbered after it."""
    conn.exec_driver_sql("DELETE FROM sync_change")
    conn.exec_driver_sql("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?",
                         (high, "sync_change"))
    conn.exec_driver_sql("INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS "
                         "(SELECT 1 FROM sqlite_sequence WHERE name = ?)",
                         ("sync_change", high, "sync_change"))


def continue_numbers(store: Store, issued: dict[tuple[str, str], int]) -> None:
    """Ticket numbers go on after the highest ever issued: ``issued`` (the store replaced)
    and the tickets the store holds now (replayed ones included)."""
    from repairdesk.restore.facts import issued_numbers

    table = TicketSequence.__table__  # type: ignore[attr-defined]  # SQLModel sets __table__
    with store.engine.begin() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        here = issued_numbers(raw)
        wanted = {key: max(last, here.get(key, 0)) for key, last in issued.items()}
        wanted.update({key: last for key, last in here.items() if key not in wanted})
        if not wanted:
            return
        stmt = sqlite_insert(table)
        conn.execute(stmt.on_conflict_do_update(
            index_elements=["counter_code", "day"],
            set_={"last": sa.func.max(table.c.last, stmt.excluded.last)}),
            [{"counter_code": code, "day": day, "last": last}
             for (code, day), last in sorted(wanted.items())])
