"""A few pictures of the layout at the two terminal sizes the counter uses (80×24 is the
floor, 120×40 the comfortable size). Layout regressions only: behaviour is proven by the
Pilot tests, and Chinese text by value assertions (CJK overlaps in SVG output). The intake
after a scan is left to the Pilot tests: its picture depended on when the history lookup
landed on a loaded machine, and a flaky picture proves nothing."""

from __future__ import annotations

from textual.pilot import Pilot

from repairdesk.desk import Desk
from screens.app import RepairDeskApp
from tests.tui.conftest import settle


def test_board_80x24(snap_compare, desk: Desk, intake_doc: dict) -> None:
    desk.tickets.intake(intake_doc)
    assert snap_compare(RepairDeskApp(desk), terminal_size=(80, 24), run_before=settle)


def test_ticket_80x24(snap_compare, desk: Desk, intake_doc: dict) -> None:
    desk.tickets.intake(intake_doc)

    async def open_ticket(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(RepairDeskApp(desk), terminal_size=(80, 24), run_before=open_ticket)
