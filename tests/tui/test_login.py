"""Login at start and after the idle timeout, when the counter has users."""

from __future__ import annotations

from datetime import timedelta

from repairdesk.desk import Desk
from screens.app import RepairDeskApp
from screens.board import BoardScreen
from screens.login import LoginScreen

from ..conftest import FrozenClock
from .conftest import burst, settle


async def test_no_users_no_login(desk: Desk) -> None:
    app = RepairDeskApp(desk)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)


async def test_login_at_start_then_again_after_idle(desk: Desk, clock: FrozenClock) -> None:
    desk.trust.add_user("王店长", "manager", "246800")
    desk.trust.login("王店长", "246800")
    desk.trust.add_user("李工", "technician", "1357")
    app = RepairDeskApp(desk, idle_minutes=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await pilot.press("escape")  # no way around the login
        assert isinstance(app.screen, LoginScreen)
        await burst(pilot, "李工", "enter")
        await burst(pilot, "0000", "enter")
        assert isinstance(app.screen, LoginScreen)
        error = str(app.screen.query_one("#login-error").render())
        assert "PIN" in error and "in 1 s" in error  # a wrong PIN slows the next try
        await burst(pilot, "1357", "enter")  # the right PIN, too soon: it says how long
        assert isinstance(app.screen, LoginScreen)
        assert "wait 1 s" in str(app.screen.query_one("#login-error").render())
        clock.now += timedelta(seconds=1)
        await burst(pilot, "1357", "enter")
        assert isinstance(app.screen, BoardScreen)
        assert desk.user == "李工" and "李工" in app.sub_title
        app.last_key -= 61  # a minute without a key
        app.lock_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#login-user").value == "李工"
        await burst(pilot, "1357", "enter")
        assert isinstance(app.screen, BoardScreen)


async def test_user_tab_pin_enter_at_scanner_speed_logs_in(desk: Desk) -> None:
    """"李工", Tab, "1357", Enter sent at once: the PIN landed in the user field (Textual
    handed the digits to the field being left before Tab had moved the focus)."""
    from textual import events

    desk.trust.add_user("王店长", "manager", "246800")
    desk.trust.login("王店长", "246800")
    desk.trust.add_user("李工", "technician", "1357")
    app = RepairDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        user = app.screen.query_one("#login-user")
        await burst(pilot, "李工")
        driver = app._driver
        assert driver is not None
        keys = [events.Key("tab", None), *(events.Key(c, c) for c in "1357"),
                events.Key("enter", "\r")]
        for key in keys:
            key.set_sender(app)
            driver.send_message(key)
        await settle(pilot)
        assert user.value == "李工"
        assert isinstance(app.screen, BoardScreen)
        assert desk.user == "李工"
