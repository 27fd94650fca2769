"""HQ's import inbox: a folder (a share the counters' files land in, a USB stick) and any
files given, imported counter by counter in sequence order, once, by any number of processes.

Each file's manifest is read first (:func:`peek`: its counter, sequence number and the
SHA-256 of its bytes, nothing trusted yet) to put the files in order: per counter by
sequence number, whatever their names. A file whose bytes HQ already holds for that counter
and number is reported as already imported without being checked again; every other file
goes through :func:`.importer.import_file`, which checks it whole.

Several ``hq import`` processes may work on the same files. On PostgreSQL each import takes
a lock per counter that does not wait (:class:`.importer.CounterBusy`), and a run claims the
counter it works on (:class:`.importer.Claims`): a process finding a counter taken or claimed
goes on with the other counters and comes back to it, so one counter's files still go in one
after the other, in order, each checked by one process only. On SQLite the write lock
serialises the imports.

:func:`watch` keeps importing files as they appear, polling (a share may not deliver change
events): a file is taken once it opens as a complete batch, or once its size has stopped
changing (a cut file is then refused, and tried again if it changes).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from threading import Event
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk.errors import InputError
from repairdesk.hq import importer, schema
from repairdesk.hq.importer import CounterBusy
from repairdesk.hq.problems import HqDatabaseError
from repairdesk.hq.store import HqStore
from repairdesk.i18n import _
from repairdesk.sync import batch
from repairdesk.sync.batch import BatchRefused
from repairdesk.sync.views import ImportOutcome
from repairdesk.tickets.views import _View

#: ``progress(done, total, outcome)``, called after each file.
Progress = Callable[[int, int, ImportOutcome], None]
#: Seconds between two looks at a watched folder.
POLL_S = 2.0
#: Looks a file that is not a whole batch must stay unchanged before it is taken (and
#: refused): a counter's copy over a slow share may stall for a while.
SETTLE_LOOKS = 5
#: Seconds a process waits when every counter it has files for is being imported by others.
BUSY_PAUSE_S = 0.05


@dataclass(frozen=True)
class Peeked:
    """A file as its manifest describes it, before any check: for ordering only."""

    path: Path
    counter: str | None = None
    seq: int | None = None
    rows: int = 0
    complete: bool = False  # it opens as a whole zip with a manifest

    def order(self) -> tuple[int, str, int, str]:
        # Files that cannot be read come last, by name (each is refused by its check).
        if self.counter is None or self.seq is None:
            return (1, "", 0, self.path.name)
        return (0, self.counter, self.seq, self.path.name)


def peek(path: Path) -> Peeked:
    """The counter and sequence number a batch's manifest gives (its end record, directory
    and manifest read, nothing more); an empty :class:`Peeked` when the file does not open
    as a complete batch (it may still be being written)."""
    try:
        with path.open("rb") as fh:
            manifest = batch.peek_manifest(path.name, fh)
    except (OSError, BatchRefused):
        return Peeked(path)  # the import names why
    if not isinstance(manifest, dict):
        return Peeked(path)
    counter, seq, rows = manifest.get("counter"), manifest.get("seq"), manifest.get("rows")
    if not isinstance(counter, str) or type(seq) is not int:
        return Peeked(path)
    return Peeked(path, counter, seq, rows if type(rows) is int else 0, complete=True)


def _same_bytes(path: Path, sha256: str | None) -> bool:
    """Whether the file is the very file HQ holds under that hash."""
    if sha256 is None:
        return False
    try:
        with path.open("rb") as fh:
            return batch.file_sha256(fh) == sha256
    except OSError:
        return False  # the import says why it cannot be read


@dataclass
class Run:
    """The outcomes of one ``hq import`` so far, and how the database held up."""

    outcomes: list[ImportOutcome] = field(default_factory=list)
    total: int = 0
    failed: HqDatabaseError | None = None

    def add(self, outcome: ImportOutcome, progress: Progress | None) -> None:
        self.outcomes.append(outcome)
        if progress is not None:
            progress(len(self.outcomes), self.total, outcome)


def import_paths(store: HqStore, paths: Iterable[Path], clock: Callable[[], datetime], *,
                 progress: Progress | None = None, record: importer.Record | None = None,
                 ) -> Run:
    """Import each file given and every batch file of each folder given (see the module)."""
    files, empty = importer.batch_paths(paths)
    run = Run()
    peeked = [peek(p) for p in _unique(files)]
    run.total = len(empty) + len(peeked)
    for outcome in empty:
        run.add(outcome, progress)
    import_peeked(store, peeked, clock, run, progress, record=record)
    return run


def import_peeked(store: HqStore, files: list[Peeked], clock: Callable[[], datetime],
                  run: Run, progress: Progress | None, stop: Event | None = None, *,
                  record: importer.Record | None = None) -> None:
    """Import ``files`` counter by counter, each counter's in sequence order; a counter
    another process holds is come back to once the others have been tried. Once ``stop``
    is set, the files not begun are left for another run."""
    queues: dict[str | None, deque[Peeked]] = {}
    for item in sorted(files, key=Peeked.order):
        queues.setdefault(item.counter if item.seq is not None else None, deque()).append(item)
    claims = importer.Claims(store)
    try:
        while queues:
            moved = False
            for code in list(queues):
                if stop is not None and stop.is_set():
                    return
                try:
                    if code is not None and run.failed is None and not claims.take(code):
                        continue  # another run works on this counter: the others first
                except HqDatabaseError as exc:
                    run.failed = exc  # its files are reported as not tried, below
                try:
                    moved |= _counter(store, queues[code], clock, run, progress, stop, record)
                finally:
                    if code is not None:
                        claims.release(code)
                if not queues[code]:
                    del queues[code]
            if queues and not moved:
                time.sleep(BUSY_PAUSE_S)
    finally:
        claims.close()


def _counter(store: HqStore, queue: deque[Peeked], clock: Callable[[], datetime], run: Run,
             progress: Progress | None, stop: Event | None,
             record: importer.Record | None) -> bool:
    """Import one counter's files in order, until they are done or another import holds
    the counter; whether any was done."""
    code = queue[0].counter if queue[0].seq is not None else None
    held = _held(store, code) if code is not None and run.failed is None else {}
    moved = False
    while queue and not (stop is not None and stop.is_set()):
        item = queue[0]
        if run.failed is not None:
            outcome = ImportOutcome(item.path.name, "not_tried", check="database",
                                    message=run.failed.message)
        elif item.seq in held and _same_bytes(item.path, held[item.seq]):
            outcome = ImportOutcome(item.path.name, "already_imported", item.counter,
                                    item.seq, item.rows)
        else:
            try:
                outcome = importer.import_file(store, item.path, clock(), record)
            except CounterBusy:
                break  # another process imports this counter: the others first
            except HqDatabaseError as exc:
                run.failed = exc
                outcome = ImportOutcome(item.path.name, "failed", check="database",
                                        message=exc.message)
        if outcome.counter is None and item.counter is not None:
            # Refused or not tried: named by the counter its manifest claims.
            outcome = _named(outcome, item)
        queue.popleft()
        moved = True
        run.add(outcome, progress)
    return moved


def _named(outcome: ImportOutcome, item: Peeked) -> ImportOutcome:
    data = outcome.__dict__ | {"counter": item.counter, "seq": item.seq}
    return ImportOutcome(**data)


def _held(store: HqStore, code: str) -> dict[int, str]:
    """The sequence numbers HQ holds for ``code`` and their files' SHA-256."""
    batches = schema.table("hq_batch")
    try:
        with store.read() as conn:
            return {seq: sha for seq, sha in conn.execute(
                sa.select(batches.c.seq, batches.c.sha256).where(batches.c.counter == code))}
    except HqDatabaseError:
        return {}  # the import of the file meets the failure and reports it


