"""``hq report``: the month, figure by figure, on a month whose answers are known; and the
workbook and PDF a person opens, which hold the figures of --json."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from rich.cells import cell_len
from sqlmodel import col, select

from repairdesk.desk import Desk
from repairdesk.hq.facade import Hq
from repairdesk.hq.report_text import COMPARE, SUMMARY, TRENDS
from repairdesk.i18n import _, set_language
from repairdesk.models import RepairRecord, Ticket
from tests.conftest import CST, FrozenClock
from tests.hq.helpers import HQ_NOW, PARTS_TABLES, SETTLEMENT_TABLES
from tests.unit.sync.factory import intake_doc

PRICE_LIST = Path(__file__).resolve().parents[2] / "data" / "price-list-example.csv"


def at(day: int, hour: int = 10, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=CST)


@pytest.fixture
def month_of_work(tmp_path: Path) -> tuple[Path, str]:
    """SH01 in November 2026, four tickets whose figures are worked out by hand below."""
    clock = FrozenClock(at(30, month=10))
    desk = Desk.open(tmp_path / "SH01.sqlite3", clock=clock, user="tester")
    desk.init_counter("SH01", "徐汇网点")
    key = desk.sync.ensure_signing_key().public_key
    paid = desk.tickets.intake(intake_doc(1, name="赵一")).ticket          # in October
    clock.now = at(2, 10, 0)
    free = desk.tickets.intake({**intake_doc(2, name="钱二"), "deposit": 50}).ticket
    clock.now = at(2, 10, 20)
    bought_yesterday = intake_doc(3, name="孙三")
    bought_yesterday["device"].update(sale_date="2026-11-01", invoice_date="2026-11-01")
    refund = desk.tickets.intake(bought_yesterday).ticket
    clock.now = at(2, 10, 40)
    late = desk.tickets.intake({**intake_doc(4, name="李四"), "promised_date": "2026-11-03"}).ticket
    desk.tickets.move(late, "diagnosing")
    desk.stock.import_price_list(PRICE_LIST.read_text(encoding="utf-8"), PRICE_LIST.name)
    desk.stock.receive_stock("AL-OT332-LCD", 3, ref="HQ-DN-20261101")
    for status in ("diagnosing", "repairing"):
        desk.tickets.move(free, status)
    desk.stock.draw_part(free, "AL-OT332-LCD")
    desk.stock.draw_part(late, "AL-OT332-LCD", 2)
    desk.stock.return_part(late, "AL-OT332-LCD")
    for status in ("qc", "ready"):
        desk.tickets.move(free, status)
    clock.now = at(3, 10, 0)  # 24 h after intake
    desk.money.refund(free, "cash")  # the deposit back: the repair was free
    desk.tickets.move(free, "collected")
    desk.tickets.move(refund, "diagnosing")
    clock.now = at(4, 10, 20)  # 48 h
    desk.money.refund(refund, "cash", reason="sanbao")
    desk.tickets.move(refund, "refunded")
    for status in ("diagnosing", "repairing", "qc", "ready"):
        desk.tickets.move(paid, status)
    clock.now = at(5, 10, 0)  # 6 days after 30 Oct 10:00
    desk.tickets.move(paid, "collected")
    # The technician's record: the free one and the late one are 三包 repairs.
    with desk.store.write() as s:  # through the store: a raw update would not be exported
        for record in s.exec(select(RepairRecord).join(Ticket).where(
                col(Ticket.number).in_([free, late]))):
            record.warranty = True
            s.add(record)
    desk.close()
    desk = Desk.open(tmp_path / "SH01.sqlite3", clock=clock)
    stick = tmp_path / "stick"
    stick.mkdir()
    batch = desk.sync.export_batch(stick).path
    desk.close()
    assert batch is not None
    return Path(batch), key


@pytest.fixture
def came_back(tmp_path: Path) -> tuple[Path, str]:
    """BJ02 on 20 November: the phone SH01 handed back on the 5th (paid, display) comes back
    with the same fault, and another phone comes in for the first time."""
    clock = FrozenClock(at(20))
    desk = Desk.open(tmp_path / "BJ02.sqlite3", clock=clock, user="tester")
    desk.init_counter("BJ02", "海淀网点")
    key = desk.sync.ensure_signing_key().public_key
    desk.tickets.intake(intake_doc(1, name="赵一"))
    desk.tickets.intake(intake_doc(9, name="周九"))
    stick = tmp_path / "stick-bj"
    stick.mkdir()
    batch = desk.sync.export_batch(stick).path
    desk.close()
    assert batch is not None
    return Path(batch), key


@pytest.fixture
def hq_with_month(hq_url: str, tmp_path: Path, month_of_work: tuple[Path, str]) -> Hq:
    """HQ with SH01's month imported (SH01 and BJ02 registered: gold, Shanghai and Beijing)."""
    hq = Hq.open(hq_url, check=False, clock=lambda: HQ_NOW)
    hq.init(tmp_path / "hq.key")
    hq.close()
    hq = Hq.open(hq_url, clock=lambda: HQ_NOW)
    batch, key = month_of_work
    register(hq)
    hq.trust("SH01", key)
    assert hq.import_files([batch])[0][0].status == "imported"
    return hq


