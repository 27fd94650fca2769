"""Setting HQ up, reference packs from HQ to a counter, and ORDS over every counter."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from repairdesk.hq import schema
from repairdesk.hq.facade import Hq
from repairdesk.sync.ords import ords_id
from tests.hq.helpers import DAYS, Scenario, snapshot
from tests.unit.sync.factory import imei
from tests.unit.sync.ords_checks import check_ords

PRICES = "code,name,price,brand\nLCD-IP4,屏幕总成 iPhone 4,199.00,Apple\nBAT-01,电池,89.5,\n"
NARROWING = '[policy]\nname = "少于法规"\n[settings]\nrefund_window_days = 3\n'


def run(cli: Any, *args: str) -> Any:
    return cli(*args, db=False)


def test_init_trust_status(hq_url: str, tmp_path: Path, cli, scenario: Scenario) -> None:
    key = str(tmp_path / "hq.key")
    missing = run(cli, "hq", "status", "--hq-db", hq_url)
    assert missing.code == 1 and "hq init" in missing.err
    first = run(cli, "hq", "init", "--hq-db", hq_url, "--hq-key", key, "--json")
    assert first.code == 0
    again = run(cli, "hq", "init", "--hq-db", hq_url, "--hq-key", key, "--json")
    assert again.json()["public_key"] == first.json()["public_key"]
    other_key = run(cli, "hq", "init", "--hq-db", hq_url, "--hq-key", str(tmp_path / "o.key"))
    assert other_key.code == 1 and "not the one this HQ database signs with" in other_key.err
    bad = run(cli, "hq", "trust", "SH01", "not-a-key", "--hq-db", hq_url)
    assert bad.code == 2 and "PUBLIC_KEY" in bad.err
    unregistered = run(cli, "hq", "trust", "SH01", scenario.public_keys["SH01"],
                       "--hq-db", hq_url)
    assert unregistered.code == 2 and "not in the registry" in unregistered.err
    assert run(cli, "hq", "counter", "add", "SH01", "--name", "上海一店",
               "--hq-db", hq_url).code == 0
    trusted = run(cli, "hq", "trust", "sh01", scenario.public_keys["SH01"], "--hq-db", hq_url)
    assert trusted.code == 0 and "Counter SH01 is trusted" in trusted.out
    assert run(cli, "hq", "status", "--hq-db", hq_url, "--json").json() == [{
        "counter": "SH01", "fingerprint": trusted.out.split("key ")[1].rstrip(".\n"),
        "last_seq": None, "missing": [], "batches": 0, "last_import": None, "pack": None}]


def test_an_older_hq_database_is_upgraded_when_opened(hq: Hq, scenario: Scenario) -> None:
    hq.import_files(scenario.day(0))
    meta = schema.table("hq_meta")
    with hq.store.write() as conn:
        conn.exec_driver_sql("ALTER TABLE ticket DROP COLUMN technician")
        conn.execute(sa.update(meta).where(meta.c.key == "mirror").values(value="older"))
    Hq.open(hq.store.url).close()
    hq.import_files(scenario.day(1))
    ticket = schema.table("ticket")
    with hq.store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).where(
            ticket.c.technician.is_not(None))).scalar()


def test_pack_from_hq_applied_at_the_counter(hq: Hq, hq_url: str, tmp_path: Path, cli,
                                             store_path: Path) -> None:
    key = str(tmp_path / "hq.key")
    (tmp_path / "prices.csv").write_text(PRICES, encoding="utf-8")
    (tmp_path / "stolen.csv").write_text(f"imei,reason,reported\n{imei(7)},报失,2026-11-20\n",
                                         encoding="utf-8")
    (tmp_path / "narrow.toml").write_text(NARROWING, encoding="utf-8")
    before = snapshot(hq)
    refused = run(cli, "hq", "pack", "--hq-db", hq_url, "--hq-key", key, "--price-list",
                  str(tmp_path / "prices.csv"), "--policy", str(tmp_path / "narrow.toml"),
                  "--out", str(tmp_path / "p.rdpack"))
    assert refused.code == 2 and "settings.refund_window_days" in refused.err
    assert not (tmp_path / "p.rdpack").exists() and snapshot(hq) == before
    made = run(cli, "hq", "pack", "--hq-db", hq_url, "--hq-key", key, "--price-list",
               str(tmp_path / "prices.csv"), "--blacklist", str(tmp_path / "stolen.csv"),
               "--out", str(tmp_path / "p1.rdpack"), "--json")
    assert made.code == 0, made.err
    assert made.json()["seq"] == 1 and made.json()["blacklisted"] == 1
    second = run(cli, "hq", "pack", "--hq-db", hq_url, "--hq-key", key, "--price-list",
                 str(tmp_path / "prices.csv"), "--out", str(tmp_path / "p2.rdpack"), "--json")
    assert second.json()["seq"] == 2

    hq_public = run(cli, "hq", "init", "--hq-db", hq_url, "--hq-key", key, "--json")
    assert cli("init", "--counter", "SH01", "--name", "徐汇网点").code == 0
    assert cli("key", "trust-hq", hq_public.json()["public_key"]).code == 0
    applied = cli("apply", str(tmp_path / "p2.rdpack"))
    assert applied.code == 0 and "Pack 2 applied: 2 prices" in applied.out
    older = cli("apply", str(tmp_path / "p1.rdpack"))
    assert older.code == 2 and "not newer than pack 2" in older.err
    with sqlite3.connect(store_path) as raw:
        assert raw.execute("select part_number, price_fen from part order by 1").fetchall() \
            == [("BAT-01", 8950), ("LCD-IP4", 19900)]


def test_ords_over_every_counter_matches_the_counters(hq: Hq, scenario: Scenario,
                                                      tmp_path: Path, cli) -> None:
    for day in range(DAYS):
        hq.import_files(scenario.day(day))
    out = tmp_path / "all.csv"
    result = run(cli, "hq", "export", "--ords", str(out), "--hq-db", hq.store.url,
                 "--provider", "RepairDesk 华东", "--json")
    assert result.code == 0, result.err
    rows = check_ords(out)
    assert {r["group_identifier"] for r in rows} == {"SH01", "BJ02"}
    from repairdesk.desk import Desk

    for code, store in scenario.stores.items():
        desk = Desk.open(store)
        try:
            counter_rows = check_ords(Path(desk.sync.export_ords(tmp_path / f"{code}.csv").path))
        finally:
            desk.close()
        mine = [r for r in rows if r["group_identifier"] == code]
        assert [r["id"] for r in mine] == [r["id"] for r in counter_rows]
        assert [r["problem"] for r in mine] == [r["problem"] for r in counter_rows]
    with sqlite3.connect(scenario.stores["SH01"]) as raw:
        number = raw.execute("select number from ticket where status = 'collected'").fetchone()
    assert ords_id("repairdesk", number[0]) in {r["id"] for r in rows}
    text = out.read_text("utf-8")
    for store in scenario.stores.values():
        with sqlite3.connect(store) as raw:
            for name, phone in raw.execute("select name, phone from customer"):
                assert name not in text and phone[3:] not in text
            for (number,) in raw.execute("select imei from device"):
                assert number not in text
