"""HQ import of 100,000 tickets into PostgreSQL, against COPY of the same rows into a bare
table: measured by ``benchmarks/hq_import.py`` (the sync work's own benchmark) and shown in
this table.

The table takes, in order of preference:

1. ``hq_import.measure(tickets, runs)`` returning ``{"import_s": [...], "copy_s": [...],
   "rows": int}`` (one import and one COPY floor per run, paired);
2. otherwise the script run once per run, its summary line parsed
   (``...: imported N tickets (R rows) in T s ...``), with no floor: the ratio is then
   reported as not measured.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.figure import Figure, Target, not_available
from benchmarks.stats import ratios, summary

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "hq_import.py"
TICKETS = 100_000
TITLE = f"HQ import of {TICKETS:,} tickets into PostgreSQL"
TIMEOUT = 1200.0
LINE = re.compile(r"imported (\d+) tickets \((\d+) rows\) in ([0-9.]+) s")


def _postgres_missing() -> str | None:
    if shutil.which("pg_ctl") or any(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
        return None
    return "PostgreSQL is not installed (its server binaries start a throwaway HQ)"


def measure(runs: int) -> Figure:
    target = Target("≥ 0.5× the floor's throughput", None, 0.5, at_least=True)
    if not SCRIPT.exists():
        return not_available("hq_import", TITLE, "s",
                             "benchmarks/hq_import.py is not there yet (sync work)", [target])
    missing = _postgres_missing()
    if missing:
        return not_available("hq_import", TITLE, "s", missing, [target])
    began = time.perf_counter()
    try:
        module = importlib.import_module("benchmarks.hq_import")
    except Exception as exc:  # noqa: BLE001 - someone else's file, mid-work: report, go on
        return not_available("hq_import", TITLE, "s", f"hq_import.py fails to load: {exc}",
                             [target])
    try:
        if hasattr(module, "measure"):
            found: dict[str, Any] = module.measure(TICKETS, runs)
            import_s, copy_s, rows = found["import_s"], found.get("copy_s"), found["rows"]
        else:
            import_s, rows = _by_script(runs)
            copy_s = None
    except Exception as exc:  # noqa: BLE001 - same: the figure says what went wrong
        return not_available("hq_import", TITLE, "s", f"hq_import.py failed: {exc}", [target])
    value = summary(import_s, 3)
    figure = Figure(
        key="hq_import", title=TITLE, unit="s", value=value,
        floor_title="COPY of the same rows into a bare table", targets=[target],
        extra={"rows": rows, "tickets_per_s": round(TICKETS / value["median"]),
               "rows_per_s": round(rows / value["median"])},
        seconds=time.perf_counter() - began,
    )
    if copy_s:
        figure.floor = summary(copy_s, 3)
        # Same rows on both sides: the throughput ratio is the floor's time over the import's.
        figure.ratio = summary(ratios(copy_s, import_s), 3)
        target.actual = figure.ratio["median"]
    else:
        figure.note = ("hq_import.py measures no COPY floor yet: the throughput ratio is not "
                       "measured")
    return figure


def _by_script(runs: int) -> tuple[list[float], int]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    seconds: list[float] = []
    rows = 0
    for _run in range(runs):
        done = subprocess.run([sys.executable, str(SCRIPT), "--tickets", str(TICKETS)],
                              cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=TIMEOUT)
        match = LINE.search(done.stdout)
        if done.returncode != 0 or match is None:
            raise RuntimeError((done.stderr or done.stdout).strip()[-500:])
        rows = int(match.group(2))
        seconds.append(float(match.group(3)))
    return seconds, rows
