"""One generated counter's month, written as the counter writes it: a signed batch a day.

Running a counter's Desk for 2,000 counters' month would take days, so the rows are built
here directly, as the batch lines the counter's export writes (every exported column, values
in their JSON form), and the audit events as :mod:`repairdesk.audit` appends them: one
transaction's events share their time and are sorted by entity and key, an insert carries
the row but its ``id`` and null columns, an update the changed columns before and after,
every insert or update the state of its row (:func:`repairdesk.row_state.line_state`), and
each event the hash :func:`repairdesk.audit.row_hash` gives it after the one before. The
batch itself is the export's: :class:`repairdesk.sync.batch.MemberWriter` members, one per
exported table, and :func:`repairdesk.sync.batch.signed_file` with the counter's Ed25519 key.
tests/hq/test_network_bench.py imports them next to a real counter's export.

A ticket's life: intake (customer, device, ticket, its first move, a deposit for one in
two), diagnosis within hours, repair from the next morning (the repair record, a part drawn
for most), quality check and ready the same day or the next, then collected one to three
days later (the record's hand-back day, a payment for a paid repair); some are returned
unrepaired or exchanged after diagnosis. The export runs every evening at 21:00 and carries
every row changed that day, in its state at that moment, and that day's events.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from repairdesk import audit, row_state
from repairdesk.imei import is_valid_imei, shipped_tacs
from repairdesk.sync import batch, keys
from repairdesk.sync.export import _software
from repairdesk.sync.ords import CHINA_TZ
from repairdesk.sync.tables import export_tables
from repairdesk.tickets.codes import ACCESSORIES, PAYMENT_METHODS

EXPORT_AT = time(21, 0)
USERS = (("王店长", "manager"), ("李工", "technician"), ("小陈", "front_desk"))
FAULTS = ("display", "battery_fault", "charger_fault", "audio", "sim_contact", "housing_crack",
          "no_power_or_service", "keys", "network", "abnormal_shutdown")
PARTS = (("LCD", "屏幕总成", "Display assembly", 42000), ("BAT", "电池", "Battery", 9900),
         ("USB", "尾插充电小板", "Charging port board", 6000),
         ("SPK", "扬声器", "Loudspeaker", 4000))
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


@dataclass(frozen=True)
class Plan:
    """What to generate: ``counters`` counters, ``days`` days from ``first_day``, about
    ``tickets_per_day`` intakes a day each."""

    counters: int
    days: int
    tickets_per_day: int
    first_day: date
    seed: int

    def codes(self) -> list[str]:
        return [f"N{index:04d}" for index in range(1, self.counters + 1)]


def private_key(plan: Plan, code: str) -> Ed25519PrivateKey:
    """The counter's signing key, the same at every run of the same plan."""
    seed = hashlib.sha256(f"{plan.seed}:{code}".encode()).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key(plan: Plan, code: str) -> str:
    return keys.public_key_text(private_key(plan, code))


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


class _Store:
    """The counter's rows (as batch lines), its trail and what changed since the export."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.rows: dict[str, dict[int, dict[str, Any]]] = {t.name: {} for t in export_tables()}
        self.columns = {t.name: t.columns for t in export_tables()}
        self.ids = dict.fromkeys(self.rows, 0)
        self.changed: dict[str, set[int]] = {name: set() for name in self.rows}
        self.events: list[dict[str, Any]] = []  # since the last export
        self.last: tuple[int, str] = (0, audit.GENESIS)
        self._pending: list[tuple[str, int, str, Any, Any]] = []

    def insert(self, table: str, values: dict[str, Any]) -> dict[str, Any]:
        self.ids[table] += 1
        key = self.ids[table]
        row = {c: values.get(c) for c in self.columns[table]}
        row["id"] = key
        self.rows[table][key] = row
        after = {k: v for k, v in row.items() if v is not None and k != "id"}
        self._pending.append((table, key, "insert", None, after))
        return row

    def update(self, table: str, row: dict[str, Any], **changes: Any) -> None:
        before = {k: row[k] for k in changes if row[k] != changes[k]}
        after = {k: changes[k] for k in before}
        if after:
            row.update(after)
            self._pending.append((table, row["id"], "update", before, after))

    def commit(self, at: datetime, user: str) -> None:
        """The transaction's events, as audit._append writes them."""
        stamp = _utc(at)
        event_id, prev = self.last
        for table, key, action, before, after in sorted(self._pending,
                                                        key=lambda p: (p[0], str(p[1]))):
            event_id += 1
            line = self.rows[table][key]
            event = SimpleNamespace(at=stamp, user=user, entity=table, entity_id=str(key),
                                    action=action, before=before, after=after,
                                    state=row_state.line_state(line),
                                    prev_hash=prev[:audit.PREV_KEPT])
            digest = audit.row_hash(event, prev)
            self.events.append({**vars(event), "id": event_id, "hash": digest})
            self.changed[table].add(key)
            prev = digest
        self.last = (event_id, prev)
        self._pending.clear()

    def take_batch(self) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
        rows = {table: [self.rows[table][k] for k in sorted(keys)]
                for table, keys in self.changed.items() if keys}
        events, self.events = self.events, []
        for each in self.changed.values():
            each.clear()
        return rows, events


