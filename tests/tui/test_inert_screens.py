"""A store holding control characters in its text (written before the checks, or with
sqlite3) is drawn inert on the board and the ticket screen: nothing reaches the terminal
that it would act on (screens/inert.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from repairdesk.desk import Desk
from screens.ticket import TicketScreen
from tests.tui.conftest import settle

HOSTILE = "张伟\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07\u202e\x9b31m"
UNSAFE = ("\x1b", "\x07", "\u202e", "\x9b")


def drawn(app) -> str:
    lines = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in line) for line in lines)


async def test_a_hostile_stored_name_is_drawn_inert(desk: Desk, make_app, ticket_on,
                                                    store_path: Path) -> None:
    number = ticket_on()
    with sqlite3.connect(store_path) as raw:
        raw.execute("update customer set name = ?", (HOSTILE,))
        raw.execute("update ticket set description = ?", (f"黑屏{HOSTILE}",))
        raw.execute("update status_move set note = ?", (HOSTILE,))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        board = drawn(app)
        assert "张伟" in board and not any(c in board for c in UNSAFE), repr(board)
        app.push_screen(TicketScreen(number))
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        ticket = drawn(app)
        assert "张伟" in ticket and "黑屏" in ticket
        assert not any(c in ticket for c in UNSAFE), repr(ticket)
