"""The parts loop scripted through the command lines only, for two counters, on SQLite and
PostgreSQL: deposits paid, requests (one beyond the headroom refused, one beyond the
per-request limit approved by a second user), shipments packed and received (one short),
a part drawn for a warranty repair, its faulty part due, returned late and received at HQ;
the exposure and headroom worked out by hand at every step.

Each counter starts with 10 LCDs (HQ's cost 120.00) and 10 batteries (45.00) on its shelf:
1650.00 of exposure. HQ's policy (data/hq/network.toml) allows 10 parts or 3000.00 in one
request; the rate card gives 15 days to send a faulty part back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FrozenClock
from tests.hq.settle_month import CARD, Network, day, patch_clocks

ADMIN = ("总部王", "246813")
P1 = ("周备件", "135790")
P2 = ("吴备件", "975310")
SOLD = "2026-09-20"


@pytest.fixture
def net(tmp_path: Path, hq_url: str, cli: Any, monkeypatch: pytest.MonkeyPatch) -> Network:
    clock = FrozenClock(day("2026-10-01", 9))
    patch_clocks(monkeypatch, clock)
    network = Network(tmp_path, hq_url, cli, clock)
    network.hq("init", "--hq-key", str(tmp_path / "hq.key"))
    network.hq("settle", "card", "load", str(CARD))
    network.open_counter("SH01", "徐汇网点", "gold", "2026-01-01", "2026-12-31")
    network.open_counter("BJ02", "海淀网点", "diamond", "2026-01-01", "2026-12-31")
    for code in ("SH01", "BJ02"):  # HQ's standard cost: the price list of its pack
        network.counter(code, "apply", str(network.pack(code, f"{code}-1.rdpack")))
    network.monkeypatch = monkeypatch  # type: ignore[attr-defined]  # the test's own
    monkeypatch.setenv("REPAIRDESK_NEW_PIN", ADMIN[1])
    network.hq("user", "add", ADMIN[0], "--role", "admin")  # the first: anyone may
    for name, pin in (P1, P2):
        monkeypatch.setenv("REPAIRDESK_NEW_PIN", pin)
        hq(network, ADMIN, "user", "add", name, "--role", "parts")
    return network


def hq(net: Network, who: tuple[str, str], *args: str, ok: bool = True) -> Any:
    net.monkeypatch.setenv("REPAIRDESK_PIN", who[1])  # type: ignore[attr-defined]
    result = net.run("--as", who[0], "hq", *args, "--hq-db", net.hq_db, db=False)
    if ok:
        assert result.code == 0, (args, result.err)
    return result


def position(net: Network, code: str) -> tuple[str, ...]:
    shown = hq(net, P1, "deposit", "show", code, "--json").json()
    return tuple(shown[k] for k in ("held", "in_transit", "due_back", "exposure", "headroom"))


def send(net: Network, code: str) -> None:
    net.export(code)
    hq(net, ADMIN, "import", str(net.sent[code][-1]))


def pack(net: Network, code: str, name: str) -> None:
    out = net.root / name
    hq(net, ADMIN, "pack", "--out", str(out), "--price-list",
       str(Path(__file__).resolve().parents[2] / "data" / "price-list-example.csv"),
       "--hq-key", str(net.root / "hq.key"), "--counter", code)
    net.counter(code, "apply", str(out))


def request(net: Network, code: str, *args: str) -> int:
    return int(net.counter(code, "parts", "request", *args, "--json").json()["id"])


def test_the_parts_cycle_of_two_counters(net: Network) -> None:
    sh, bj = "SH01", "BJ02"
    # -- deposits: SH01 1000.00 x 2, BJ02 500.00 x 4: 2000.00 of credit each -------------
    net.at("2026-10-02")
    for code in (sh, bj):  # the shelf as the counters' batches report it
        send(net, code)
    hq(net, P1, "deposit", "pay", sh, "1000", "--ref", "ICBC-SH-1")
    hq(net, P1, "deposit", "pay", bj, "500", "--ref", "ICBC-BJ-1")
    hq(net, ADMIN, "counter", "edit", sh, "--credit-multiple", "2")
    hq(net, ADMIN, "counter", "edit", bj, "--credit-multiple", "4")
    assert position(net, sh) == ("1650.00", "0.00", "0.00", "1650.00", "350.00")
    assert position(net, bj) == ("1650.00", "0.00", "0.00", "1650.00", "350.00")

    # -- requests --------------------------------------------------------------------------
    net.at("2026-10-08")
    ticket = net.intake(sh, 41, SOLD)  # a display fault in the 三包 period
    net.record(sh, ticket, "--warranty", "--grade", "module")
    stock = request(net, sh, "AL-OT332-LCD", "3")  # 3 x 120.00 = 360.00
    free = request(net, sh, "AL-OT332-LCD", "12", "--ticket", ticket, "--free")
    bat = request(net, bj, "AL-OT332-BAT", "2")  # 90.00
    send(net, sh)
    send(net, bj)
    beyond = hq(net, P1, "parts", "approve", sh, str(stock), ok=False)
    assert beyond.code == 2 and "350.00" in beyond.err  # 360.00 beyond the headroom
    hq(net, P1, "parts", "approve", sh, str(stock), "--qty", "2")  # 240.00: within
    first = hq(net, P1, "parts", "approve", sh, str(free), "--json").json()
    assert (first["state"], first["value"]) == ("second", "0.00")  # free, but 12 > 10
    same = hq(net, P1, "parts", "approve", sh, str(free), ok=False)
    assert same.code == 2 and P1[0] in same.err
    second = hq(net, P2, "parts", "approve", sh, str(free), "--json").json()
    assert (second["state"], second["second_user"]) == ("approved", P2[0])
    hq(net, P1, "parts", "approve", bj, str(bat))

    # -- shipments: SH01 2 + 12 LCDs = 1680.00, BJ02 2 batteries = 90.00 in transit ------
    net.at("2026-10-09")
    shipped = hq(net, P1, "parts", "ship", sh, "--waybill", "SF-SH-1", "--json").json()
    assert (shipped["value"], [li["qty"] for li in shipped["lines"]]) == ("1680.00", [2, 12])
    hq(net, P1, "parts", "ship", bj, "--waybill", "SF-BJ-1")
    assert position(net, sh) == ("1650.00", "1680.00", "0.00", "3330.00", "-1330.00")
    assert position(net, bj) == ("1650.00", "90.00", "0.00", "1740.00", "260.00")
    pack(net, sh, "SH01-2.rdpack")
    pack(net, bj, "BJ02-2.rdpack")

    # -- received: one of SH01's two stock LCDs never came --------------------------------
    net.at("2026-10-10")
    net.counter(sh, "parts", "receive", "--shipment", str(shipped["id"]), "--received",
                "1=1", "--reason", "1=少一块")
    (bj_shipment,) = net.counter(bj, "parts", "shipments", "--pending", "--json").json()
    net.counter(bj, "parts", "receive", "--shipment", str(bj_shipment["id"]))
    send(net, sh)
    send(net, bj)
    # SH01: 10 + 1 + 12 = 23 LCDs x 120.00 + 10 batteries x 45.00 = 3210.00
    assert position(net, sh) == ("3210.00", "0.00", "0.00", "3210.00", "-1210.00")
    # BJ02: 10 LCDs x 120.00 + 12 batteries x 45.00 = 1740.00
    assert position(net, bj) == ("1740.00", "0.00", "0.00", "1740.00", "260.00")
    (short,) = hq(net, P1, "parts", "shipments", "--differences", "--json").json()
    assert (short["counter"], [(li["received"], li["short"], li["reason"])
                               for li in short["lines"]]) == (sh, [(1, 1, "少一块"),
                                                                   (12, 0, "")])

    # -- a warranty repair draws an LCD: its faulty LCD is due back ------------------------
    net.counter(sh, "parts", "draw", ticket, "AL-OT332-LCD")
    net.hand_back(sh, ticket)  # on 10-10: the faulty part is due back by 10-25
    send(net, sh)
    # 22 LCDs on the shelf (2640.00) + 450.00; the faulty one due back 120.00: the same 3210.00
    assert position(net, sh) == ("3090.00", "0.00", "120.00", "3210.00", "-1210.00")
    (line,) = [v for v in hq(net, P1, "settle", "lines", "--counter", sh, "--json").json()
               if v["ticket"] == ticket]
    assert (line["status"], [c["code"] for c in line["checks"]]) == ("held",
                                                                     ["part_not_returned"])
    assert "2026-10-25" in line["checks"][0]["reason"]

    # -- sent back late (11-02), received at HQ --------------------------------------------
    net.at("2026-11-02")
    (old,) = net.counter(sh, "parts", "old", "--json").json()
    net.counter(sh, "parts", "send-old", "--ref", "SF-OLD-1", "--id", str(old["id"]))
    send(net, sh)
    (back,) = hq(net, P1, "parts", "returns", "--pending", "--json").json()
    assert (back["counter"], back["ref"]) == (sh, "SF-OLD-1")
    assert position(net, sh)[2] == "120.00"  # on its way: still the counter's
    hq(net, P1, "parts", "receive-return", sh, "SF-OLD-1")
    assert position(net, sh) == ("3090.00", "0.00", "0.00", "3090.00", "-1090.00")
    (line,) = [v for v in hq(net, P1, "settle", "lines", "--counter", sh, "--json").json()
               if v["ticket"] == ticket]
    assert line["status"] == "pending"  # sent, and received: its hold is lifted

    stock_rows = {r["part_number"]: r for r in hq(
        net, P1, "parts", "stock", "--counter", sh, "--month", "2026-10", "--json").json()}
    lcd = stock_rows["AL-OT332-LCD"]
    assert (lcd["on_hand"], lcd["in_transit"], lcd["due_back"], lcd["used"], lcd["value"]) == (
        22, 0, 0, 1, "2640.00")
    trail = [e for e in hq(net, ADMIN, "deposit", "show", sh, "--json").json()["entries"]]
    assert [(e["kind"], e["amount"], e["by"]) for e in trail] == [("pay", "1000.00", P1[0])]
