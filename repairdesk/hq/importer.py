"""Importing one batch file at HQ: verify everything, then load it in one transaction.

Checks, in order, each refusing the file by name: ``readable`` (a complete zip with a
manifest and a signature), ``format`` (a batch of a version this HQ understands),
``counter`` (a counter HQ trusts), ``signature`` (made by that counter's key), ``members``
(the zip holds exactly the listed members), ``hash`` (every member's SHA-256), ``rows``
(every member's row count, and every line a row), ``tables`` (every table and column known
here), then inside the transaction, once it holds the counter (:func:`hold_counter`: another
import of the same counter makes it give way, never wait), ``sequence`` (this sequence
number not taken by another file), ``chain`` (the previous-batch hash agrees with the
neighbours already imported), ``evidence`` (the batch extends the counter's audit chain as HQ holds it, and its rows match
their last events: :mod:`repairdesk.hq.chain`) and ``values`` (every value one the database
can store). ``size`` comes first: a file, or what
its zip declares, beyond :mod:`repairdesk.sync.limits` is refused before it is read; the
file is read as a stream, never whole.

A batch of a suspended or retired counter is imported all the same (past work) and flagged
(``hq_batch.flag``). Which files, in which order: :mod:`repairdesk.hq.inbox`.

A database that fails (locked, full, read-only, gone) raises
:class:`.problems.HqDatabaseError`: that is no fault of the file, and the facade stops there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk.hq import chain, loader, problems, schema, settle_lines
from repairdesk.hq.problems import translated
from repairdesk.hq.schema import COUNTER
from repairdesk.hq.store import HqStore
from repairdesk.i18n import _
from repairdesk.sync import batch
from repairdesk.sync.batch import BatchRefused, SignedFile
from repairdesk.sync.tables import DELETED as DELETED_MARK
from repairdesk.sync.views import ImportOutcome

#: The counter states whose batches are flagged (``hq_batch.flag``).
FLAGGED = ("suspended", "retired")
#: ``record(conn, action, subject, detail)``: an entry of HQ's trail (Hq.record).
Record = Callable[[Connection, str, str, dict[str, Any]], None]


def import_file(hq: HqStore, path: Path, now: datetime, record: Record | None = None,
                ) -> ImportOutcome:
    """Import one batch file; a refused file is reported, never half-loaded. ``record``
    writes HQ's trail of the import in its transaction."""
    name = path.name
    try:
        try:
            fh = path.open("rb")
        except OSError as exc:
            raise BatchRefused("readable", name, _("sync.check_readable",
                                                   error=exc.strerror or str(exc))) from exc
        with fh:
            signed = batch.open_signed(
                name, fh, fmt=batch.FORMAT, versions=batch.UNDERSTOOD_VERSIONS,
                signer_key=lambda manifest: _trusted_key(hq, name, manifest))
            _check_tables(signed)
            with hq.write() as conn:
                outcome = _load(conn, signed, now, record)
    except BatchRefused as refused:
        chain.record_refusal(hq, refused, now)
        return ImportOutcome(name, "refused", check=refused.check, message=refused.reason)
    except problems.HqDatabaseError as exc:
        if exc.kind != "value":
            raise
        # A value the database met outside any one row's load (its merge, say).
        return ImportOutcome(name, "refused", check="values", message=batch.refusal(
            name, "values", exc.detail))
    return outcome


def batch_paths(paths: Iterable[Path]) -> tuple[list[Path], list[ImportOutcome]]:
    """The files to import: each file given, and a folder's batch files (``*.rdbatch``);
    a folder without any is reported as refused."""
    files: list[Path] = []
    empty: list[ImportOutcome] = []
    for path in map(Path, paths):
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(p for p in path.glob(f"*{batch.SUFFIX}") if p.is_file())
        files.extend(found)
        if not found:
            message = batch.refusal(path.name, "readable",
                                    _("hqin.folder_empty", suffix=batch.SUFFIX))
            empty.append(ImportOutcome(path.name, "refused", check="readable",
                                       message=message))
    return files, empty


