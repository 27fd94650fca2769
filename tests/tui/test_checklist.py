"""The checklist: the diagnosis the technician records decides the 三包 remedies."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from repairdesk.desk import Desk
from repairdesk.i18n import _
from screens.checklist import ChecklistScreen
from screens.dialogs import ConfirmDialog, MoveDialog
from screens.ticket import TicketScreen
from tests.tui.conftest import settle

TEN_DAYS_BEFORE = "2026-11-11"  # the frozen clock is 2026-11-21: day 10 after the sale


async def open_checklist(app, pilot, number: str) -> None:
    app.push_screen(TicketScreen(number))
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)
    assert isinstance(app.screen, ChecklistScreen)


def cursor_to(app, code: str) -> int:
    """How many Downs take the cursor to ``code`` (it steps over the groups' headings)."""
    table = app.screen.query_one("#checklist-items", DataTable)
    between = range(table.cursor_row + 1, table.get_row_index(code) + 1)
    return sum(not str(table.coordinate_to_cell_key((r, 0)).row_key.value).startswith("group:")
               for r in between)


async def test_a_failed_display_on_day_10_is_an_exchange_case(desk: Desk, make_app, ticket_on,
                                                               lang: str) -> None:
    number = ticket_on(TEN_DAYS_BEFORE)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_checklist(app, pilot, number)
        await pilot.press(*["down"] * cursor_to(app, "bench.display_touch"), "f")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MoveDialog)
        shown = str(app.screen.query_one("#move-header", Static).render())
        assert _("policy.remedy.exchange") in shown and "第十二条" in shown
        if lang == "zh":
            assert "换货" in shown
        # The customer takes the exchange: a move that ends the ticket is confirmed first.
        assert app.screen.allowed[app.screen.query_one("#move-options").highlighted] \
            == "repairing"
        await pilot.press("down", "down", "enter")
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.focused.id == "answer-no"  # a stray Enter ends nothing
        await pilot.press("shift+tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
    view = desk.tickets.ticket(number)
    assert view.status == "exchanged"
    assert [m.to_status for m in view.moves] == ["received", "diagnosing", "exchanged"]
    assert view.repair is not None and view.repair.fault_code == "display"
    assert view.repair.warranty is True
    decision = desk.tickets.warranty(number)
    assert decision["covered"] and "exchange" in decision["remedies"]
    saved = desk.tickets.checklist(number)
    assert saved.results["bench.display_touch"] == "fail"
    assert saved.results["bench.power"] == "untested"


async def test_liquid_damage_turns_it_into_a_paid_repair(desk: Desk, make_app, ticket_on,
                                                         lang: str) -> None:
    number = ticket_on(TEN_DAYS_BEFORE)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_checklist(app, pilot, number)
        await pilot.press(*["down"] * cursor_to(app, "bench.display_touch"), "f")
        await pilot.press("tab", "tab", "tab", "tab", "space")  # evidence: liquid damage
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MoveDialog)
        shown = str(app.screen.query_one("#move-header", Static).render())
        assert _("policy.remedy.paid_repair") in shown
        assert _("exclusion.liquid") in shown
        await pilot.press("enter")  # the suggested move: the customer approves a quote
        await settle(pilot)
    view = desk.tickets.ticket(number)
    assert view.status == "awaiting_approval"
    assert view.repair is not None and view.repair.warranty is False
    decision = desk.tickets.warranty(number)
    assert decision["covered"] is False and decision["remedies"] == ["paid_repair"]
    assert "liquid" in desk.tickets.warranty_claim(number)["exclusions"]
    assert desk.tickets.deadlines(number) == []


async def test_a_voucher_imei_that_differs_is_evidence(desk: Desk, make_app, ticket_on) -> None:
    number = ticket_on(TEN_DAYS_BEFORE)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_checklist(app, pilot, number)
        await pilot.press("f", "tab", "tab")
        await pilot.press(*"490154203237518", "tab")
        assert "voucher_mismatch" in app.screen.query_one("#exclusions").selected
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")  # not now: the ticket stays in diagnosis
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
    assert desk.tickets.ticket(number).status == "diagnosing"
    assert desk.tickets.warranty(number)["remedies"] == ["paid_repair"]


async def test_leaving_a_checklist_with_results_asks(desk: Desk, make_app, ticket_on) -> None:
    number = ticket_on(TEN_DAYS_BEFORE)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_checklist(app, pilot, number)
        await pilot.press("p", "escape")
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.focused.id == "answer-stay"  # a stray Enter loses nothing
        await pilot.press("shift+tab", "enter")  # discard
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
    assert desk.tickets.checklist(number).recorded_at is None
