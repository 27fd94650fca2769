"""IMEI lookup through the facade (``desk.tickets.lookup``) against the same query in raw sqlite3."""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

from benchmarks.clock import NOW
from benchmarks.figure import Figure, Target
from benchmarks.stats import percentile, ratios, summary

LOOKUPS = 1000

#: What ``desk.tickets.lookup`` asks of the store for an IMEI: every ticket of the device with it as
#: first or second IMEI, with the customer, newest first.
RAW = """
SELECT t.number, t.status, t.created_at, t.faults, d.imei, d.brand, d.model, c.name, c.phone,
       t.promised_date
FROM ticket t JOIN device d ON t.device_id = d.id JOIN customer c ON t.customer_id = c.id
WHERE d.imei = ? OR d.imei2 = ?
ORDER BY t.created_at DESC, t.id DESC
"""


def sample_imeis(store: Path, count: int, seed: int) -> list[str]:
    """``count`` IMEIs of the store, at random (a device's rowid is its place in the table)."""
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as raw:
        devices = raw.execute("SELECT max(id) FROM device").fetchone()[0]
        rng = random.Random(seed)
        ids = [rng.randint(1, devices) for _ in range(count)]
        found = dict(raw.execute(
            f"SELECT id, imei FROM device WHERE id IN ({','.join('?' * len(ids))})", ids))
    return [found[i] for i in ids if i in found]


def facade_run(store: Path, imeis: list[str]) -> list[float]:
    from repairdesk.desk import Desk

    desk = Desk.open(store, clock=lambda: NOW)
    try:
        desk.tickets.lookup(imeis[0])  # the first call builds caches (TAC table, compiled SQL)
        timings = []
        for imei in imeis:
            started = time.perf_counter()
            result = desk.tickets.lookup(imei)
            timings.append(time.perf_counter() - started)
            assert result.tickets, imei
        return timings
    finally:
        desk.close()


def raw_run(store: Path, imeis: list[str]) -> list[float]:
    raw = sqlite3.connect(store)
    try:
        raw.execute(RAW, (imeis[0], imeis[0])).fetchall()
        timings = []
        for imei in imeis:
            started = time.perf_counter()
            rows = raw.execute(RAW, (imei, imei)).fetchall()
            timings.append(time.perf_counter() - started)
            assert rows, imei
        return timings
    finally:
        raw.close()


def measure(store: Path, runs: int) -> Figure:
    began = time.perf_counter()
    p50: list[float] = []
    p99: list[float] = []
    raw50: list[float] = []
    raw99: list[float] = []
    for run in range(runs):
        imeis = sample_imeis(store, LOOKUPS, seed=run)
        sides = [("raw", raw_run), ("facade", facade_run)]
        for side, function in sides if run % 2 == 0 else sides[::-1]:
            ms = [t * 1000 for t in function(store, imeis)]
            (raw50 if side == "raw" else p50).append(percentile(ms, 50))
            (raw99 if side == "raw" else p99).append(percentile(ms, 99))
    value = summary(p99, 4)
    return Figure(
        key="imei_lookup", title=f"IMEI lookup through the facade, p99 of {LOOKUPS} random IMEIs",
        unit="ms", value=value, floor_title="the same query in raw sqlite3 (p99)",
        floor=summary(raw99, 4), ratio=summary(ratios(p99, raw99), 2),
        targets=[Target("p99 ≤ 1 ms", value["median"], 1.0)],
        extra={"p50_ms": summary(p50, 4), "floor_p50_ms": summary(raw50, 4),
               "p50_ratio": summary(ratios(p50, raw50), 2)},
        seconds=time.perf_counter() - began,
    )
