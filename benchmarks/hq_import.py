"""HQ import throughput: one counter's batch of N tickets imported into PostgreSQL (or SQLite).

    .venv/bin/python benchmarks/hq_import.py                      # 100,000 tickets, throwaway PG
    .venv/bin/python benchmarks/hq_import.py --tickets 20000 --hq-db /tmp/hq.sqlite3

The batch is built once (a demo store seeded with N tickets, exported) and kept in
benchmarks/.cache/ for the next run. Without --hq-db a throwaway PostgreSQL 15 server is
started as in the HQ tests (tests/hq/pgserver.py). The import is timed from the file on disk
to the committed transaction: reading, every check (signature, hashes, row counts), decoding
and the COPY + merge of every member.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from repairdesk.demo import seed_demo  # noqa: E402
from repairdesk.desk import Desk  # noqa: E402
from repairdesk.sync.hq.facade import Hq  # noqa: E402

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
        desk.ensure_signing_key()
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
            desk.export_batch(folder)
            took = time.perf_counter() - started
            files = sorted(folder.glob("*.rdbatch"))
        return files[0], desk.signing_key().public_key, took
    finally:
        desk.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--hq-db", help="HQ database URL (default: a throwaway PostgreSQL)")
    args = parser.parse_args()
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
        setup = Hq.open(url, check=False)
        setup.init(Path(tmp) / "hq.key")
        setup.close()
        hq = Hq.open(url)
        hq.trust("SH01", public_key)
        started = time.perf_counter()
        outcomes, _gaps = hq.import_files([path])
        took = time.perf_counter() - started
        hq.close()
    outcome = outcomes[0]
    assert outcome.status == "imported", outcome
    engine = url.split(":", 1)[0]
    print(f"{engine}: imported {args.tickets} tickets ({outcome.rows} rows) in {took:.2f} s: "
          f"{args.tickets / took:,.0f} tickets/s, {outcome.rows / took:,.0f} rows/s")


if __name__ == "__main__":
    main()
