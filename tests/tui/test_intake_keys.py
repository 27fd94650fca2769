"""The intake form at the counter's speed: keys after Tab, lists, clearing, and the questions
asked before a save: defects a new user met at the counter, each test failing before its fix."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Button, Input, SelectionList, Static

from repairdesk.desk import Desk
from screens.dialogs import ConfirmDialog
from screens.intake import IntakeScreen
from tests.tui.conftest import SCANNED_IMEI, burst, settle

NAMED = {"tab", "shift+tab", "enter", "space", "up", "down", "ctrl+s", "f5", "escape"}


async def scanner(pilot: Pilot[Any], *parts: str) -> None:
    """Every key of ``parts`` at once, as a scanner or a fast typist sends them: a part
    that names a key is that key, any other part is typed character by character."""
    driver = pilot.app._driver
    assert driver is not None
    sent = []
    for part in parts:
        if part in NAMED:
            sent.append(events.Key(part, "\r" if part == "enter" else
                                   "\t" if part == "tab" else None))
        else:
            sent += [events.Key(c if c.isalnum() else _character_to_key(c), c) for c in part]
    for event in sent:
        event.set_sender(pilot.app)
        driver.send_message(event)
    await settle(pilot)


def value(app, field_id: str) -> str:
    return app.screen.query_one(f"#{field_id}", Input).value


def shown(app, widget_id: str) -> str:
    return str(app.screen.query_one(f"#{widget_id}", Static).render())


async def test_keys_typed_right_after_tab_land_in_the_field_tab_went_to(desk: Desk,
                                                                       make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        for _run in range(3):
            await scanner(pilot, SCANNED_IMEI, "tab", "13800138000", "tab", "Li Na",
                          "shift+tab", "shift+tab")
            assert (value(app, "imei"), value(app, "phone"), value(app, "name")) == (
                SCANNED_IMEI, "13800138000", "Li Na")
            assert app.focused is app.screen.query_one("#imei", Input)
            app.screen.discard()
            await settle(pilot)
        # From the condition marks, Tab to a date and type it at once (where keys once went astray).
        app.screen.query_one("#marks").focus()
        await scanner(pilot, "tab", "tab", "tab", "notes", "tab", "2026-11-20")
        assert value(app, "condition-notes") == "notes"
        assert app.focused is app.screen.query_one("#invoice-date", Input)
        assert value(app, "invoice-date") == "2026-11-20"


async def test_a_new_intake_starts_every_list_at_its_first_item_and_up_does_not_wrap(
        desk: Desk, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        accessories = app.screen.query_one("#accessories", SelectionList)
        accessories.focus()
        await pilot.press("up")
        assert accessories.highlighted == 0  # no wrap to the bottom
        await pilot.press("down", "down", "down", "space", "down", "space")
        assert accessories.selected == ["sim_card", "memory_card"]
        await pilot.press("f5", "shift+tab", "enter")  # clear the form: discard
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert accessories.selected == [] and accessories.highlighted == 0
        accessories.focus()
        await pilot.press("space")
        assert accessories.selected == ["battery"]


async def test_lists_tick_by_number_or_first_letters(desk: Desk, make_app, lang: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        app.screen.query_one("#accessories").focus()
        await scanner(pilot, "1", "3")
        assert app.screen.query_one("#accessories", SelectionList).selected == [
            "battery", "sim_tray"]
        await pilot.press("3")  # again: unticked
        app.screen.query_one("#marks").focus()
        await scanner(pilot, "磕" if lang == "zh" else "de")
        assert app.screen.query_one("#marks", SelectionList).selected == ["dents"]
        assert app.screen.query_one("#accessories", SelectionList).selected == ["battery"]
        await scanner(pilot, "bent")  # letters of the code, in either language
        assert app.screen.query_one("#marks", SelectionList).selected == ["dents", "bent_frame"]


async def test_the_counters_default_accessories_and_condition_start_every_intake(
        desk: Desk, make_app, tmp_path, monkeypatch) -> None:
    config = tmp_path / "counter.toml"
    config.write_text('intake_accessories = ["battery", "back_cover"]\n'
                      'intake_marks = ["scratches"]\nintake_liquid = "clean"\n',
                      encoding="utf-8")
    monkeypatch.setenv("REPAIRDESK_CONFIG", str(config))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        accessories = screen.query_one("#accessories", SelectionList)
        assert accessories.selected == ["battery", "back_cover"]
        assert not screen.has_unsaved()  # the defaults alone are nothing to lose
        accessories.focus()
        await pilot.press("1", "4")  # battery off, SIM card on
        assert screen.has_unsaved()
        await pilot.press("f5", "shift+tab", "enter")
        await settle(pilot)
        assert accessories.selected == ["battery", "back_cover"]
        assert screen.query_one("#marks", SelectionList).selected == ["scratches"]
        assert screen.query_one("#liquid").value == "clean"


async def test_a_cleared_form_shows_no_error(desk: Desk, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await burst(pilot, SCANNED_IMEI, "enter")
        await burst(pilot, "1380")
        await pilot.press("f5", "shift+tab", "enter")  # discard
        await settle(pilot)
        assert value(app, "phone") == "" and value(app, "imei") == ""
        assert not app.screen.query(".field-error.-shown")
        assert not app.screen.query("Input.-invalid")


async def test_f5_on_an_unsaved_intake_defaults_to_staying(desk: Desk, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await burst(pilot, SCANNED_IMEI, "enter")
        await pilot.press("f5")
        assert isinstance(app.screen, ConfirmDialog)
        assert app.focused is app.screen.query_one("#answer-stay", Button)
        await pilot.press("enter")  # a stray Enter loses nothing
        await settle(pilot)
        assert value(app, "imei") == SCANNED_IMEI


async def fill(pilot: Pilot[Any], phone: str, name: str) -> None:
    await burst(pilot, SCANNED_IMEI, "enter")
    await burst(pilot, phone, "enter")
    await burst(pilot, name, "enter")
    await burst(pilot, "screen", "enter")


async def test_a_scan_on_the_saved_dialog_starts_the_next_intake(desk: Desk, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await fill(pilot, "13800138000", "Li Na")
        await pilot.press("ctrl+s")
        await settle(pilot)
        number = app.screen.result.ticket  # the saved dialog
        await burst(pilot, "352099001761507", "enter")  # the next phone's scan
        assert isinstance(app.screen, IntakeScreen)
        assert value(app, "imei") == "352099001761507"
        assert app.focused is app.screen.query_one("#phone", Input)
        await burst(pilot, "13912345678")
        assert value(app, "phone") == "13912345678"
    assert desk.printing.printed_slips(number) == []  # the scan's Enter pressed nothing
    assert desk.tickets.count_tickets() == 1


async def test_saving_a_device_with_an_open_ticket_asks_and_defaults_to_opening_it(
        desk: Desk, make_app, ticket_on) -> None:
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await fill(pilot, "13800138000", "张伟")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert number in str(app.screen.query_one("#confirm-question", Static).render())
        assert app.focused is app.screen.query_one("#answer-open", Button)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.number == number  # the ticket screen of the open ticket
        assert desk.tickets.count_tickets() == 1
        await pilot.press("escape")
        await settle(pilot)
        assert value(app, "imei") == SCANNED_IMEI  # the form is kept
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.screen.query_one("#answer-save", Button).press()
        await settle(pilot)
    assert desk.tickets.count_tickets() == 2


async def test_a_known_customers_name_is_selected_so_typing_replaces_it(
        desk: Desk, make_app, ticket_on) -> None:
    ticket_on()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await burst(pilot, SCANNED_IMEI, "enter")
        await burst(pilot, "13800138000", "enter")
        assert value(app, "name") == "张伟"
        await burst(pilot, "X")
        assert value(app, "name") == "X"


async def test_another_name_for_a_known_phone_asks_and_never_renames_silently(
        desk: Desk, make_app, ticket_on, lang: str) -> None:
    first = ticket_on()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await burst(pilot, "352099001761507", "enter")
        await burst(pilot, "13800138000", "enter")
        await burst(pilot, "李娜", "enter")  # the filled 张伟 replaced
        await burst(pilot, "screen", "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        question = str(app.screen.query_one("#confirm-question", Static).render())
        assert "张伟" in question and "李娜" in question
        assert app.focused is app.screen.query_one("#answer-back", Button)
        await pilot.press("enter")  # back: nothing stored
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen) and desk.tickets.count_tickets() == 1
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.screen.query_one("#answer-new", Button).press()
        await settle(pilot)
        second = app.screen.result.ticket
    assert desk.tickets.ticket(first).customer["name"] == "张伟"
    assert desk.tickets.ticket(second).customer == {"name": "李娜", "phone": "+8613800138000"}


async def test_renaming_a_known_customer_is_a_choice(desk: Desk, make_app, ticket_on) -> None:
    first = ticket_on()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await burst(pilot, "352099001761507", "enter")
        await burst(pilot, "13800138000", "enter")
        await burst(pilot, "张伟伟", "enter")
        await burst(pilot, "screen", "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.screen.query_one("#answer-rename", Button).press()
        await settle(pilot)
        second = app.screen.result.ticket
    assert desk.tickets.ticket(first).customer["name"] == "张伟伟"
    assert desk.tickets.ticket(second).customer["name"] == "张伟伟"


def buttons_fit(app) -> None:
    """Every answer of the dialog on screen can be read whole: its label (centred on its
    button) inside the dialog's box."""
    box = app.screen.query_one("#confirm-box, #done-box").content_region
    for button in app.screen.query(Button):
        width = cell_len(str(button.label))
        left = button.region.x + (button.region.width - width) // 2
        assert button.region.width >= width, button.label
        assert box.x <= left and left + width <= box.right, button.label


