"""Defects a new user met at the counter: quitting, workspaces, the lookup by
name, the checklist's headings, safe answers. Each test failed before its fix."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import DataTable, Input

from repairdesk.desk import Desk
from screens.checklist import ChecklistScreen
from screens.dialogs import ConfirmDialog
from screens.lookup import LookupScreen
from screens.ticket import TicketScreen
from tests.tui.conftest import settle
from tests.tui.test_checklist import TEN_DAYS_BEFORE, open_checklist


async def open_from_lookup(app, pilot, query: str) -> None:
    await pilot.press("f4")
    await settle(pilot)
    await pilot.press(*query, "enter")
    await settle(pilot)


async def test_quit_after_a_ticket_was_left_never_raises(desk: Desk, make_app, ticket_on) -> None:
    """F4, a ticket number, Enter, Esc, Ctrl+Q: the closed ticket is not asked about."""
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_from_lookup(app, pilot, number)
        assert isinstance(app.screen, TicketScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LookupScreen)
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert app.return_code == 0  # Textual sets 1 (and keeps the traceback) on a crash


async def test_quit_with_an_unsaved_intake_asks_once_and_stays_by_default(
        desk: Desk, make_app, ticket_on) -> None:
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press(*"3520990017")  # half an IMEI: a draft
        await open_from_lookup(app, pilot, number)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.focused is not None and app.screen.focused.id == "answer-stay"
        await pilot.press("ctrl+q")  # asked once: a second Ctrl+Q does not stack a dialog
        await settle(pilot)
        assert sum(isinstance(s, ConfirmDialog) for s in app.screen_stack) == 1
        await pilot.press("enter")  # the stray Enter: stays
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert app.is_running
        await pilot.press("f3")
        await settle(pilot)
        assert app.screen.query_one("#imei", Input).value == "3520990017"


async def test_f3_and_f4_show_the_workspace_not_an_old_ticket(desk: Desk, make_app,
                                                               ticket_on) -> None:
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_from_lookup(app, pilot, number)
        assert isinstance(app.screen, TicketScreen)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, LookupScreen)
        assert app.screen.focused is app.screen.query_one("#query", Input)
        await pilot.press("f3")
        await settle(pilot)
        assert app.screen.query("#imei")  # the intake form, not the ticket
        await pilot.press("f7")  # the checklist is a ticket's key: nothing opens here
        await settle(pilot)
        assert not isinstance(app.screen, ChecklistScreen)


async def test_enter_on_a_name_opens_the_ticket_it_found(desk: Desk, make_app, ticket_on,
                                                         lang: str) -> None:
    ticket_on(customer={"name": "李雷", "phone": "139 0013 9000"})
    wanted = ticket_on(customer={"name": "王芳", "phone": "137 0013 7000"})
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press(*"王芳")
        await settle(pilot)
        assert app.screen.query_one("#lookup-results", DataTable).row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        assert app.screen.number == wanted


async def test_down_in_the_query_picks_which_result_enter_opens(desk: Desk, make_app,
                                                                ticket_on) -> None:
    first = ticket_on(customer={"name": "王芳", "phone": "137 0013 7000"})
    second = ticket_on(customer={"name": "王芳芳", "phone": "137 0013 7001"})
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press(*"王芳")
        await settle(pilot)
        table = app.screen.query_one("#lookup-results", DataTable)
        assert table.row_count == 2
        shown = [table.coordinate_to_cell_key((r, 0)).row_key.value for r in range(2)]
        assert set(shown) == {first, second}
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        assert app.screen.number == shown[1]


async def test_results_typed_on_the_bench_heading_are_never_lost(desk: Desk, make_app,
                                                                 ticket_on) -> None:
    """P on every line from the top: the cursor passes the "Bench tests" heading."""
    number = ticket_on(TEN_DAYS_BEFORE)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_checklist(app, pilot, number)
        screen = app.screen
        table = screen.query_one("#checklist-items", DataTable)
        items = [c for c in screen.results if c != "bench.battery_health"]
        await pilot.press(*["p"] * (table.row_count + 2))
        await settle(pilot)
        before_battery = [c for c in items
                          if table.get_row_index(c) < table.get_row_index("bench.battery_health")]
        assert len(before_battery) > 1
        assert all(screen.results[c] == "pass" for c in before_battery), screen.results
        await pilot.press("up")
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value \
            and not str(table.coordinate_to_cell_key(table.cursor_coordinate)
                        .row_key.value).startswith("group:")


async def test_the_battery_reading_is_shown_whole(desk: Desk, make_app, ticket_on) -> None:
    number = ticket_on(TEN_DAYS_BEFORE)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_checklist(app, pilot, number)
        app.screen.query_one("#battery-health", Input).value = "85"
        await settle(pilot)
        table = app.screen.query_one("#checklist-items", DataTable)
        cell = table.get_cell("bench.battery_health", "result")
        assert "(85%)" in cell.plain
        # The column is as wide as what it shows: nothing is cut to "pass  (85%".
        assert cell_len(cell.plain) <= table.columns["result"].get_render_width(table) - 2


async def test_chinese_help_and_palette(desk: Desk, make_app) -> None:
    from repairdesk.i18n import set_language
    from repairdesk.printing.wrap import NO_BREAK_BEFORE

    set_language("zh")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        about = str(app.screen.query_one("#help-about").render())
        lines = about.splitlines()
        assert len(lines) > 1 and "净额" in about
        assert not any(line and line[0] in NO_BREAK_BEFORE for line in lines), lines
        await pilot.press("escape", "ctrl+p")
        await settle(pilot)
        assert app.screen.query_one("CommandInput").placeholder == "搜索命令…"


def _send_at_once(app, keys: list[tuple[str, str | None]]) -> None:
    """Keys as a scanner sends them: all queued before the app has handled the first."""
    from textual import events

    for key, char in keys:
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


def _typed(text: str) -> list[tuple[str, str | None]]:
    from textual.keys import _character_to_key

    return [(c if c.isalnum() else _character_to_key(c), c) for c in text]


async def test_a_scan_right_after_f4_lands_whole_in_the_search(desk: Desk, make_app,
                                                               ticket_on) -> None:
    """The lookup is built when F4 first asks for it: keys meanwhile were lost ("SH01-")."""
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        _send_at_once(app, [("f4", None), *_typed(number)])
        await settle(pilot)
        assert isinstance(app.screen, LookupScreen)
        assert app.screen.query_one("#query", Input).value == number


async def test_a_scan_right_after_f3_lands_whole_in_the_imei(desk: Desk, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        _send_at_once(app, [("f3", None), *_typed("352099001761481")])
        await settle(pilot)
        assert app.screen.query_one("#imei", Input).value == "352099001761481"


async def test_enter_on_a_name_that_finds_nothing_says_so(desk: Desk, make_app,
                                                          ticket_on) -> None:
    from textual.widgets import Static

    from repairdesk.i18n import _

    ticket_on()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press(*"赵六六", "enter")
        await settle(pilot)
        status = str(app.screen.query_one("#lookup-status", Static).render())
        assert status == _("tui.lookup_no_name", text="赵六六")
        await pilot.press("ctrl+f", "韩", "enter")
        await settle(pilot)
        status = str(app.screen.query_one("#lookup-status", Static).render())
        assert status == _("tui.lookup_hint")  # one character: too short to search


async def test_a_long_chinese_reason_keeps_its_bullet_on_its_line(desk: Desk, make_app,
                                                                 ticket_on) -> None:
    """Rich moved a long Chinese reason whole to the next line at 80 columns, leaving a lone
    "•" above it: the decision and the deadlines are folded by cells, hanging under the
    bullet."""
    from repairdesk.i18n import set_language

    set_language("zh")
    number = ticket_on()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_lookup(app, pilot, number)
        assert isinstance(app.screen, TicketScreen)
        for part in ("#ticket-decision", "#ticket-deadlines"):
            widget = app.screen.query_one(part)
            lines = str(widget.render()).splitlines()
            assert lines, part
            assert all(cell_len(line) <= widget.content_region.width for line in lines), lines
            assert not any(line.strip() == "•" for line in lines), lines
        reasons = str(app.screen.query_one("#ticket-decision").render())
        assert "•" in reasons
