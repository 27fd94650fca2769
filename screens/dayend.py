"""Day end: the day's report at the counter, and the month's summary that HQ expects.

Tickets in and out, takings by payment method (deposits, payments, refunds, net), parts
drawn (三包/warranty apart from paid) and stock below minimum, quotes waiting for the
customer, overdue tickets with their legal deadlines, loaners out. Everything comes from
``desk.money.day_report`` / ``desk.money.month_report``; this screen only lays it out. Left/Right go to
the previous/next day (month), M switches between the day and the month.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Header, Static

from repairdesk.errors import RepairDeskError
from repairdesk.i18n import _
from repairdesk.money.views import DayReport, MonthReport
from screens.base import DeskScreen
from screens.commands import Command, bindings, commands
from screens.widgets import report as show

DAY_SECTIONS = ("tickets", "takings", "entries", "parts", "stock", "quotes", "overdue",
                "loaners")
MONTH_SECTIONS = ("month-tickets", "month-takings", "month-parts", "month-days")


def month_step(first: date, step: int) -> date:
    """The first day of the month ``step`` months from the one starting on ``first``."""
    index = first.year * 12 + first.month - 1 + step
    return date(index // 12, index % 12 + 1, 1)


class DayEndScreen(DeskScreen[None]):
    CSS_PATH = "dayend.tcss"
    HELP_KEY = "dayend"
    KEYS = commands(
        Command("dayend-previous", "left", "step(-1)", "view"),
        Command("dayend-next", "right", "step(1)", "view"),
        Command("dayend-month", "m", "toggle_month", "view"),
        Command("dayend-today", "t", "today", "view", show=False),
        Command("refresh-dayend", "f5", "refresh", "view"),
        Command("dayend-settlement", "s", "settlement", "view"),
        Command("dayend-parts", "p", "parts", "view"),
        Command("back", "escape", "back", "view"),
    )
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    def __init__(self) -> None:
        super().__init__()
        self.day: date | None = None  # the day shown (in the month view: a day of it)
        self.monthly = False
        self.report: DayReport | None = None
        self.month: MonthReport | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="dayend-body"):
            yield Static("", id="dayend-title")
            with Vertical(id="dayend-day"):
                for name in DAY_SECTIONS:
                    yield Static(_(f"tui.dayend_section_{name}"), classes="section")
                    yield Static(_("tui.dayend_loading"), id=f"dayend-{name}")
            with Vertical(id="dayend-month"):
                for name in MONTH_SECTIONS:
                    key = name.removeprefix("month-")
                    yield Static(_(f"tui.dayend_section_{key}"), classes="section")
                    yield Static("", id=f"dayend-{name}")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#dayend-month").display = False
        self.query_one("#dayend-body").focus()

    def on_screen_resume(self) -> None:
        # Shown again: payments and moves made meanwhile belong in the figures.
        if self.day is None:
            self.day = self.desk.today()
        self.load()

    # -- reading -----------------------------------------------------------------------

    def load(self) -> None:
        assert self.day is not None
        wanted = self.day.replace(day=1) if self.monthly else self.day
        self.query_one("#dayend-title", Static).update(self.title_text(wanted))
        self.read_report(self.monthly, wanted)

    @work(thread=True, exclusive=True, group="dayend")
    def read_report(self, monthly: bool, wanted: date) -> None:
        # Off the UI thread: the overdue check reads every open ticket.
        try:
            found: DayReport | MonthReport = (self.desk.money.month_report(wanted) if monthly
                                              else self.desk.money.day_report(wanted))
        except RepairDeskError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="error")
            return
        self.app.call_from_thread(self.show_report, found)

    def show_report(self, found: DayReport | MonthReport) -> None:
        if self.day is None:
            return
        # Keys pressed quickly start several reads; only the one still asked for is shown.
        if isinstance(found, MonthReport):
            if not self.monthly or found.first != self.day.replace(day=1):
                return
            self.month = found
            self.show_month(found)
        else:
            if self.monthly or found.day != self.day:
                return
            self.report = found
            self.show_day(found)
        self.query_one("#dayend-day").display = not self.monthly
        self.query_one("#dayend-month").display = self.monthly

    def title_text(self, wanted: date) -> str:
        if self.monthly:
            title = _("money.month_head", month=wanted.strftime("%Y-%m"))
        else:
            title = _("money.day_head", day=wanted.isoformat())
            if wanted == self.desk.today():
                title += "  " + _("tui.dayend_today")
        self.sub_title = title
        return title + "   " + _("tui.dayend_keys")

    def show_day(self, found: DayReport) -> None:
        tz = self.desk.clock().tzinfo
        assert tz is not None
        parts = show.parts_text(found.parts, found.parts_value, found.old_parts_kept,
                                found.old_parts_sent, found.old_parts_pending)
        for name, text in (
            ("tickets", show.tickets_text(found)),
            ("takings", show.takings_text(found)),
            ("entries", show.entries_text(found, tz)),
            ("parts", parts),
            ("stock", show.stock_text(found)),
            ("quotes", show.quotes_text(found, tz)),
            ("overdue", show.overdue_text(found)),
            ("loaners", show.loaners_text(found)),
        ):
            self.query_one(f"#dayend-{name}", Static).update(text)

    def show_month(self, found: MonthReport) -> None:
        parts = show.parts_text(found.parts, found.parts_value, found.old_parts_kept,
                                found.old_parts_sent, "-")
        for name, text in (
            ("month-tickets", show.month_tickets_text(found)),
            ("month-takings", show.takings_text(found)),
            ("month-parts", parts),
            ("month-days", show.days_text(found)),
        ):
            self.query_one(f"#dayend-{name}", Static).update(text)

    # -- keys --------------------------------------------------------------------------

    def action_step(self, step: int) -> None:
        if self.day is None:
            return
        today = self.desk.today()
        if self.monthly:
            wanted = month_step(self.day.replace(day=1), step)
            if wanted == today.replace(day=1):
                wanted = today  # back in this month: M shows today, not the 1st
        else:
            wanted = self.day + timedelta(days=step)
        if wanted > today:
            self.notify(_("tui.dayend_no_future"), severity="warning")
            return
        self.day = wanted
        self.load()

    def action_toggle_month(self) -> None:
        if self.day is not None:
            self.monthly = not self.monthly
            self.load()

    def action_today(self) -> None:
        self.day = self.desk.today()
        self.load()

    def action_refresh(self) -> None:
        if self.day is not None:
            self.load()

    def action_settlement(self) -> None:
        from screens.settlement import SettlementScreen

        self.app.push_screen(SettlementScreen())

    def action_parts(self) -> None:
        from screens.parts_hq import PartsHqScreen

        self.app.push_screen(PartsHqScreen())

    def action_back(self) -> None:
        self.app.switch_mode("board")