def _trusted_key(hq: HqStore, name: str, manifest: dict[str, Any]) -> str:
    counters = schema.table("hq_counter")
    code = manifest.get("counter")
    with hq.read() as conn:
        key = conn.execute(
            sa.select(counters.c.public_key).where(counters.c.code == str(code))
        ).scalar()
    if key is None:
        raise BatchRefused("counter", name, _("sync.check_counter", counter=code))
    return str(key)


def _check_tables(signed: SignedFile) -> None:
    mirrors = schema.mirrors()
    for member in signed.manifest["members"]:
        table = mirrors.get(member.get("table"))
        if table is None or member["name"] != f"{member['table']}.jsonl":
            raise BatchRefused("tables", signed.name,
                               _("sync.check_table", table=member.get("table")))
        unknown = [c for c in member.get("columns", []) if c not in table.c]
        key = [c.name for c in table.primary_key.columns if c.name != COUNTER]
        if unknown or member.get("key") != key:
            raise BatchRefused("tables", signed.name, _(
                "sync.check_columns", table=member["table"], columns=", ".join(unknown) or "-"))


def _load(conn: Connection, signed: SignedFile, now: datetime,
          record: Record | None = None) -> ImportOutcome:
    manifest = signed.manifest
    code, seq = manifest["counter"], manifest["seq"]
    batches, counters = schema.table("hq_batch"), schema.table("hq_counter")
    hold_counter(conn, code)
    # Past work of a counter that stopped is imported all the same, and marked.
    state = conn.execute(sa.select(counters.c.state).where(counters.c.code == code)).scalar()
    flag = state if state in FLAGGED else None
    known = {
        row.seq: row for row in conn.execute(
            sa.select(batches.c.seq, batches.c.sha256, batches.c.previous_sha256)
            .where(batches.c.counter == code, batches.c.seq.in_([seq - 1, seq, seq + 1]))
        )
    }
    if seq in known:
        if known[seq].sha256 == signed.sha256:
            return ImportOutcome(signed.name, "already_imported", code, seq, manifest["rows"])
        raise BatchRefused("sequence", signed.name, _("sync.check_sequence", seq=seq))
    before, after = known.get(seq - 1), known.get(seq + 1)
    if (before and before.sha256 != manifest.get("previous_sha256")) or (
        after and after.previous_sha256 != signed.sha256
    ):
        raise BatchRefused("chain", signed.name, _("sync.check_chain", seq=seq))
    if seq == 1 and manifest.get("previous_sha256") is not None:
        raise BatchRefused("chain", signed.name, _("sync.check_chain", seq=seq))
    lines = loader.Lines(signed)  # each member decoded once, for the checks and the load
    chain.check(conn, signed, now, lines)
    mirrors = schema.mirrors()
    load = loader.Load(conn, code, seq)
    loaded = 0
    for member in manifest["members"]:
        if member["rows"]:
            rows = (row for _number, row in lines(member["name"]))
            try:
                loaded += load.member(mirrors[member["table"]], _checked(signed, member, rows))
            except problems.Unstorable as found:
                raise _value_refused(signed, member, found) from found
    load.finish()
    # The counter's claim lines follow its rows, in the same transaction.
    settle_lines.refresh(conn, code, now, seq=seq, record=record)
    conn.execute(sa.insert(batches).values(
        counter=code, seq=seq, sha256=signed.sha256,
        previous_sha256=manifest.get("previous_sha256"), file_name=signed.name,
        since=_time(manifest.get("since")), until=_time(manifest.get("until")),
        rows=manifest["rows"], pack=manifest.get("pack"), imported_at=now, flag=flag,
    ))
    if record is not None:
        record(conn, "hq.import", f"{code}/{seq}",
               {"file": signed.name, "sha256": signed.sha256, "rows": loaded, "flag": flag})
    return ImportOutcome(signed.name, "imported", code, seq, loaded, flag=flag)


