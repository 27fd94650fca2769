"""``hq report``: the monthly summary, figure by figure, on a month whose answers are known."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import col, select

from repairdesk.desk import Desk
from repairdesk.hq.facade import Hq
from repairdesk.models import RepairRecord, Ticket
from tests.conftest import CST, FrozenClock
from tests.hq.helpers import HQ_NOW
from tests.unit.sync.factory import intake_doc


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
    for status in ("diagnosing", "repairing", "qc", "ready"):
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
def hq_with_month(hq_url: str, tmp_path: Path, month_of_work: tuple[Path, str]) -> Hq:
    hq = Hq.open(hq_url, check=False, clock=lambda: HQ_NOW)
    hq.init(tmp_path / "hq.key")
    hq.close()
    hq = Hq.open(hq_url, clock=lambda: HQ_NOW)
    batch, key = month_of_work
    hq.trust("SH01", key)
    assert hq.import_files([batch])[0][0].status == "imported"
    return hq


def test_monthly_figures(hq_with_month: Hq) -> None:
    report = hq_with_month.report(month="2026-11")
    hq_with_month.close()
    assert report.due == date(2026, 12, 20)
    assert report.counters == [{"counter": "SH01", "tickets_in": 3, "tickets_out": 3}]
    assert report.deposits == Decimal("50.00")
    assert report.remedies == {"refund": 1, "exchange": 0, "free_repair": 1, "paid_repair": 1,
                               "returned_unrepaired": 0}
    assert report.turnaround_hours == {"median": 48.0, "p90": 124.8, "tickets": 3}
    assert [(s["ticket"], s["fault"]) for s in report.warranty_to_settle] == [
        ("SH01-20261102-0001", "display")]
    assert [(o["ticket"], o["days"]) for o in report.overdue] == [("SH01-20261102-0003", 18)]
    # Handed in on 2 November and still open on the 21st: loaner and deliberate-delay limits.
    assert {(b["ticket"], b["deadline"]) for b in report.deadline_breaches} == {
        ("SH01-20261102-0003", "loaner"), ("SH01-20261102-0003", "deliberate_delay")}
    assert [(c["ticket"], c["customer"], c["due"]) for c in report.follow_up_calls] == [
        ("SH01-20261102-0001", "钱二", date(2026, 11, 6)),
        ("SH01-20261102-0002", "孙三", date(2026, 11, 7)),
        ("SH01-20261030-0001", "赵一", date(2026, 11, 8)),
    ]
    assert report.follow_up_calls[0]["phone"] == "+8613900000002"
    assert report.faults == [{"brand": "Alcatel", "model": "One Touch 332", "fault": "display",
                              "tickets": 3}]
    assert report.pending == ["parts_consumed", "takings", "warranty_amounts"]


def test_report_filters_and_cli(hq_with_month: Hq, hq_url: str, cli) -> None:
    hq_with_month.close()
    october = cli("hq", "report", "--hq-db", hq_url, "--month", "2026-10", "--json", db=False)
    assert october.json()["counters"] == [{"counter": "SH01", "tickets_in": 1, "tickets_out": 0}]
    other = cli("hq", "report", "--hq-db", hq_url, "--counter", "BJ02", "--json", db=False)
    assert other.json()["counters"] == [{"counter": "BJ02", "tickets_in": 0, "tickets_out": 0}]
    human = cli("hq", "report", "--hq-db", hq_url, "--month", "2026-11", db=False)
    assert human.code == 0
    assert "Monthly summary 2026-11 (due to the network by 2026-12-20)" in human.out
    assert "Follow-up calls due: 3" in human.out and "parts consumed" in human.out
    zh = cli("--lang", "zh", "hq", "report", "--hq-db", hq_url, "--month", "2026-11", db=False)
    assert "2026-11 月度汇总" in zh.out
    bad = cli("hq", "report", "--hq-db", hq_url, "--month", "11/2026", db=False)
    assert bad.code == 2 and "--month" in bad.err


def test_a_month_with_nothing_yet(hq_with_month: Hq) -> None:
    report = hq_with_month.report(month="2027-01")
    hq_with_month.close()
    assert report.counters == [] and report.turnaround_hours["median"] is None
    assert report.follow_up_calls == [] and report.due == date(2027, 2, 20)
    # Still open tickets are overdue whatever month is asked for: they are today's work.
    assert [o["ticket"] for o in report.overdue] == ["SH01-20261102-0003"]


def test_whole_history_report(hq_with_month: Hq) -> None:
    report = hq_with_month.report()
    hq_with_month.close()
    assert report.month is None and report.due is None
    assert report.counters == [{"counter": "SH01", "tickets_in": 4, "tickets_out": 3}]
    assert timedelta(hours=report.turnaround_hours["median"] or 0) == timedelta(hours=48)


@pytest.mark.parametrize("hq_url", ["sqlite"], indirect=True)
def test_the_report_shows_text_from_the_counters_inert(hq_with_month: Hq, hq_url: str,
                                                       cli) -> None:
    # An ESC or a bidi override in a customer's name, from a batch made before the counter
    # refused them, never reaches the HQ operator's terminal (repairdesk/inert.py).
    hq_with_month.close()
    with sqlite3.connect(hq_url) as raw:
        assert raw.execute("update customer set name = ?",
                           ("张伟\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07\u202e",)).rowcount
    human = cli("hq", "report", "--hq-db", hq_url, "--month", "2026-11", db=False)
    assert human.code == 0 and "Follow-up calls due: 3" in human.out
    assert "张伟\\x1b[2J" in human.out
    assert not any(c in human.out for c in ("\x1b", "\x07", "\u202e"))
