"""``python -m benchmarks [--quick]``: build (once) the store, measure, print, save.

Not a test: nothing here fails a build. Each figure is the median of several runs with min
and max; a floor is measured in the same run, next to the figure, and ratios are taken run
by run. See ``python -m benchmarks --help``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import end_of_day, hq, lookup, report, size, start, tui
from benchmarks.figure import Figure
from benchmarks.seed import VERSION, build_store

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
RESULTS = ROOT / "benchmarks" / "results.json"
FULL, QUICK = 1_000_000, 100_000
FIGURES = ("start", "imei_lookup", "lookup_typing", "intake_typing", "export", "hq_import",
           "size")


def cached_store(tickets: int, cache: Path, rebuild: bool = False) -> tuple[Path, dict[str, object]]:
    """The store of ``tickets`` demo tickets, built once and kept in ``cache``."""
    from repairdesk.db import open_store

    path = cache / f"store-{tickets}.sqlite3"
    meta_path = cache / f"store-{tickets}.json"
    wanted = {"version": VERSION, "tickets": tickets}
    meta: dict[str, object] = {}
    if path.exists() and meta_path.exists() and not rebuild:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if {k: meta.get(k) for k in wanted} != wanted:
        print(f"building the store of {tickets:,} tickets (once; kept in {cache}) ...",
              flush=True)
        seeded = build_store(path, tickets)
        meta = {**wanted, "built_s": round(seeded.seconds, 1), "customers": seeded.customers,
                "devices": seeded.devices, "moves": seeded.moves}
        meta_path.write_text(json.dumps(meta) + "\n", encoding="utf-8")
        print(f"  built in {seeded.seconds:.1f} s", flush=True)
        meta["built_now"] = True
    # A store built before a migration was added is brought up to date here, not on the
    # first measured start.
    started = time.perf_counter()
    open_store(path).close()
    meta["open_s"] = round(time.perf_counter() - started, 2)
    return path, meta


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK:,} tickets, fewer runs")
    parser.add_argument("--tickets", type=int, help=f"store size (default {FULL:,})")
    parser.add_argument("--runs", type=int, help="runs per figure (default 5, quick 3)")
    parser.add_argument("--only", help="comma-separated figures: " + ",".join(FIGURES))
    parser.add_argument("--skip", help="comma-separated figures to leave out")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--rebuild", action="store_true", help="build the store again")
    args = parser.parse_args(argv)
    tickets = args.tickets or (QUICK if args.quick else FULL)
    runs = args.runs or (3 if args.quick else 5)
    chosen = [f for f in (args.only.split(",") if args.only else FIGURES)
              if f not in (args.skip or "").split(",")]
    began = time.perf_counter()
    args.cache.mkdir(parents=True, exist_ok=True)
    store, meta = cached_store(tickets, args.cache, args.rebuild)
    # The copy the runs change, in a folder of its own: what a store keeps beside it (the
    # outbox of its batches, its head file, its lock) must not pile up beside the cache.
    workdir = args.cache / f"work-{tickets}"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir()
    work = workdir / "store.sqlite3"
    steps: dict[str, Callable[[], list[Figure]]] = {
        "start": lambda: [start.measure(store, runs)],
        "imei_lookup": lambda: [lookup.measure(store, runs)],
        "lookup_typing": lambda: [tui.measure_lookup(store, runs)],
        "intake_typing": lambda: [tui.measure_intake(store, runs)],
        "export": lambda: [end_of_day.measure(store, work, runs)],
        # Always 100,000 tickets (HQ's figure does not depend on the counter's store); each
        # run takes half a minute, so a quick run makes one.
        "hq_import": lambda: [hq.measure(1 if args.quick else min(runs, 3))],
        "size": lambda: _sizes(store, work, tickets),
    }
    figures: list[Figure] = []
    for key in chosen:
        print(f"measuring {key} ...", flush=True)
        figures.extend(steps[key]())
    shutil.rmtree(workdir, ignore_errors=True)
    took = time.perf_counter() - began
    header = (f"RepairDesk benchmarks: {tickets:,} tickets, {runs} runs, "
              f"{os.cpu_count()} CPUs, {took / 60:.1f} min")
    report.show(figures, header)
    report.write(args.results, figures, {
        "command": "python -m benchmarks" + (" --quick" if args.quick else ""),
        "tickets": tickets, "runs": runs, "seconds": round(took, 1),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "store": {"path": str(store), **meta},
    })
    print(f"results: {args.results}")


def _sizes(store: Path, work: Path, tickets: int) -> list[Figure]:
    figures = [size.measure_bulk(store, tickets)]
    if not work.exists():
        end_of_day.copy_store(store, work)
    figures.append(size.measure_facade(work))
    return figures
