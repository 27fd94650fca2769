"""The Settlement workspace by keys: F5 opens it over a real HQ database holding a counter's
claim lines (imported from its batch, priced by the shipped rate card); A approves the line
under the cursor, R rejects it with a reason (none: refused, the label named, nothing
stored), E adjusts it, Ctrl+K closes the month into statements that S lists; a viewer's
key is refused with the facade's words; every screen fits 80×24 and 120×36."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from stdnum import luhn
from textual.widgets import DataTable

from repairdesk.desk import Desk
from repairdesk.hq.facade import Hq
from repairdesk.i18n import _, set_language
from screens.hq.app import HqApp
from screens.hq.dialogs import ReasonDialog
from screens.hq.settle_dialogs import AdjustDialog, CloseMonthDialog
from screens.hq.settle_keys import SCREEN_KEYS, WORKSPACE
from screens.hq.settlement import SettlementScreen
from tests.conftest import CST, INTAKE, FrozenClock
from tests.hq.helpers import snapshot
from tests.tui.conftest import burst, settle

from .conftest import ADMIN, ADMIN_PIN, SIZES, VIEWER, VIEWER_PIN, log_in, screen_text

CARD = Path(__file__).resolve().parents[3] / "data" / "hq" / "settlement.toml"
OCTOBER = datetime(2026, 10, 12, 9, 0, tzinfo=CST)
HQ_DAY = datetime(2026, 11, 3, 10, 0, tzinfo=CST)  # October is over: it may be closed
#: The counter's warranty repairs by their grade: two software jobs and an inspection are
#: pending at the card's amount, the ungraded one is rejected by the no_grade check.
GRADES = ("software", "software", "inspection", None)


@dataclass
class World:
    url: str
    clock: FrozenClock
    key: Path
    tickets: list[str]


def _imei(serial: int) -> str:
    body = f"35209900{serial:06d}"
    return body + luhn.calc_check_digit(body)


def _october(url: str, root: Path) -> World:
    """HQ with the rate card in force and SH01's October of warranty work imported."""
    clock = FrozenClock(OCTOBER - timedelta(days=2))
    key = root / "hq.key"
    setup = Hq.open(url, check=False, clock=clock)
    setup.init(key)
    setup.close()
    hq = Hq.open(url, clock=clock)
    counter_clock = FrozenClock(OCTOBER)
    desk = Desk.open(root / "SH01.sqlite3", clock=counter_clock, user="王店长")
    tickets = []
    try:
        hq.add_counter("SH01", "徐汇网点", level="gold")
        hq.load_card(CARD)
        desk.init_counter("SH01", "徐汇网点")
        hq.trust("SH01", desk.sync.ensure_signing_key().public_key)
        for serial, grade in enumerate(GRADES, 1):
            doc = copy.deepcopy(INTAKE)
            doc["device"].update(imei=_imei(serial), sale_date="2026-09-20",
                                 invoice_date="2026-09-20")
            doc["customer"]["phone"] = f"139{serial:08d}"
            number = desk.tickets.intake(json.loads(json.dumps(doc))).ticket
            desk.tickets.update_repair(number, warranty=True,
                                       **({"grade": grade} if grade else {}))
            tickets.append(number)
        counter_clock.now += timedelta(days=1)
        for number in tickets:
            for status in ("diagnosing", "repairing", "qc", "ready", "collected"):
                desk.tickets.move(number, status)
        out = root / "stick"
        out.mkdir()
        batch = Path(desk.sync.export_batch(out).path)
        clock.now = HQ_DAY
        (outcome,), _gaps = hq.import_files([batch])
        assert outcome.status == "imported", outcome
        hq.add_user(ADMIN, "admin", ADMIN_PIN)
        hq.login(ADMIN, ADMIN_PIN)
        hq.add_user(VIEWER, "viewer", VIEWER_PIN)
    finally:
        desk.close()
        hq.close()
    return World(url, clock, key, tickets)