def register(hq: Hq) -> None:
    for code, name, level, region in (("SH01", "徐汇网点", "gold", "310104"),
                                      ("BJ02", "海淀网点", "a", "110108")):
        hq.add_counter(code, name, level=level, region=region)


def counter_month(tmp_path: Path, code: str = "SH01") -> Any:
    """What the counter's own month report says (its day-end sums, parts and takings)."""
    desk = Desk.open(tmp_path / f"{code}.sqlite3", clock=FrozenClock(HQ_NOW))
    try:
        return desk.money.month_report("2026-11")
    finally:
        desk.close()


def test_monthly_figures(hq_with_month: Hq, tmp_path: Path) -> None:
    report = hq_with_month.report(month="2026-11")
    hq_with_month.close()
    assert (report.due, report.due_state, report.due_days) == (date(2026, 12, 20), "due", 29)
    total = report.total
    assert (total["tickets_in"], total["tickets_out"], total["repaired"]) == (3, 3, 2)
    assert total["repair_rate"] == 66.7  # the refunded phone was handed back unrepaired
    assert (total["turnaround_median"], total["turnaround_p90"]) == (48.0, 124.8)
    # Fri 30 Oct -> Thu 5 Nov is the 4th working day after (2, 3, 4 Nov): not within 3.
    assert (total["within_3_working_days"], total["within_7_days"]) == (2, 3)
    assert report.remedies == {"refund": 1, "exchange": 0, "free_repair": 1, "paid_repair": 1,
                               "returned_unrepaired": 0}
    # Handed in on 2 November, open on the 21st: past the loaner and deliberate-delay limits.
    assert (total["overdue_now"], total["breaches_open"], total["breaches_closed"]) == (1, 1, 0)
    assert report.faults == [{"brand": "Alcatel", "model": "One Touch 332", "fault": "display",
                              "tickets": 3}]
    (sh01,) = [r for r in report.counters if r["key"] == "SH01"]
    assert (sh01["name"], sh01["level"], sh01["province"]) == ("徐汇网点", "gold", "310000")
    assert {r["key"] for r in report.counters} == {"SH01", "BJ02"}  # BJ02: registered, idle
    assert [(r["key"], r["tickets_in"]) for r in report.levels] == [("a", 0), ("gold", 3)]
    assert [(r["key"], r["tickets_out"], r["turnaround_median"]) for r in report.provinces] == [
        ("110000", 0, None), ("310000", 3, 48.0)]
    # Money: what the counter's own month report says, to the fen.
    own = counter_month(tmp_path)
    by_method = {t["method"]: t for t in report.takings}
    for method, sums in own.takings.items():
        assert (by_method[method]["deposits"], by_method[method]["payments"],
                by_method[method]["refunds"], by_method[method]["net"]) == (
            sums.deposits, sums.payments, sums.refunds, sums.net), method
    assert report.takings_total["net"] == own.net == total["takings_net"]
    assert report.parts_value == own.parts_value
    assert report.parts_value["warranty"] > 0 == report.parts_value["guarantee"]
    assert total["warranty_amount"] == report.parts_value["warranty"]
    lcd = [p for p in report.parts if p["part_number"] == "AL-OT332-LCD"]
    assert sum(p["drawn"] for p in lcd) == 3 and sum(p["used"] for p in lcd) == 2
    assert [own_part.part_number for own_part in own.parts] == [p["part_number"] for p in lcd]
    # The same parts by the phone they went into: every LCD into an Alcatel One Touch 332.
    assert {(p["brand"], p["model"], p["part_number"]) for p in report.parts_by_model} == {
        ("Alcatel", "One Touch 332", "AL-OT332-LCD")}
    assert sum(p["used"] for p in report.parts_by_model) == 2
    assert {p["basis"]: p["value"] for p in report.parts_by_model} == {
        p["basis"]: p["value"] for p in lcd}
    # Twelve months ending with November.
    assert [t["month"] for t in report.trends][0] == "2025-12"
    assert [(t["month"], t["tickets_in"], t["tickets_out"]) for t in report.trends[-2:]] == [
        ("2026-10", 1, 0), ("2026-11", 3, 3)]
    assert report.trends[-1]["turnaround_median"] == 48.0
    assert report.trends[-1]["repair_rate"] == 66.7


