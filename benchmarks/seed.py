"""A store of N demo tickets with the real schema, written in bulk.

The schema comes from the application itself (:func:`repairdesk.db.open_store` runs every
migration); only the rows are written here, through a raw sqlite3 connection in one
transaction, because the demo seeder (:mod:`repairdesk.demo`) builds rows one by one through
SQLAlchemy and takes minutes for a million. The rows follow the demo's rules (valid IMEIs on
real TACs, valid mobile numbers, statuses reached by allowed moves, per-day ticket numbers)
but are spread the way a busy counter would accumulate them: ``RATE`` phones a day, going
back as many years as it takes, with old tickets closed (a few stay open: phones never
collected, parts that never came).

What a real store has and this one has not: the audit trail of the seeded past (the demo
writes none either). The store-size figure measures that part separately, on tickets taken
in and moved through the facade (:mod:`benchmarks.size`).
"""

from __future__ import annotations

import bisect
import gc
import json
import multiprocessing
import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.clock import CST, NOW

RATE = 100  # phones taken in a day
OPEN_HOURS = (9, 19)  # local
CHUNK = 50_000  # tickets written per executemany round
#: Bumped whenever the rows written here change: a cached store of another version is rebuilt.
VERSION = 1

ACCESSORIES = ("battery", "back_cover", "sim_tray", "sim_card", "charger", "cable", "case", "box")
MARKS = ("scratches", "dents", "cracked_screen", "worn_labels")
TECHNICIANS = ("李工", "王工", "Chen")
SELLERS = ("苏宁易购徐汇店", "国美电器", "运营商营业厅", "京东")
PRICES = tuple(p * 100 for p in (999, 1499, 1999, 2999, 3999, 5999, 7999))
# Past the first month a ticket is closed, but for a few that stay open for good.
OLD_OPEN = 0.003
OLD_OPEN_STATUSES = ("ready", "ready", "ready", "awaiting_parts", "sent_out")
OLD_CLOSED = {"collected": 80, "returned_unrepaired": 8, "exchanged": 4, "refunded": 2,
              "cancelled": 3}
HANDED_BACK = frozenset({"collected", "returned_unrepaired", "exchanged", "refunded"})


@dataclass(frozen=True)
class Seeded:
    tickets: int
    customers: int
    devices: int
    moves: int
    seconds: float


