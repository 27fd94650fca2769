"""A realistic, deterministic demo store: what a newcomer sees on ``make run``.

Rows are written in bulk inside one transaction (a demo of thousands of tickets would take
minutes through one fsync'd intake each), but they obey the same rules as real intakes:
valid IMEIs on real TACs, valid phone numbers, moves along the allowed table, ticket numbers
from the same per-day sequence.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import col, select
from stdnum import luhn

from repairdesk import audit
from repairdesk.desk import Desk
from repairdesk.errors import InputError
from repairdesk.i18n import _
from repairdesk.imei import shipped_tacs
from repairdesk.models import (
    Counter,
    Customer,
    Device,
    RepairRecord,
    StatusMove,
    Ticket,
    TicketSequence,
)
from repairdesk.tickets.workflow import MAIN_PATH, STATUSES
from repairdesk.vocabulary import vocabulary

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰建华海燕晓东文博子涵梓萱浩然欣怡宇轩"
ENGLISH = [
    "James Smith", "Mary Johnson", "David Brown", "Emma Wilson", "Lucas Martin",
    "Olivia Taylor", "Noah Anderson", "Sophia Thomas", "Liam Moore", "Ava Jackson",
]
BRANDS = ("Apple", "Huawei", "Honor", "Xiaomi", "Redmi", "Samsung", "OPPO", "vivo", "ZTE", "Meizu")
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                   "152", "155", "156", "157", "158", "159", "176", "177", "180", "181", "182",
                   "183", "185", "186", "187", "188", "189", "199")
COLOURS = ("黑色", "白色", "金色", "蓝色", "银色", "Midnight", "Graphite", "绿色")
DESCRIPTIONS = {
    "display": ("屏幕闪烁后黑屏", "触摸失灵，右下角点不动", "Screen flickers then goes black"),
    "no_power_or_service": ("无法开机", "开机后无信号", "Won't power on"),
    "audio": ("通话对方听不到声音", "扬声器无声", "No sound from the speaker"),
    "abnormal_shutdown": ("使用中自动关机", "Random shutdowns at 30% battery"),
    "battery_fault": ("电池不耐用，半天没电", "Battery drains in hours"),
    "charger_fault": ("充电器不充电", "Charger does not charge"),
    "keys": ("电源键失灵", "Volume keys stuck"),
    "sim_contact": ("经常提示无SIM卡", "SIM card not detected"),
    "housing_crack": ("后壳无故开裂", "Back housing cracked by itself"),
    "cosmetic": ("边框划痕想抛光", "Scratched frame"),
    "network": ("某些地方信号差", "Weak signal at home"),
    "other": ("系统卡顿", "Phone is slow"),
}


def _demo_tacs(rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """Phone TACs by brand: the table is mostly Apple and Samsung, a counter's mix is not."""
    by_brand: dict[str, list[tuple[str, str]]] = {}
    for tac, (brand, model) in sorted(shipped_tacs().items()):
        if brand in BRANDS and not any(w in model for w in ("iPad", "Watch", "Tab")):
            by_brand.setdefault(brand, []).append((tac, model))
    return {brand: rng.sample(rows, min(len(rows), 60)) for brand, rows in by_brand.items()}


def _name(rng: random.Random) -> str:
    if rng.random() < 0.12:
        return rng.choice(ENGLISH)
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _status_for(age_days: int, rng: random.Random) -> str:
    if age_days > 20:
        weights = {"collected": 70, "returned_unrepaired": 8, "exchanged": 4, "refunded": 2,
                   "cancelled": 3, "ready": 6, "sent_out": 3, "awaiting_parts": 4}
    elif age_days > 5:
        weights = {"collected": 40, "ready": 12, "qc": 5, "repairing": 12, "awaiting_parts": 10,
                   "awaiting_approval": 6, "sent_out": 5, "returned_unrepaired": 4,
                   "exchanged": 3, "refunded": 1, "cancelled": 2}
    else:
        weights = {"received": 20, "diagnosing": 20, "awaiting_approval": 10,
                   "awaiting_parts": 8, "repairing": 15, "qc": 6, "ready": 12, "collected": 9}
    return rng.choices(list(weights), list(weights.values()))[0]


def _path_to(status: str) -> list[str]:
    """A plausible history of moves that ends in ``status`` (each step allowed)."""
    if status in MAIN_PATH:
        path = list(MAIN_PATH[: MAIN_PATH.index(status) + 1])
        # Most warranty repairs skip the quote.
        return [s for s in path if s != "awaiting_approval" or status == "awaiting_approval"]
    before = {
        "returned_unrepaired": ["received", "diagnosing", "awaiting_approval"],
        "exchanged": ["received", "diagnosing"],
        "refunded": ["received", "diagnosing"],
        "sent_out": ["received", "diagnosing"],
        "cancelled": ["received"],
    }[status]
    return before + [status]