def test_a_device_back_at_another_counter(hq_with_month: Hq,
                                          came_back: tuple[Path, str]) -> None:
    batch, key = came_back
    hq_with_month.trust("BJ02", key)
    assert hq_with_month.import_files([batch])[0][0].status == "imported"
    report = hq_with_month.report(month="2026-11")
    hq_with_month.close()
    (bj02,) = [r for r in report.counters if r["key"] == "BJ02"]
    # Handed back by SH01 on 5 November, in again at BJ02 on the 20th for the same fault.
    assert (bj02["tickets_in"], bj02["repeat_any"], bj02["repeat_same"]) == (2, 1, 1)
    assert (bj02["repeat_rate_any"], bj02["repeat_rate_same"]) == (50.0, 50.0)
    assert (report.total["repeat_any"], report.total["tickets_in"]) == (1, 5)
    assert report.total["repeat_rate_any"] == 20.0
    assert report.trends[-1]["repeat_rate"] == 20.0


def test_filters_by_counter_level_and_region(hq_with_month: Hq) -> None:
    gold = hq_with_month.report(month="2026-11", level="gold")
    shanghai = hq_with_month.report(month="2026-11", region="310000")
    xuhui = hq_with_month.report(month="2026-11", region="310104")
    beijing = hq_with_month.report(month="2026-11", region="110000")
    one = hq_with_month.report(month="2026-11", counter="bj02")
    hq_with_month.close()
    for report in (gold, shanghai, xuhui):
        assert [r["key"] for r in report.counters] == ["SH01"]
        assert report.total["tickets_in"] == 3
    assert beijing.total["tickets_in"] == 0 and [r["key"] for r in beijing.counters] == ["BJ02"]
    assert beijing.total["overdue_now"] == 0  # SH01's open work is not Beijing's
    assert one.scope["counter"] == "BJ02" and one.total["tickets_out"] == 0


def test_refusals_name_the_option(hq_with_month: Hq) -> None:
    from repairdesk.errors import InputError

    for options, field in (({"month": "11/2026"}, "--month"), ({"level": "platinum"}, "--level"),
                           ({"region": "999999"}, "--region"), ({"counter": "S"}, "--counter"),
                           ({"counter": "GZ09"}, "--counter")):
        with pytest.raises(InputError) as refused:
            hq_with_month.report(**options)
        assert refused.value.field == field, options
    hq_with_month.close()


def test_the_default_month_and_an_empty_one(hq_with_month: Hq) -> None:
    # HQ's today is 21 November: the month due next is October.
    assert hq_with_month.report().month == "2026-10"
    report = hq_with_month.report(month="2027-01")
    hq_with_month.close()
    assert report.total["tickets_in"] == 0 and report.total["turnaround_median"] is None
    assert report.due == date(2027, 2, 20) and report.due_state == "due"
    # Open tickets are today's work whatever month is asked for.
    assert report.total["overdue_now"] == 1
    past = report.trends[-3]
    assert past["month"] == "2026-11" and past["tickets_in"] == 3


