"""``python -m benchmarks.network [--quick | --counters N]``: HQ at the scale of a network.

1. The month's batch files of N counters (:mod:`.generate`; cached).
2. A throwaway PostgreSQL 15 (tests/hq/pgserver.py), ``repairdesk hq init``, every counter
   registered and trusted through the facade (2,000 CLI starts would measure Python's start).
3. ``repairdesk hq import <folder> --json``, as a person would run it: its wall time.
4. The floor, in the same run on the same server: every line of the same batch files as a
   row of a bare table of the mirror's columns (no key, no index), loaded by one
   ``COPY … FROM STDIN`` per table in one transaction. The rows are put in COPY's text form
   first (not timed); only the server's bulk load is timed.
5. ``repairdesk hq report --month YYYY-MM --json``: its wall time (interpreter start
   included) and the facade call alone, each the median of three; then one call profiled
   (:data:`PROFILE`).

Figures go to ``benchmarks/results-network.json`` and a table like ``make bench``'s.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from benchmarks import report as table
from benchmarks.figure import Figure, Target
from benchmarks.network import floor
from benchmarks.network.counter import Plan, public_key
from benchmarks.network.generate import generate

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("REPAIRDESK_BENCHCACHE", "/work/benchcache"))
RESULTS = ROOT / "benchmarks" / "results-network.json"
#: Where the report's profile goes (one call, by cumulative time), for whoever speeds it up.
PROFILE = Path(tempfile.gettempdir()) / "repairdesk-network-report.prof.txt"
FIRST_DAY = date(2026, 11, 1)
MONTH = "2026-11"
FULL, QUICK = 2000, 50
IMPORT_LIMIT_S, REPORT_LIMIT_S = 20 * 60, 5.0


def cli(*args: str, stdout: Any = subprocess.PIPE) -> tuple[float, subprocess.CompletedProcess[str]]:
    """``repairdesk ARGS`` in a new process: its wall time and result."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REPAIRDESK_LANG": "en"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", "from screens.main import main; main()",
                           *args], cwd=ROOT, env=env, stdout=stdout, stderr=subprocess.PIPE,
                          text=True, check=False)
    return time.perf_counter() - started, done


def register(url: str, plan: Plan) -> None:
    from repairdesk.hq.facade import Hq

    hq = Hq.open(url)
    try:
        for code in plan.codes():
            hq.add_counter(code, f"网点 {code}")
            hq.trust(code, public_key(plan, code))
    finally:
        hq.close()


def _import(url: str, batches: Path, codes: list[str], parallel: int, tmp: Path,
            expected: int) -> float:
    """``hq import`` of a folder of the counters' files (links to them: the cache may hold
    more counters), or of ``parallel`` such folders at once, each a share of the counters,
    as HQ would import two shares on two cores: the wall time until the last is done."""
    folders = [tmp / f"share-{n}" for n in range(parallel)]
    for folder in folders:
        folder.mkdir()
    for path in floor.batch_files(batches, codes):
        code = path.name.split("-")[0]
        (folders[int(code[1:]) % parallel] / path.name).symlink_to(path)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REPAIRDESK_LANG": "en"}
    outputs = [tmp / f"import-{n}.json" for n in range(len(folders))]
    started = time.perf_counter()
    running = [subprocess.Popen(
        [sys.executable, "-c", "from screens.main import main; main()", "hq", "import",
         str(folder), "--hq-db", url, "--json"], cwd=ROOT, env=env, stdout=out.open("w"),
        stderr=subprocess.PIPE, text=True) for folder, out in zip(folders, outputs, strict=True)]
    errors = [process.communicate()[1] for process in running]
    took = time.perf_counter() - started
    outcomes = [o for out in outputs if out.stat().st_size
                for o in json.loads(out.read_text())["files"]]
    imported = sum(o["status"] == "imported" for o in outcomes)
    if any(process.returncode for process in running) or imported != expected:
        refused = [o for o in outcomes if o["status"] != "imported"][:3]
        raise SystemExit(f"hq import: {imported}/{expected} imported "
                         f"({' '.join(errors)[-800:]}) {refused}")
    return took


def measure(plan: Plan, workers: int | None,
            parallel: int = 1) -> tuple[list[Figure], dict[str, Any]]:
    from tests.hq.pgserver import find_bindir, throwaway_server

    folder, files = generate(plan, CACHE, workers)
    batches = folder / "batches"
    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL binaries not found: apt-get install postgresql-15")
    with throwaway_server(bindir) as server, tempfile.TemporaryDirectory() as tmp:
        url = server.create_database("network")
        took, done = cli("hq", "init", "--hq-db", url, "--hq-key", f"{tmp}/hq.key")
        if done.returncode:
            raise SystemExit(f"hq init failed: {done.stderr}")
        register(url, plan)
        print(f"importing {files['batches']:,} batches ({files['rows']:,} rows) with "
              f"{parallel} hq import process(es) ...", flush=True)
        import_s = _import(url, batches, plan.codes(), parallel, Path(tmp), files["batches"])
        print(f"  {import_s:.1f} s; the COPY floor ...", flush=True)
        copy_s, copy_rows = floor.measure(url, batches, plan.codes(), Path(tmp))
        print(f"  {copy_s:.1f} s for {copy_rows:,} rows; the report ...", flush=True)
        report_cli, report_call = _report(url)
    figures = _figures(plan, files, import_s, copy_s, copy_rows, report_cli, report_call,
                       parallel)
    return figures, files


