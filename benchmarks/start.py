"""App start to the first interactive board, against a bare Textual app, each start in a
fresh process; and the app process's peak memory (its own peak resident set, VmHWM)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.figure import Figure, Target
from benchmarks.stats import ratios, summary

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 120.0
MiB = 1024 * 1024


def start_once(mode: str, store: Path | None = None) -> tuple[float, float, float]:
    """(seconds to the first interactive screen, CPU seconds, peak RSS in MiB) of one start."""
    env = dict(os.environ)
    # The first start of a day also backs the store up (repairdesk.backup), in a thread once
    # the board is drawn: a once-a-day cost measured apart, not part of every start.
    env["REPAIRDESK_BACKUP_KEEP"] = "0"
    # Measured as installed: the floor's Textual comes with its bytecode compiled at install,
    # so the app's own modules get theirs too (written by the warm-up start), not compiled
    # from source on every start because the caller's shell said not to write .pyc files.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    args = [sys.executable, "-m", "benchmarks.start_child", mode]
    if store is not None:
        args.append(str(store))
    started = time.time()
    child = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    try:
        out, err = child.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise RuntimeError(f"{mode} start did not finish in {TIMEOUT:.0f} s") from None
    # The child reports its own peak RSS as it leaves (the parent's RUSAGE_CHILDREN only
    # keeps the largest child seen so far).
    if child.returncode != 0:
        raise RuntimeError(f"{mode} start failed ({child.returncode}): {err.decode()[-2000:]}")
    lines = [json.loads(line) for line in out.decode().splitlines() if line.startswith("{")]
    first, last = lines[0], lines[-1]
    return first["ready"] - started, first["cpu"], last["maxrss_kib"] / 1024


def import_breakdown(store: Path) -> dict[str, float]:
    """Milliseconds of the app's start spent importing each package (its modules' own time,
    one start under ``python -X importtime``): where a start goes that a bare Textual app
    does not spend."""
    env = dict(os.environ, REPAIRDESK_BACKUP_KEEP="0")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "benchmarks.start_child",
                           "app", str(store)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT)
    totals: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or line.count("|") != 2:
            continue
        own, _cumulative, name = line.removeprefix("import time:").split("|")
        if not own.strip().isdigit():
            continue  # the header
        root = name.strip().split(".")[0]
        totals[root] = totals.get(root, 0.0) + int(own) / 1000
    return dict(sorted(((k, round(v)) for k, v in totals.items() if v >= 5),
                       key=lambda kv: -kv[1]))


def first_start_backup(store: Path) -> float:
    """Seconds the first start of a day spends backing the store up, in the background once
    the app is open (``repairdesk.backup.daily_backup``: copy, then verify the copy)."""
    import shutil
    import tempfile

    from repairdesk.backup import daily_backup

    with tempfile.TemporaryDirectory(dir=store.parent) as tmp:
        copy = Path(tmp) / store.name
        shutil.copyfile(store, copy)
        started = time.perf_counter()
        daily_backup(copy, keep=1)
        return time.perf_counter() - started


def measure(store: Path, runs: int) -> Figure:
    """``runs`` pairs of starts; the floor and the app alternate which goes first."""
    began = time.perf_counter()
    start_once("floor")  # warm the file cache for both sides: .pyc files, the store's pages
    start_once("app", store)
    app_s: list[float] = []
    floor_s: list[float] = []
    rss: list[float] = []
    floor_rss: list[float] = []
    cpu: list[float] = []
    for run in range(runs):
        order = ("floor", "app") if run % 2 == 0 else ("app", "floor")
        for mode in order:
            seconds, cpu_s, peak = start_once(mode, store if mode == "app" else None)
            if mode == "app":
                app_s.append(seconds)
                rss.append(peak)
                cpu.append(cpu_s)
            else:
                floor_s.append(seconds)
                floor_rss.append(peak)
    ratio = summary(ratios(app_s, floor_s), 3)
    peak = summary(rss, 1)
    return Figure(
        key="start", title="app start to the first interactive board (headless)", unit="s",
        value=summary(app_s, 3), floor_title="bare Textual app painting one screen",
        floor=summary(floor_s, 3), ratio=ratio,
        targets=[Target("≤ 1.3× the floor", ratio["median"], 1.3),
                 Target("peak memory ≤ 80 MiB", peak["median"], 80.0)],
        extra={"peak_rss_mib": peak, "floor_peak_rss_mib": summary(floor_rss, 1),
               "cpu_s": summary(cpu, 3),
               "import_ms_by_package": import_breakdown(store),
               "first_start_of_day_backup_s": round(first_start_backup(store), 2)},
        seconds=time.perf_counter() - began,
    )