def test_cli_text_json_and_refusals(hq_with_month: Hq, hq_url: str, cli) -> None:
    hq_with_month.close()
    data = cli("hq", "report", "--hq-db", hq_url, "--month", "2026-11", "--json", db=False)
    assert data.code == 0 and data.json()["total"]["tickets_in"] == 3
    assert data.json()["due"] == "2026-12-20"
    human = cli("hq", "report", "--hq-db", hq_url, "--month", "2026-11", db=False)
    assert human.code == 0
    assert "Monthly report 2026-11 (2026-11-01 to 2026-11-30)" in human.out
    days = data.json()["due_days"]  # the command's clock is the machine's
    assert f"due 2026-12-20, {days} days left" in human.out
    assert "Alcatel" in human.out and "One Touch 332" in human.out
    assert all(cell_len(line) <= 80 for line in human.out.splitlines()), human.out
    zh = cli("--lang", "zh", "hq", "report", "--hq-db", hq_url, "--month", "2026-11", db=False)
    assert "2026-11 月度报表" in zh.out and f"还剩 {days} 天" in zh.out
    assert all(cell_len(line) <= 80 for line in zh.out.splitlines()), zh.out
    for args, field in ((("--month", "11/2026"), "--month"), (("--level", "platinum"), "--level"),
                        (("--region", "999999"), "--region")):
        bad = cli("hq", "report", "--hq-db", hq_url, *args, db=False)
        assert bad.code == 2 and field in bad.err and "Traceback" not in bad.err
        bad_json = cli("hq", "report", "--hq-db", hq_url, *args, "--json", db=False)
        assert bad_json.code == 2


@pytest.mark.parametrize("hq_url", ["sqlite"], indirect=True)
def test_the_report_shows_text_from_the_counters_inert(hq_with_month: Hq, hq_url: str,
                                                       cli) -> None:
    # An ESC or a bidi override in a model's name, from a batch made before the counter
    # refused them, never reaches the HQ operator's terminal (repairdesk/inert.py).
    hq_with_month.close()
    with sqlite3.connect(hq_url) as raw:
        assert raw.execute("update device set model = ?",
                           ("One\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07\u202e",)).rowcount
    human = cli("hq", "report", "--hq-db", hq_url, "--month", "2026-11", db=False)
    assert human.code == 0 and "One\\x1b[2J" in human.out
    assert not any(c in human.out for c in ("\x1b", "\x07", "\u202e"))


