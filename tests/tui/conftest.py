"""Fixtures of the counter app's tests: the app over the test desk, and ways to wait for it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from repairdesk.desk import Desk
from repairdesk.i18n import set_language
from screens.app import RepairDeskApp
from tests.conftest import INTAKE

SCANNED_IMEI = "352099001761481"  # Alcatel One Touch 332 in the shipped TAC table


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers (lookups, the board) finish and the screen catch up."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture(params=["en", "zh"])
def lang(request: pytest.FixtureRequest) -> str:
    """Run a flow in both languages; the UI language is set before the app is built."""
    set_language(request.param)
    return str(request.param)


@pytest.fixture
def make_app(desk: Desk) -> Callable[..., RepairDeskApp]:
    def make(**options: Any) -> RepairDeskApp:
        return RepairDeskApp(desk, **options)

    return make


@pytest.fixture
def ticket_on(desk: Desk) -> Callable[..., str]:
    """A ticket taken in with the given sale date (and changes to the intake document)."""

    def take(sale_date: str | None = "2026-11-18", **changes: Any) -> str:
        doc = copy.deepcopy(INTAKE)
        doc["device"]["sale_date"] = sale_date
        doc["device"]["invoice_date"] = sale_date
        for key, value in changes.items():
            doc[key] = value
        return desk.tickets.intake(doc).ticket

    return take



async def burst(pilot: Pilot[Any], text: str, *keys: str) -> None:
    """Type ``text`` then ``keys`` as a barcode scanner (or a fast typist) does: every key
    at once, no pause between them; then wait for the app. Only the waiting differs from
    ``pilot.press``, which settles the app after each key (and takes ~80 ms a key)."""
    from textual import events
    from textual.keys import _character_to_key

    driver = pilot.app._driver
    assert driver is not None
    sent = [events.Key(char if char.isalnum() else _character_to_key(char), char)
            for char in text]
    sent += [events.Key(key, "\r" if key == "enter" else None) for key in keys]
    for event in sent:
        event.set_sender(pilot.app)
        driver.send_message(event)
    await settle(pilot)


async def from_day_end(pilot: Pilot[Any], key: str, screen: type[Any]) -> Any:
    """Day end (F12), then ``key``: the screen it opens, checked to be a ``screen``."""
    await settle(pilot)
    await pilot.press("f12")
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    assert isinstance(pilot.app.screen, screen), pilot.app.screen
    return pilot.app.screen