def _report(url: str) -> tuple[list[float], list[float]]:
    from repairdesk.hq.facade import Hq

    wall: list[float] = []
    for _run in range(3):
        took, done = cli("hq", "report", "--month", MONTH, "--hq-db", url, "--json")
        if done.returncode:
            raise SystemExit(f"hq report failed: {done.stderr[-800:]}")
        wall.append(took)
    call: list[float] = []
    hq = Hq.open(url)
    try:
        for _run in range(3):
            started = time.perf_counter()
            hq.report(month=MONTH)
            call.append(time.perf_counter() - started)
        profile = cProfile.Profile()
        profile.runcall(hq.report, month=MONTH)
    finally:
        hq.close()
    text = io.StringIO()
    pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(25)
    PROFILE.write_text(text.getvalue(), encoding="utf-8")
    return wall, call


def _figures(plan: Plan, files: dict[str, Any], import_s: float, copy_s: float,
             copy_rows: int, report_cli: list[float], report_call: list[float],
             parallel: int) -> list[Figure]:
    from benchmarks.stats import summary

    rows = files["rows"]
    assert copy_rows == rows, (copy_rows, rows)
    ratio = copy_s / import_s  # the same rows both sides: the throughput ratio
    title = (f"hq import of {plan.counters:,} counters × {plan.days} days "
             f"({files['batches']:,} batches, {rows:,} rows)"
             + (f", {parallel} processes" if parallel > 1 else ""))
    # A smaller network is measured against the month's target by its time per batch (a
    # day's batch costs the same whatever the size of HQ's tables: their keys are probed).
    scale = FULL / plan.counters
    month_s = import_s * scale
    imported = Figure(
        key="network_import", title=title, unit="s", value=summary([import_s], 1),
        floor_title="COPY of the same rows into bare tables", floor=summary([copy_s], 1),
        ratio=summary([ratio], 3),
        targets=[Target(f"{FULL:,} counters' month in < 20 min", month_s, IMPORT_LIMIT_S),
                 Target("≥ 0.5× COPY's throughput", ratio, 0.5, at_least=True)],
        extra={"rows_per_s": round(rows / import_s), "batches_per_s": round(
            files["batches"] / import_s, 1), "copy_rows_per_s": round(rows / copy_s)})
    if plan.counters != FULL:
        imported.extra[f"{FULL:,} counters, linear (s)"] = round(month_s)
        imported.note = (f"{plan.counters:,} of {FULL:,} counters: the month's target is "
                         f"met if {FULL:,} counters take {scale:.0f}× this run's time")
    report = Figure(
        key="network_report", title=f"hq report --month {MONTH} (CLI, process start included)",
        unit="s", value=summary(report_cli, 2),
        targets=[Target("answers in < 5 s", statistics.median(report_cli), REPORT_LIMIT_S)],
        extra={"facade call": summary(report_call, 2)})
    return [imported, report]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.network", description=__doc__)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK} counters")
    parser.add_argument("--counters", type=int, help=f"default {FULL:,}")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--tickets-per-day", type=int, default=20)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--workers", type=int, help="generator processes (default: CPUs)")
    parser.add_argument("--parallel", type=int, default=1,
                        help="hq import processes at once, each over a share of the counters")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    counters = args.counters or (QUICK if args.quick else FULL)
    plan = Plan(counters, args.days, args.tickets_per_day, FIRST_DAY, args.seed)
    began = time.perf_counter()
    figures, files = measure(plan, args.workers, args.parallel)
    took = time.perf_counter() - began
    header = (f"RepairDesk network benchmark: {counters:,} counters, {args.days} days, "
              f"{os.cpu_count()} CPUs, {took / 60:.1f} min")
    table.show(figures, header)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True, check=False).stdout.strip()
    table.write(args.results, figures, {
        "command": "python -m benchmarks.network " + " ".join(argv or sys.argv[1:]),
        "commit": commit, "parallel": args.parallel, "plan": {"counters": counters, "days": args.days,
                                   "tickets_per_day": args.tickets_per_day,
                                   "first_day": FIRST_DAY.isoformat(), "seed": args.seed},
        "files": files, "seconds": round(took, 1),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
    })
    print(f"results: {args.results}; the report's profile: {PROFILE}")
