"""Lookup: results as you type; a scanned ticket number or IMEI opens the record directly."""

from __future__ import annotations

import gc

from textual.widgets import DataTable, Static

from repairdesk.desk import Desk
from repairdesk.i18n import _
from screens.lookup import LookupScreen
from screens.ticket import TicketScreen
from screens.widgets.table import QuickTable
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
        await burst(pilot, "138 0013 8000")
        assert isinstance(app.screen, LookupScreen)
        assert rows(app) == [second, first]
        status = str(app.screen.query_one("#lookup-status", Static).render())
        assert status == _("tui.lookup_found", count=2)
        # Down in the field highlights the older one; Enter opens what is highlighted.
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
    desk.tickets.move(number, "cancelled")
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


async def test_results_fill_the_table_without_scrolling(desk: Desk, make_app, ticket_on) -> None:
    for _i in range(30):
        ticket_on()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await burst(pilot, "138")
        table = app.screen.query_one("#lookup-results", DataTable)
        shown = len(rows(app))
        assert 0 < shown <= table.visible_rows() < 30  # type: ignore[attr-defined]
        assert not table.show_vertical_scrollbar
        await pilot.press("tab", "down", "down", "enter")
        assert isinstance(app.screen, TicketScreen) and app.screen.number == rows_at(2, desk)


def rows_at(index: int, desk: Desk) -> str:
    return desk.tickets.search("138", limit=50)[index].ticket


async def test_a_name_is_shown_as_typed(desk: Desk, make_app, ticket_on) -> None:
    ticket_on(customer={"name": "[b]李[/b]", "phone": "138 0013 8000"})
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("f4")
        await burst(pilot, "8000")
        table = app.screen.query_one("#lookup-results", DataTable)
        assert "[b]李[/b]" in str(table.get_row_at(0)[4])


async def test_the_collector_is_back_to_its_own_pace_when_the_lookup_closes(
        desk: Desk, make_app) -> None:
    before = gc.get_threshold()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await burst(pilot, "1380")
        assert gc.get_threshold()[0] == 0  # collected between keystrokes instead
        await pilot.press("f2")
        await settle(pilot)
        assert gc.get_threshold() == before
        await pilot.press("f4")
        await settle(pilot)
    assert gc.get_threshold() == before


async def test_the_results_are_drawn_as_a_datatable_draws_them(desk: Desk, make_app,
                                                                ticket_on) -> None:
    # ResultsTable draws a row in one pass (screens/widgets/results.py); what it draws must
    # stay what DataTable itself would, cursor, stripes and all, whatever Textual does next.
    for _i in range(6):
        ticket_on()
    app = make_app()
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.press("f4")
        await burst(pilot, "8000")
        table = app.screen.query_one("#lookup-results", DataTable)
        table.move_cursor(row=2)
        await settle(pilot)
        style, width = table.rich_style, table.size.width
        for y in range(table.size.height):
            table._line_cache.clear()
            mine = list(table._render_line(y, 0, width, style))
            table._line_cache.clear()
            theirs = list(QuickTable._render_line(table, y, 0, width, style))
            assert mine == theirs, y
