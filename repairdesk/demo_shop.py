"""The rest of a demo counter, beyond its tickets: a price list with stock for the phones
its tickets hold, a loaner pool, the counter's signing key and its people. With these the
demo shows the whole app (F10 parts, Ctrl+L loaners, export, the login), not half of it.

Everything goes through the facade, as a counter's own first day would."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter as Tally
from dataclasses import dataclass

from sqlmodel import col, select

from repairdesk.desk import Desk
from repairdesk.models import Device, Ticket
from repairdesk.paths import data_dir

# name (zh, en), price in yuan by how dear the phone is, stock kept
PARTS = (
    ("LCD", "屏幕总成", "Display assembly", (180, 420, 1099), 3),
    ("BAT", "电池", "Battery", (59, 99, 189), 4),
    ("USB", "尾插充电小板", "Charging port board", (35, 60, 120), 2),
    ("SPK", "扬声器", "Loudspeaker", (25, 40, 80), 2),
)
DEAR = ("Apple", "Huawei", "Samsung")
LOANERS = (
    ("352099001761481", "Alcatel One Touch 332", "九成新"),
    ("356938035643809", "Apple iPhone 6 (A1586)", "边框有划痕"),
    ("490154203237518", "Samsung Galaxy", "good"),
)


@dataclass(frozen=True)
class DemoUser:
    name: str
    role: str
    pin: str


USERS = (
    DemoUser("王店长", "manager", "258000"),
    DemoUser("李工", "technician", "1357"),
    DemoUser("小陈", "front_desk", "2468"),
)


def demo_price_list(desk: Desk, models: int = 40) -> str:
    """A price list (the CSV of `parts import`) for the models most seen in the store."""
    with desk.store.read() as s:
        rows = s.exec(select(Device.brand, Device.model)
                      .join(Ticket, col(Ticket.device_id) == col(Device.id))).all()
    seen = Tally((brand or "", model) for brand, model in rows if model)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("part_number", "name_zh", "name_en", "models", "price", "kind",
                     "min_stock"))
    for index, ((brand, model), _count) in enumerate(seen.most_common(models), start=1):
        tier = 2 if brand in DEAR else (1 if index % 3 else 0)
        for code, zh, en, prices, keep in PARTS:
            writer.writerow((f"D{index:03d}-{code}", zh, en, model, f"{prices[tier]:.2f}",
                             "original" if tier else "compatible", max(1, keep - 2)))
    example = data_dir() / "price-list-example.csv"
    lines = example.read_text("utf-8").splitlines()[1:]
    return out.getvalue() + "".join(f"{line}\n" for line in lines if line.strip())


def stock_demo_shop(desk: Desk, seed: int = 1) -> list[DemoUser]:
    """Give a demo store its parts, loaners, key and users, once; returns the users made
    (none when it had them already)."""
    rng = random.Random(seed)
    desk.sync.ensure_signing_key()
    made: list[DemoUser] = []
    if desk.trust.count_users() == 0:
        first, *others = USERS
        desk.trust.add_user(first.name, first.role, first.pin)
        desk.trust.login(first.name, first.pin)  # the others are a manager's to add
        for user in others:
            desk.trust.add_user(user.name, user.role, user.pin)
        made = list(USERS)
    if not desk.stock.parts():
        desk.stock.import_price_list(demo_price_list(desk), source="demo")
        for part in desk.stock.parts():
            # Some below their minimum, so the day end has something to warn about.
            count = rng.choice((0, 1, 2, 3, 5, 8))
            if count:
                desk.stock.receive_stock(part.part_number, count, source="received", ref="DEMO-001")
    if not desk.stock.loaners():
        for imei, model, condition in LOANERS:
            desk.stock.add_loaner(imei, model, condition)
    return made