def luhn_digit(body: str) -> str:
    """The Luhn check digit of ``body`` (stdnum's, inlined: it runs a million times)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = ord(ch) - 48
        if not i & 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return chr(48 + (10 - total % 10) % 10)


def stamp(moment: datetime) -> str:
    """A time as SQLAlchemy stores it in SQLite: UTC, naive, with microseconds."""
    utc = moment.astimezone(UTC)
    return f"{utc:%Y-%m-%d %H:%M:%S}.{utc.microsecond:06d}"


def arrival_times(tickets: int, rng: random.Random) -> list[datetime]:
    """``tickets`` intake times, oldest first: ``RATE`` a day in opening hours up to NOW."""
    days: list[list[datetime]] = []
    count = 0
    day = NOW.date()
    start, end = OPEN_HOURS[0] * 3600, OPEN_HOURS[1] * 3600
    while count < tickets:
        midnight = datetime(day.year, day.month, day.day, tzinfo=CST)
        times = sorted(
            midnight + timedelta(seconds=rng.randrange(start, end),
                                 microseconds=rng.randrange(1, 10**6))
            for _ in range(RATE)
        )
        times = [t for t in times if t < NOW][: tickets - count]
        days.append(times)
        count += len(times)
        day -= timedelta(days=1)
    return [t for times in reversed(days) for t in times]


def _pools(rng: random.Random) -> dict[str, Any]:
    """JSON texts and choices drawn once: per-row json.dumps would dominate the build."""
    from repairdesk.demo import DESCRIPTIONS
    from repairdesk.vocabulary import vocabulary

    vocab = vocabulary()
    codes = [f for f in DESCRIPTIONS if f in vocab.faults]
    faults = []
    for first in codes:
        for second in [None, *codes]:
            if second == first:
                continue
            chosen = [first] if second is None else [first, second]
            faults.append((
                json.dumps(chosen), DESCRIPTIONS[first],
                all(vocab.faults[f].performance for f in chosen),
                next((f for f in chosen if vocab.faults[f].performance), None),
                first,
            ))
    singles = [f for f in faults if "," not in f[0]]
    accessories = [json.dumps(rng.sample(ACCESSORIES, rng.randint(0, 4))) for _ in range(4096)]
    conditions = [
        json.dumps({
            "marks": rng.sample(MARKS, rng.choices((0, 1, 2), (50, 35, 15))[0]),
            "liquid_indicator": rng.choices(("clean", "triggered", "unknown"), (85, 5, 10))[0],
            "opened_before": rng.random() < 0.05,
            "notes": "",
        }, ensure_ascii=False)
        for _ in range(4096)
    ]
    return {"faults": faults, "singles": singles, "accessories": accessories,
            "conditions": conditions}


def _tacs(rng: random.Random) -> list[tuple[str, str, str]]:
    from repairdesk.demo import _demo_tacs

    return [(brand, tac, model) for brand, rows in sorted(_demo_tacs(rng).items())
            for tac, model in rows]


def generate(tickets: int, seed: int = 7) -> Iterator[dict[str, list[tuple[Any, ...]]]]:
    """The rows of ``tickets`` tickets, in chunks of ``CHUNK`` tickets (table -> rows).

    Times are integer microseconds since the epoch and choices index pools drawn once:
    datetime objects and ``Random.choice`` cost more than everything else together."""
    from repairdesk.demo import MOBILE_PREFIXES, _name, _path_to, _status_for

    rng = random.Random(seed)
    rnd = rng.random
    pools = _pools(rng)
    tacs = _tacs(rng)
    names = [_name(rng) for _ in range(20_000)]
    fault_pool, single_pool = pools["faults"], pools["singles"]
    acc_pool, cond_pool = pools["accessories"], pools["conditions"]
    colours = ("黑色", "白色", "金色", "蓝色", "银色", "Midnight", "Graphite", "绿色")
    closed, closed_cum = list(OLD_CLOSED), list(_cumulate(OLD_CLOSED.values()))
    paths: dict[str, list[str]] = {}
    seen_phones: set[str] = set()
    seen_imeis: set[str] = set()
    customers = devices = 0
    proof_none: list[bool] = [False]  # by device id
    sequences: dict[str, int] = {}
    now_us = _micros(NOW)
    today = NOW.date()
    step_us = 6 * 3600 * 10**6
    chunk: dict[str, list[tuple[Any, ...]]] = _empty()

    def pick(seq: Any) -> Any:
        return seq[int(rnd() * len(seq))]

    for ticket_id, created in enumerate(arrival_times(tickets, rng), start=1):
        created_us = _micros(created)
        local_day = created.date()
        age = (today - local_day).days
        if age <= 30:
            status = _status_for(age, rng)
        elif rnd() < OLD_OPEN:
            status = pick(OLD_OPEN_STATUSES)
        else:
            status = closed[bisect.bisect(closed_cum, rnd() * closed_cum[-1])]
        created_s = _text(created_us)
        if customers and rnd() < 0.2:
            customer_id = 1 + int(rnd() * customers)
        else:
            phone = ""
            while not phone or phone in seen_phones:
                phone = f"+86{pick(MOBILE_PREFIXES)}{int(rnd() * 10**8):08d}"
            seen_phones.add(phone)
            customers += 1
            customer_id = customers
            chunk["customer"].append((customer_id, pick(names), phone, created_s, created_s))
        if devices and rnd() < 0.08:
            device_id = 1 + int(rnd() * devices)  # a phone that comes back
        else:
            brand, tac, model = pick(tacs)
            imei = ""
            while not imei or imei in seen_imeis:
                body = f"{tac}{int(rnd() * 10**6):06d}"
                imei = body + luhn_digit(body)
            seen_imeis.add(imei)
            devices += 1
            device_id = devices
            sale = local_day - timedelta(days=int(rng.triangular(0, 540, 60)))
            r = rnd()
            proof = "full" if r < 0.85 else "copy" if r < 0.93 else "imei_date" if r < 0.97 \
                else "none"
            remote = rnd() < 0.2
            sale_s = sale.isoformat()
            proof_none.append(proof == "none")
            chunk["device"].append((
                device_id, imei, brand, model, pick(colours), sale_s, sale_s,
                f"No.{int(rnd() * 10**7):07d}", pick(PRICES), pick(SELLERS),
                "remote" if remote else "store",
                (sale + timedelta(days=1 + int(rnd() * 4))).isoformat() if remote else None,
                proof,
                (sale - timedelta(days=45)).isoformat() if proof == "imei_date" else None,
                created_s, created_s,
            ))
        faults_json, descriptions, performance, fault_code, first = (
            pick(fault_pool) if rnd() < 0.2 else pick(single_pool))
        day = local_day.strftime("%Y%m%d")
        sequences[day] = sequences.get(day, 0) + 1
        path = paths.get(status) or paths.setdefault(status, _path_to(status))
        technician = pick(TECHNICIANS)
        stamps = [created_s]
        last_us = created_us
        for i in range(1, len(path)):
            last_us = min(created_us + int(step_us * i * (0.5 + 2.5 * rnd())), now_us)
            stamps.append(_text(last_us))
        chunk["ticket"].append((
            ticket_id, f"SH01-{day}-{sequences[day]:04d}", "SH01", customer_id, device_id, status,
            pick(acc_pool), pick(cond_pool), faults_json, pick(descriptions),
            pick(("given", "removed", "none")), None, pick((0, 0, 0, 5000, 10000)),
            (local_day + timedelta(days=1 + int(rnd() * 3))).isoformat(), technician,
            created_s, stamps[-1], len(path),
        ))
        for i, target in enumerate(path):
            chunk["status_move"].append(
                (ticket_id, path[i - 1] if i else None, target, stamps[i], technician, ""))
        back = _local_date(last_us) if status in HANDED_BACK else None
        warranty = performance and not proof_none[device_id]
        chunk["repair_record"].append((
            ticket_id, local_day.isoformat(), back,
            "主板供电异常" if back and warranty else "",
            "更换屏幕总成" if back and first == "display" else "",
            int(warranty), fault_code, "parts" if status == "awaiting_parts" else None,
            technician,
        ))
        if ticket_id % CHUNK == 0:
            yield chunk
            chunk = _empty()
    chunk["ticket_sequence"] = [("SH01", day, last) for day, last in sorted(sequences.items())]
    yield chunk


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DAY_US = 86_400 * 10**6
_LOCAL_US = 8 * 3600 * 10**6  # the counter's UTC offset (China has no summer time)
_days: dict[int, str] = {}


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _text(us: int) -> str:
    """Like :func:`stamp`, from epoch microseconds."""
    day, rest = divmod(us, _DAY_US)
    prefix = _days.get(day)
    if prefix is None:
        prefix = _days[day] = (_EPOCH + timedelta(days=day)).strftime("%Y-%m-%d ")
    seconds, micro = divmod(rest, 10**6)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return f"{prefix}{hours:02d}:{minutes:02d}:{seconds:02d}.{micro:06d}"


def _local_date(us: int) -> str:
    return (_EPOCH + timedelta(days=(us + _LOCAL_US) // _DAY_US)).date().isoformat()


def _cumulate(values: Any) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


def _empty() -> dict[str, list[tuple[Any, ...]]]:
    return {"customer": [], "device": [], "ticket": [], "status_move": [], "repair_record": []}


INSERTS = {
    "customer": "INSERT INTO customer (id, name, phone, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
    "device": "INSERT INTO device (id, imei, brand, model, colour, sale_date, invoice_date, "
              "invoice_no, price_fen, seller, channel, received_date, proof, production_date, "
              "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "ticket": "INSERT INTO ticket (id, number, counter_code, customer_id, device_id, status, "
              "accessories, condition, faults, description, passcode_mode, passcode_value, "
              "deposit_fen, promised_date, technician, created_at, updated_at, version) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "status_move": "INSERT INTO status_move (ticket_id, from_status, to_status, at, user, note) "
                   "VALUES (?, ?, ?, ?, ?, ?)",
    "repair_record": "INSERT INTO repair_record (ticket_id, handed_in, handed_back, cause, "
                     "action, warranty, fault_code, delay_cause, technician) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "ticket_sequence": "INSERT INTO ticket_sequence (counter_code, day, last) VALUES (?, ?, ?)",
}


def build_store(path: Path, tickets: int, seed: int = 7) -> Seeded:
    """Create the store at ``path`` (the app's schema) and fill it with ``tickets`` tickets."""
    from repairdesk.db import open_store

    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    open_store(path).close()  # every migration, exactly as the application runs them
    raw = sqlite3.connect(path, isolation_level=None)
    counts = {"customer": 0, "device": 0, "ticket": 0, "status_move": 0}
    try:
        raw.execute("PRAGMA journal_mode=OFF")  # the file is new: nothing to protect
        raw.execute("PRAGMA synchronous=OFF")
        raw.execute("PRAGMA cache_size=-1000000")
        raw.execute("PRAGMA temp_store=MEMORY")
        # Indexes are rebuilt after the load (sorted, much faster than row by row), the same
        # statements SQLite recorded from the migrations.
        indexes = raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND tbl_name IN ('customer', 'device', 'ticket', 'status_move', 'repair_record')"
        ).fetchall()
        raw.execute("BEGIN")
        for name, _sql in indexes:
            raw.execute(f'DROP INDEX "{name}"')
        raw.execute(
            "INSERT INTO counter (id, code, name, address, phone, created_at) VALUES "
            "(1, 'SH01', 'RepairDesk 基准网点（上海徐汇）', '上海市徐汇区漕溪北路 88 号', "
            "'+862164000000', ?)", (stamp(NOW - timedelta(days=365 * 30)),))
        for chunk in _generated(tickets, seed):
            for table, rows in chunk.items():
                if rows:
                    raw.executemany(INSERTS[table], rows)
                    if table in counts:
                        counts[table] += len(rows)
        for _name, sql in indexes:
            raw.execute(sql)
        raw.execute("COMMIT")
        _track_changes(raw)
        raw.execute("PRAGMA journal_mode=WAL")
    finally:
        raw.close()
    return Seeded(counts["ticket"], counts["customer"], counts["device"], counts["status_move"],
                  time.perf_counter() - started)


