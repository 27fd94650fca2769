"""The ticket screen: only allowed moves, confirmation for final ones, the repair record."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList, Static

from repairdesk.desk import Desk
from repairdesk.i18n import _
from screens.dialogs import ConfirmDialog, MoveDialog
from screens.ticket import TicketScreen
from tests.tui.conftest import burst, settle


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def open_ticket(app, pilot, number: str) -> TicketScreen:
    app.push_screen(TicketScreen(number))
    await settle(pilot)
    assert isinstance(app.screen, TicketScreen)
    return app.screen


async def test_only_allowed_moves_are_offered(desk: Desk, make_app, ticket_on) -> None:
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_ticket(app, pilot, number)
        await pilot.press("f6")
        assert isinstance(app.screen, MoveDialog)
        options = app.screen.query_one("#move-options", OptionList)
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] \
            == ["diagnosing", "cancelled"]
        await pilot.press("shift+tab")
        await burst(pilot, "拆机检测", "enter")
        await pilot.press("enter")
        await settle(pilot)
        head = str(app.screen.query_one("#ticket-head", Static).render())
        assert _("status.diagnosing") in head
    view = desk.tickets.ticket(number)
    assert view.status == "diagnosing" and view.moves[-1].note == "拆机检测"


async def test_a_move_the_workflow_refuses_is_shown_and_not_stored(desk: Desk, make_app,
                                                                   ticket_on, lang: str) -> None:
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_ticket(app, pilot, number)
        desk.tickets.move(number, "cancelled", "customer took it back")  # another terminal
        await pilot.press("f6", "enter")  # "diagnosing", offered when the screen was read
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        # Refused as a stale save: it names who changed the ticket meanwhile, and when.
        refused = _("core.stale", number=number, user="tester", at="10:30")
        assert refused in toasts(app)
        # The screen now shows the stored status, and a final status offers no move.
        await pilot.press("f6")
        assert not isinstance(app.screen, MoveDialog)
        assert _("tui.move_none", status=_("status.cancelled")) in toasts(app)
    assert desk.tickets.ticket(number).status == "cancelled"
    assert [m.to_status for m in desk.tickets.ticket(number).moves] == ["received", "cancelled"]


async def test_a_final_move_asks_first(desk: Desk, make_app, ticket_on) -> None:
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_ticket(app, pilot, number)
        await pilot.press("f6", "down", "enter")  # cancelled
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.focused.id == "answer-no"
        await pilot.press("enter")  # no: the safe answer is the default
        assert isinstance(app.screen, MoveDialog)
        await pilot.press("escape")
        await settle(pilot)
    assert desk.tickets.ticket(number).status == "received"


async def test_the_repair_record_is_saved_with_ctrl_s(desk: Desk, make_app, ticket_on) -> None:
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_ticket(app, pilot, number)
        await pilot.press("tab")
        assert app.focused is screen.query_one("#cause", Input)
        await burst(pilot, "排线松动", "enter")
        await burst(pilot, "重新插接排线", "enter")
        await burst(pilot, "2026-11-22", "tab")  # tomorrow: refused next to the field
        error = str(screen.query_one("#handed-back-error", Static).render())
        assert error == _("core.date_in_future", value="2026-11-22")
        await pilot.press("ctrl+s")
        assert desk.tickets.ticket(number).repair.cause == ""  # nothing stored
        screen.query_one("#handed-back", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        assert not isinstance(app.screen, ConfirmDialog)  # saved: nothing to ask
    record = desk.tickets.ticket(number).repair
    assert record is not None
    assert (record.cause, record.action, record.handed_back) == ("排线松动", "重新插接排线", None)


async def test_the_money_section_shows_what_is_recorded(desk: Desk, make_app,
                                                       ticket_on) -> None:
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_ticket(app, pilot, number)
        money = str(screen.query_one("#ticket-money", Static).render())
        assert _("tui.money_basis_warranty") in money
        deadlines = str(screen.query_one("#ticket-deadlines", Static).render())
        assert "第十五条" in deadlines  # day 3 after the sale: a 三包 repair, loaner rule
        await pilot.press("escape")
        # The same phone again, now with its old purchase date: out of period, a paid repair.
        old = ticket_on(sale_date="2024-01-10")
        desk.tickets.move(old, "diagnosing")
        desk.money.make_quote(old, [{"kind": "labour", "description": "更换扬声器", "price": "80.00"}])
        screen = await open_ticket(app, pilot, old)
        money = str(screen.query_one("#ticket-money", Static).render())
        assert _("ticketui.basis_paid_pending", revision=1) in money and "110.00" in money
        assert _("status.repairing") in money  # blocked until the quote is approved


async def test_a_paid_repair_is_quoted_approved_and_paid_by_keys(desk: Desk, make_app,
                                                                 ticket_on) -> None:
    from screens.dialogs import MoneyDialog

    number = ticket_on(sale_date="2024-01-10")  # out of its period: a paid repair
    desk.tickets.move(number, "diagnosing")
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_ticket(app, pilot, number)
        await pilot.press("f9")
        assert isinstance(app.screen, MoneyDialog)
        await burst(pilot, "更换扬声器", "enter")
        await burst(pilot, "80", "enter")
        await pilot.press("enter")  # no part: on to the actions (nothing owed: no amount)
        await pilot.press("enter")  # make the quote
        await settle(pilot)
        assert desk.money.quote(number).status == "pending"
        await pilot.press("f9")
        await pilot.press("enter")  # offered first: the customer approves in person
        await settle(pilot)
        assert desk.money.quote(number).status == "approved"
        desk.tickets.move(number, "repairing")
        desk.tickets.move(number, "qc")
        desk.tickets.move(number, "ready")
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("f9")
        await pilot.press("tab", "tab", "tab")
        await burst(pilot, "110", "enter")
        await pilot.press(*["down"] * 3, "enter")  # after "quote", cash, WeChat: Alipay
        await settle(pilot)
    money = desk.money.ticket_money(number)
    assert str(money.money.balance) == "0.00"
    assert [(p.kind, p.method, str(p.amount)) for p in money.payments] == [
        ("payment", "alipay", "110.00")]
    assert desk.tickets.move(number, "collected").status == "collected"


def screen_line(app, y: int) -> str:
    return "".join(segment.text for segment in app.screen._compositor.render_strips()[y])


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_the_footer_shows_each_key_whole(desk: Desk, make_app, ticket_on, lang: str,
                                               size: tuple[int, int]) -> None:
    from rich.cells import cell_len
    from textual.widgets._footer import FooterKey

    number = ticket_on()
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await open_ticket(app, pilot, number)
        await settle(pilot)
        line = screen_line(app, size[1] - 1)
        keys = [f"{k.key_display} {k.description}" for k in screen.query(FooterKey)]
        assert keys[0] == f"F6 {_('tui.cmd.move-ticket')}"
        assert f"F9 {_('tui.cmd.ticket-money')}" in keys
        for key in keys:
            assert key in line, (key, line)  # whole, not cut under the palette's key
        assert cell_len(line) == size[0]
        assert line.rstrip().endswith(keys[-1])  # the palette's key ends the line


async def test_the_repair_grade_is_chosen_from_its_list_and_saved(desk: Desk, make_app,
                                                                 ticket_on) -> None:
    from textual.widgets import Select

    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_ticket(app, pilot, number)
        grade = screen.query_one("#grade", Select)
        grade.focus()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("down", "down", "down", "enter")  # no grade, inspection, software…
        await settle(pilot)
        assert grade.value == "module"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert desk.tickets.ticket(number).repair.grade == "module"
        assert _("tui.record_saved", ticket=number) in toasts(app)
        grade.clear()
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert desk.tickets.ticket(number).repair.grade is None  # cleared again
