"""Intake by keyboard and scanner: what is stored, and what is never stored by accident."""

from __future__ import annotations

from textual.widgets import Input, SelectionList, Static

from repairdesk.desk import Desk
from repairdesk.i18n import _
from screens.dialogs import ConfirmDialog
from screens.intake import IntakeScreen
from screens.intake_done import IntakeDoneDialog
from tests.tui.conftest import SCANNED_IMEI, burst, settle


def info(app, widget_id: str) -> str:
    return str(app.screen.query_one(f"#{widget_id}", Static).render())


async def test_a_complete_intake_by_keys_stores_the_right_ticket(desk: Desk, make_app,
                                                                 lang: str) -> None:
    name = "张伟" if lang == "zh" else "Zhang Wei"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        await burst(pilot, SCANNED_IMEI, "enter")  # a scan ends with Enter
        await burst(pilot, "138 0013 8000", "enter")
        await burst(pilot, name, "enter")
        # Two faults: a few letters (Chinese or the code), Enter adds the best match.
        await burst(pilot, "屏幕" if lang == "zh" else "screen", "enter")
        await burst(pilot, "audio", "enter")
        await pilot.press("enter", "tab", "tab")  # leave the search; past the list and words
        await pilot.press("space", "down", "space", "down", "space")  # three accessories
        await pilot.press("tab", "space")  # marks: scratches
        await pilot.press("tab", "tab", "space")  # liquid indicator as is; opened before
        await pilot.press("tab")
        await burst(pilot, "边框划痕")
        await settle(pilot)
        assert desk.tickets.count_tickets() == 0  # nothing is stored before Ctrl+S
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, IntakeDoneDialog)
        number = app.screen.result.ticket
        assert number == "SH01-20261121-0001"
        assert _("tui.intake_saved") in str(app.screen.query_one("#done-title").render())
    view = desk.tickets.ticket(number)
    assert view.customer == {"name": name, "phone": "+8613800138000"}
    assert view.device["imei"] == SCANNED_IMEI
    assert (view.device["brand"], view.device["model"]) == ("Alcatel", "One Touch 332")
    assert view.faults == ["display", "audio"]
    assert view.accessories == ["battery", "back_cover", "sim_tray"]
    assert view.condition == {"marks": ["scratches"], "liquid_indicator": "unknown",
                              "opened_before": True, "notes": "边框划痕"}
    assert view.status == "received" and view.passcode == "none"


async def test_a_scanned_imei_and_its_enter_do_not_submit(desk: Desk, make_app, lang: str,
                                                          ticket_on) -> None:
    number = ticket_on()  # the same phone is already in
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        await burst(pilot, SCANNED_IMEI, "enter")
        assert desk.tickets.count_tickets() == 1  # only the earlier one
        assert app.focused is app.screen.query_one("#phone", Input)
        shown = info(app, "device-info")
        assert _("tui.device_open_ticket", ticket=number, status=_("status.received")) in shown
        assert "Alcatel One Touch 332" in shown
        # Enter on every other field moves on and stores nothing either.
        for _field in range(6):
            await pilot.press("enter")
        await settle(pilot)
        assert desk.tickets.count_tickets() == 1
        assert isinstance(app.screen, IntakeScreen)


async def test_a_known_phone_fills_the_name_and_shows_past_tickets(desk: Desk, make_app, ticket_on) -> None:
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "tab")
        await burst(pilot, "13800138000", "enter")
        assert app.screen.query_one("#name", Input).value == "张伟"
        shown = info(app, "customer-info")
        assert _("tui.customer_known", name="张伟", count=1) in shown
        assert number in shown


async def test_a_field_error_is_shown_as_the_field_is_left_and_nothing_is_stored(
    desk: Desk, make_app, lang: str
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await burst(pilot, "352099001761482", "tab")  # last digit mistyped
        error = info(app, "imei-error")
        assert error == _("core.imei_bad_check")
        if lang == "zh":
            assert "校验位" in error
        await burst(pilot, "13800138000", "enter")
        await burst(pilot, "张伟", "enter")
        await burst(pilot, "screen", "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert desk.tickets.count_tickets() == 0
        assert isinstance(app.screen, IntakeScreen)
        assert app.focused is app.screen.query_one("#imei", Input)
        assert info(app, "imei-error") == _("core.imei_bad_check")
        # Fixed, the same form saves.
        await pilot.press("end", "backspace", "1", "ctrl+s")
        await settle(pilot)
        assert desk.tickets.count_tickets() == 1


async def test_ctrl_s_on_a_half_filled_form_stores_nothing(desk: Desk, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await burst(pilot, SCANNED_IMEI, "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert desk.tickets.count_tickets() == 0
        assert info(app, "phone-error") == _("core.required")
        assert info(app, "name-error") == _("core.required")
        assert info(app, "fault-search-error") == _("core.fault_or_description")
        assert app.focused is app.screen.query_one("#phone", Input)


async def test_the_facade_refuses_what_only_the_whole_form_shows(desk: Desk, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        for text in (SCANNED_IMEI, "13800138000", "Li", "keys"):
            await burst(pilot, text, "enter")
        screen = app.screen
        screen.query_one("#sale-date", Input).value = "2026-11-10"
        screen.query_one("#invoice-date", Input).value = "2026-11-01"  # before the sale
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert desk.tickets.count_tickets() == 0
        assert info(app, "invoice-date-error") == _("core.invoice_before_sale")


async def test_leaving_an_intake_with_unsaved_input_asks_first(desk: Desk, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await burst(pilot, SCANNED_IMEI, "escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # no answer: stay
        assert isinstance(app.screen, IntakeScreen)
        await pilot.press("f2")
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.focused.id == "answer-keep"  # switching keeps the draft: safe
        await pilot.press("enter")  # keep the draft for later
        await settle(pilot)
        assert app.current_mode == "board"
        await pilot.press("f3")
        assert app.screen.query_one("#imei", Input).value == SCANNED_IMEI
        await pilot.press("escape", "tab", "enter")  # from "keep" to "discard"
        await settle(pilot)
        assert app.current_mode == "board"
        await pilot.press("f3")
        assert app.screen.query_one("#imei", Input).value == ""
        assert desk.tickets.count_tickets() == 0


async def test_quitting_with_an_unsaved_intake_asks(desk: Desk, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", *"1380", "f2")
        await pilot.press("enter")  # keep it
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # stay: the safe answer is the default
        assert app.is_running
        await pilot.press("ctrl+q", "shift+tab", "enter")  # quit, chosen on purpose
        await settle(pilot)
    assert app.return_code == 0


async def test_the_fault_finder_adds_and_removes_with_enter(desk: Desk, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3", "tab", "tab", "tab")
        await burst(pilot, "sim", "enter")
        faults = app.screen.query_one("#faults", SelectionList)
        assert faults.selected == ["sim_contact"]
        await pilot.press(*"sim")
        assert info(app, "fault-hint") == _("tui.fault_enter_removes",
                                             fault=_("fault.sim_contact"))
        await pilot.press("enter")
        assert faults.selected == []
