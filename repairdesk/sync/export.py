"""Writing end-of-day batches at the counter (the use cases live in :mod:`.facade`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from repairdesk import audit, evidence, owner_only
from repairdesk.db import Store
from repairdesk.errors import InputError, NotFound, StoreError
from repairdesk.i18n import _
from repairdesk.models import Counter, SyncBatch, SyncChange, SyncPack
from repairdesk.store_files import outbox_dir
from repairdesk.sync import batch, keys, lines, tracking
from repairdesk.sync.tables import DELETED, ExportTable, export_tables
from repairdesk.sync.views import BatchInfo, ExportResult

Progress = Callable[[int, int], None]
PROGRESS_EVERY = 2000
#: Rows handed to the packer thread at a time: small enough that little is left to deflate
#: once SQLite has built the last line.
CHUNK_ROWS = 500
# Distinct keys logged per table: the progress total, and whether to look for deletions.
_LOGGED_KEYS = ("SELECT table_name, count(DISTINCT row_key) FROM sync_change "
                "WHERE seq > ? AND seq <= ? GROUP BY table_name")


def ensure_tracking(store: Store) -> None:
    """Install missing change-log triggers (and log the rows of those tables once)."""
    with store.engine.connect() as conn:
        missing = tracking.untracked(conn)
    if missing:
        with store.write() as s:
            conn = s.connection()
            tracking.install(conn, tracking.untracked(conn))


def export_batch(
    store: Store,
    now: datetime,
    key_path: Path,
    out_dir: Path,
    *,
    empty: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the next batch into ``out_dir``; nothing is written when nothing changed."""
    signing_key = keys.load_private_key(key_path)
    _check_out_dir(out_dir)
    ensure_tracking(store)
    writers: list[tuple[dict[str, Any], batch.MemberWriter]] = []
    with store.read() as s:
        # One read transaction: everything below sees the same snapshot of the store.
        conn = s.connection()
        counter = s.exec(select(Counter)).first()
        if counter is None:
            raise StoreError(_("core.counter_not_set"))
        last = conn.execute(
            sa.select(col(SyncBatch.seq), col(SyncBatch.sha256), col(SyncBatch.until),
                      col(SyncBatch.change_to))
            .order_by(sa.desc(col(SyncBatch.seq))).limit(1)
        ).first()
        low = last.change_to if last else 0
        high = conn.execute(sa.select(sa.func.max(SyncChange.seq))).scalar() or low
        if high <= low and not empty:
            return ExportResult(written=False)
        pack = conn.execute(sa.select(sa.func.max(SyncPack.seq))).scalar()
        # The DB-API connection of this same transaction: the lines are built by SQLite
        # (see lines.py) and read without SQLAlchemy's per-row result processing.
        raw = conn.connection.driver_connection
        assert raw is not None
        logged = dict(raw.execute(_LOGGED_KEYS, (low, high)).fetchall())
        chain_head = _proven_head(conn, logged, low, high)
        total = sum(logged.values())
        ticker = _Progress(progress, total)
        # Hashing and deflating a member runs in a second thread (zlib and hashlib let go of
        # the GIL) while SQLite builds the next lines; one worker keeps the writes in order.
        with ThreadPoolExecutor(max_workers=1) as packer:
            pending: list[Future[None]] = []
            for t in export_tables():
                writer = batch.MemberWriter(f"{t.name}.jsonl")
                if logged.get(t.name):
                    _read_member(raw, conn, t, low, high, logged[t.name], writer, packer,
                                 pending, ticker)
                writers.append(({"name": writer.name, "table": t.name, "key": list(t.key),
                                 "columns": list(t.columns)}, writer))
            for job in pending:
                job.result()
        if progress:
            progress(ticker.done, total)
    seq = (last.seq if last else 0) + 1
    members = [{**entry, "rows": w.rows, "deleted": w.deleted, "sha256": w.sha256}
               for entry, w in writers]
    manifest = {
        "format": batch.FORMAT,
        "version": batch.VERSION,
        "counter": counter.code,
        "seq": seq,
        "previous_sha256": last.sha256 if last else None,
        # In UTC, as the store keeps times: one batch's "until" is the next one's "since".
        "since": last.until.astimezone(UTC).isoformat() if last else None,
        "until": now.astimezone(UTC).isoformat(),
        "changes": {"after": low, "through": high},
        "rows": sum(m["rows"] for m in members),
        "members": members,
        "key": keys.fingerprint(keys.public_key_text(signing_key)),
        "pack": pack,
        "software": _software(),
        # The trail's last event in this snapshot: HQ keeps every head it has seen, so a
        # trail cut or rewritten at the counter afterwards is seen there.
        "chain_head": chain_head.to_dict() if chain_head else None,
    }
    data = batch.signed_file(manifest, [w.entry() for _, w in writers], signing_key)
    name = batch.file_name(counter.code, seq, now.date())
    digest = batch.sha256_hex(data)
    target = out_dir / name
    # The same file in the outbox beside the store: a restore replays it from there.
    targets = _targets([target, owner_only.make_dir(outbox_dir(store.path)) / name], data)
    # The files are written and flushed to disk in a thread (fsync lets go of the GIL) while
    # the batch is recorded; the transaction commits only once the files are complete.
    with ThreadPoolExecutor(max_workers=1) as disk:
        written = disk.submit(_write_parts, targets, data)
        try:
            with store.write() as s:
                current = s.exec(select(sa.func.max(SyncBatch.seq))).one() or 0
                if current != seq - 1:
                    raise StoreError(_("sync.export_raced", seq=current))
                # Core, not the ORM: a batch is bookkeeping, not a record for the audit trail.
                s.execute(sa.insert(SyncBatch).values(
                    seq=seq, file_name=name, sha256=digest, created_at=now,
                    since=last.until if last else None, until=now, change_from=low,
                    change_to=high, rows=manifest["rows"], content=data))
                # Exported changes are done with: the log only holds what the next batch
                # needs.
                s.execute(sa.delete(SyncChange).where(col(SyncChange.seq) <= high))
                written.result()
        except BaseException:
            wait([written])
            for each in targets:
                _part(each).unlink(missing_ok=True)
            raise
    for each in targets:
        os.replace(_part(each), each)
    return ExportResult(written=True, seq=seq, path=str(target), sha256=digest,
                        rows=manifest["rows"], tables={m["table"]: m["rows"] for m in members})


