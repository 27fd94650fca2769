"""A few pictures of the layout at the two terminal sizes the counter uses (80×24 is the
floor, 120×40 the comfortable size). Layout regressions only: behaviour is proven by the
Pilot tests, and Chinese text by value assertions (CJK overlaps in SVG output)."""

from __future__ import annotations

from textual.pilot import Pilot

from repairdesk.desk import Desk
from screens.app import RepairDeskApp
from tests.tui.conftest import SCANNED_IMEI, settle


def test_board_80x24(snap_compare, desk: Desk, intake_doc: dict) -> None:
    desk.intake(intake_doc)
    assert snap_compare(RepairDeskApp(desk), terminal_size=(80, 24), run_before=settle)


def test_intake_with_a_scanned_imei_120x40(snap_compare, desk: Desk, intake_doc: dict) -> None:
    desk.intake(intake_doc)

    async def scan(pilot: Pilot) -> None:
        await pilot.press("f3", *SCANNED_IMEI, "enter")
        await settle(pilot)
        # On a loaded machine the history lookup may still be queued: let it land, twice.
        await pilot.pause(0.3)
        await settle(pilot)

    assert snap_compare(RepairDeskApp(desk), terminal_size=(120, 40), run_before=scan)


def test_ticket_80x24(snap_compare, desk: Desk, intake_doc: dict) -> None:
    desk.intake(intake_doc)

    async def open_ticket(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(RepairDeskApp(desk), terminal_size=(80, 24), run_before=open_ticket)
