"""The scripted month of issue 17: three counters of different levels work October and part
of November through their own command lines, export, and HQ imports, reviews, closes and
answers disputes through its own, on SQLite and on PostgreSQL. Every line and every total is
worked out by hand below.

October: SH01 (gold) a module repair paid in full, one held until its faulty LCD comes back,
one cut to the cap, one on the blacklist, one without a grade; BJ02 (diamond) a repeat of
SH01's phone; GZ03 (general) a repair after its agreement's end. November: SH01's late
batch (a hand-back of 10-31) and a correction of a paid line, SH01's dispute accepted and
GZ03's refused, BJ02's repair while suspended.

The rate card (data/hq/settlement.toml): labour inspection 10, software 20, module 35,
board 60; level multipliers diamond 1.30, gold 1.15, general 0.90; cap 600; faulty parts
back within 15 days. HQ's standard cost: the example price list (LCD 120.00, battery 45.00).
The checks an honest counter's command line cannot trigger (not covered, an exclusion, one
ticket claimed twice) are run on an imported line's facts in test_settlement_checks.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FrozenClock
from tests.hq.settle_month import CARD, Network, day, imei, patch_clocks

SOLD = "2026-09-20"  # in the 三包 period all through the month
OLD = "2024-01-10"  # long out of it


@pytest.fixture
def net(tmp_path: Path, hq_url: str, cli, monkeypatch: pytest.MonkeyPatch) -> Network:
    """The network on HQ's SQLite file and on PostgreSQL (the ``hq_url`` fixture)."""
    clock = FrozenClock(day("2026-10-01", 9))
    patch_clocks(monkeypatch, clock)
    network = Network(tmp_path, hq_url, cli, clock)
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

    # -- BJ02 (diamond, 1.30): the phone SH01 repaired comes back within 90 days -----------
    bj = "BJ02"
    net.at("2026-10-12")
    t["bj_repeat"] = net.intake(bj, 11, SOLD)  # the IMEI of sh_module, 3 days after its hand-back
    net.record(bj, t["bj_repeat"], "--warranty", "--grade", "software")
    net.at("2026-10-13")
    net.hand_back(bj, t["bj_repeat"])
    net.export(bj)
    net.hq("import", str(net.sent[bj][-1]))
    (bj_line,) = by_ticket(net.lines("--counter", bj)).values()
    # software 20 x 1.30 = 26.00; a repeat at another counter is flagged, still paid
    assert (bj_line["status"], bj_line["amount"]) == ("pending", "26.00")
    (repeat,) = bj_line["checks"]
    assert (repeat["code"], repeat["outcome"]) == ("repeat", "flag")
    assert "SH01" in repeat["reason"] and t["sh_module"] in repeat["reason"]

    # -- GZ03 (general, 0.90): its agreement ends on 10-20 --------------------------------
    gz = "GZ03"
    net.at("2026-10-19")
    t["gz_in"] = net.intake(gz, 21, SOLD)
    net.record(gz, t["gz_in"], "--warranty", "--grade", "inspection")
    net.hand_back(gz, t["gz_in"])
    net.at("2026-10-21")
    t["gz_after"] = net.intake(gz, 22, SOLD)  # handed back after the agreement's end
    net.record(gz, t["gz_after"], "--warranty", "--grade", "inspection")
    net.hand_back(gz, t["gz_after"])
    net.export(gz)
    net.hq("import", str(net.sent[gz][-1]))
    gz_lines = by_ticket(net.lines("--counter", gz))
    # inspection 10 x 0.90 = 9.00
    assert (gz_lines[t["gz_in"]]["status"], gz_lines[t["gz_in"]]["amount"],
            gz_lines[t["gz_in"]]["checks"]) == ("pending", "9.00", [])
    after = gz_lines[t["gz_after"]]
    assert after["status"] == "rejected"
    assert [c["code"] for c in after["checks"]] == ["outside_agreement"]
    assert "2026-10-20" in after["checks"][0]["reason"]

    # -- SH01 sends the kept LCD back: its next batch releases the held line --------------
    net.at("2026-10-15")
    kept = [str(o["id"]) for o in net.counter(sh, "parts", "old", "--json").json()
            if o["ticket"] == t["sh_kept"]]
    net.counter(sh, "parts", "send-old", "--ref", "SF1002", *sum((["--id", i] for i in kept),
                                                                 []))
    net.export(sh)
    net.hq("import", str(net.sent[sh][-1]))
    released = by_ticket(net.lines("--counter", sh))[t["sh_kept"]]
    assert (released["status"], released["amount"], released["checks"]) == (
        "pending", "160.25", [])

    # -- a repair handed back on 10-31 that SH01 exports only after the close ------------
    net.at("2026-10-31")
    t["sh_late"] = net.intake(sh, 19, SOLD)
    net.record(sh, t["sh_late"], "--warranty", "--grade", "software")
    net.hand_back(sh, t["sh_late"])

    # -- the month closed on 11-03: approved lines paid, the rejected ones said ----------
    net.at("2026-11-03")
    for code in (sh, bj, gz):
        net.hq("settle", "approve", "--counter", code, "--month", "2026-10")
    net.hq("settle", "close", "--month", "2026-10", "--hq-key", str(net.root / "hq.key"))
    totals = {s["counter"]: s["total"]
              for s in net.hq("settle", "statements", "--json").json()}
    assert totals == {
        "SH01": "943.50",  # 160.25 + 160.25 + 600.00 + 23.00; nograde rejected
        "BJ02": "26.00",
        "GZ03": "9.00",  # the line after the agreement's end rejected
    }
    net.hq("settle", "close", "--month", "2026-10", "--hq-key", str(net.root / "hq.key"))
    again = {s["counter"]: s["total"] for s in net.hq("settle", "statements", "--json").json()}
    assert again == totals  # closing twice changes nothing
    net.hq("settle", "verify", "--month", "2026-10")
    november(net, t)