def _generated(tickets: int, seed: int) -> Iterator[dict[str, list[tuple[Any, ...]]]]:
    """The chunks of :func:`generate`, made in a second process while this one writes."""
    context = multiprocessing.get_context("fork")
    queue: Any = context.Queue(maxsize=2)
    producer = context.Process(target=_produce, args=(queue, tickets, seed), daemon=True)
    producer.start()
    try:
        while (chunk := queue.get()) is not None:
            if isinstance(chunk, BaseException):
                raise chunk
            yield chunk
    finally:
        producer.join(timeout=5)
        if producer.is_alive():
            producer.terminate()


def _produce(queue: Any, tickets: int, seed: int) -> None:
    gc.disable()  # millions of tuples, no cycles: the collector only costs time here
    try:
        for chunk in generate(tickets, seed):
            queue.put(chunk)
    except BaseException as exc:  # handed over: the writer raises it
        queue.put(exc)
        return
    queue.put(None)


def _track_changes(raw: sqlite3.Connection) -> None:
    """Install the sync change-log triggers, as after the counter's last export: the seeded
    past counts as sent to HQ, what the figures change next is what the next batch holds."""
    try:
        from repairdesk.sync.tables import export_tables
        from repairdesk.sync.tracking import trigger_sql
    except ImportError:  # a tree without sync: nothing to track
        return
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    raw.execute("BEGIN")
    for table in export_tables():
        if table.name in tables:
            for sql in trigger_sql(table).values():
                raw.execute(sql)
    raw.execute("COMMIT")


def today() -> date:
    return NOW.date()