def _unique(files: Iterable[Path]) -> list[Path]:
    """Each file once, though given twice (a folder and a file in it)."""
    seen: dict[Path, Path] = {}
    for path in files:
        try:
            real = path.resolve()
        except OSError:
            real = path
        seen.setdefault(real, path)
    return list(seen.values())


def gaps(store: HqStore, codes: Iterable[str]) -> dict[str, list[int]]:
    """Per counter, the sequence numbers below its highest that HQ has not seen yet."""
    with store.read() as conn:
        found = {code: importer.gaps(conn, code) for code in sorted(set(codes))}
    return {code: seqs for code, seqs in found.items() if seqs}


class Watch:
    """The files of the folders (and the files) watched, each taken when it is whole."""

    def __init__(self, paths: Iterable[Path], settle: float) -> None:
        self.paths = [Path(p) for p in paths]
        self.settle = settle
        self.done: dict[Path, tuple[int, int]] = {}  # a file taken, as it was then
        # A file not whole yet: as it was at the last look, and since when (monotonic).
        self.seen: dict[Path, tuple[tuple[int, int], float]] = {}

    def ready(self) -> list[Peeked]:
        """The files new or changed since they were taken, that are whole now (or that
        have not changed for ``settle`` seconds: a cut file is then refused)."""
        found: list[Peeked] = []
        now = time.monotonic()
        for path in self._files():
            try:
                info = path.stat()
            except OSError:
                continue  # gone between the listing and now
            stamp = (info.st_size, info.st_mtime_ns)
            if self.done.get(path) == stamp:
                continue
            item = peek(path)
            last, since = self.seen.get(path, (None, now))
            if last != stamp:
                since = now
            if item.complete or now - since >= self.settle:
                self.done[path] = stamp
                self.seen.pop(path, None)
                found.append(item)
            else:
                self.seen[path] = (stamp, since)  # being written, perhaps
        return found

    def _files(self) -> list[Path]:
        files: list[Path] = []
        for path in self.paths:
            if path.is_dir():
                files.extend(sorted(p for p in path.glob(f"*{batch.SUFFIX}") if p.is_file()))
            elif path.exists():
                files.append(path)
        return _unique(files)