class CounterBusy(Exception):  # noqa: N818 - not an error: the file waits its turn
    """Another import holds this counter (PostgreSQL): try its files again later."""

    def __init__(self, counter: str) -> None:
        super().__init__(counter)
        self.counter = counter


def lock_key(code: str, purpose: str = "import") -> int:
    """An advisory lock's key for a counter: 64 bits of a hash of its code and purpose."""
    digest = hashlib.blake2b(f"repairdesk.hq.{purpose}:{code}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def hold_counter(conn: Connection, code: str) -> None:
    """Hold ``code`` for the rest of this transaction, or raise :class:`CounterBusy` at once.

    On PostgreSQL a transaction-scoped advisory lock that does not wait: another process
    importing the counter's next file goes on with other counters instead of queueing (and
    none can deadlock on it). On SQLite the transaction began with BEGIN IMMEDIATE: it
    already holds the database's only write lock.
    """
    if conn.dialect.name != "postgresql":
        return
    taken = conn.execute(sa.select(sa.func.pg_try_advisory_xact_lock(lock_key(code)))).scalar()
    if not taken:
        raise CounterBusy(code)


class Claims:
    """The counters one import run works on, each claimed while it does (PostgreSQL: an
    advisory lock of the session, apart from :func:`hold_counter`'s): another run leaves a
    claimed counter for later instead of checking the same files at the same time. Only a
    courtesy: the lock of :func:`hold_counter` is what keeps a batch from going in twice."""

    def __init__(self, hq: HqStore) -> None:
        self.hq = hq
        self.conn: Connection | None = None

    def take(self, code: str) -> bool:
        if not self.hq.is_postgresql:
            return True
        with translated(self.hq.engine.url):
            if self.conn is None:
                self.conn = self.hq.engine.connect()
            taken = self.conn.execute(
                sa.select(sa.func.pg_try_advisory_lock(lock_key(code, "claim")))).scalar()
            self.conn.commit()  # a session's lock outlives the transaction
        return bool(taken)

    def release(self, code: str) -> None:
        if self.conn is None:
            return
        try:
            with translated(self.hq.engine.url):
                self.conn.execute(sa.select(sa.func.pg_advisory_unlock(lock_key(code, "claim"))))
                self.conn.commit()
        except problems.HqDatabaseError:
            self.close()  # the lock goes with the session

    def close(self) -> None:
        if self.conn is not None:
            conn, self.conn = self.conn, None
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - a connection already lost: nothing is held
                pass


def _value_refused(signed: SignedFile, member: dict[str, Any],
                   found: problems.Unstorable) -> BatchRefused:
    """The batch refused by the ``values`` check, naming table, column and row key (found
    again by its line when the database named only that)."""
    key = found.key
    if key is None and found.line is not None:
        row = next((row for number, row in signed.lines(member["name"])
                    if number == found.line), None)
        key = problems.key_text(row, member["key"]) if row is not None else None
    return BatchRefused("values", signed.name, _(
        "hqin.check_value", table=found.table, column=found.column or "-",
        key=key or "-", detail=found.detail))


def _checked(signed: SignedFile, member: dict[str, Any], rows: Any) -> Any:
    """Rows with their key present and no column outside the member's list."""
    allowed = {*member["columns"], DELETED_MARK}
    key = tuple(member["key"])
    for row in rows:
        # (A plain loop: this runs for every row HQ imports.)
        for k in key:
            if row.get(k) is None:
                break
        else:
            if allowed.issuperset(row):
                yield row
                continue
        raise BatchRefused("rows", signed.name, _("sync.check_row_shape",
                                                  member=member["name"]))


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def gaps(conn: Connection, code: str) -> list[int]:
    """Sequence numbers below the highest imported one that HQ has not seen yet."""
    batches = schema.table("hq_batch")
    seen = set(conn.execute(sa.select(batches.c.seq).where(batches.c.counter == code)).scalars())
    return sorted(set(range(1, max(seen, default=0) + 1)) - seen)

