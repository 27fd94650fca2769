"""The counter app is held to the same table as the command line (repairdesk/permissions.py):
the screens call the facades, which check it."""

from __future__ import annotations

from repairdesk.desk import Desk
from screens.board import BoardScreen
from screens.dialogs import ConfirmDialog
from screens.login import LoginScreen
from tests.tui.conftest import burst, settle
from tests.tui.test_ticket import open_ticket, toasts


async def test_the_front_desk_cannot_pay_a_refund_from_f9(desk: Desk, make_app,
                                                          ticket_on) -> None:
    number = ticket_on()  # day 3 after the sale: F9 offers the 三包 refund
    desk.trust.add_user("王店长", "manager", "246800")
    desk.trust.login("王店长", "246800")
    desk.trust.add_user("小陈", "front_desk", "2468")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await burst(pilot, "小陈", "enter")
        await burst(pilot, "2468", "enter")
        assert isinstance(app.screen, BoardScreen) and desk.user == "小陈"
        screen = await open_ticket(app, pilot, number)
        await pilot.press("f9", "enter")  # the refund, asked first
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("tab", "enter")  # "Pay the refund"
        await settle(pilot)
        assert app.screen is screen
        assert any("only a manager" in t for t in toasts(app)), toasts(app)
    assert desk.money.ticket_money(number).payments == []
