"""The board: today's tickets and every open one, grouped by status, newest first.

Overdue work stands out: a legal deadline of a 三包 repair that is due (yellow) or passed
(red: loaner owed from day 8, exchange at 30/60 days, the 15-day delay warning), and a
promised date that has passed. A customer holding a loaner (备用机) has it named beside them;
its ticket is then no longer flagged as owed one (第十五条). Filter by status, technician and
text; Enter opens a ticket.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from repairdesk.i18n import _
from repairdesk.tickets.views import BoardRow, BoardView
from repairdesk.tickets.workflow import STATUSES
from screens.base import DeskScreen
from screens.commands import Command, bindings, commands
from screens.widgets.render import STATE_STYLE, terminal_text
from screens.widgets.table import QuickTable

FAULTS_WIDTH = 28  # cells; fault names from the regulation are long
# The columns that give way when the screen is narrow: (fewest, most) cells of each. The
# others (ticket, received, deadline) are short and always whole.
FLEXIBLE = {"device": (8, 20), "customer": (14, 32), "faults": (16, 60)}
COLUMNS = ("ticket", "created", "deadline", "device", "customer", "faults")


def clip(text: str | Text, width: int) -> Text:
    """``text`` cut to ``width`` terminal cells (CJK characters take two), and drawn the
    same width by every terminal (see :func:`terminal_text`)."""
    if isinstance(text, str):
        shown = Text(terminal_text(text))
    else:
        plain = terminal_text(text.plain)
        shown = text if plain == text.plain else text.copy()
        if shown is not text:
            shown.plain = plain
    if shown.cell_len <= width:
        return shown
    if not shown.spans:  # Text.truncate takes ~0.1 ms a cell: the board cuts 1000 of them
        return Text(cut(shown.plain, width), style=shown.style)
    shown = shown.copy() if shown is text else shown
    shown.truncate(width, overflow="ellipsis")
    return shown


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, its end replaced by "…" when it was longer."""
    if cell_len(text) <= width:
        return text
    used = 0
    for end, char in enumerate(text):
        size = get_character_cell_size(char)
        if used + size > width - 1:
            return text[:end] + "…"
        used += size
    return text


# Who gives way first, and down to how many cells: the faults (long regulation names), then
# the device, then the customer (name and phone are what the counter looks for).
# The customer keeps 18: a three-character name and the masked phone, whole.
GIVE_WAY = (("faults", 28), ("device", 12), ("faults", 20), ("device", 10), ("customer", 18),
            ("faults", 16), ("device", 8))


def fit_columns(desired: dict[str, int], room: int,
                floors: dict[str, int] | None = None) -> dict[str, int]:
    """Widths of the flexible columns within ``room`` cells: each at most its want and its
    cap; when they do not fit, they give way in the order of ``GIVE_WAY``, never below
    ``floors`` (the customer's phone and loaner stay whole)."""
    floors = floors or {}
    widths = {key: max(low, min(desired.get(key, low), max(high, floors.get(key, 0))))
              for key, (low, high) in FLEXIBLE.items()}
    for key, floor in GIVE_WAY:
        over = sum(widths.values()) - room
        if over <= 0:
            break
        floor = max(floor, floors.get(key, 0))
        widths[key] = max(min(widths[key], floor), widths[key] - over)
    return widths  # still too wide only below ~100 columns: the table scrolls sideways


