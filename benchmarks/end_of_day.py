"""End-of-day export of 5,000 changed tickets, against ``sqlite3 -json`` dumping the same rows.

Each run first changes 5,000 recent tickets in one transaction through the ORM, so the
store's own machinery records them as the counter would (the audit trail, the sync change
log): an open ticket moves one step along the allowed table, a closed one gets its repair
record's action edited. Then the floor dumps exactly the rows the batch will carry with the
sqlite3 command-line shell, and ``desk.sync.export_batch`` writes the signed batch. Both are
timed from start to a file on disk; the throughput ratio is rows per second over rows per
second, run by run. The runs change a copy of the cached store (``work``), never the cache.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchmarks.clock import NOW
from benchmarks.figure import Figure, Target, not_available
from benchmarks.stats import ratios, summary

CHANGED = 5000
RECENT = 20_000  # the changed tickets are drawn from the newest ones
TITLE = f"end-of-day export of {CHANGED:,} changed tickets"


def available() -> str | None:
    """Why the figure cannot be measured here, or None."""
    try:
        from repairdesk.sync.facade import SyncDesk
    except ImportError as exc:  # pragma: no cover - the core is always there
        return str(exc)
    if not hasattr(SyncDesk, "export_batch"):
        return "no export in this tree (desk.sync.export_batch)"
    if shutil.which("sqlite3") is None:
        return "the sqlite3 command-line shell is missing (apt-get install sqlite3)"
    return None


def change_tickets(desk: Any, count: int, seed: int, when: Any) -> None:
    """``count`` recent tickets changed in one write transaction, as the facade would."""
    from sqlmodel import col, select

    from repairdesk.models import RepairRecord, StatusMove, Ticket
    from repairdesk.tickets.workflow import MOVES

    with desk.store.read() as s:
        newest = s.exec(select(Ticket.id).order_by(col(Ticket.id).desc())).first()
    rng = random.Random(seed)
    recent = range(max(0, newest - RECENT) + 1, newest + 1)
    ids = rng.sample(recent, min(count, len(recent)))
    with desk.store.write() as s:
        tickets = s.exec(select(Ticket).where(col(Ticket.id).in_(ids))).all()
        records = {r.ticket_id: r for r in s.exec(
            select(RepairRecord).where(col(RepairRecord.ticket_id).in_(ids)))}
        for ticket in tickets:
            moves = MOVES[ticket.status]
            if moves:
                s.add(StatusMove(ticket_id=ticket.id, from_status=ticket.status,  # type: ignore[arg-type]
                                 to_status=moves[0], at=when, user="bench", note=""))
                ticket.status = moves[0]
            else:
                record = records[ticket.id]  # type: ignore[index]
                record.action = (record.action + " 复检").strip()
                s.add(record)
            ticket.updated_at, ticket.version = when, ticket.version + 1
            s.add(ticket)


def floor_sql() -> str:
    """One SELECT per exported table: exactly the rows a batch takes from the change log."""
    from repairdesk.sync.tables import export_tables

    selects = []
    for t in export_tables():
        columns = ", ".join(f'"{c}"' for c in t.columns)
        key = ", ".join(f'"{c}"' for c in t.key)
        parts = ", ".join(f"json_extract(row_key, '$[{i}]')" for i in range(len(t.key)))
        selects.append(
            f'SELECT {columns} FROM "{t.name}" WHERE ({key}) IN (SELECT {parts} '
            f"FROM sync_change WHERE table_name = '{t.name}') ORDER BY {key};")
    return "\n".join(selects)


def dump(store: Path, sql: str, out: Path) -> float:
    started = time.perf_counter()
    with out.open("wb") as fh:
        subprocess.run(["sqlite3", "-json", "-readonly", str(store)], input=sql.encode(),
                       stdout=fh, check=True)
    return time.perf_counter() - started


def measure(cached: Path, work: Path, runs: int) -> Figure:
    why = available()
    targets = [Target("≤ 1 s", None, 1.0), Target("≥ 0.5× the floor's throughput", None, 0.5,
                                                   at_least=True)]
    if why:
        return not_available("export", TITLE, "s", why, targets)
    from repairdesk.desk import Desk

    began = time.perf_counter()
    copy_store(cached, work)
    desk = Desk.open(work, clock=lambda: NOW)
    export_s: list[float] = []
    floor_s: list[float] = []
    rows: list[int] = []
    sizes: list[int] = []
    try:
        desk.sync.ensure_signing_key()
        sql = floor_sql()
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            for run in range(runs):
                when = NOW + timedelta(days=run + 1)  # each run is the next day's batch
                desk.clock = desk.store.clock = lambda when=when: when
                change_tickets(desk, CHANGED, seed=run, when=when)
                dump(work, sql, out / "warm.json")  # both sides read warm pages
                floor_s.append(dump(work, sql, out / f"floor-{run}.json"))
                started = time.perf_counter()
                result = desk.sync.export_batch(out)
                export_s.append(time.perf_counter() - started)
                rows.append(result.rows)
                sizes.append(Path(result.path).stat().st_size)
    finally:
        desk.close()
    value = summary(export_s, 3)
    # Same rows on both sides: rows/s over rows/s is the floor's time over the export's.
    throughput = summary(ratios(floor_s, export_s), 3)
    targets[0].actual = value["median"]
    targets[1].actual = throughput["median"]
    return Figure(
        key="export", title=TITLE, unit="s", value=value,
        floor_title="sqlite3 -json dump of the same rows", floor=summary(floor_s, 3),
        ratio=throughput, targets=targets,
        extra={"rows": summary(rows, 0), "batch_bytes": summary(sizes, 0),
               "rows_per_s": round(statistics_median(rows) / value["median"]),
               "ratio_is": "throughput: export rows/s over floor rows/s"},
        seconds=time.perf_counter() - began,
    )


def statistics_median(values: list[int]) -> float:
    import statistics

    return statistics.median(values)


def copy_store(source: Path, target: Path) -> None:
    """A copy of a closed store (its WAL checkpointed into the file first)."""
    import sqlite3

    with sqlite3.connect(source) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    for extra in target.parent.glob(target.name + ".*"):
        extra.unlink()
    shutil.copyfile(source, target)
