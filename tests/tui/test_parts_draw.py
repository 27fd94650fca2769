"""Parts of a ticket by keys (F10 on the ticket): draw, return, keep the faulty part."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from repairdesk.desk import Desk
from repairdesk.i18n import _
from screens.parts import PartsDialog
from screens.ticket import TicketScreen
from tests.tui.conftest import burst, settle
from tests.tui.test_ticket import open_ticket, toasts

PRICE_LIST = Path(__file__).resolve().parents[2] / "data" / "price-list-example.csv"
LCD = "AL-OT332-LCD"  # the second of the three parts that fit the Alcatel One Touch 332


@pytest.fixture
def stocked(desk: Desk) -> Desk:
    desk.stock.import_price_list(PRICE_LIST.read_text(encoding="utf-8"), PRICE_LIST.name)
    desk.stock.receive_stock(LCD, 5, ref="HQ-DN-1")
    desk.stock.receive_stock("AL-OT332-BAT", 4, ref="HQ-DN-1")
    return desk


async def parts_dialog(app, pilot) -> PartsDialog:
    await pilot.press("f10")
    await settle(pilot)
    assert isinstance(app.screen, PartsDialog)
    return app.screen


async def run_on_lcd(pilot, qty: str, action_downs: int) -> None:
    """Pick the LCD, type the quantity, run the action ``action_downs`` below "draw"."""
    await pilot.press("home", "down", "enter")
    await burst(pilot, qty, "enter")
    await pilot.press("home", *["down"] * action_downs, "enter")
    await settle(pilot)


def stock(desk: Desk) -> int:
    return desk.stock.part(LCD).on_hand


async def test_only_the_parts_that_fit_are_offered(stocked: Desk, make_app,
                                                   ticket_on) -> None:
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(120, 45)) as pilot:
        await open_ticket(app, pilot, number)
        dialog = await parts_dialog(app, pilot)
        options = dialog.query_one("#parts-list", OptionList)
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == [
            "AL-OT332-BAT", "AL-OT332-LCD", "AL-OT332-SPK"]
        assert app.focused is options
        assert _("tui.parts_on_hand", qty=5) in str(options.get_option_at_index(1).prompt)


async def test_drawing_by_keys_lowers_stock_and_records_the_draw(stocked: Desk, make_app,
                                                                 ticket_on) -> None:
    number = ticket_on()  # day 3 after the sale: a 三包 repair
    app = make_app()
    async with app.run_test(size=(120, 45)) as pilot:
        screen = await open_ticket(app, pilot, number)
        dialog = await parts_dialog(app, pilot)
        await run_on_lcd(pilot, "2", 0)
        assert isinstance(app.screen, PartsDialog)  # open for the next part
        done = _("tui.parts_done_draw", part=LCD, qty=2, on_hand=3)
        assert str(dialog.query_one("#parts-message", Static).render()) == done
        assert done in toasts(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        money = str(screen.query_one("#ticket-money", Static).render())
        assert _("tui.money_part", kind=_("tui.part_move.drawn"), part=LCD, qty=2) in money
    assert stock(stocked) == 3
    moves = stocked.money.ticket_money(number).parts
    assert [(m.part_number, m.kind, m.qty, m.basis) for m in moves] == [
        (LCD, "drawn", 2, "warranty")]
    # A 三包 draw keeps the faulty part for the manufacturer (data/money.toml).
    assert [(o.part_number, o.qty) for o in stocked.stock.old_parts()] == [(LCD, 2)]


async def test_a_draw_beyond_stock_says_how_many_there_are_and_stores_nothing(
        stocked: Desk, make_app, ticket_on, lang: str) -> None:
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(120, 45)) as pilot:
        await open_ticket(app, pilot, number)
        dialog = await parts_dialog(app, pilot)
        await run_on_lcd(pilot, "9", 0)
        refused = _("money.stock_short", part=LCD, qty=9, available=5)
        assert refused in toasts(app)
        assert str(dialog.query_one("#parts-message", Static).render()) == refused
        assert isinstance(app.screen, PartsDialog)
    assert stock(stocked) == 5
    assert stocked.money.ticket_money(number).parts == []
    assert stocked.stock.old_parts() == []


async def test_returning_a_part_restores_stock(stocked: Desk, make_app, ticket_on) -> None:
    number = ticket_on()
    stocked.stock.draw_part(number, LCD, 2)
    app = make_app()
    async with app.run_test(size=(120, 45)) as pilot:
        await open_ticket(app, pilot, number)
        dialog = await parts_dialog(app, pilot)
        await run_on_lcd(pilot, "1", 1)
        assert _("tui.parts_done_return", part=LCD, qty=1, on_hand=4) in toasts(app)
        assert stock(stocked) == 4
        ticket = str(dialog.query_one("#parts-ticket", Static).render())
        assert f"{LCD} × 1" in ticket  # what is still drawn for the ticket
        await run_on_lcd(pilot, "5", 1)  # more than is still drawn: refused
        assert _("money.return_more_than_drawn", part=LCD, ticket=number,
                 drawn=1) in toasts(app)
    assert stock(stocked) == 4
    assert [(m.kind, m.qty) for m in stocked.money.ticket_money(number).parts] == [
        ("drawn", 2), ("returned", 1)]
    # The faulty part the returned one would have replaced is no longer kept.
    assert [(o.part_number, o.qty) for o in stocked.stock.old_parts()] == [(LCD, 1)]


async def test_keeping_the_faulty_part_of_a_paid_repair(stocked: Desk, make_app,
                                                        ticket_on) -> None:
    number = ticket_on(sale_date="2024-01-10")  # out of its period: a paid repair
    stocked.stock.draw_part(number, LCD)  # a paid draw keeps nothing by itself
    assert stocked.stock.old_parts() == []
    app = make_app()
    async with app.run_test(size=(120, 45)) as pilot:
        await open_ticket(app, pilot, number)
        await parts_dialog(app, pilot)
        await run_on_lcd(pilot, "1", 2)
        assert _("tui.parts_done_keep_old", part=LCD, qty=1) in toasts(app)
    assert stock(stocked) == 4  # keeping the old part does not touch stock
    assert [(o.part_number, o.ticket, o.qty) for o in stocked.stock.old_parts()] == [
        (LCD, number, 1)]


async def test_a_repair_record_being_typed_survives_a_draw(stocked: Desk, make_app,
                                                           ticket_on) -> None:
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(120, 45)) as pilot:
        screen = await open_ticket(app, pilot, number)
        await pilot.press("tab")
        await burst(pilot, "排线松动")
        await parts_dialog(app, pilot)
        await run_on_lcd(pilot, "1", 0)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        assert screen.query_one("#cause", Input).value == "排线松动"
        assert screen.has_unsaved()
    assert stock(stocked) == 4


@pytest.mark.parametrize("qty", ["abc", "-1", "0", "1.5", "[/b]", "９９９９９９９９９９９９"])
async def test_a_quantity_that_is_not_a_count_is_refused_and_stores_nothing(
        stocked: Desk, make_app, ticket_on, qty: str) -> None:
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(120, 45)) as pilot:
        await open_ticket(app, pilot, number)
        dialog = await parts_dialog(app, pilot)
        await run_on_lcd(pilot, qty, 0)
        assert str(dialog.query_one("#parts-message", Static).render())  # says why
        assert isinstance(app.screen, PartsDialog)
    assert stock(stocked) == 5
    assert stocked.money.ticket_money(number).parts == []


async def test_asking_hq_for_a_part_from_the_ticket(stocked: Desk, make_app, ticket_on) -> None:
    number = ticket_on()  # day 3 after the sale: a 三包 repair, so the part is free
    app = make_app()
    async with app.run_test(size=(120, 45)) as pilot:
        await open_ticket(app, pilot, number)
        dialog = await parts_dialog(app, pilot)
        await run_on_lcd(pilot, "0", 3)  # nought: refused, nothing asked
        assert stocked.parts.requests() == []
        assert app.focused is dialog.query_one("#parts-qty", Input)  # to put it right
        await burst(pilot, "1", "enter")
        await pilot.press("home", "down", "down", "down", "enter")
        await settle(pilot)
        (asked,) = stocked.parts.requests()
        assert (asked.part_number, asked.qty, asked.ticket, asked.free) == (LCD, 1, number, True)
        done = _("tui.parts_done_request", part=LCD, qty=1, id=asked.id,
                 charge=_("parts.request_free"))
        assert str(dialog.query_one("#parts-message", Static).render()) == done
    assert stock(stocked) == 5  # asked for, not drawn
