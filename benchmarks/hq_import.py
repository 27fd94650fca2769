"""HQ import throughput: one counter's batch of N tickets imported into PostgreSQL (or SQLite).

    .venv/bin/python benchmarks/hq_import.py                      # 100,000 tickets, throwaway PG
    .venv/bin/python benchmarks/hq_import.py --tickets 20000 --hq-db /tmp/hq.sqlite3

The batch is built once (a demo store seeded with N tickets, exported) and kept in
benchmarks/.cache/ for the next run. Without --hq-db a throwaway PostgreSQL 15 server is
started as in the HQ tests (tests/hq/pgserver.py). The import is timed from the file on disk
to the committed transaction: reading, every check (signature, hashes, row counts), decoding
and the COPY + merge of every member.

The floor (``measure``, used by ``python -m benchmarks``; ``--runs`` here) is PostgreSQL's own
bulk load of the same rows: after each import, every imported table is read back with
``COPY ... TO STDOUT`` (not timed), then written with ``COPY ... FROM STDIN`` into a bare
table of the same columns (no key, no index) in one committed transaction (timed). Each
import run is paired with the floor run that follows it on the same server, in a new database.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from repairdesk.demo import seed_demo  # noqa: E402
from repairdesk.desk import Desk  # noqa: E402
from repairdesk.hq.facade import Hq  # noqa: E402

CACHE = ROOT / "benchmarks" / ".cache"
NOW = datetime(2026, 11, 21, 18, 0, tzinfo=timezone(timedelta(hours=8)))


def batch_for(tickets: int) -> tuple[Path, str, float]:
    """The cached batch of ``tickets`` demo tickets, its counter's key, and the export time."""
    folder = CACHE / f"hq-import-{tickets}"
    store = folder / "counter.sqlite3"
    if not store.exists():
        folder.mkdir(parents=True, exist_ok=True)
        desk = Desk.open(store, clock=lambda: NOW)
        desk.init_counter("SH01", "基准网点")
        desk.sync.ensure_signing_key()
        started = time.perf_counter()
        seed_demo(desk, tickets=tickets, seed=7)
        print(f"seeded {tickets} tickets in {time.perf_counter() - started:.1f} s")
        desk.close()
    desk = Desk.open(store, clock=lambda: NOW)
    try:
        files = sorted(folder.glob("*.rdbatch"))
        took = 0.0
        if not files:
            started = time.perf_counter()
            desk.sync.export_batch(folder)
            took = time.perf_counter() - started
            files = sorted(folder.glob("*.rdbatch"))
        return files[0], desk.sync.signing_key().public_key, took
    finally:
        desk.close()


def import_once(url: str, path: Path, public_key: str, key_path: Path) -> tuple[float, int]:
    """Import ``path`` into the new database at ``url``: the seconds taken and rows loaded."""
    setup = Hq.open(url, check=False)
    setup.init(key_path)
    setup.close()
    hq = Hq.open(url)
    try:
        hq.add_counter("SH01", "SH01")
        hq.trust("SH01", public_key)
        started = time.perf_counter()
        outcomes, _gaps = hq.import_files([path])
        took = time.perf_counter() - started
    finally:
        hq.close()
    outcome = outcomes[0]
    assert outcome.status == "imported", outcome
    return took, outcome.rows


def copy_floor(url: str) -> float:
    """COPY of the rows just imported into bare tables of the same columns, in seconds."""
    import psycopg
    from psycopg import sql

    from repairdesk.hq import schema

    dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)
    dumps: list[tuple[str, list[str], list[bytes]]] = []
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        for name, table in sorted(schema.mirrors().items()):
            columns = [c.name for c in table.columns]
            chunks: list[bytes] = []
            with cur.copy(sql.SQL("COPY {} ({}) TO STDOUT").format(
                    sql.Identifier(name), sql.SQL(", ").join(map(sql.Identifier, columns)))) as out:
                chunks.extend(bytes(chunk) for chunk in out)
            if chunks:
                cur.execute(sql.SQL("CREATE TABLE {} (LIKE {})").format(
                    sql.Identifier(f"floor_{name}"), sql.Identifier(name)))
                dumps.append((name, columns, chunks))
        conn.commit()
        started = time.perf_counter()
        for name, columns, chunks in dumps:
            with cur.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(
                    sql.Identifier(f"floor_{name}"),
                    sql.SQL(", ").join(map(sql.Identifier, columns)))) as into:
                for chunk in chunks:
                    into.write(chunk)
        conn.commit()
        return time.perf_counter() - started


def measure(tickets: int, runs: int) -> dict[str, Any]:
    """``runs`` imports of the batch of ``tickets`` tickets, each into a new database of one
    throwaway server and followed by its COPY floor (see the module's docstring)."""
    from tests.hq.pgserver import find_bindir, throwaway_server

    path, public_key, _export_s = batch_for(tickets)
    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL binaries not found: apt-get install postgresql-15")
    import_s: list[float] = []
    copy_s: list[float] = []
    rows = 0
    with throwaway_server(bindir) as server, tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            url = server.create_database("bench")
            took, rows = import_once(url, path, public_key, Path(tmp) / f"hq-{run}.key")
            import_s.append(took)
            copy_s.append(copy_floor(url))
    return {"import_s": import_s, "copy_s": copy_s, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--hq-db", help="HQ database URL (default: a throwaway PostgreSQL)")
    parser.add_argument("--runs", type=int, default=0,
                        help="paired import and COPY floor runs on a throwaway PostgreSQL")
    args = parser.parse_args()
    if args.runs:
        found = measure(args.tickets, args.runs)
        for took, floor in zip(found["import_s"], found["copy_s"], strict=True):
            print(f"import {took:.2f} s, COPY floor {floor:.2f} s: {floor / took:.2f}x "
                  f"the floor's throughput ({found['rows']} rows)")
        return
    path, public_key, export_s = batch_for(args.tickets)
    if export_s:
        print(f"exported {path.name} ({path.stat().st_size / 1e6:.1f} MB) in {export_s:.1f} s")
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        url = args.hq_db
        if url is None:
            from tests.hq.pgserver import find_bindir, throwaway_server

            bindir = find_bindir()
            if bindir is None:
                sys.exit("PostgreSQL binaries not found: apt-get install postgresql-15")
            url = stack.enter_context(throwaway_server(bindir)).create_database("bench")
        took, rows = import_once(url, path, public_key, Path(tmp) / "hq.key")
    engine = url.split(":", 1)[0]
    print(f"{engine}: imported {args.tickets} tickets ({rows} rows) in {took:.2f} s: "
          f"{args.tickets / took:,.0f} tickets/s, {rows / took:,.0f} rows/s")


if __name__ == "__main__":
    main()
