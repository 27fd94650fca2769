"""A counter's October of warranty work, made for settlement's tests: HQ loads the rate card
and sends a price list; the counter repairs phones under 三包 and sends its batch.

The tickets (by their role, :attr:`World.tickets`):

- ``module``: a display fault in the 三包 period, graded "module", a warranty LCD drawn and
  its faulty part sent back: a pending line of labour 35 × level and HQ's cost of the LCD;
- ``software``: a fault fixed by flashing, graded "software", no part: pending, labour only;
- ``kept``: an LCD drawn on warranty whose faulty LCD stays at the counter: held
  until it is returned (the card gives 15 days);
- ``ungraded``: a warranty repair with no grade: rejected (no_grade);
- ``paid``: an old phone repaired for money: no line at all.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from stdnum import luhn

from repairdesk.desk import Desk
from repairdesk.hq.facade import Hq
from repairdesk.sync import keys
from tests.conftest import CST, INTAKE, FrozenClock

ROOT = Path(__file__).resolve().parents[2]
PRICE_LIST = ROOT / "data" / "price-list-example.csv"
CARD = ROOT / "data" / "hq" / "settlement.toml"
OCTOBER = datetime(2026, 10, 12, 9, 0, tzinfo=CST)
HQ_DAY = datetime(2026, 11, 3, 10, 0, tzinfo=CST)  # after October's end: it may be closed


def imei(serial: int) -> str:
    body = f"35209900{serial:06d}"
    return body + luhn.calc_check_digit(body)


class Clock:
    """HQ's clock, moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class World:
    root: Path
    hq: Hq
    hq_clock: Clock
    key: Path
    store: Path
    counter_clock: FrozenClock
    tickets: dict[str, str] = field(default_factory=dict)
    batches: list[Path] = field(default_factory=list)

    def desk(self) -> Desk:
        return Desk.open(self.store, clock=self.counter_clock, user="王店长")

    def export(self) -> Path:
        desk = self.desk()
        try:
            out = self.root / "stick"
            out.mkdir(exist_ok=True)
            path = Path(desk.sync.export_batch(out).path)
        finally:
            desk.close()
        self.batches.append(path)
        return path

    def send(self) -> None:
        """Export the counter's new work and import it at HQ."""
        (outcome,), _gaps = self.hq.import_files([self.export()])
        assert outcome.status == "imported", outcome

    def pack(self, name: str, counter: str | None = "SH01") -> Path:
        out = self.root / name
        self.hq.pack(out, price_list=PRICE_LIST, key_path=self.key, counter=counter)
        return out

    def lines(self) -> dict[str, object]:
        """HQ's claim lines by the role of their ticket."""
        roles = {number: role for role, number in self.tickets.items()}
        return {roles[v.ticket]: v for v in self.hq.claim_lines() if v.kind == "claim"}


def _take_in(desk: Desk, serial: int, sold: str, fault: str = "display") -> str:
    doc = copy.deepcopy(INTAKE)
    doc["device"].update(imei=imei(serial), sale_date=sold, invoice_date=sold)
    doc["faults"] = [fault]
    doc["customer"]["phone"] = f"139{serial:08d}"
    return desk.tickets.intake(json.loads(json.dumps(doc))).ticket


def _hand_back(desk: Desk, number: str) -> None:
    for status in ("diagnosing", "repairing", "qc", "ready", "collected"):
        desk.tickets.move(number, status)


def build(root: Path, hq_url: str) -> World:
    """HQ initialised with the rate card, a price-list pack applied at SH01, then SH01's
    October work imported at HQ (HQ's clock stands at :data:`HQ_DAY`)."""
    hq_clock = Clock(OCTOBER - timedelta(days=2))
    key = root / "hq.key"
    setup = Hq.open(hq_url, check=False, clock=hq_clock)
    setup.init(key)
    setup.close()
    hq = Hq.open(hq_url, clock=hq_clock)
    hq.add_counter("SH01", "徐汇网点", level="gold")
    hq.load_card(CARD)
    clock = FrozenClock(OCTOBER)
    store = root / "SH01.sqlite3"
    desk = Desk.open(store, clock=clock, user="王店长")
    world = World(root, hq, hq_clock, key, store, clock)
    try:
        desk.init_counter("SH01", "徐汇网点")
        hq.trust("SH01", desk.sync.ensure_signing_key().public_key)
        desk.sync.trust_hq(keys.public_key_text(keys.load_private_key(key)))
        desk.sync.apply_pack(world.pack("pack-1.rdpack"))
        desk.stock.import_price_list(PRICE_LIST.read_text(encoding="utf-8"), PRICE_LIST.name)
        for part, qty in (("AL-OT332-LCD", 5), ("AL-OT332-BAT", 4)):
            desk.stock.receive_stock(part, qty, ref="HQ-DN-20261010")
        sold = "2026-09-20"  # in the 三包 period all through October
        t = world.tickets
        t["module"] = _take_in(desk, 1, sold)
        desk.tickets.update_repair(t["module"], warranty=True, grade="module")
        desk.stock.draw_part(t["module"], "AL-OT332-LCD")
        t["software"] = _take_in(desk, 2, sold)
        desk.tickets.update_repair(t["software"], warranty=True, grade="software")
        t["kept"] = _take_in(desk, 3, sold)
        desk.tickets.update_repair(t["kept"], warranty=True, grade="module")
        desk.stock.draw_part(t["kept"], "AL-OT332-LCD")
        t["ungraded"] = _take_in(desk, 4, sold)
        desk.tickets.update_repair(t["ungraded"], warranty=True)
        t["paid"] = _take_in(desk, 5, "2024-01-10")
        desk.tickets.update_repair(t["paid"], warranty=False, grade="module")
        clock.now += timedelta(days=1)
        for role in ("module", "software", "kept", "ungraded"):
            _hand_back(desk, t[role])
        sent = [o.id for o in desk.stock.old_parts() if o.ticket == t["module"]]
        desk.stock.send_old_parts(sent, ref="SF1000000001")
    finally:
        desk.close()
    hq_clock.now = HQ_DAY
    world.send()
    return world


# HQ's people of the parts tests: (name, PIN); the admin is added first.
ADMIN = ("总部王", "246813")
PARTS = ("周备件", "135790")
PARTS2 = ("吴备件", "975310")
VIEWER = ("赵查看", "112233")


def staff(world: World, *people: tuple[tuple[str, str], str]) -> None:
    """Give HQ its admin, then ``people`` as ((name, PIN), role); the admin stays logged in."""
    world.hq.add_user(ADMIN[0], "admin", ADMIN[1])
    world.hq.login(*ADMIN)
    for (name, pin), role in people:
        world.hq.add_user(name, role, pin)
