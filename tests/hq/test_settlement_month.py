"""The scripted month of issue 17: three counters of different levels work October and part
of November through their own command lines, export, and HQ imports, reviews, closes and
answers disputes through its own. Every line and every total is worked out by hand below.

The rate card (data/hq/settlement.toml): labour inspection 10, software 20, module 35,
board 60; level multipliers diamond 1.30, gold 1.15, general 0.90; cap 600; faulty parts
back within 15 days. HQ's standard cost: the example price list (LCD 120.00, battery 45.00).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FrozenClock
from tests.hq.settle_month import CARD, Network, day, imei, patch_clocks

SOLD = "2026-09-20"  # in the 三包 period all through the month
OLD = "2024-01-10"  # long out of it


@pytest.fixture
def net(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> Network:
    clock = FrozenClock(day("2026-10-01", 9))
    patch_clocks(monkeypatch, clock)
    network = Network(tmp_path, str(tmp_path / "hq.sqlite3"), cli, clock)
    network.hq("init", "--hq-key", str(tmp_path / "hq.key"))
    network.hq("settle", "card", "load", str(CARD))
    network.open_counter("SH01", "徐汇网点", "gold", "2026-01-01", "2026-12-31")
    network.open_counter("BJ02", "海淀网点", "diamond", "2026-01-01", "2026-12-31")
    network.open_counter("GZ03", "天河网点", "general", "2026-01-01", "2026-10-20")
    blacklist = tmp_path / "blacklist.csv"
    blacklist.write_text(f"imei,reason,reported\n{imei(16)},被盗,2026-09-30\n",
                         encoding="utf-8")
    for code in ("SH01", "BJ02", "GZ03"):
        network.counter(code, "apply", str(network.pack(code, f"{code}-1.rdpack",
                                                        "--blacklist", str(blacklist))))
    return network


def by_ticket(lines: list[dict]) -> dict[str, dict]:
    return {line["ticket"]: line for line in lines if line["kind"] == "claim"}


def test_a_scripted_month_of_three_counters(net: Network) -> None:
    sh = "SH01"
    t: dict[str, str] = {}
    # -- October at SH01 (gold, 1.15) -----------------------------------------------------
    net.at("2026-10-08")
    t["sh_module"] = net.intake(sh, 11, SOLD)  # LCD, faulty part sent: paid in full
    net.record(sh, t["sh_module"], "--warranty", "--grade", "module")
    net.counter(sh, "parts", "draw", t["sh_module"], "AL-OT332-LCD")
    t["sh_kept"] = net.intake(sh, 12, SOLD)  # LCD whose faulty part stays: held
    net.record(sh, t["sh_kept"], "--warranty", "--grade", "module")
    net.counter(sh, "parts", "draw", t["sh_kept"], "AL-OT332-LCD")
    t["sh_capped"] = net.intake(sh, 15, SOLD)  # board + 5 LCDs: above the cap
    net.record(sh, t["sh_capped"], "--warranty", "--grade", "board")
    net.counter(sh, "parts", "draw", t["sh_capped"], "AL-OT332-LCD", "--qty", "5")
    t["sh_black"] = net.intake(sh, 16, SOLD)  # on HQ's blacklist: flagged
    net.record(sh, t["sh_black"], "--warranty", "--grade", "software")
    t["sh_nograde"] = net.intake(sh, 17, SOLD)
    net.record(sh, t["sh_nograde"], "--warranty")
    t["sh_paid"] = net.intake(sh, 18, OLD)  # a paid repair: no line
    net.record(sh, t["sh_paid"], "--paid", "--grade", "module")
    net.at("2026-10-09")
    for key in ("sh_module", "sh_kept", "sh_capped", "sh_black",
                "sh_nograde"):
        net.hand_back(sh, t[key])
    net.counter(sh, "parts", "send-old", "--ref", "SF1001", *sum(
        (["--id", str(o["id"])] for o in net.counter(sh, "parts", "old", "--json").json()
         if o["ticket"] in (t["sh_module"], t["sh_capped"])), []))
    net.at("2026-10-10", 18)
    net.export(sh)
    net.hq("import", str(net.sent[sh][-1]))
    lines = by_ticket(net.lines("--counter", sh))
    got = {key: (lines[number]["status"], lines[number]["amount"],
                 sorted(c["code"] for c in lines[number]["checks"]))
           for key, number in t.items() if number in lines}
    assert got == {
        # labour 35 x 1.15 = 40.25, one LCD at HQ's 120.00
        "sh_module": ("pending", "160.25", []),
        # the same, but its faulty part is not back: held until it is
        "sh_kept": ("held", "160.25", ["part_not_returned"]),
        # labour 60 x 1.15 = 69.00 and five LCDs 600.00 = 669.00, cut to the cap of 600
        "sh_capped": ("pending", "600.00", ["capped"]),
        # software 20 x 1.15 = 23.00, the IMEI on HQ's blacklist: flagged, not refused
        "sh_black": ("pending", "23.00", ["blacklisted"]),
        # no repair grade recorded: nothing to pay on
        "sh_nograde": ("rejected", "0.00", ["no_grade"]),
    }
    assert t["sh_paid"] not in lines
