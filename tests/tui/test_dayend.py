"""The day-end workspace (F12): the day's report as the core computes it, to the fen."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from rich.cells import cell_len
from textual.widgets import Static

from repairdesk.desk import Desk
from repairdesk.i18n import _
from screens.dayend import DayEndScreen, month_step
from tests.conftest import CST, FrozenClock
from tests.tui.conftest import settle

ROOT = Path(__file__).resolve().parents[2]
PRICE_LIST = ROOT / "data" / "price-list-example.csv"
TODAY, YESTERDAY = date(2026, 11, 21), date(2026, 11, 20)
OLD_PHONE = "2024-01-10"  # out of its 三包 period: a paid repair


def quoted(desk: Desk, number: str, price: str, *, approve: bool = True) -> None:
    desk.tickets.move(number, "diagnosing")
    desk.money.make_quote(number, [{"kind": "labour", "description": "更换扬声器", "price": price}])
    if approve:
        desk.money.approve_quote(number, "in_person")


def a_busy_day(desk: Desk, ticket_on, clock: FrozenClock) -> dict[str, str]:
    """Yesterday one intake with a cash deposit; today money in every method, a refund,
    parts drawn on a 三包 and on a paid repair, and a quote left waiting."""
    desk.stock.import_price_list(PRICE_LIST.read_text(encoding="utf-8"), PRICE_LIST.name)
    desk.stock.receive_stock("AL-OT332-LCD", 3, ref="HQ-DN-1")
    desk.stock.receive_stock("AL-OT332-BAT", 2, ref="HQ-DN-1")
    clock.now = datetime(2026, 11, 20, 15, 0, tzinfo=CST)
    earlier = ticket_on(deposit=30)
    clock.now = datetime(2026, 11, 21, 10, 30, tzinfo=CST)
    paid = ticket_on(sale_date=OLD_PHONE, deposit=50)  # cash deposit at intake
    quoted(desk, paid, "80")  # 80 + the 30.00 diagnostic fee
    desk.money.take_payment(paid, "60", "alipay")
    desk.stock.draw_part(paid, "AL-OT332-BAT")
    credit = ticket_on(sale_date=OLD_PHONE)
    quoted(desk, credit, "20")
    desk.money.take_deposit(credit, "200", "wechat")
    desk.money.refund(credit, "card", "150")  # the deposit above the 50.00 charge
    card = ticket_on(sale_date=OLD_PHONE)
    quoted(desk, card, "80")
    desk.money.take_payment(card, "110", "card")
    waiting = ticket_on(sale_date=OLD_PHONE)
    quoted(desk, waiting, "40", approve=False)
    warranty = ticket_on()
    desk.stock.draw_part(warranty, "AL-OT332-LCD", 2)
    return {"earlier": earlier, "waiting": waiting, "warranty": warranty}


def shown(screen: DayEndScreen, name: str) -> str:
    return str(screen.query_one(f"#dayend-{name}", Static).render())


def takings_shown(screen: DayEndScreen, name: str = "takings") -> dict[str, list[Decimal]]:
    """The takings table as shown: label -> deposits, payments, refunds, net."""
    lines = shown(screen, name).splitlines()
    # Lined up by terminal cells, CJK method names included: every row ends in one column.
    assert len({cell_len(line) for line in lines}) == 1, lines
    rows = {}
    for line in lines[1:]:
        *label, deposits, payments, refunds, net = line.split()
        rows[" ".join(label)] = [Decimal(deposits), Decimal(payments), Decimal(refunds),
                                 Decimal(net)]
    return rows


async def open_dayend(app, pilot) -> DayEndScreen:
    await pilot.press("f12")
    await settle(pilot)
    assert isinstance(app.screen, DayEndScreen)
    return app.screen


async def test_the_days_figures_are_the_reports_and_reconcile_to_the_fen(
        desk: Desk, make_app, ticket_on, clock: FrozenClock, lang: str) -> None:
    made = a_busy_day(desk, ticket_on, clock)
    expected = desk.money.day_report(TODAY)
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        screen = await open_dayend(app, pilot)
        assert screen.report == expected
        rows = takings_shown(screen)
        for method, totals in expected.takings.items():
            assert rows[_(f"money.method_{method}")] == [
                totals.deposits, totals.payments, totals.refunds, totals.net]
        total = rows.pop(_("money.total"))
        assert total == [Decimal("250.00"), Decimal("170.00"), Decimal("150.00"),
                         Decimal("270.00")]
        # The net is the sum of the methods' nets and deposits + payments - refunds.
        assert sum(r[3] for r in rows.values()) == total[3] == total[0] + total[1] - total[2]
        assert _("money.day_tickets", tickets_in=5, tickets_out=0) in shown(screen, "tickets")
        parts = shown(screen, "parts")
        assert "AL-OT332-LCD" in parts and "AL-OT332-BAT" in parts
        assert f"{_('tui.basis_warranty')} ¥240.00" in parts  # 2 × 120.00, 三包 cost
        assert f"{_('tui.basis_paid')} ¥45.00" in parts
        assert "AL-OT332-LCD" in shown(screen, "stock")  # 1 left, minimum 2
        assert made["waiting"] in shown(screen, "quotes")
        assert [q.ticket for q in expected.quotes_waiting] == [made["waiting"]]
        assert len(shown(screen, "entries").splitlines()) == len(expected.entries) == 5


async def test_left_and_right_go_through_the_days(desk: Desk, make_app, ticket_on,
                                                  clock: FrozenClock) -> None:
    made = a_busy_day(desk, ticket_on, clock)
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        screen = await open_dayend(app, pilot)
        await pilot.press("left")
        await settle(pilot)
        assert screen.day == YESTERDAY
        assert screen.report == desk.money.day_report(YESTERDAY)
        assert screen.report.tickets_in == 1 and str(screen.report.net) == "30.00"
        assert "2026-11-20" in shown(screen, "title")
        assert takings_shown(screen)[_("money.total")][3] == Decimal("30.00")
        assert made["earlier"] not in shown(screen, "quotes")
        await pilot.press("right", "right")  # today, then not into the future
        await settle(pilot)
        assert screen.day == TODAY and screen.report == desk.money.day_report(TODAY)
        assert _("tui.dayend_no_future") in [str(n.message) for n in app._notifications]


async def test_the_month_view_is_hqs_summary(desk: Desk, make_app, ticket_on,
                                             clock: FrozenClock) -> None:
    a_busy_day(desk, ticket_on, clock)
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        screen = await open_dayend(app, pilot)
        await pilot.press("m")
        await settle(pilot)
        assert screen.month == desk.money.month_report("2026-11")
        assert screen.query_one("#dayend-month").display
        assert not screen.query_one("#dayend-day").display
        assert takings_shown(screen, "month-takings")[_("money.total")][3] == Decimal("300.00")
        days = shown(screen, "month-days")
        assert "2026-11-20" in days and "2026-11-21" in days and "2026-11-19" not in days
        await pilot.press("left")
        await settle(pilot)
        assert screen.month is not None and screen.month.month == "2026-10"
        assert screen.month.tickets_in == 0
        await pilot.press("m")  # back to the day view, on a day of the month shown
        await settle(pilot)
        assert screen.report == desk.money.day_report(date(2026, 10, 1))
        await pilot.press("t")
        await settle(pilot)
        assert screen.report == desk.money.day_report(TODAY)


async def test_day_end_is_in_the_command_palette(desk: Desk, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert _("tui.palette_title", category=_("tui.category.view"),
                 label=_("tui.cmd.dayend")) in titles
        await pilot.press("f12")
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert _("tui.palette_title", category=_("tui.category.view"),
                 label=_("tui.cmd.dayend-month")) in titles
        await pilot.press("escape")
        assert app.current_mode == "board"


def test_the_screen_is_imported_only_when_first_shown() -> None:
    script = "import sys, screens.app; assert 'screens.dayend' not in sys.modules"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_month_steps_cross_the_year() -> None:
    assert month_step(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert month_step(date(2026, 12, 1), 1) == date(2027, 1, 1)