def _imei(rng: random.Random, tac: str) -> str:
    body = tac + f"{rng.randrange(10 ** 6):06d}"
    return next(body + d for d in "0123456789" if is_valid_imei(body + d))


def _local(day: date, hour: float) -> datetime:
    return datetime.combine(day, time(0), CHINA_TZ) + timedelta(hours=hour)


class _Month:
    """The simulation of one counter: its operations in time order, cut at each export."""

    def __init__(self, plan: Plan, code: str, tacs: list[tuple[str, str, str]]) -> None:
        self.plan, self.code, self.tacs = plan, code, tacs
        self.rng = random.Random(f"{plan.seed}:{code}")
        self.store = _Store(code)
        self.ops: list[tuple[datetime, int, Any]] = []
        self.parts: list[dict[str, Any]] = []
        self.numbers: dict[date, int] = {}  # the day's ticket numbers (ticket_sequence)

    def open_counter(self, at: datetime) -> None:
        s = self.store
        s.insert("counter", {"code": self.code, "name": f"网点 {self.code}",
                             "address": f"{self.code} 号", "phone": "021 6400 0000",
                             "created_at": _utc(at)})
        for name, role in USERS:
            s.insert("user", {"name": name, "role": role, "active": True, "failed_pins": 0,
                              "created_at": _utc(at)})
        s.commit(at, "counter")
        for number, zh, en, price in PARTS:
            self.parts.append(s.insert("part", {
                "part_number": f"GEN-{number}", "name_zh": zh, "name_en": en,
                "models": [], "price_fen": price, "kind": "original", "min_stock": 2,
                "created_at": _utc(at), "updated_at": _utc(at)}))
            s.insert("stock_move", {"part_id": self.parts[-1]["id"], "kind": "received",
                                    "qty": 500, "unit_price_fen": price, "ref": "HQ",
                                    "at": _utc(at), "user": USERS[0][0]})
        s.commit(at, USERS[0][0])

    def schedule(self) -> None:
        """Every ticket's steps, by the time each happens."""
        rng, order = self.rng, 0
        for offset in range(self.plan.days):
            day = self.plan.first_day + timedelta(days=offset)
            count = max(1, round(rng.gauss(self.plan.tickets_per_day, 3)))
            for hour in sorted(rng.uniform(9, 20) for _ in range(count)):
                order += 1
                ticket = SimpleNamespace(day=day, number=None, rows={})
                start = _local(day, hour)
                steps = [(start, self._intake), (start + timedelta(hours=rng.uniform(0.3, 3)),
                                                  self._diagnose)]
                ending = rng.random()
                if ending < 0.06:
                    steps.append((steps[-1][0] + timedelta(hours=rng.uniform(1, 20)),
                                  self._returned if ending < 0.04 else self._exchanged))
                else:
                    bench = _local(day + timedelta(days=1), rng.uniform(9, 12))
                    ready = bench + timedelta(hours=rng.uniform(2, 30))
                    steps += [(bench, self._repair), (ready, self._ready),
                              (ready + timedelta(hours=rng.uniform(18, 72)), self._collect)]
                for at, step in steps:
                    self.ops.append((at, order, (step, ticket)))
        self.ops.sort(key=lambda op: (op[0], op[1]))

    def _intake(self, t: Any, at: datetime) -> None:
        rng, s = self.rng, self.store
        tac, brand, model = rng.choice(self.tacs)
        stamp = _utc(at)
        surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
        customer = s.insert("customer", {
            "name": surname + given, "phone": f"+861{rng.randrange(3, 9)}{rng.randrange(10**9):09d}",
            "created_at": stamp, "updated_at": stamp})
        sale = t.day - timedelta(days=rng.randrange(5, 700))
        device = s.insert("device", {
            "imei": _imei(rng, tac), "brand": brand, "model": model, "colour": "黑色",
            "sale_date": sale.isoformat(), "invoice_date": sale.isoformat(),
            "invoice_no": f"No.{rng.randrange(10**7)}", "price_fen": rng.choice((99900, 199900,
                                                                                   459900)),
            "seller": "京东", "channel": "store", "proof": rng.choice(("full", "copy", "none")),
            "created_at": stamp, "updated_at": stamp})
        deposit = rng.choice((0, 5000))
        faults = rng.sample(FAULTS, rng.choice((1, 1, 2)))
        t.warranty = (t.day - sale).days < 365
        t.number = f"{self.code}-{t.day:%Y%m%d}-{self._next_number(t.day):04d}"
        t.ticket = s.insert("ticket", {
            "number": t.number, "counter_code": self.code, "customer_id": customer["id"],
            "device_id": device["id"], "status": "received",
            "accessories": rng.sample(ACCESSORIES[:3], 2),
            "condition": {"liquid_indicator": "clean", "marks": [], "notes": "",
                          "opened_before": False},
            "faults": faults, "description": "", "passcode_mode": "none",
            "deposit_fen": deposit, "promised_date": (t.day + timedelta(days=3)).isoformat(),
            "created_at": stamp, "updated_at": stamp, "version": 1})
        t.faults = faults
        self._move(t, None, "received", stamp, USERS[2][0])
        if deposit:
            self._pay(t, "deposit", deposit, stamp, True)
        s.commit(at, USERS[2][0])

    def _next_number(self, day: date) -> int:
        self.numbers[day] = self.numbers.get(day, 0) + 1
        return self.numbers[day]

    def _move(self, t: Any, old: str | None, new: str, stamp: str, user: str,
              **changes: Any) -> None:
        s = self.store
        s.insert("status_move", {"ticket_id": t.ticket["id"], "from_status": old,
                                 "to_status": new, "at": stamp, "user": user, "note": ""})
        if old is not None:
            s.update("ticket", t.ticket, status=new, updated_at=stamp,
                     version=t.ticket["version"] + 1, **changes)

    def _pay(self, t: Any, kind: str, fen: int, stamp: str, at_intake: bool) -> None:
        self.store.insert("payment", {
            "ticket_id": t.ticket["id"], "kind": kind, "method": self.rng.choice(PAYMENT_METHODS),
            "amount_fen": fen, "reason": "", "note": "", "at_intake": at_intake, "at": stamp,
            "user": USERS[2][0]})

    def _diagnose(self, t: Any, at: datetime) -> None:
        self._move(t, "received", "diagnosing", _utc(at), USERS[1][0])
        self.store.commit(at, USERS[1][0])

    def _side_exit(self, t: Any, at: datetime, status: str) -> None:
        stamp = _utc(at)
        self._move(t, "diagnosing", status, stamp, USERS[0][0])
        self.store.insert("repair_record", {
            "ticket_id": t.ticket["id"], "handed_in": t.day.isoformat(),
            "handed_back": at.astimezone(CHINA_TZ).date().isoformat(), "cause": "",
            "action": "", "warranty": t.warranty, "fault_code": t.faults[0],
            "technician": USERS[1][0]})
        self.store.commit(at, USERS[0][0])

    def _returned(self, t: Any, at: datetime) -> None:
        self._side_exit(t, at, "returned_unrepaired")

    def _exchanged(self, t: Any, at: datetime) -> None:
        self._side_exit(t, at, "exchanged")

    def _repair(self, t: Any, at: datetime) -> None:
        s, stamp, tech = self.store, _utc(at), USERS[1][0]
        self._move(t, "diagnosing", "repairing", stamp, tech, technician=tech)
        t.record = s.insert("repair_record", {
            "ticket_id": t.ticket["id"], "handed_in": t.day.isoformat(), "cause": "主板供电异常",
            "action": "", "warranty": t.warranty, "fault_code": t.faults[0], "technician": tech})
        if self.rng.random() < 0.6:
            part = self.rng.choice(self.parts)
            s.insert("stock_move", {"part_id": part["id"], "kind": "drawn", "qty": 1,
                                    "ticket_id": t.ticket["id"],
                                    "basis": "warranty" if t.warranty else "paid",
                                    "unit_price_fen": part["price_fen"],
                                    "cost_fen": part["price_fen"], "ref": t.number, "at": stamp,
                                    "user": tech})
        s.commit(at, tech)

    def _ready(self, t: Any, at: datetime) -> None:
        stamp = _utc(at)
        self._move(t, "repairing", "qc", stamp, USERS[1][0])
        self.store.commit(at, USERS[1][0])
        self._move(t, "qc", "ready", stamp, USERS[1][0])
        self.store.update("repair_record", t.record, action="更换配件")
        self.store.commit(at, USERS[1][0])

    def _collect(self, t: Any, at: datetime) -> None:
        stamp = _utc(at)
        self._move(t, "ready", "collected", stamp, USERS[2][0])
        self.store.update("repair_record", t.record,
                          handed_back=at.astimezone(CHINA_TZ).date().isoformat())
        if not t.warranty:
            self._pay(t, "payment", self.rng.choice((8000, 15000, 42000)), stamp, False)
        self.store.commit(at, USERS[2][0])