@pytest.fixture
def world(hq_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    world = _october(hq_url, tmp_path)
    monkeypatch.setenv("REPAIRDESK_HQ_KEY", str(world.key))  # as hq settle close finds it
    return world


@pytest.fixture
def make_hq(world: World) -> Iterator[Callable[[], Hq]]:
    opened: list[Hq] = []

    def make() -> Hq:
        opened.append(Hq.open(world.url, clock=world.clock))
        return opened[-1]

    yield make
    for hq in opened:
        hq.close()


def _states(hq: Hq) -> dict[int, tuple[str, str | None, str | None]]:
    return {v.id: (v.status, v.approved, v.review_reason) for v in hq.claim_lines()}


async def _open(pilot: Any, app: HqApp, name: str, pin: str) -> SettlementScreen:
    await log_in(pilot, name, pin)
    await pilot.press("f5")
    await settle(pilot)
    assert isinstance(app.screen, SettlementScreen), screen_text(app)
    return app.screen


def _table_ids(screen: SettlementScreen) -> list[str]:
    table = screen.query_one("#settle-lines", DataTable)
    return [str(table.get_cell_at((row, 0))) for row in range(table.row_count)]


def _cursor_id(screen: SettlementScreen) -> int | None:
    return screen.current_line()


async def _to_line(pilot: Any, screen: SettlementScreen, line: int) -> None:
    table = screen.query_one("#settle-lines", DataTable)
    table.move_cursor(row=_table_ids(screen).index(str(line)))
    await settle(pilot)


async def test_f5_lists_the_lines_and_a_approves(make_hq: Callable[[], Hq],
                                                 view: tuple[int, int]) -> None:
    hq = make_hq()
    lines = {v.id: v for v in hq.claim_lines()}
    assert [v.status for v in lines.values()] == ["pending", "pending", "pending", "rejected"]
    app = HqApp(hq)
    async with app.run_test(size=view) as pilot:
        screen = await _open(pilot, app, ADMIN, ADMIN_PIN)
        assert _table_ids(screen) == [str(i) for i in lines]
        shown = screen_text(app)
        assert _("hqsettle.status_pending") in shown
        assert lines[4].checks[0].reason[:10] in shown  # the first check's reason
        assert lines[1].ticket in shown and "23.00" in shown
        assert _("hqscreen_settle.section_checks") in shown  # the detail pane

        await _to_line(pilot, screen, 2)
        await pilot.press("a")
        await settle(pilot)
        assert _states(hq)[2] == ("approved", "23.00", None)
        assert _cursor_id(screen) == 2  # the list read again, the cursor on the same line
        assert _("hqsettle.status_approved") in screen_text(app)
        assert _("hqscreen_settle.event_approved") in screen_text(app)  # its history

        await _to_line(pilot, screen, 4)
        before = _states(hq)
        await pilot.press("a")  # rejected by its check: the facade's refusal, said
        await settle(pilot)
        assert _states(hq) == before
        assert "no_grade" in screen_text(app)
    assert hq.events(subject="2")[0]["user"] == ADMIN


async def test_r_rejects_with_a_reason_and_none_is_refused(
        make_hq: Callable[[], Hq], view: tuple[int, int]) -> None:
    hq = make_hq()
    app = HqApp(hq)
    async with app.run_test(size=view) as pilot:
        screen = await _open(pilot, app, ADMIN, ADMIN_PIN)
        await _to_line(pilot, screen, 3)
        before = snapshot(hq)
        await pilot.press("r")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        await burst(pilot, "", "enter")  # no reason: refused, named by its label
        assert app.screen is dialog
        assert _("field.reason") in str(dialog.query_one("#reason-error").render())
        assert _("core.reason_required") in screen_text(app)
        assert snapshot(hq) == before
        await burst(pilot, "未见故障，无需检测费", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert _cursor_id(screen) == 3
        assert "未见故障" in screen_text(app)
    assert _states(hq)[3] == ("rejected", None, "未见故障，无需检测费")


async def test_e_adjusts_below_the_card(make_hq: Callable[[], Hq],
                                        view: tuple[int, int]) -> None:
    hq = make_hq()
    app = HqApp(hq)
    async with app.run_test(size=view) as pilot:
        screen = await _open(pilot, app, ADMIN, ADMIN_PIN)
        await _to_line(pilot, screen, 1)
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AdjustDialog)
        await burst(pilot, "30", "enter")  # above the card's 23.00
        await burst(pilot, "只刷机一次", "enter")
        assert app.screen is dialog
        assert _("hqsettle.above_card", amount="30.00", card="23.00") in screen_text(app)
        assert _states(hq)[1] == ("pending", None, None)
        # the refused field has the focus, its text selected: the next amount replaces it
        assert app.focused is dialog.query_one("#field-amount")
        await burst(pilot, "18.50", "enter", "enter")
        await settle(pilot)
        assert app.screen is screen, screen_text(app)
        assert _cursor_id(screen) == 1
    assert _states(hq)[1] == ("approved", "18.50", "只刷机一次")


async def test_ctrl_k_closes_the_month_and_s_lists_it(make_hq: Callable[[], Hq],
                                                     view: tuple[int, int]) -> None:
    hq = make_hq()
    hq.login(ADMIN, ADMIN_PIN)
    hq.approve_lines([1, 2, 3])
    app = HqApp(make_hq())
    async with app.run_test(size=view) as pilot:
        screen = await _open(pilot, app, ADMIN, ADMIN_PIN)
        await pilot.press("ctrl+k")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CloseMonthDialog)
        await burst(pilot, "", "enter")  # the month offered (2026-10): asked to confirm
        assert app.screen is dialog
        assert hq.statements() == []
        assert "2026-10" in screen_text(app)
        await burst(pilot, "", "enter")
        await settle(pilot)
        assert app.screen is screen, screen_text(app)
        assert screen.view == "statements"
        shown = screen_text(app)
        assert "SH01" in shown and "57.50" in shown  # 23.00 + 23.00 + 11.50
        await pilot.press("s")  # back to the lines
        await settle(pilot)
        assert screen.view == "lines"
    (statement,) = hq.statements()
    assert (statement.counter, statement.month, statement.total) == ("SH01", "2026-10",
                                                                      "57.50")


