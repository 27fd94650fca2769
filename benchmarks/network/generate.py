"""The network's month of batch files, generated once and kept.

The files go to ``<cache>/network-<days>d-<hash>/batches/``, the hash taken over the plan
but its number of counters (a larger network adds counters to the same folder) and over the
generator's code (this package's ``counter.py`` and the modules whose functions make the
hashes, states, lines and signatures), so a changed generator or plan writes a new folder
and a rerun of the same one reuses it. Each counter is marked done
(``done/<CODE>.json``: what it wrote) once its last file is there: an interrupted run goes on
where it stopped. Counters are generated in parallel, one process per CPU.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks.network import counter
from benchmarks.network.counter import Plan

ROOT = Path(__file__).resolve().parents[2]
CODE = (
    Path(counter.__file__),
    ROOT / "repairdesk" / "audit.py",
    ROOT / "repairdesk" / "row_state.py",
    ROOT / "repairdesk" / "sync" / "batch.py",
    ROOT / "repairdesk" / "sync" / "container.py",
    ROOT / "repairdesk" / "sync" / "tables.py",
    ROOT / "repairdesk" / "models.py",
)


def folder_for(plan: Plan, cache: Path) -> Path:
    """The plan's folder: keyed by everything that shapes a counter's files but how many
    counters there are (counter N's month is the same in a network of 50 or of 2,000)."""
    shape = {k: v for k, v in asdict(plan).items() if k != "counters"}
    digest = hashlib.sha256(json.dumps(shape, default=str, sort_keys=True).encode())
    for path in CODE:
        digest.update(path.read_bytes())
    return cache / f"network-{plan.days}d-{digest.hexdigest()[:10]}"


def _one(plan: Plan, code: str, folder: Path, tacs: list[tuple[str, str, str]]) -> dict[str, Any]:
    totals = counter.write_month(plan, code, folder / "batches", tacs)
    marker = folder / "done" / f"{code}.json"
    marker.write_text(json.dumps({"counter": code, **totals}) + "\n", encoding="utf-8")
    return totals


def generate(plan: Plan, cache: Path, workers: int | None = None) -> tuple[Path, dict[str, Any]]:
    """The folder of ``plan``'s batch files (written now if missing; it may hold more
    counters' than the plan's) and what the plan's counters' files hold."""
    folder = folder_for(plan, cache)
    (folder / "batches").mkdir(parents=True, exist_ok=True)
    (folder / "done").mkdir(exist_ok=True)
    todo = [code for code in plan.codes() if not (folder / "done" / f"{code}.json").exists()]
    took = 0.0
    if todo:
        print(f"generating {len(todo):,} counters' month into {folder} ...", flush=True)
        started = time.perf_counter()
        tacs = counter.tacs(plan)
        with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
            futures = [pool.submit(_one, plan, code, folder, tacs) for code in todo]
            for done, future in enumerate(futures, 1):
                future.result()
                if done % 50 == 0 or done == len(futures):
                    print(f"  {done:,}/{len(futures):,} counters", flush=True)
        took = time.perf_counter() - started
    totals: dict[str, Any] = {"batches": 0, "rows": 0, "events": 0, "tickets": 0, "bytes": 0}
    for code in plan.codes():
        done = json.loads((folder / "done" / f"{code}.json").read_text(encoding="utf-8"))
        for key in totals:
            totals[key] += done[key]
    return folder, {**totals, "generated_now_s": round(took, 1), "folder": str(folder)}
