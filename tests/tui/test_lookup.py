"""Lookup: results as you type; a scanned ticket number or IMEI opens the record directly."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from repairdesk.desk import Desk
from repairdesk.i18n import _
from screens.lookup import LookupScreen
from screens.ticket import TicketScreen
from tests.tui.conftest import SCANNED_IMEI, burst, settle


def rows(app) -> list[str]:
    table = app.screen.query_one("#lookup-results", DataTable)
    return [str(key.value) for key in table.rows]


async def test_lookup_by_imei_opens_its_open_ticket(desk: Desk, make_app, ticket_on,
                                                    lang: str) -> None:
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await burst(pilot, "35-209900-176148-1", "enter")  # as printed on the box
        assert isinstance(app.screen, TicketScreen)
        assert app.screen.number == number
        head = str(app.screen.query_one("#ticket-head", Static).render())
        assert number in head and _("status.received") in head
        await pilot.press("escape")
        assert isinstance(app.screen, LookupScreen)


async def test_lookup_by_ticket_number_opens_the_ticket(desk: Desk, make_app, ticket_on,
                                                        lang: str) -> None:
    ticket_on()
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await burst(pilot, number.lower(), "enter")  # a QR code's text, any case
        assert isinstance(app.screen, TicketScreen)
        assert app.screen.number == number


async def test_lookup_by_phone_lists_the_customers_tickets(desk: Desk, make_app, ticket_on,
                                                           lang: str) -> None:
    first, second = ticket_on(), ticket_on()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await burst(pilot, "138 0013 8000", "enter")
        assert isinstance(app.screen, LookupScreen)
        assert rows(app) == [second, first]
        status = str(app.screen.query_one("#lookup-status", Static).render())
        assert status == _("tui.lookup_phone", count=2)
        assert app.focused is app.screen.query_one("#lookup-results")
        await pilot.press("down", "enter")
        assert isinstance(app.screen, TicketScreen) and app.screen.number == first


async def test_results_come_as_you_type(desk: Desk, make_app, ticket_on) -> None:
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await burst(pilot, "35")
        assert rows(app) == []  # fewer than 3 characters find nothing
        await burst(pilot, "2099")
        assert rows(app) == [number]
        await pilot.press("ctrl+f")
        await burst(pilot, "8000")  # the end of the customer's phone number
        assert rows(app) == [number]
        await burst(pilot, "9")
        assert rows(app) == []


async def test_an_imei_without_an_open_ticket_shows_its_history(desk: Desk, make_app,
                                                                ticket_on) -> None:
    number = ticket_on()
    desk.move(number, "cancelled")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await burst(pilot, SCANNED_IMEI, "enter")
        assert isinstance(app.screen, LookupScreen)
        assert rows(app) == [number]


async def test_an_unknown_ticket_number_says_so(desk: Desk, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await burst(pilot, "SH01-20261121-0099", "enter")
        await settle(pilot)
        status = str(app.screen.query_one("#lookup-status", Static).render())
        assert status == _("core.ticket_not_found", number="SH01-20261121-0099")
