"""Hostile input in the intake form's fields: a message by the field, never a crash, and
nothing half-stored (the form's fields; the CLI's are in tests/unit/trust/test_hostile_input.py)."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Input

from repairdesk.desk import Desk
from screens.app import RepairDeskApp
from screens.intake import IntakeScreen
from screens.intake_done import IntakeDoneDialog
from tests.conftest import FrozenClock
from tests.tui.conftest import settle

nasty = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["'; DROP TABLE ticket; --", "３５２０９９００１７６１４８１", "😀📱", "\x1b[2J",
                     "2026-02-30", "-1", "1e309", "张" * 300, "352099001761482", "+86 1"]),
)


async def _fill_and_save(desk: Desk, values: list[str]) -> tuple[bool, bool]:
    app = RepairDeskApp(desk)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        inputs = list(app.screen.query(Input))
        for widget, value in zip(inputs, values, strict=False):
            widget.value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        return isinstance(app.screen, IntakeDoneDialog), app.is_running


@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.lists(nasty, min_size=1, max_size=12))
def test_any_typing_in_the_intake_form_is_safe(values: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        desk = Desk.open(Path(folder) / "form.sqlite3", clock=FrozenClock())
        try:
            desk.init_counter("SH01", "徐汇网点")
            saved, running = asyncio.run(_fill_and_save(desk, values))
            assert running
            assert desk.tickets.count_tickets() == (1 if saved else 0)
        finally:
            desk.close()
