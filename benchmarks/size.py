"""Store size per ticket: the bulk-seeded store, and the growth per ticket taken in and moved
to collection through the facade (which also writes the audit trail the seeder leaves out).
"""

from __future__ import annotations

import copy
import random
import sqlite3
import time
from datetime import timedelta
from pathlib import Path

from benchmarks.clock import NOW
from benchmarks.figure import Figure, Target

KiB = 1024
LIMIT = 2.0  # KiB per ticket
SAMPLE = 40  # tickets taken in through the facade
LIFE = ("diagnosing", "repairing", "qc", "ready", "collected")
#: The intake of the README, as the counter fills it in.
INTAKE = {
    "customer": {"name": "张伟", "phone": ""},
    "device": {"imei": "", "colour": "黑色", "sale_date": "2026-12-01",
               "invoice_no": "No.0012345", "price": 2999.00, "channel": "store", "proof": "full"},
    "accessories": ["battery", "back_cover", "sim_tray"],
    "condition": {"marks": ["scratches"], "liquid_indicator": "clean", "opened_before": False,
                  "notes": "边框轻微划痕"},
    "faults": ["display"],
    "description": "屏幕闪烁后黑屏",
    "passcode": "given",
    "deposit": 0,
}


def file_bytes(store: Path) -> int:
    with sqlite3.connect(store) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages, size, free = (raw.execute(f"PRAGMA {p}").fetchone()[0]
                             for p in ("page_count", "page_size", "freelist_count"))
    return (pages - free) * size


def audit_bytes(store: Path) -> int:
    with sqlite3.connect(store) as raw:
        names = [r[0] for r in raw.execute(
            "SELECT name FROM sqlite_master WHERE tbl_name = 'audit_event'")]
        return sum(raw.execute("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ?",
                               (name,)).fetchone()[0] for name in names)


def bytes_by_name(store: Path) -> dict[str, tuple[int, int]]:
    """The bytes of each table and index (after a checkpoint, as ``file_bytes``), and of
    those what their pages hold (not the room left in them)."""
    with sqlite3.connect(store) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return {name: (size, used) for name, size, used in raw.execute(
            "SELECT name, sum(pgsize), sum(pgsize - unused) FROM dbstat GROUP BY name")}


def measure_bulk(store: Path, tickets: int) -> Figure:
    per = file_bytes(store) / tickets / KiB
    return Figure(
        key="size_bulk", title="store size: bulk-seeded store (no audit trail of its past)",
        unit="KiB/ticket", value={"median": round(per, 3), "min": round(per, 3),
                                  "max": round(per, 3), "runs": 1},
        targets=[Target(f"≤ {LIMIT:g} KiB per ticket", round(per, 3), LIMIT)],
        extra={"bytes": store.stat().st_size, "tickets": tickets},
    )


def measure_facade(work: Path) -> Figure:
    """``SAMPLE`` intakes and their moves to collection on ``work`` (a copy of the store)."""
    from stdnum import luhn

    from repairdesk.desk import Desk

    began = time.perf_counter()
    before, audit_before, parts_before = file_bytes(work), audit_bytes(work), bytes_by_name(work)
    when = NOW + timedelta(days=30)
    desk = Desk.open(work, clock=lambda: when, user="bench")
    rng = random.Random(5)
    try:
        for _ in range(SAMPLE):
            doc = copy.deepcopy(INTAKE)
            body = "35209900" + f"{rng.randrange(10**6):06d}"
            doc["device"]["imei"] = body + luhn.calc_check_digit(body)
            doc["customer"]["phone"] = "139" + f"{rng.randrange(10**8):08d}"
            number = desk.tickets.intake(doc).ticket
            for status in LIFE:
                desk.tickets.move(number, status)
    finally:
        desk.close()
    per = (file_bytes(work) - before) / SAMPLE / KiB
    audit = (audit_bytes(work) - audit_before) / SAMPLE / KiB
    # Where it goes, table by table and index by index. An index with random keys (a
    # phone, an IMEI) grows here by whole pages split from the bulk seeder's packed pages,
    # more than it does in a store grown at the counter.
    parts_after = bytes_by_name(work)
    grown = {name: (size - parts_before.get(name, (0, 0))[0]) / SAMPLE / KiB
             for name, (size, _used) in parts_after.items()}
    parts = {name: round(kib, 2) for name, kib in sorted(grown.items(), key=lambda g: -g[1])
             if kib >= 0.05}
    used = sum(u for _s, u in parts_after.values()) - sum(u for _s, u in parts_before.values())
    used = used / SAMPLE / KiB
    return Figure(
        key="size_facade",
        title=f"store growth per ticket taken in and collected through the facade ({SAMPLE})",
        unit="KiB/ticket", value={"median": round(per, 3), "min": round(per, 3),
                                  "max": round(per, 3), "runs": 1},
        targets=[Target(f"≤ {LIMIT:g} KiB per ticket", round(per, 3), LIMIT)],
        extra={"audit_trail_kib_per_ticket": round(audit, 3), "moves_per_ticket": len(LIFE),
               "used_kib_per_ticket": round(used, 3), "kib_per_ticket_by_table": parts},
        seconds=time.perf_counter() - began,
    )