def _new_device(
    rng: random.Random,
    tacs: dict[str, list[tuple[str, str]]],
    ids: dict[Any, int],
    seen: set[str],
    created: datetime,
) -> dict[str, Any]:
    brand = rng.choice(sorted(tacs))
    tac, model = rng.choice(tacs[brand])
    imei = ""
    while not imei or imei in seen:
        body = tac + f"{rng.randrange(10**6):06d}"
        imei = body + luhn.calc_check_digit(body)
    seen.add(imei)
    ids[Device] += 1
    sale = created.date() - timedelta(days=int(rng.triangular(0, 540, 60)))
    proof = rng.choices(("full", "copy", "imei_date", "none"), (85, 8, 4, 3))[0]
    channel = rng.choices(("store", "remote"), (80, 20))[0]
    return {
        "id": ids[Device], "imei": imei, "imei2": None,
        "serial": None, "brand": brand, "model": model, "colour": rng.choice(COLOURS),
        "network_label": None, "sale_date": sale, "invoice_date": sale,
        "invoice_no": f"No.{rng.randrange(10**7):07d}",
        "price_fen": rng.choice((999, 1499, 1999, 2999, 3999, 5999, 7999)) * 100,
        "seller": rng.choice(("苏宁易购徐汇店", "国美电器", "运营商营业厅", "京东")),
        "channel": channel,
        "received_date": sale + timedelta(days=rng.randint(1, 4)) if channel == "remote" else None,
        "proof": proof,
        "production_date": sale - timedelta(days=45) if proof == "imei_date" else None,
        "created_at": created, "updated_at": created,
    }


#: The SQLite header's application id of a store the demo made ("RDMO"): the demo writes
#: its rows in bulk, past the audit trail, so it writes to no other store.
DEMO_APPLICATION_ID = 0x52444D4F


def check_demo_target(path: Path, real_store: Path, demo_store: Path) -> None:
    """Refuse (InputError on ``--db``) to seed ``path`` unless it is the demo store, a new
    file or a store the demo made; the counter's real store never, not even before it
    exists."""
    made_by_demo = path.resolve() == demo_store.resolve()
    if path.is_file() and not made_by_demo:
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                made_by_demo = conn.execute("PRAGMA application_id").fetchone()[0] \
                    == DEMO_APPLICATION_ID
            finally:
                conn.close()
        except sqlite3.Error:
            made_by_demo = False
    if path.resolve() == real_store.resolve() or (path.exists() and not made_by_demo):
        raise InputError("--db", _("access.demo_real_store", path=str(path)))


def mark_demo_store(desk: Desk) -> None:
    with desk.store.engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id={DEMO_APPLICATION_ID}")


def _demo_grade(status: str, fault: str) -> str:
    """The repair grade a demo hand-back records (what settlement pays it by)."""
    if status in ("exchanged", "refunded"):
        return "exchange" if status == "exchanged" else "refund"
    return {"display": "module", "no_power_or_service": "board",
            "function_failure": "software", "battery_fault": "module"}.get(fault, "inspection")