def counter_lines(net: Network, code: str) -> dict[str, list[dict]]:
    """The counter's own view of HQ's lines (from the last pack it applied), by ticket."""
    found: dict[str, list[dict]] = {}
    for line in net.counter(code, "settlement", "list", "--json").json():
        found.setdefault(line["ticket"], []).append(line)
    return found


def send_pack(net: Network, code: str, name: str) -> None:
    net.counter(code, "apply", str(net.pack(code, name)))


def november(net: Network, t: dict[str, str]) -> None:
    """After October's close: a late batch, a frozen line's correction, two disputes (one
    accepted, one refused), a suspended counter's repair; November closed and verified, and
    both counters read HQ's answers from their packs."""
    sh, bj, gz = "SH01", "BJ02", "GZ03"
    hq_key = str(net.root / "hq.key")
    # -- the counters read October's statements and dispute two rejected lines ------------
    send_pack(net, sh, "SH01-2.rdpack")
    send_pack(net, gz, "GZ03-2.rdpack")
    (october,) = net.counter(sh, "settlement", "statements", "--json").json()
    assert (october["month"], october["total"], october["approved"], october["rejected"]) == (
        "2026-10", "943.50", 4, 1)
    (nograde,) = counter_lines(net, sh)[t["sh_nograde"]]
    assert (nograde["status"], [c["code"] for c in nograde["checks"]]) == (
        "rejected", ["no_grade"])
    net.counter(sh, "settlement", "dispute", str(nograde["id"]), "--reason",
                "维修等级漏填，实为软件刷机")
    (after,) = counter_lines(net, gz)[t["gz_after"]]
    net.counter(gz, "settlement", "dispute", str(after["id"]), "--reason", "协议正在续签")

    # -- SH01's late batch: a repair handed back on 10-31 and a correction of a paid one --
    net.at("2026-11-04")
    net.record(sh, t["sh_module"], "--grade", "board")  # a frozen line: an adjustment
    net.export(sh)
    net.hq("import", str(net.sent[sh][-1]))
    lines = net.lines("--counter", sh, "--month", "2026-11")
    late = by_ticket(lines)[t["sh_late"]]
    # handed back on 10-31, in a batch imported after October was closed: November's
    assert (late["status"], late["amount"], late["month"]) == ("pending", "23.00", "2026-11")
    (correction,) = [v for v in lines if v["kind"] == "adjustment"]
    # board labour 60 x 1.15 = 69.00 instead of the 40.25 paid: 28.75 more, in November
    assert (correction["ticket"], correction["amount"], correction["status"]) == (
        t["sh_module"], "28.75", "pending")
    frozen = by_ticket(net.lines("--counter", sh, "--month", "2026-10"))[t["sh_module"]]
    assert (frozen["amount"], frozen["approved"]) == ("160.25", "160.25")  # never changes
    net.export(gz)
    net.hq("import", str(net.sent[gz][-1]))

    # -- HQ answers: SH01's accepted (an adjustment of 23.00), GZ03's refused -------------
    raised = {d["counter"]: d for d in net.hq("settle", "disputes", "--open", "--json").json()}
    assert sorted(raised) == [gz, sh]
    accepted = net.hq("settle", "resolve", sh, str(raised[sh]["dispute"]), "--accept",
                      "--amount", "23.00", "--reason", "同意按软件刷机结算", "--json").json()
    assert (accepted["outcome"], accepted["amount"]) == ("accepted", "23.00")
    refused = net.hq("settle", "resolve", gz, str(raised[gz]["dispute"]), "--refuse",
                     "--reason", "协议于2026-10-20到期，到期后的维修不予结算", "--json").json()
    assert (refused["outcome"], refused["adjustment_line"]) == ("refused", None)
    again = net.hq("settle", "resolve", gz, str(raised[gz]["dispute"]), "--accept",
                   "--reason", "改为同意", ok=False)
    assert again.code != 0 and "Traceback" not in again.err  # answered once, never twice

    # -- BJ02 suspended from 11-05 to 11-10: the repair handed back meanwhile is refused --
    net.at("2026-11-05")
    net.hq("counter", "suspend", bj, "--reason", "押金不足")
    net.at("2026-11-06")
    t["bj_suspended"] = net.intake(bj, 31, SOLD)
    net.record(bj, t["bj_suspended"], "--warranty", "--grade", "software")
    net.hand_back(bj, t["bj_suspended"])
    net.at("2026-11-10")
    net.hq("counter", "resume", bj, "--reason", "押金已补足")
    net.at("2026-11-12")
    t["bj_after"] = net.intake(bj, 32, SOLD)
    net.record(bj, t["bj_after"], "--warranty", "--grade", "software")
    net.hand_back(bj, t["bj_after"])
    net.export(bj)
    net.hq("import", str(net.sent[bj][-1]))
    bj_lines = by_ticket(net.lines("--counter", bj, "--month", "2026-11"))
    suspended = bj_lines[t["bj_suspended"]]
    assert suspended["status"] == "rejected"
    assert [c["code"] for c in suspended["checks"]] == ["counter_state"]
    assert "2026-11-06" in suspended["checks"][0]["reason"]
    # software 20 x 1.30 = 26.00 once the counter was resumed
    assert (bj_lines[t["bj_after"]]["status"], bj_lines[t["bj_after"]]["amount"]) == (
        "pending", "26.00")

    # -- November closed on 12-02 ---------------------------------------------------------
    net.at("2026-12-02")
    for code in (sh, bj):
        net.hq("settle", "approve", "--counter", code, "--month", "2026-11")
    net.hq("settle", "close", "--month", "2026-11", "--hq-key", hq_key)
    totals = {s["counter"]: s["total"] for s in net.hq(
        "settle", "statements", "--month", "2026-11", "--json").json()}
    assert totals == {
        "SH01": "74.75",  # the late line 23.00, the correction 28.75, the dispute 23.00
        "BJ02": "26.00",  # the repair while suspended rejected
    }
    net.hq("settle", "verify", "--month", "2026-11")
    net.hq("settle", "verify", "--month", "2026-10")

    # -- what the counters read in their next pack ----------------------------------------
    send_pack(net, sh, "SH01-3.rdpack")
    send_pack(net, gz, "GZ03-3.rdpack")
    months = {s["month"]: s["total"]
              for s in net.counter(sh, "settlement", "statements", "--json").json()}
    assert months == {"2026-10": "943.50", "2026-11": "74.75"}
    ((answer,),) = [line["disputes"] for line in counter_lines(net, sh)[t["sh_nograde"]]
                    if line["kind"] == "claim"]
    assert (answer["outcome"], answer["amount"], answer["answer"]) == (
        "accepted", "23.00", "同意按软件刷机结算")
    ((answer,),) = [line["disputes"] for line in counter_lines(net, gz)[t["gz_after"]]]
    assert (answer["outcome"], answer["answer"]) == (
        "refused", "协议于2026-10-20到期，到期后的维修不予结算")