async def test_the_dialogs_of_an_intake_fit_80_by_24(desk: Desk, make_app, ticket_on,
                                                     lang: str) -> None:
    ticket_on()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await fill(pilot, "13800138000", "欧阳娜娜")
        await pilot.press("ctrl+s")  # the device has an open ticket
        await settle(pilot)
        buttons_fit(app)
        app.screen.query_one("#answer-save", Button).press()
        await settle(pilot)  # the phone is on file as 张伟
        buttons_fit(app)
        app.screen.query_one("#answer-new", Button).press()
        await settle(pilot)
        assert app.screen.query_one("#done-open", Button)
        buttons_fit(app)
        number = app.screen.query_one("#done-ticket")
        assert app.screen.query_one("#done-box").content_region.contains_region(number.region)


async def test_the_standard_intake_typed_in_one_burst_lands_field_by_field(
        desk: Desk, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        await scanner(pilot, "352099001761507", "enter", "13912345678", "enter", "李娜",
                      "enter", "scr", "enter", "char", "enter", "enter", "-6", "enter",
                      "1", "2", "3", "tab", "1", "ctrl+s")
        number = app.screen.result.ticket  # saved
    view = desk.tickets.ticket(number)
    assert view.customer == {"name": "李娜", "phone": "+8613912345678"}
    assert view.faults == ["display", "charger_fault"]
    assert str(view.device["sale_date"]) == "2026-11-15"
    assert view.accessories == ["battery", "back_cover", "sim_tray"]
    assert view.condition["marks"] == ["scratches"]