def number(value: Any) -> Any:
    """A JSON figure as the workbook stores it (amounts as numbers, rates as numbers)."""
    if isinstance(value, str):
        try:
            return float(Decimal(value))
        except ArithmeticError:
            return value
    return float(value) if isinstance(value, int | float) else value


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_workbook_holds_the_figures_of_json(hq_with_month: Hq, hq_url: str, cli,
                                                tmp_path: Path, lang: str) -> None:
    hq_with_month.close()
    out = tmp_path / "report.xlsx"
    run = cli("--lang", lang, "hq", "report", "--hq-db", hq_url, "--month", "2026-11",
              "--xlsx", str(out), "--json", db=False)
    assert run.code == 0, run.err
    data = run.json()
    set_language(lang)
    try:
        book = load_workbook(out)
        names = [_(f"hqreport.sheet_{s}") for s in (
            "summary", "counters", "levels", "provinces", "faults", "parts", "parts_models",
            "takings", "trends")]
        assert book.sheetnames == names
        summary = book[names[0]]
        assert "2026-11" in summary["A1"].value
        shown = {summary.cell(r, 1).value: summary.cell(r, 2).value
                 for r in range(6, 6 + len(SUMMARY))}
        for key in SUMMARY:
            assert number(shown[_(f"hqreport.fig_{key}")]) == number(data["total"][key]), key
        counters = book[names[1]]
        rows = list(counters.iter_rows(min_row=2, values_only=True))
        assert len(rows) == len(data["counters"])
        for row, wanted in zip(rows, data["counters"], strict=True):
            assert row[0].startswith(wanted["key"])
            assert [number(v) for v in row[3:3 + len(COMPARE)]] == [
                number(wanted[k]) for k in COMPARE]
        faults = list(book[names[4]].iter_rows(min_row=2, max_col=4, values_only=True))
        assert [(f[0], f[1], f[3]) for f in faults if f[0]] == [
            (f["brand"], f["model"], f["tickets"]) for f in data["faults"]]
        by_model = list(book[names[6]].iter_rows(min_row=2, values_only=True))
        assert [(r[0], r[1], r[2], r[4], number(r[5])) for r in by_model] == [
            (p["brand"], p["model"], p["part_number"], p["used"], number(p["value"]))
            for p in data["parts_by_model"]]
        assert data["parts_by_model"]
        takings = list(book[names[7]].iter_rows(min_row=2, values_only=True))
        assert number(takings[-1][4]) == number(data["takings_total"]["net"])
        trends = list(book[names[8]].iter_rows(min_row=2, max_row=13, values_only=True))
        assert [t[0] for t in trends] == [t["month"] for t in data["trends"]]
        assert [[number(v) for v in t[1:]] for t in trends] == [
            [number(t[k]) for k in TRENDS] for t in data["trends"]]
    finally:
        set_language("en")
    with zipfile.ZipFile(out) as raw:  # native charts (openpyxl does not load them)
        charts = [n for n in raw.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 6
        assert any(b"<c:barChart>" in raw.read(n) for n in charts)
        assert any(b"<c:lineChart>" in raw.read(n) for n in charts)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_pdf_renders_and_holds_the_totals(hq_with_month: Hq, hq_url: str, cli,
                                              tmp_path: Path, lang: str) -> None:
    hq_with_month.close()
    out = tmp_path / "report.pdf"
    run = cli("--lang", lang, "hq", "report", "--hq-db", hq_url, "--month", "2026-11",
              "--pdf", str(out), "--json", db=False)
    assert run.code == 0, run.err
    data = run.json()
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(out),
                    str(tmp_path / "page")], check=True)
    page = next(tmp_path.glob("page*.png"))
    assert page.stat().st_size > 10_000  # drawn, not blank
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True,
                          capture_output=True, text=True).stdout
    set_language(lang)
    try:
        assert _("hqreport.title", month="2026-11", first="2026-11-01",
                 last="2026-11-30") in text
        assert _("hqreport.due_due", due="2026-12-20", count=data["due_days"]) in text
        for key in ("tickets_in", "tickets_out", "turnaround_median", "repair_rate",
                    "takings_net"):
            label, value = _(f"hqreport.fig_{key}"), data["total"][key]
            found = re.search(rf"{re.escape(label)}\s+(-?[0-9.]+)", text)
            assert found and float(found[1]) == float(value), (key, value)
        assert _("hqreport.chart_faults") in text and "One Touch 332" in text
    finally:
        set_language("en")


def test_an_older_database_gets_the_report_indexes(hq_url: str, tmp_path: Path) -> None:
    import sqlalchemy as sa

    from repairdesk.hq import schema, store

    hq = Hq.open(hq_url, check=False, clock=lambda: HQ_NOW)
    hq.init(tmp_path / "hq.key")
    with hq.store.write() as conn:  # as a database at h0002_workspace stood
        conn.execute(sa.text("DROP INDEX hq_rx_device_imei"))
        for table in (*SETTLEMENT_TABLES, *PARTS_TABLES):
            conn.execute(sa.text(f"DROP TABLE {table}"))
        conn.execute(sa.text(f"UPDATE {store.VERSION_TABLE} SET version_num = 'h0002_workspace'"))
    hq.close()
    hq = Hq.open(hq_url)  # upgraded as it opens
    with hq.store.read() as conn:
        names = {i["name"] for i in sa.inspect(conn).get_indexes("device")}
        revision = conn.execute(sa.text(f"SELECT version_num FROM {store.VERSION_TABLE}")).scalar()
    hq.close()
    assert "hq_rx_device_imei" in names and revision == store.head_revision()
    assert {f"hq_rx_{t}_{'_'.join(c)}" for t, c in schema.REPORT_INDEXES if t == "device"} <= names