class BoardScreen(DeskScreen[None]):
    CSS_PATH = "board.tcss"
    HELP_KEY = "board"
    KEYS = commands(
        Command("open-ticket", "enter", "open_ticket", "ticket"),
        Command("refresh-board", "f5", "refresh", "view"),
        Command("filter-board", "ctrl+f", "filter", "view", show=False),
        Command("clear-filter", "escape", "clear_filter", "view", show=False),
    )
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    def __init__(self) -> None:
        super().__init__()
        self.technicians: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="board-filters"):
            yield Input(placeholder=_("tui.board_filter_text"), id="board-text", compact=True)
            yield Select(
                [(_(f"status.{s}"), s) for s in STATUSES], prompt=_("tui.board_all_statuses"),
                id="board-status", compact=True,
            )
            yield Select([], prompt=_("tui.board_all_technicians"), id="board-technician",
                         compact=True)
        yield Static(_("tui.board_loading"), id="board-summary")
        table: DataTable[str | Text] = QuickTable(id="board-table", cursor_type="row",
                                                 zebra_stripes=True)
        for key in ("ticket", "created", "deadline", "device", "customer", "faults"):
            table.add_column(_(f"tui.col_{key}"), key=key)
        yield table
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#board-table", DataTable).focus()

    def on_screen_resume(self) -> None:
        # Back from a ticket or another workspace: show what changed meanwhile.
        self.action_refresh()

    # -- loading -----------------------------------------------------------------------

    def filters(self) -> tuple[str | None, str | None, str]:
        status = self.query_one("#board-status", Select).value
        technician = self.query_one("#board-technician", Select).value
        return (
            status if isinstance(status, str) else None,
            technician if isinstance(technician, str) else None,
            self.query_one("#board-text", Input).value,
        )

    def action_refresh(self) -> None:
        self.load_board(*self.filters())

    @work(thread=True, exclusive=True, group="board")
    def load_board(self, status: str | None, technician: str | None, text: str) -> BoardView:
        # The store is read off the UI thread so typing never waits on the disk.
        view = self.desk.tickets.board_view(status=status, technician=technician, text=text)
        self.app.call_from_thread(self.show_board, view)
        return view

    def show_board(self, view: BoardView) -> None:
        table = self.query_one("#board-table", DataTable)
        selected = self.selected_ticket()
        table.clear()
        by_status: dict[str, list[BoardRow]] = {}
        for row in view.rows:
            by_status.setdefault(row.status, []).append(row)
        cells = {row.ticket: self.cells(row) for row in view.rows}
        floor = max((customer_cell(r, 0).cell_len for r in view.rows), default=0)
        widths = self.fit_table(table, list(cells.values()), len(view.rows) + len(by_status),
                                {"customer": floor})
        flexible = [(COLUMNS.index(key), width) for key, width in widths.items()]
        for status in STATUSES:
            rows = by_status.get(status)
            if not rows:
                continue
            table.add_row(Text(f"{_(f'status.{status}')} ({len(rows)})", style="bold reverse"),
                          "", "", "", "", "", key=f"group:{status}")
            for row in rows:
                line = cells[row.ticket]
                for index, width in flexible:
                    if line[index].cell_len > width:
                        if COLUMNS[index] == "customer":
                            line[index] = customer_cell(row, width)
                        line[index] = clip(line[index], width)
                table.add_row(*line, key=row.ticket)
        if selected and selected in {r.ticket for r in view.rows}:
            table.move_cursor(row=table.get_row_index(selected))
        elif table.row_count > 1:
            table.move_cursor(row=1)  # the first ticket, under its status heading
        if view.technicians != self.technicians:
            # Only when the list changed: new options reset the value, which reloads.
            self.technicians = view.technicians
            select = self.query_one("#board-technician", Select)
            current = select.value
            with select.prevent(Select.Changed):
                select.set_options([(name, name) for name in view.technicians])
                if isinstance(current, str) and current in view.technicians:
                    select.value = current
        overdue = sum(1 for r in view.rows if r.overdue)
        summary = _("tui.board_summary", count=len(view.rows), total=view.total)
        if overdue:
            summary += "  " + _("tui.board_overdue", count=overdue)
        self.query_one("#board-summary", Static).update(summary)
        if not self.desk_app.board_drawn:
            self.call_after_refresh(self.desk_app.board_shown)

    def cells(self, row: BoardRow) -> list[Text]:
        style = "bold red" if row.overdue else ""
        pressing = row.pressing
        if row.promised_overdue:
            deadline = Text(_("tui.promised_passed", date=row.promised_date), style="bold red")
        elif pressing is not None:
            deadline = Text(
                _(f"tui.deadline_short.{pressing.code}", owed_from=pressing.owed_from,
                  last_day=pressing.last_day),
                style=STATE_STYLE[pressing.state],
            )
        elif row.deadlines:
            first = row.deadlines[0]
            deadline = Text(_(f"tui.deadline_short.{first.code}", owed_from=first.owed_from,
                              last_day=first.last_day), style="dim")
        else:
            deadline = Text("")
        faults = "、".join(_(f"fault.{f}") for f in row.faults)
        return [
            Text(row.ticket, style=style or "bold"),
            Text(self.local_time(row.created).strftime("%m-%d %H:%M")),
            deadline,
            # Whole here: show_board cuts them to the widths the screen gives them.
            Text(terminal_text(row.device)),
            customer_cell(row),
            Text(faults),
        ]

    def fit_table(self, table: DataTable[str | Text], rows: list[list[Text]], count: int,
                  floors: dict[str, int]) -> dict[str, int]:
        """Give the device, customer and faults columns the width the screen has left (so
        that at 120 columns the faults are read, not cut to one cell past the right edge);
        measured on the cells before they are added: DataTable's own measure is slow."""
        wanted = {key: max([cell_len(_(f"tui.col_{key}")), *(r[i].cell_len for r in rows)])
                  for i, key in enumerate(COLUMNS)}
        padding = 2 * table.cell_padding
        width = self.table_width(table, count)
        fixed = sum(wanted[k] + padding for k in COLUMNS if k not in FLEXIBLE)
        widths = fit_columns(wanted, width - fixed - padding * len(FLEXIBLE), floors)
        for key, cells in widths.items():
            column = table.columns[key]  # type: ignore[index]
            column.auto_width, column.width = False, cells
        self.fitted_width = width
        return widths

    def table_width(self, table: DataTable[str | Text], rows: int) -> int:
        """Cells the rows have: the table's width less its scrollbar, if it has one."""
        width = table.size.width or self.app.size.width
        height = table.size.height or self.app.size.height
        scrolls = rows + 1 > height
        return width - (table.styles.scrollbar_size_vertical if scrolls else 0)

    def on_resize(self) -> None:
        table = self.query_one("#board-table", DataTable)
        if table.row_count and getattr(self, "fitted_width", None) != self.table_width(
                table, table.row_count):
            self.action_refresh()  # cells were cut to the old width: build them again

    # -- actions -----------------------------------------------------------------------

    def selected_ticket(self) -> str | None:
        table = self.query_one("#board-table", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key is None or key.startswith("group:") else key

    def action_open_ticket(self) -> None:
        number = self.selected_ticket()
        if number:
            from screens.app import facade_loaded

            facade_loaded()
            from screens.ticket import TicketScreen

            self.app.push_screen(TicketScreen(number))

    @on(DataTable.RowSelected, "#board-table")
    def row_chosen(self) -> None:
        self.action_open_ticket()

    def action_filter(self) -> None:
        self.query_one("#board-text", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#board-text", Input).value = ""
        self.query_one("#board-status", Select).clear()
        self.query_one("#board-technician", Select).clear()
        self.query_one("#board-table", DataTable).focus()

    @on(Input.Changed, "#board-text")
    @on(Select.Changed)
    def filter_changed(self) -> None:
        self.action_refresh()

    @on(Input.Submitted, "#board-text")
    def filter_done(self) -> None:
        self.query_one("#board-table", DataTable).focus()


def customer_cell(row: BoardRow, width: int | None = None) -> Text:
    """The customer, and the loaner (备用机) they hold: the end of its IMEI (its model is
    on the ticket; the board's width is the faults' and the name's).
    A Text, never a str: DataTable reads a str as markup, and a typed name such as "[/b]"
    would take the board down."""
    tag = _("tui.board_loaner", model=row.loaner_model or "",
            tail=row.loaner_imei[-4:]) if row.loaner_imei else ""
    name = terminal_text(row.customer)
    if width is not None:  # a long name gives way: the phone and the loaner stay whole
        room = width - cell_len(row.phone_masked) - 1 - (cell_len(tag) + 2 if tag else 0)
        name = cut(name, max(3, room))
    text = Text(f"{name} {row.phone_masked}")
    if tag:
        text.append("  ")
        text.append(tag, style="bold cyan")
    return text