def _proven_head(conn: sa.Connection, logged: dict[str, int], low: int,
                 high: int) -> audit.Head | None:
    """The trail's head, once every row the batch would send is proven by its last event
    (a row edited, inserted or deleted outside the app never leaves the counter silently)."""
    for t in export_tables():
        if not logged.get(t.name):
            continue
        found = evidence.first_unproven(conn, t.name, lines.key_subquery(t), (t.name, low, high))
        if found:
            raise StoreError(_("evidence.export_refused", table=found.table, key=found.key,
                               kind=_(f"evidence.kind_{found.kind}")))
    return audit.last_event(conn)


class _Progress:
    """Calls ``progress`` each time another PROGRESS_EVERY rows are done."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def add(self, rows: int) -> None:
        before, self.done = self.done, self.done + rows
        if self.progress and self.done // PROGRESS_EVERY > before // PROGRESS_EVERY:
            self.progress(self.done, self.total)


def _read_member(raw: Any, conn: sa.Connection, t: ExportTable, low: int, high: int, logged: int,
                 writer: batch.MemberWriter, packer: ThreadPoolExecutor,
                 pending: list[Future[None]], ticker: _Progress) -> None:
    """The changed rows of ``t`` (lines built by SQLite), then its deletions, into ``writer``
    through the ``packer`` thread."""
    plan = lines.plans()[t.name]
    lines.register(raw, plan)
    found = 0
    cursor = raw.execute(plan.select, (t.name, low, high))
    while chunk := cursor.fetchmany(CHUNK_ROWS):
        data = b"".join([row[0] for row in chunk])
        pending.append(packer.submit(writer.write_lines, data, len(chunk)))
        found += len(chunk)
        ticker.add(len(chunk))
    # A logged key without a row is a deletion; there is none when every key had its row.
    if found < logged:
        for key in conn.execute(tracking.deleted_keys(t, low, high)):
            row = {**dict(zip(t.key, key)), DELETED: True}
            pending.append(packer.submit(writer.write, row, deleted=True))
            ticker.add(1)


def export_again(store: Store, seq: int, out_dir: Path) -> ExportResult:
    """Rewrite batch ``seq`` exactly as it was first written."""
    _check_out_dir(out_dir)
    with store.read() as s:
        row = s.get(SyncBatch, seq)
        if row is None:
            raise NotFound(_("sync.batch_not_found", seq=seq))
        data, name, digest, rows = row.content, row.file_name, row.sha256, row.rows
    target = out_dir / name
    _targets([target], data)
    os.replace(_write_part(target, data), target)
    return ExportResult(written=True, seq=seq, path=str(target), sha256=digest, rows=rows,
                        again=True)


def batches(store: Store) -> list[BatchInfo]:
    with store.read() as s:
        rows = s.execute(
            sa.select(col(SyncBatch.seq), col(SyncBatch.file_name), col(SyncBatch.sha256),
                      col(SyncBatch.created_at), col(SyncBatch.rows)).order_by(col(SyncBatch.seq))
        ).all()
    return [BatchInfo(*row) for row in rows]


@cache
def _software() -> str:
    """The installed version (read once: looking up the package metadata costs ~2 ms)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"repairdesk {version('repairdesk')}"
    except PackageNotFoundError:
        return "repairdesk"


def _check_out_dir(out_dir: Path) -> None:
    if not out_dir.is_dir():
        raise InputError("--out", _("sync.out_not_a_dir", path=str(out_dir)))


def _targets(paths: list[Path], data: bytes) -> list[Path]:
    """``paths`` (one file named twice counted once), refused if one holds other bytes: a
    batch file of the same name is another batch of the same sequence, never replaced."""
    found: list[Path] = []
    for path in paths:
        if any(path.resolve() == seen.resolve() for seen in found):
            continue
        try:
            clash = path.exists() and path.read_bytes() != data
        except OSError as exc:
            raise StoreError(_("sync.cannot_write", path=str(path), error=exc.strerror)) from exc
        if clash:
            raise StoreError(_("restore.batch_file_exists", path=str(path)))
        found.append(path)
    return found


def _write_parts(targets: list[Path], data: bytes) -> None:
    for target in targets:
        _write_part(target, data)


def _write_part(target: Path, data: bytes) -> Path:
    """``data`` in ``<target>.part``, flushed to disk: renamed into place only when complete."""
    part = _part(target)
    try:
        with owner_only.open_write(part) as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise StoreError(_("sync.cannot_write", path=str(target), error=exc.strerror)) from exc
    return part


def _part(target: Path) -> Path:
    return target.with_name(target.name + ".part")