async def test_a_viewer_is_refused(make_hq: Callable[[], Hq], view: tuple[int, int]) -> None:
    hq = make_hq()
    before = snapshot(hq)
    app = HqApp(hq)
    async with app.run_test(size=view) as pilot:
        screen = await _open(pilot, app, VIEWER, VIEWER_PIN)
        assert _("hqscreen_settle.read_only") in screen_text(app)
        for key in ("a", "r", "e", "ctrl+k"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is screen, key  # no dialog: the facade refused first
        said = [str(n.message) for n in app._notifications]
        assert said and all(VIEWER in message for message in said)  # the user and roles
    assert snapshot(hq) == before


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", ["small", "wide"])
async def test_it_fits_the_screen(make_hq: Callable[[], Hq], lang: str, size: str) -> None:
    set_language(lang)
    width, height = SIZES[size]
    app = HqApp(make_hq())
    async with app.run_test(size=(width, height)) as pilot:
        screen = await _open(pilot, app, ADMIN, ADMIN_PIN)
        for key in ("", "s", "p"):
            if key:
                await pilot.press(key)
                await settle(pilot)
            rows = screen_text(app).split("\n")
            assert len(rows) == height
            assert all(cell_len(row) == width for row in rows), rows
            footer = rows[-1]
            # every key of the screen shown, none cut off; the workspaces' F-keys too where
            # the width leaves room (at 80 cells F1's help lists them)
            for command in (*SCREEN_KEYS, *([WORKSPACE] if size == "wide" else [])):
                if command.show and screen.check_action(command.action.split("(")[0],
                                                        ()) is not False:
                    assert command.label in footer, (command.label, footer)
            shown = {"": "settle-lines", "s": "view-statements", "p": "view-disputes"}[key]
            table = screen.query_one(f"#{shown}", DataTable)
            assert table.size.height >= 4, key
        await pilot.press("p")  # P again: back to the lines
        await settle(pilot)
        # the whole line table fits across: no column is pushed off the right edge
        lines = screen.query_one("#settle-lines", DataTable)
        assert lines.virtual_size.width <= lines.size.width, (lines.virtual_size, lines.size)