def seed_demo(desk: Desk, tickets: int = 300, seed: int = 1) -> int:
    """Add ``tickets`` demo tickets (received over the last 90 days); returns how many."""
    rng = random.Random(seed)
    now = desk.clock()
    vocab = vocabulary()
    fault_codes = [f for f in DESCRIPTIONS if f in vocab.faults]
    tacs = _demo_tacs(rng)
    with desk.store.write() as s:
        counter = s.exec(select(Counter)).first()
        if counter is None:
            counter = Counter(code="SH01", name="RepairDesk 演示网点（上海徐汇）",
                              address="上海市徐汇区漕溪北路 88 号", phone="+862164000000",
                              created_at=now)
            s.add(counter)
            s.flush()
        ids = {m: (s.exec(select(func.max(m.id))).one() or 0) for m in
               (Customer, Device, Ticket)}
        sequences = {
            (row.day): row.last for row in s.exec(
                select(TicketSequence).where(TicketSequence.counter_code == counter.code))
        }
        customers: list[dict[str, Any]] = []
        devices: list[dict[str, Any]] = []
        ticket_rows: list[dict[str, Any]] = []
        moves: list[dict[str, Any]] = []
        records: list[dict[str, Any]] = []
        seen_phones = set(s.exec(select(Customer.phone)).all())
        seen_imeis = set(s.exec(select(Device.imei)).all())
        # Every status appears at least once, then the mix of a real counter.
        forced = list(STATUSES) if tickets >= len(STATUSES) else []
        created_times = sorted(
            now - timedelta(days=rng.uniform(0, 90), minutes=rng.randint(0, 600))
            for _ in range(tickets)
        )
        for created in created_times:
            age = (now - created).days
            status = forced.pop() if forced else _status_for(age, rng)
            if rng.random() < 0.2 and customers:
                customer_id = rng.choice(customers)["id"]
            else:
                phone = ""
                while not phone or phone in seen_phones:
                    phone = "+86" + rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
                seen_phones.add(phone)
                ids[Customer] += 1
                customer_id = ids[Customer]
                customers.append({"id": customer_id, "name": _name(rng), "phone": phone,
                                  "created_at": created, "updated_at": created})
            if devices and rng.random() < 0.08:
                device = rng.choice(devices)  # a phone that comes back
            else:
                device = _new_device(rng, tacs, ids, seen_imeis, created)
                devices.append(device)
            proof = device["proof"]
            faults = rng.sample(fault_codes, rng.choices((1, 2), (80, 20))[0])
            day = created.strftime("%Y%m%d")
            sequences[day] = sequences.get(day, 0) + 1
            ids[Ticket] += 1
            path = _path_to(status)
            step_times = [created + timedelta(hours=6 * i * rng.uniform(0.5, 3))
                          for i in range(len(path))]
            step_times = [min(t, now) for t in step_times]
            ticket_rows.append({
                "id": ids[Ticket], "number": f"{counter.code}-{day}-{sequences[day]:04d}",
                "counter_code": counter.code, "customer_id": customer_id,
                "device_id": device["id"], "status": status,
                "accessories": rng.sample(("battery", "back_cover", "sim_tray", "sim_card",
                                           "charger", "cable", "case", "box"),
                                          rng.randint(0, 4)),
                "condition": {
                    "marks": rng.sample(("scratches", "dents", "cracked_screen", "worn_labels"),
                                        rng.choices((0, 1, 2), (50, 35, 15))[0]),
                    "liquid_indicator": rng.choices(("clean", "triggered", "unknown"),
                                                    (85, 5, 10))[0],
                    "opened_before": rng.random() < 0.05,
                    "notes": "",
                },
                "faults": faults,
                "description": rng.choice(DESCRIPTIONS[faults[0]]),
                "passcode_mode": rng.choice(("given", "removed", "none")),
                "passcode_value": None,
                "deposit_fen": rng.choice((0, 0, 0, 5000, 10000)),
                "promised_date": (created + timedelta(days=rng.choice((1, 2, 3)))).date(),
                "technician": rng.choice(("李工", "王工", "Chen")),
                "created_at": created, "updated_at": step_times[-1], "version": len(path),
            })
            for i, target in enumerate(path):
                moves.append({"ticket_id": ids[Ticket], "from_status": path[i - 1] if i else None,
                              "to_status": target, "at": step_times[i],
                              "user": ticket_rows[-1]["technician"], "note": ""})
            handed_back: date | None = None
            if status in ("collected", "returned_unrepaired", "exchanged", "refunded"):
                handed_back = step_times[-1].date()
            warranty = proof != "none" and all(vocab.faults[f].performance for f in faults)
            records.append({
                "ticket_id": ids[Ticket], "handed_in": created.date(),
                "handed_back": handed_back,
                "cause": "主板供电异常" if handed_back and warranty else "",
                "action": "更换屏幕总成" if handed_back and faults[0] == "display" else "",
                "warranty": warranty,
                "fault_code": next((f for f in faults if vocab.faults[f].performance), None),
                "delay_cause": "parts" if status == "awaiting_parts" else None,
                "technician": ticket_rows[-1]["technician"],
                # Chosen without the generator, so the rest of the demo stays as it was.
                "grade": _demo_grade(status, faults[0]) if handed_back else None,
            })
        for table, rows in ((Customer, customers), (Device, devices), (Ticket, ticket_rows),
                            (StatusMove, moves), (RepairRecord, records)):
            if rows:
                key = col(table.id)
                after = s.exec(select(func.max(key))).one() or 0
                s.execute(insert(table), rows)
                # Bulk rows get the events (and states) the ORM would have given them, so
                # the demo store's trail proves it like any other (audit verify).
                audit.record_inserted(s, str(table.__tablename__), list(
                    s.exec(select(key).where(key > after))))
        for day, last in sequences.items():
            row = s.exec(select(TicketSequence).where(
                TicketSequence.counter_code == counter.code, TicketSequence.day == day)).first()
            row = row or TicketSequence(counter_code=counter.code, day=day, last=0)
            row.last = last
            s.add(row)
    return tickets


