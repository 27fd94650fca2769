"""The board: grouped by status; legal deadlines and promised dates stand out; filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import DataTable, Input, Static

from repairdesk.desk import Desk
from repairdesk.i18n import _
from screens.board import BoardScreen
from tests.tui.conftest import burst, settle


def shown(app) -> list[str]:
    table = app.screen.query_one("#board-table", DataTable)
    return [str(key.value) for key in table.rows]


async def test_a_loaner_owed_on_day_8_stands_out(desk: Desk, make_app, ticket_on, clock) -> None:
    now = clock.now
    clock.now = now - timedelta(days=8)
    late = ticket_on("2026-11-01")  # in 三包 repair since 2026-11-13
    clock.now = now
    fresh = ticket_on("2026-11-01", technician="李工")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert shown(app) == ["group:received", fresh, late]
        table = app.screen.query_one("#board-table", DataTable)
        deadline = table.get_row(late)[2]
        assert deadline.plain == _("tui.deadline_short.loaner", owed_from="2026-11-21",
                                   last_day="2026-11-20")
        assert "red" in str(deadline.style)
        assert table.get_row(late)[0].style == "bold red"
        summary = str(app.screen.query_one("#board-summary", Static).render())
        assert _("tui.board_overdue", count=1) in summary
        # Filters: technician, then text.
        app.screen.query_one("#board-technician").value = "李工"
        await settle(pilot)
        assert shown(app) == ["group:received", fresh]
        await pilot.press("escape")  # clears the filters
        await settle(pilot)
        await pilot.press("ctrl+f")
        await burst(pilot, "1113")
        assert shown(app) == ["group:received", late]
        await pilot.press("enter", "enter")  # to the list, open the ticket
        assert not isinstance(app.screen, BoardScreen)


async def test_status_filter_and_promised_date(desk: Desk, make_app, ticket_on) -> None:
    waiting = ticket_on(None, promised_date="2026-11-21")
    moved = ticket_on(None)
    desk.tickets.move(moved, "diagnosing")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert shown(app) == ["group:received", waiting, "group:diagnosing", moved]
        app.screen.query_one("#board-status").value = "diagnosing"
        await settle(pilot)
        assert shown(app) == ["group:diagnosing", moved]
        assert app.screen.query_one("#board-text", Input).value == ""


WIDE_NAMES = ("张伟😀", "👨\u200d👩\u200d👧", "❤\ufe0f小红", "欧阳翀喆·阿卜杜热合曼·买买提明")


def board_lines(app, size: tuple[int, int]) -> list[str]:
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strips[y]) for y in range(size[1])]


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_wide_names_keep_the_board_columns_straight(desk: Desk, make_app, ticket_on,
                                                          lang: str,
                                                          size: tuple[int, int]) -> None:
    from rich.cells import cell_len

    from tests.unit.money.conftest import imei

    numbers = []
    for index, name in enumerate(WIDE_NAMES):
        numbers.append(ticket_on(customer={"name": name, "phone": f"1391234567{index}"},
                                 faults=["display", "charger_fault", "audio"]))
    desk.stock.add_loaner(imei(900001), "Alcatel One Touch 332")
    desk.stock.issue_loaner(numbers[-1], imei(900001))
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#board-table", DataTable)
        widths = [c.get_render_width(table) for c in table.ordered_columns]
        if size[0] >= 120:
            assert sum(widths) <= table.size.width  # no column pushed out of sight
            assert widths[-1] >= 18  # the Faults column: a real width, not one cell
        lines = board_lines(app, size)
        rows = [line for line in lines if any(n in line for n in numbers)]
        assert len(rows) == len(numbers)
        for line in rows:
            # Joiners and emoji variation selectors are drawn one width by Rich and another
            # by terminals: the board shows none, so every row's columns meet the header's.
            assert not {"\u200d", "\ufe0f"} & set(line)
            assert cell_len(line) == size[0]
        header = next(line for line in lines
                      if _("tui.col_ticket") in line and _("tui.col_created") in line)
        starts = [sum(widths[:i]) for i in range(1, len(widths))]
        for line in [header, *rows]:
            for start in starts:
                before = cell_text(line, start)
                assert before.endswith(" "), (line, start)  # a column ends on padding
        if size[0] >= 120:
            fault = _("fault.display")[:6]
            assert all(fault in line for line in rows)


def cell_text(line: str, cells: int) -> str:
    """The first ``cells`` terminal cells of ``line``."""
    from rich.cells import cell_len

    out = ""
    for char in line:
        if cell_len(out + char) > cells:
            break
        out += char
    return out