def write_month(plan: Plan, code: str, out: Path, tacs: list[tuple[str, str, str]]) -> dict[str, int]:
    """Write ``code``'s batch files into ``out``; returns what was written."""
    month = _Month(plan, code, tacs)
    key = private_key(plan, code)
    fingerprint = keys.fingerprint(keys.public_key_text(key))
    month.open_counter(_local(plan.first_day, 8))
    month.schedule()
    ops, index = month.ops, 0
    previous: tuple[str, str] | None = None  # sha256, until
    changes = tickets = 0
    totals = {"batches": 0, "rows": 0, "events": 0, "tickets": 0, "bytes": 0}
    for offset in range(plan.days):
        day = plan.first_day + timedelta(days=offset)
        cut = datetime.combine(day, EXPORT_AT, CHINA_TZ)
        while index < len(ops) and ops[index][0] < cut:
            at, _order, (step, ticket) = ops[index]
            step(ticket, at)
            index += 1
        rows, events = month.store.take_batch()
        members, manifest_members = [], []
        for t in export_tables():
            writer = batch.MemberWriter(f"{t.name}.jsonl")
            lines = events if t.name == "audit_event" else rows.get(t.name, [])
            if lines:
                writer.write_lines(b"".join(map(batch.json_line, lines)), len(lines))
            members.append(writer.entry())
            manifest_members.append({"name": writer.name, "table": t.name, "key": list(t.key),
                                     "columns": list(t.columns), "rows": writer.rows,
                                     "deleted": 0, "sha256": writer.sha256})
        total = sum(m["rows"] for m in manifest_members)
        seq = offset + 1
        head = month.store.last
        manifest = {
            "format": batch.FORMAT, "version": batch.VERSION, "counter": code, "seq": seq,
            "previous_sha256": previous[0] if previous else None,
            "since": previous[1] if previous else None, "until": _utc(cut),
            "changes": {"after": changes, "through": changes + total}, "rows": total,
            "members": manifest_members, "key": fingerprint, "pack": None,
            "software": _software(),
            "chain_head": {"id": head[0], "hash": head[1]} if head[0] else None,
        }
        changes += total
        data = batch.signed_file(manifest, members, key)
        (out / batch.file_name(code, seq, day)).write_bytes(data)
        previous = (batch.sha256_hex(data), _utc(cut))
        totals["batches"] += 1
        totals["rows"] += total
        totals["events"] += len(events)
        totals["tickets"] += month.store.ids["ticket"] - tickets
        tickets = month.store.ids["ticket"]
        totals["bytes"] += len(data)
    return totals


def tacs(plan: Plan, count: int = 60) -> list[tuple[str, str, str]]:
    """The phone models of the network: TACs of the shipped table, the same every run."""
    known = sorted(shipped_tacs().items())
    rng = random.Random(plan.seed)
    return [(tac, brand, model) for tac, (brand, model) in rng.sample(known, count)]
