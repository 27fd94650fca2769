"""Loaners by keys (Ctrl+L on the ticket): lend one, take it back, and the board's view of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import DataTable, Input, OptionList, Static

from repairdesk.desk import Desk
from repairdesk.i18n import _
from screens.loaners import LoanerDialog
from screens.ticket import TicketScreen
from tests.conftest import FrozenClock
from tests.tui.conftest import burst, settle
from tests.tui.test_ticket import open_ticket, toasts
from tests.unit.money.conftest import imei

LOANER = imei(900001)
MODEL = "Alcatel One Touch 332"
SOLD_DAY_51 = "2026-10-01"  # a free 三包 repair against the frozen clock


@pytest.fixture
def owed(desk: Desk, ticket_on, clock: FrozenClock) -> str:
    """A covered 三包 repair on day 8 in repair (owed a loaner, 第十五条), and a pool of one."""
    number = ticket_on(SOLD_DAY_51)
    desk.tickets.move(number, "diagnosing")
    desk.stock.add_loaner(LOANER, MODEL, "good")
    clock.now += timedelta(days=8)
    assert desk.stock.loaners_owed() == [number]
    return number


async def loaner_dialog(app, pilot) -> LoanerDialog:
    await pilot.press("ctrl+l")
    await settle(pilot)
    assert isinstance(app.screen, LoanerDialog)
    return app.screen


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def pool(dialog: LoanerDialog) -> list[str | None]:
    options = dialog.query_one("#loaner-pool", OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def test_lend_a_loaner_by_keys_then_take_it_back(desk: Desk, owed: str, make_app,
                                                       lang: str) -> None:
    app = make_app()
    async with app.run_test(size=(120, 45)) as pilot:
        board = app.screen
        screen = await open_ticket(app, pilot, owed)
        owed_label = _("policy.deadline.loaner", days=7, last_day="2026-11-28",
                       owed_from="2026-11-29", article="第十五条")
        assert owed_label in text_of(screen, "#ticket-deadlines")
        dialog = await loaner_dialog(app, pilot)
        assert text_of(dialog, "#loaner-held") == _("tui.loaner_none_held")
        assert pool(dialog) == [LOANER]
        assert app.focused is dialog.query_one("#loaner-pool", OptionList)
        await pilot.press("home", "enter")  # pick it: on to its condition
        assert dialog.query_one("#loaner-imei", Input).value == LOANER
        await burst(pilot, "like new", "enter")  # the condition at hand-over
        await pilot.press("enter")  # the one action offered: lend it
        await settle(pilot)
        done = _("tui.loaner_done_issue", imei=LOANER, model=MODEL, ticket=owed)
        assert done in toasts(app)
        assert isinstance(app.screen, LoanerDialog)
        assert text_of(dialog, "#loaner-held") == _(
            "tui.loaner_held", imei=LOANER, model=MODEL, at="2026-11-29 10:30", by="tester")
        assert pool(dialog) == [None]  # the pool is empty now
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert owed_label not in text_of(screen, "#ticket-deadlines")
        assert _("money.loaner_held", imei=LOANER, model=MODEL) in text_of(screen,
                                                                           "#ticket-money")
        [out] = desk.stock.loaners(out_only=True)
        assert (out.imei, out.ticket) == (LOANER, owed)
        assert desk.stock.loaners_owed() == []

        await pilot.press("escape")  # the board: who holds which loaner, nothing owed
        await settle(pilot)
        assert app.screen is board
        table = board.query_one("#board-table", DataTable)
        cells = [str(c) for c in table.get_row(owed)]
        assert _("tui.board_loaner", model=MODEL, tail=LOANER[-4:]) in cells[4]
        assert _("tui.deadline_short.loaner", owed_from="2026-11-29") not in cells[2]
        row = next(r for r in desk.tickets.board_view().rows if r.ticket == owed)
        assert "loaner" not in {d.code for d in row.deadlines} and not row.overdue

        await pilot.press("enter")  # open it again and take the loaner back
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        dialog = await loaner_dialog(app, pilot)
        assert app.focused is dialog.query_one("#loaner-condition", Input)
        await burst(pilot, "scratched", "enter")
        await pilot.press("enter")
        await settle(pilot)
        assert _("tui.loaner_done_return", imei=LOANER, model=MODEL, ticket=owed) in toasts(app)
        assert text_of(dialog, "#loaner-held") == _("tui.loaner_none_held")
        assert pool(dialog) == [LOANER]  # free again
    [back] = desk.stock.loaners()
    assert (back.ticket, back.condition) == (None, "scratched")
    assert desk.stock.loaners_owed() == [owed]


async def test_a_loaner_lent_meanwhile_is_refused_and_nothing_changes(
        desk: Desk, owed: str, ticket_on, make_app, lang: str) -> None:
    other = ticket_on(SOLD_DAY_51)
    app = make_app()
    async with app.run_test(size=(120, 45)) as pilot:
        await open_ticket(app, pilot, owed)
        dialog = await loaner_dialog(app, pilot)
        desk.stock.issue_loaner(other, LOANER)  # another terminal was quicker
        await pilot.press("home", "enter")
        await burst(pilot, "good", "enter")
        await pilot.press("enter")
        await settle(pilot)
        refused = _("money.loaner_out", imei=LOANER, ticket=other)
        assert refused in toasts(app)
        assert text_of(dialog, "#loaner-message") == refused
        assert pool(dialog) == [None]  # the pool as it is now
        unknown = imei(900099)
        field = dialog.query_one("#loaner-imei", Input)
        assert app.focused is field  # back on the IMEI, selected: a scan replaces it
        await burst(pilot, unknown)  # scanned
        assert field.value == unknown
        await pilot.press("enter", "enter", "enter")  # no condition typed: the pool's
        refused = _("money.loaner_unknown", imei=unknown)
        assert text_of(dialog, "#loaner-message") == refused
    [out] = desk.stock.loaners(out_only=True)
    assert (out.ticket, out.condition) == (other, "good")
    assert desk.stock.loaners_owed() == [owed]


async def test_a_closed_ticket_gets_no_loaner(desk: Desk, ticket_on, make_app,
                                              lang: str) -> None:
    number = ticket_on()
    desk.tickets.move(number, "cancelled")
    desk.stock.add_loaner(LOANER, MODEL)
    app = make_app()
    async with app.run_test(size=(120, 45)) as pilot:
        await open_ticket(app, pilot, number)
        dialog = await loaner_dialog(app, pilot)
        await pilot.press("home", "enter", "enter", "enter")
        await settle(pilot)
        refused = _("money.ticket_closed", ticket=number, status=_("status.cancelled"))
        assert text_of(dialog, "#loaner-message") == refused
        assert refused in toasts(app)
    assert desk.stock.loaners(out_only=True) == []


async def test_the_loaner_is_in_the_command_palette(desk: Desk, owed: str, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 45)) as pilot:
        screen = await open_ticket(app, pilot, owed)
        titles = [c.title for c in app.get_system_commands(screen)]
        assert _("tui.palette_title", category=_("tui.category.ticket"),
                 label=_("tui.cmd.ticket-loaner")) in titles


async def test_a_phone_is_added_to_an_empty_pool_in_the_dialog(desk: Desk, ticket_on, make_app,
                                                                lang: str) -> None:
    number = ticket_on(SOLD_DAY_51)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_ticket(app, pilot, number)
        dialog = await loaner_dialog(app, pilot)
        empty = str(dialog.query_one("#loaner-pool", OptionList).get_option_at_index(0).prompt)
        assert "repairdesk" not in empty  # no command line: the dialog adds it
        assert app.focused is dialog.query_one("#loaner-imei", Input)
        await burst(pilot, LOANER, "enter")
        await burst(pilot, "good", "enter")
        await pilot.press("down", "enter")  # add to the pool: asks for the model first
        assert app.focused is dialog.query_one("#loaner-model", Input)
        await burst(pilot, MODEL, "enter")
        await settle(pilot)
        done = _("ticketui.loaner_done_add", imei=LOANER, model=MODEL)
        assert done in toasts(app)
        assert pool(dialog) == [LOANER]
    [added] = desk.stock.loaners()
    assert (added.imei, added.model, added.condition, added.ticket) == (LOANER, MODEL, "good",
                                                                        None)
