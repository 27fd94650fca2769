"""Printing from the ticket screen: the slip reaches the printer, a failure offers a retry."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from repairdesk.desk import Desk
from screens.dialogs import ConfirmDialog, PrintDialog

from .conftest import settle
from .test_ticket import open_ticket


def _settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, printer: str) -> None:
    config = tmp_path / "print-settings.toml"
    config.write_text(f'printer = "{printer}"\nprint_format = "escpos"\n', encoding="utf-8")
    monkeypatch.setenv("REPAIRDESK_CONFIG", str(config))


async def test_f8_prints_the_intake_slip_and_the_timeline_shows_it(
        desk: Desk, make_app, ticket_on, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    printer = tmp_path / "lp0"
    printer.touch()
    _settings(tmp_path, monkeypatch, f"file:{printer}")
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_ticket(app, pilot, number)
        await pilot.press("f8")
        assert isinstance(app.screen, PrintDialog)
        await pilot.press("enter")  # the first slip: intake
        await settle(pilot)
        timeline = str(app.screen.query_one("#ticket-timeline").render())
        assert "lp0" in timeline
    data = printer.read_bytes()
    assert data.startswith(b"\x1b@") and number.encode() in data
    assert [(p.slip, p.ok) for p in desk.printing.printed_slips(number)] == [("intake", True)]


async def test_a_refused_printer_offers_to_print_again(
        desk: Desk, make_app, ticket_on, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _settings(tmp_path, monkeypatch, f"tcp://127.0.0.1:{port}?timeout=1")
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_ticket(app, pilot, number)
        await pilot.press("f8", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # print again: refused again, asked again
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
    attempts = desk.printing.printed_slips(number)
    assert [(p.slip, p.ok) for p in attempts] == [("intake", False), ("intake", False)]
    assert desk.tickets.ticket(number).status == "received"  # the ticket itself is untouched


async def test_f8_with_no_printer_shows_the_slip_on_screen(desk: Desk, make_app, ticket_on,
                                                           lang: str) -> None:
    from repairdesk.i18n import _
    from screens.printing import SlipPreview

    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_ticket(app, pilot, number)
        await pilot.press("f8", "enter")
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, SlipPreview)
        shown = str(preview.query_one("#preview-slip").render())
        assert number in shown and _("print.title_intake") in shown
        note = str(preview.query_one("#preview-note").render())
        assert note == _("ticketui.preview_no_printer", slip=_("tui.slip.intake"),
                         ticket=number, settings=preview.settings)
        await pilot.press("enter")  # a stray Enter only closes it
        await settle(pilot)
        assert app.screen is screen


async def test_a_slip_printed_to_a_file_says_where(desk: Desk, make_app, ticket_on,
                                                   tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from repairdesk.i18n import _

    from .test_ticket import toasts

    out = tmp_path / "slips.txt"
    config = tmp_path / "print-settings.toml"
    config.write_text(f'printer = "file:{out}"\n', encoding="utf-8")
    monkeypatch.setenv("REPAIRDESK_CONFIG", str(config))
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_ticket(app, pilot, number)
        await pilot.press("f8", "enter")
        await settle(pilot)
        assert _("ticketui.printed_file", slip=_("tui.slip.intake"), ticket=number,
                 path=str(out)) in toasts(app)
    assert number.encode() in out.read_bytes()
