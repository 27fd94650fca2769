"""The money rules, the board and the day report decide under the vendor policy from HQ."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from repairdesk.desk import Desk
from repairdesk.errors import InputError
from repairdesk.sync import keys, packs
from repairdesk.sync.packs import PackContent

from .conftest import Intake

# A brand that guarantees its phones for two years, where the regulation gives one.
TWO_YEARS = ('[policy]\nname = "两年保修"\nreference = "品牌服务承诺第1条"\n'
             '[parts.host]\nperiod_months = 24\n')
SOLD_17_MONTHS_AGO = "2025-06-20"


def apply_policy(desk: Desk, tmp_path: Path, policy: str) -> None:
    key = keys.create_private_key(tmp_path / "hq.key")
    desk.sync.trust_hq(keys.public_key_text(key))
    prices = "code,name,price\nAL-OT332-LCD,显示屏总成,120.00\n"
    pack = PackContent(price_list=prices, prices=packs.parse_price_list(prices), policy=policy,
                       policy_name=None, blacklist=None)
    path = tmp_path / "hq-1.rdpack"
    issued = datetime(2026, 11, 20, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    path.write_bytes(packs.build_pack(1, issued, pack, key))
    desk.sync.apply_pack(path)


def test_without_the_policy_an_old_phone_is_a_paid_repair(desk: Desk, take_in: Intake) -> None:
    number = take_in(1, sold=SOLD_17_MONTHS_AGO)
    desk.tickets.move(number, "diagnosing")
    with pytest.raises(InputError, match="quote"):
        desk.tickets.move(number, "repairing")
    assert desk.money.ticket_money(number).basis == "paid"


def test_under_the_brands_two_years_the_repair_is_free(desk: Desk, take_in: Intake,
                                                        tmp_path: Path) -> None:
    apply_policy(desk, tmp_path, TWO_YEARS)
    number = take_in(1, sold=SOLD_17_MONTHS_AGO)
    desk.tickets.move(number, "diagnosing")
    desk.tickets.move(number, "repairing")  # no quote: nothing is charged for a covered repair
    money = desk.money.ticket_money(number)
    assert money.basis == "warranty" and money.money.balance == 0
    row = next(r for r in desk.tickets.board_view().rows if r.ticket == number)
    assert row.sanbao is True and {d.code for d in row.deadlines} >= {"loaner"}
    assert {d.code for d in desk.tickets.deadlines(number)} >= {"loaner"}
    assert desk.tickets.decision(number).covered
