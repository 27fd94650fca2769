"""Settlement: the counters' claim lines reviewed, months closed, disputes answered.

The lines are listed with a filter (counter, month, state) and, under the list, the
selected line's checks, parts and history. A, R and E approve, reject or adjust the line
under the cursor; S and P show the month's statements and the open disputes instead of the
lines (the same key again goes back); D answers a dispute; Ctrl+K closes a month. Every
change is the facade's (repairdesk/hq/settle_cases.py, settle_close_cases.py): it checks
who may and what was typed, and its refusal is shown as it words it. After a change the
list is read again and the cursor stays on the same line.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, DataTable, Footer, Header, Input, Select, Static

from repairdesk.hq.report import default_month
from repairdesk.i18n import _
from repairdesk.ratecard import LINE_STATES
from repairdesk.trust import PermissionDenied
from screens.commands import bindings
from screens.hq.base import HqScreen
from screens.hq.settle_keys import SCREEN_KEYS
from screens.hq.settle_text import (
    DISPUTE_COLUMNS,
    STATEMENT_COLUMNS,
    column_title,
    detail_text,
    dispute_cells,
    fit_columns,
    line_cells,
    statement_cells,
)

VIEWS = (("lines", ""), ("statements", "s"), ("disputes", "p"))
#: Who acts on the line under the cursor: they wait for the lines to be shown.
ON_A_LINE = frozenset({"approve", "reject", "adjust"})


class SettlementScreen(HqScreen[None]):
    CSS_PATH = "settlement.tcss"
    KEYS = SCREEN_KEYS
    BINDINGS: ClassVar[list[BindingType]] = [*HqScreen.BINDINGS, *bindings(KEYS)]

    def __init__(self) -> None:
        super().__init__()
        self.view = "lines"
        self.levels: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="settle-filters"):
            yield Input(id="filter-counter", placeholder=_("hqscreen_settle.filter_counter"))
            yield Input(id="filter-month", placeholder=_("hqscreen_settle.filter_month"))
            yield Select([(_(f"hqsettle.status_{s}"), s) for s in LINE_STATES],
                         prompt=_("hqscreen_settle.filter_status"), id="filter-status")
        yield Static("", id="settle-views")
        yield Static("", id="settle-summary")
        yield Static(_("hqscreen_settle.read_only"), id="settle-read-only")
        with ContentSwitcher(initial="view-lines", id="settle-switcher"):
            with Vertical(id="view-lines"):
                yield DataTable(id="settle-lines", cursor_type="row")
                with VerticalScroll(id="settle-detail-box"):
                    yield Static("", id="settle-detail", markup=False)
            yield DataTable(id="view-statements", cursor_type="row")
            yield DataTable(id="view-disputes", cursor_type="row")
        yield Footer(compact=True, show_command_palette=False)

    def help_text(self) -> str:
        return _("hqscreen_settle.help")

    def on_mount(self) -> None:
        self.sub_title = _("hqscreen_settle.title")
        try:
            self.hq.require("hq.review_lines")
            read_only = False
        except PermissionDenied:
            read_only = True  # said once; the facade refuses each change all the same
        self.query_one("#settle-read-only", Static).display = read_only
        self.levels = {level.code: level.name for level in self.hq.levels()}
        self.refill()
        self.query_one("#settle-lines", DataTable).focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.levels:
            self.refill()  # back from another workspace: what changed there is shown

    def on_resize(self) -> None:
        super().on_resize()  # the footer's keys that fit
        if self.is_mounted and self.levels and self.view == "lines":
            self.refill()  # the columns that fit, the reason as wide as the screen leaves

    # -- what is shown -------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        status = self.query_one("#filter-status", Select).value
        return {"counter": self.query_one("#filter-counter", Input).value.strip() or None,
                "month": self.query_one("#filter-month", Input).value.strip() or None,
                "status": None if status is Select.NULL else status}

    def month(self) -> str:
        """The month of the statements shown (and offered to close): the filter's, else the
        month before today's."""
        return self.filters()["month"] or default_month(self.hq.today())

    def refill(self, keep: int | None = None) -> None:
        self.show_views()
        if self.view == "lines":
            self.fill_lines(keep)
        elif self.view == "statements":
            self.fill_statements()
        else:
            self.fill_disputes()

    def fill_lines(self, keep: int | None) -> None:
        table = self.query_one("#settle-lines", DataTable)
        keep = keep if keep is not None else self.current_line()
        row = table.cursor_row
        try:
            lines = self.hq.claim_lines(**self.filters())
        except Exception as exc:  # noqa: BLE001 - a bad filter or a failed read: said
            self.say(Text(self.failure(exc), style="bold red"))
            return
        rows = [line_cells(line) for line in lines]
        columns, reason = fit_columns(rows, self.app.size.width)
        table.clear(columns=True)
        for column in columns:
            table.add_column(column_title(column), key=column,
                             width=reason if column == "reason" else None)
        for line, cells in zip(lines, rows, strict=True):
            cells["reason"].truncate(reason, overflow="ellipsis")
            table.add_row(*(cells[c] for c in columns), key=str(line.id))
        ids = [line.id for line in lines]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))
        elif ids:
            table.move_cursor(row=min(row, len(ids) - 1))
        counts: dict[str, int] = {}
        for line in lines:
            counts[line.status] = counts.get(line.status, 0) + 1
        said = [_("hqscreen_settle.lines_count", count=len(lines))]
        said += [_("hqscreen_settle.state_count", count=counts[s],
                   state=_(f"hqsettle.status_{s}")) for s in LINE_STATES if s in counts]
        self.say(Text(" · ".join(said)))
        self.show_detail()

    def fill_statements(self) -> None:
        month = self.month()
        table = self.query_one("#view-statements", DataTable)
        table.clear(columns=True)
        for column in STATEMENT_COLUMNS:
            table.add_column(column_title(column), key=column)
        try:
            found = self.hq.statements(self.filters()["counter"], month)
        except Exception as exc:  # noqa: BLE001 - said on the screen, the app goes on
            self.say(Text(self.failure(exc), style="bold red"))
            return
        for view in found:
            table.add_row(*statement_cells(view), key=f"{view.counter}/{view.month}")
        self.say(Text(_("hqscreen_settle.statements_count", count=len(found), month=month)
                      if found else _("hqclose.no_statements")))

    def fill_disputes(self) -> None:
        table = self.query_one("#view-disputes", DataTable)
        cursor = self.current_key(table)
        table.clear(columns=True)
        for column in DISPUTE_COLUMNS:
            table.add_column(column_title(column), key=column)
        try:
            found = self.hq.disputes(self.filters()["counter"], open_only=True)
        except Exception as exc:  # noqa: BLE001 - said on the screen, the app goes on
            self.say(Text(self.failure(exc), style="bold red"))
            return
        keys = [f"{view.counter}/{view.dispute}" for view in found]
        for key, view in zip(keys, found, strict=True):
            table.add_row(*dispute_cells(view), key=key)
        if cursor in keys:
            table.move_cursor(row=keys.index(cursor))
        self.say(Text(_("hqscreen_settle.disputes_count", count=len(found))
                      if found else _("hqclose.no_disputes")))

    def show_views(self) -> None:
        strip = Text()
        for name, key in VIEWS:
            label = (_("hqscreen_settle.view_statements", month=self.month())
                     if name == "statements" else _(f"hqscreen_settle.view_{name}"))
            shown = f" {key.upper()} {label} " if key else f" {label} "
            strip.append(shown, style="reverse bold" if name == self.view else "")
            strip.append(" ")
        self.query_one("#settle-views", Static).update(strip)

    def show_detail(self) -> None:
        line = self.current_line()
        shown: Text | str = ""
        if line is not None:
            try:
                shown = detail_text(self.hq.claim_line(line), self.levels)
            except Exception as exc:  # noqa: BLE001 - said in the pane, the app goes on
                shown = Text(self.failure(exc), style="bold red")
        self.query_one("#settle-detail", Static).update(shown)

    def say(self, text: Text) -> None:
        self.query_one("#settle-summary", Static).update(text)

    def current_key(self, table: DataTable[Any]) -> str | None:
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    def current_line(self) -> int | None:
        key = self.current_key(self.query_one("#settle-lines", DataTable))
        return int(key) if key is not None else None

    @on(DataTable.RowHighlighted, "#settle-lines")
    def line_highlighted(self) -> None:
        self.show_detail()

    @on(Select.Changed, "#filter-status")
    @on(Input.Submitted, "#settle-filters Input")
    def filter_changed(self) -> None:
        self.refill()

    def action_filter(self) -> None:
        self.query_one("#filter-counter", Input).focus()

    def action_show(self, view: str) -> None:
        self.view = "lines" if self.view == view else view
        self.query_one("#settle-switcher", ContentSwitcher).current = f"view-{self.view}"
        self.refill()
        target = "#settle-lines" if self.view == "lines" else f"#view-{self.view}"
        self.query_one(target, DataTable).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ON_A_LINE and getattr(self, "view", "lines") != "lines":
            return False  # no line is under the cursor: S or P again shows them
        return super().check_action(action, parameters)

    # -- changes -------------------------------------------------------------------------

    def allowed(self, action: str) -> bool:
        """Whether the facade lets this user ``action`` (asked before a dialog, so no one
        types a reason in vain); its refusal is said as it words it."""
        try:
            self.hq.require(action)
        except PermissionDenied as exc:
            self.notify(exc.message, severity="error", timeout=15)
            return False
        return True

    def the_line(self) -> Any:
        """The line under the cursor as the facade holds it now; None, and said, when
        there is none."""
        line = self.current_line()
        if line is None:
            self.notify(_("hqscreen_settle.no_line"), severity="warning")
            return None
        try:
            found = self.hq.claim_lines(ids=[line])
        except Exception as exc:  # noqa: BLE001 - said on the screen, the app goes on
            self.notify(self.failure(exc), severity="error", timeout=15)
            return None
        if not found:
            self.notify(_("hqsettle.no_line", line=line), severity="error")
            return None
        return found[0]

    def changed(self, said: str, line: int | None) -> None:
        self.notify(said)
        self.refill(keep=line)

    def action_approve(self) -> None:
        view = self.the_line()
        if view is None:
            return
        line = view.id
        try:
            self.hq.approve_lines([line])
        except Exception as exc:  # noqa: BLE001 - the facade's refusal, said
            self.notify(self.failure(exc), severity="error", timeout=15)
            return
        self.changed(_("hqsettle.reviewed", count=1, action=_("hqsettle.action_approved")),
                     line)

    def action_reject(self) -> None:
        from screens.hq.dialogs import ReasonDialog

        view = self.the_line()
        if view is None or not self.allowed("hq.review_lines"):
            return
        line = view.id

        def done(rejected: bool | None) -> None:
            if rejected:
                self.changed(_("hqsettle.reviewed", count=1,
                               action=_("hqsettle.action_rejected")), line)

        self.app.push_screen(ReasonDialog(
            _("hqscreen_settle.ask_reject", line=line, ticket=view.ticket),
            lambda reason: self.hq.reject_lines([line], reason)), done)

    def action_adjust(self) -> None:
        from screens.hq.settle_dialogs import AdjustDialog

        view = self.the_line()
        if view is None or not self.allowed("hq.review_lines"):
            return
        line = view.id

        def done(adjusted: object) -> None:
            if adjusted is not None:
                self.changed(_("hqsettle.reviewed", count=1,
                               action=_("hqsettle.action_adjusted")), line)

        self.app.push_screen(AdjustDialog(
            _("hqscreen_settle.ask_adjust", line=line, ticket=view.ticket, card=view.amount),
            view.amount, lambda amount, reason: self.hq.adjust_line(line, amount, reason)),
            done)

    def action_close_month(self) -> None:
        from screens.hq.settle_dialogs import CloseMonthDialog

        if not self.allowed("hq.close_month"):
            return
        # The signing key where the command line finds it (hq settle close --hq-key).
        named = os.environ.get("REPAIRDESK_HQ_KEY")
        key_path = Path(named).expanduser() if named else None
        closing: dict[str, str] = {}

        def close(month: str) -> list[Any]:
            closing["month"] = month.strip()
            return self.hq.close_month(month, key_path=key_path)

        def done(closed: list[Any] | None) -> None:
            if closed is None:
                return
            month = closing["month"]
            self.notify(_("hqscreen_settle.closed", count=len(closed), month=month)
                        if closed else _("hqclose.nothing_to_close", month=month))
            self.query_one("#filter-month", Input).value = month
            if self.view != "statements":
                self.action_show("statements")
            else:
                self.refill()

        self.app.push_screen(CloseMonthDialog(_("hqscreen_settle.ask_close"), self.month(),
                                              close), done)

    def action_resolve(self) -> None:
        from screens.hq.settle_dialogs import ResolveDialog

        if not self.allowed("hq.resolve_dispute"):
            return
        dispute = self.dispute_here()
        if dispute is None:
            return
        line = self.current_line() if self.view == "lines" else None

        def answer(accept: bool, reason: str, amount: str | None) -> Any:
            return self.hq.resolve_dispute(dispute.counter, dispute.dispute, accept=accept,
                                           reason=reason, amount=amount)

        def done(answered: Any) -> None:
            if answered is not None:
                self.changed(_("hqscreen_settle.resolved", dispute=answered.dispute,
                               counter=answered.counter,
                               outcome=_(f"hqclose.outcome_{answered.outcome}")), line)

        self.app.push_screen(ResolveDialog(_(
            "hqscreen_settle.ask_resolve", dispute=dispute.dispute, counter=dispute.counter,
            line=dispute.line, ticket=dispute.ticket, by=dispute.by, reason=dispute.reason),
            answer), done)

    def dispute_here(self) -> Any:
        """The open dispute of the row under the cursor (the disputes shown) or of the line
        under it; None, and said, when there is none."""
        try:
            if self.view == "disputes":
                key = self.current_key(self.query_one("#view-disputes", DataTable))
                if key is None:
                    self.notify(_("hqclose.no_disputes"), severity="warning")
                    return None
                counter, number = key.split("/")
                found = [d for d in self.hq.disputes(counter, open_only=True)
                         if d.dispute == int(number)]
            else:
                view = self.the_line()
                if view is None:
                    return None
                found = [d for d in self.hq.disputes(view.counter, open_only=True)
                         if d.line == view.id]
                if not found:
                    self.notify(_("hqscreen_settle.no_open_dispute", line=view.id),
                                severity="warning")
                    return None
        except Exception as exc:  # noqa: BLE001 - said on the screen, the app goes on
            self.notify(self.failure(exc), severity="error", timeout=15)
            return None
        return found[0] if found else None