def watchable(paths: Iterable[Path]) -> list[Path]:
    """The folders and files to watch; one that is not there is refused (a typo would
    otherwise watch nothing, forever)."""
    found = [Path(p) for p in paths]
    for path in found:
        if not path.exists():
            raise InputError("FOLDER|FILE", _("hqinbox.no_such_path", path=str(path)))
    return found


def watch(store: HqStore, paths: Iterable[Path], clock: Callable[[], datetime], *,
          stop: Event, progress: Progress | None = None, interval: float = POLL_S,
          record: importer.Record | None = None) -> Run:
    """Import the files as they appear until ``stop`` is set (or the database fails). A
    file that is not a whole batch is left for :data:`SETTLE_LOOKS` looks unchanged first."""
    paths = watchable(paths)
    run = Run()
    watched = Watch(paths, settle=SETTLE_LOOKS * interval)
    while not stop.is_set() and run.failed is None:
        ready = watched.ready()
        run.total += len(ready)
        import_peeked(store, ready, clock, run, progress, stop, record=record)
        stop.wait(interval)
    return run


@dataclass(frozen=True)
class CounterTally(_View):
    """One line of the closing table: what a run did with one counter's files."""

    counter: str | None
    imported: int = 0
    already: int = 0
    refused: list[dict[str, str]] = field(default_factory=list)  # file and check
    missing: list[int] = field(default_factory=list)
    flag: str | None = None  # the counter is suspended or retired


def tally(outcomes: list[ImportOutcome], missing: dict[str, list[int]],
          flags: dict[str, str] | None = None) -> list[CounterTally]:
    """The closing table of a run: per counter (files naming none last)."""
    rows: dict[str | None, dict[str, Any]] = {}
    for o in outcomes:
        row = rows.setdefault(o.counter, {"imported": 0, "already": 0, "refused": []})
        if o.status == "imported":
            row["imported"] += 1
        elif o.status == "already_imported":
            row["already"] += 1
        elif o.status == "refused":
            row["refused"].append({"file": o.file, "check": o.check or ""})
    flags = flags or {}
    return [CounterTally(code, missing=missing.get(code, []) if code else [],
                         flag=flags.get(code) if code else None, **row)
            for code, row in sorted(rows.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))]


@dataclass(frozen=True)
class InboxRow(_View):
    """One counter as the inbox shows it: its last batch, the gaps, the flagged batches."""

    counter: str
    name: str
    state: str
    last_seq: int | None
    last_import: datetime | None
    batches: int
    missing: list[int]
    flagged: int  # batches imported while the counter was suspended or retired

    @property
    def flag(self) -> str | None:
        """The counter's state when it is suspended or retired (its batches are flagged)."""
        return self.state if self.state in importer.FLAGGED else None


def rows(conn: Connection) -> list[InboxRow]:
    """Every registered counter, by code, with what HQ holds of its batches."""
    counters, batches = schema.table("hq_counter"), schema.table("hq_batch")
    held = {r.counter: r for r in conn.execute(
        sa.select(batches.c.counter, sa.func.max(batches.c.seq).label("last"),
                  sa.func.count().label("batches"),
                  sa.func.max(batches.c.imported_at).label("at"),
                  sa.func.count(batches.c.flag).label("flagged"))
        .group_by(batches.c.counter))}
    found = []
    for code, name, state in conn.execute(
            sa.select(counters.c.code, counters.c.name, counters.c.state)
            .order_by(counters.c.code)):
        h = held.get(code)
        # Numbers are unique from 1: as many batches as the last number means no gap.
        missing = importer.gaps(conn, code) if h is not None and h.batches < h.last else []
        found.append(InboxRow(code, name, state, h.last if h else None, h.at if h else None,
                              h.batches if h else 0, missing, h.flagged if h else 0))
    return found


def states(store: HqStore, codes: Iterable[str]) -> dict[str, str]:
    """The counters among ``codes`` that are suspended or retired, with their state."""
    counters = schema.table("hq_counter")
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    with store.read() as conn:
        return {code: state for code, state in conn.execute(
            sa.select(counters.c.code, counters.c.state)
            .where(counters.c.code.in_(wanted), counters.c.state.in_(importer.FLAGGED)))}
