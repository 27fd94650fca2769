"""F9 on the ticket: only the money actions that fit the ticket, and words a counter reads."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import OptionList, Static

from repairdesk.desk import Desk
from repairdesk.i18n import _
from screens.dialogs import ConfirmDialog, MoneyDialog
from tests.tui.conftest import settle
from tests.tui.test_ticket import open_ticket, toasts


def actions(dialog: MoneyDialog) -> list[str]:
    options = dialog.query_one("#money-actions", OptionList)
    return [str(options.get_option_at_index(i).id) for i in range(options.option_count)]


def money_section(screen) -> str:
    return str(screen.query_one("#ticket-money", Static).render())


async def test_f9_on_a_sanbao_ticket_offers_the_refund_not_a_quote(
        desk: Desk, make_app, ticket_on, lang: str) -> None:
    number = ticket_on()  # day 3 after the sale: a full refund is the customer's choice
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_ticket(app, pilot, number)
        await pilot.press("f9")
        dialog = app.screen
        assert isinstance(dialog, MoneyDialog)
        offered = actions(dialog)
        assert not any(a == "quote" or a.startswith(("approve", "decline", "pay_"))
                       for a in offered)
        assert offered[0] == "refund:refund:cash"
        await pilot.press("enter")  # the focused action: refund in cash, asked first
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # a stray Enter: the safe answer, nothing paid out
        await settle(pilot)
        assert app.screen is screen and desk.money.ticket_money(number).payments == []
        await pilot.press("f9", "enter")
        await settle(pilot)
        await pilot.press("tab", "enter")  # on to "Pay the refund"
        await settle(pilot)
        assert app.screen is screen
        assert _("ticketui.money_done_refund", ticket=number, amount="2,999.00") in toasts(app)
        assert not any("repairdesk " in t for t in toasts(app))
    refunds = [(p.kind, p.reason, p.method, p.amount) for p in desk.money.ticket_money(number).payments]
    assert refunds == [("refund", "sanbao", "cash", Decimal("2999.00"))]


async def test_the_refund_gate_names_no_command_line(desk: Desk, ticket_on) -> None:
    number = ticket_on()
    desk.tickets.move(number, "diagnosing")
    reasons = desk.money.ticket_money(number).blocked.values()
    assert reasons and not any("repairdesk" in r or "--" in r for r in reasons)


async def test_a_quote_says_what_its_total_is_made_of(desk: Desk, make_app, ticket_on,
                                                      lang: str) -> None:
    number = ticket_on(sale_date="2024-01-10")  # out of its period: a paid repair
    desk.tickets.move(number, "diagnosing")
    desk.money.make_quote(number, [{"kind": "labour", "description": "更换主板", "price": "350"}])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_ticket(app, pilot, number)
        shown = money_section(screen)
        sum_line = _("ticketui.quote_sum", parts=_("ticketui.quote_labour", amount="350.00")
                     + _("ticketui.quote_plus") + _("ticketui.quote_fee", amount="30.00"),
                     total="380.00")
        assert sum_line in shown
        await pilot.press("f9")
        offered = actions(app.screen)
        assert offered[:4] == ["quote", "approve_in_person", "approve_phone", "decline"]
        assert not any(a.startswith("refund") for a in offered)  # a paid repair: no 三包 refund


async def test_paid_and_approved_no_longer_says_it_needs_a_quote(desk: Desk, make_app,
                                                                 ticket_on, lang: str) -> None:
    number = ticket_on(sale_date="2024-01-10")
    desk.tickets.move(number, "diagnosing")
    desk.money.make_quote(number, [{"kind": "labour", "description": "更换扬声器", "price": "80"}])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_ticket(app, pilot, number)
        shown = money_section(screen)
        assert _("ticketui.basis_paid_pending", revision=1) in shown
        assert _("status.repairing") in shown  # blocked until the quote is approved
        await pilot.press("f9")
        await pilot.press("enter")  # offered first: the customer approves in person
        await settle(pilot)
        shown = money_section(screen)
        assert _("tui.money_basis_paid") not in shown
        assert _("ticketui.basis_paid_approved", revision=1) in shown
        assert _("status.repairing") not in shown  # the gate opened
        # Still owed: the cancel gate says who owes what, in plain words.
        owed = _("money.gate_balance", amount="30.00", target=_("status.cancelled"))
        assert desk.money.ticket_money(number).blocked["cancelled"] == owed and owed in shown
        await pilot.press("f9")
        offered = actions(app.screen)
        assert "quote" in offered and "approve_in_person" not in offered
        await pilot.press("escape")
        desk.money.take_payment(number, "30", "cash")  # at another terminal
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("escape")  # nothing changed in the parts: money is read again
        await settle(pilot)
        shown = money_section(screen)
        assert owed not in shown
        assert all(reason in shown for reason in desk.money.ticket_money(number).blocked.values())


def test_the_balance_gate_reads_plainly() -> None:
    # "cancelled: 30.00 yuan is still owed" did not say who owes it, nor what to do.
    text = _("money.gate_balance", amount="30.00", target=_("status.cancelled"))
    assert "¥30.00" in text and "customer" in text and "yuan" not in text


def test_no_screen_message_sends_the_counter_to_the_command_line() -> None:
    from repairdesk.i18n import set_language

    for lang in ("en", "zh"):
        set_language(lang)
        for key in ("tui.parts_none", "tui.loaner_pool_empty", "money.part_unknown",
                    "money.gate_refund_first"):
            assert "repairdesk " not in _(key, part="X", target="T"), (lang, key)


async def test_a_deposit_above_the_charge_is_paid_back_from_f9(desk: Desk, make_app, ticket_on,
                                                               lang: str) -> None:
    number = ticket_on(deposit=50)  # a 三包 repair costs nothing: the counter owes ¥50
    owed = desk.money.ticket_money(number).blocked.get("cancelled", "")
    assert "¥50.00" in owed and "yuan" not in owed and "元" not in owed
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_ticket(app, pilot, number)
        await pilot.press("f9")
        assert actions(app.screen)[0] == "credit:cash"
        await pilot.press("enter")  # asked first; a stray Enter keeps the money
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("f9", "enter")
        await settle(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert _("ticketui.money_done_credit", ticket=number, amount="50.00") in toasts(app)
    money = desk.money.ticket_money(number)
    assert ("refund", "overpaid", "50.00") in [(p.kind, p.reason, str(p.amount))
                                               for p in money.payments]
    assert str(money.money.balance) == "0.00"
