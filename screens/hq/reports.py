"""HQ's Reports screen: one month of the network as tables and charts, a month and a filter
chosen by keys.

PgUp/PgDn (or [ and ]) move a month back and forth; L, R and C ask for a level, a region
code or a counter code (empty: no filter), X clears them. The report is read through the HQ
facade in a worker thread (a large network's month takes seconds); a refused filter is
shown and the last report stays. Charts (textual-plotext): tickets in and out per counter,
faults by model, the turnaround and the repair-rate trends of twelve months.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, Static
from textual_plotext import PlotextPlot

from repairdesk.errors import RepairDeskError
from repairdesk.hq.report import default_month
from repairdesk.hq.report_sql import months_back, next_month
from repairdesk.hq.report_text import (
    SUMMARY,
    cell,
    counter_label,
    due_line,
    figure,
    group_label,
    scope_line,
)
from repairdesk.hq.report_xlsx import faults_by_model
from repairdesk.i18n import _
from screens.keyhold import SaysReady

#: Bars a chart shows (the tables list every row).
CHART_BARS = 12
TABLE_COLUMNS = ("tickets_in", "tickets_out", "turnaround_median", "within_3_working_days_share",
                 "repair_rate", "repeat_rate_any", "breaches_closed", "overdue_now")
KEYS = (("pageup", "previous", "previous"), ("pagedown", "next", "next"),
        ("left_square_bracket", "previous", None), ("right_square_bracket", "next", None),
        ("l", "ask('level')", "level"), ("r", "ask('region')", "region"),
        ("c", "ask('counter')", "counter"), ("x", "clear", "clear"),
        ("escape", "back", "back"))


class FilterDialog(ModalScreen[str | None]):
    """One typed code for a filter; Enter gives it (empty: no filter), Esc keeps the old."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, prompt: str, value: str | None) -> None:
        super().__init__()
        self.prompt, self.value = prompt, value or ""

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-box"):
            yield Label(self.prompt)
            yield Input(self.value, id="filter-input", compact=True)

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReportsScreen(SaysReady, Screen[None]):
    CSS_PATH = "reports.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the month keys win over the tables' own paging while one has the focus.
        Binding(key, action, label or "", show=label is not None, id=f"hq-report-{label}",
                priority=key in ("pageup", "pagedown"))
        if label else Binding(key, action, show=False) for key, action, label in KEYS]

    def __init__(self, hq: Any, *, month: str | None = None) -> None:
        super().__init__()
        self.hq = hq
        self.month = month or default_month(hq.today())
        self.filters: dict[str, str | None] = {"counter": None, "level": None, "region": None}
        self.report: Any = None
        # Labels in the language of the moment (BINDINGS were read before it was known).
        self._bindings = BindingsMap.from_keys({
            key: [replace(b, description=_(f"hqreport.key_{b.description}"))
                  if b.description else b for b in found]
            for key, found in self._bindings.key_to_bindings.items()})

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="report-body"):
            yield Static("", id="report-title")
            yield Static("", id="report-scope")
            yield Static("", id="report-due")
            yield Static("", id="report-message")
            with Horizontal(id="report-top"):
                yield DataTable(id="report-summary", cursor_type="row", zebra_stripes=True)
                with Vertical(id="report-charts-top"):
                    yield PlotextPlot(id="chart-counters")
                    yield PlotextPlot(id="chart-faults")
            with Horizontal(id="report-trends"):
                yield PlotextPlot(id="chart-turnaround")
                yield PlotextPlot(id="chart-repair-rate")
            yield Label(_("hqreport.section_counters"), classes="report-heading")
            yield DataTable(id="report-counters", cursor_type="row", zebra_stripes=True)
            yield Label(_("hqreport.section_levels"), classes="report-heading")
            yield DataTable(id="report-levels", cursor_type="row", zebra_stripes=True)
            yield Label(_("hqreport.section_provinces"), classes="report-heading")
            yield DataTable(id="report-provinces", cursor_type="row", zebra_stripes=True)
            yield Label("", id="report-faults-heading", classes="report-heading")
            yield DataTable(id="report-faults", cursor_type="row", zebra_stripes=True)
            yield Static(_("hqreport.screen_help"), id="report-help")
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("hqreport.screen_title")
        self.load()

    # -- loading -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="hq-report")
    def load(self) -> None:
        try:
            report = self.hq.report(month=self.month, **self.filters)
        except RepairDeskError as exc:
            self.app.call_from_thread(self._refused, exc.message)
            return
        self.app.call_from_thread(self._show, report)

    def _refused(self, message: str) -> None:
        self.query_one("#report-message", Static).update(message)
        if self.report is not None:  # the filters and month of the report still shown
            self.month = self.report.month
            self.filters = {k: self.report.scope.get(k) for k in self.filters}

    def _show(self, report: Any) -> None:
        self.report = report
        self.query_one("#report-message", Static).update(
            "" if report.total["tickets_in"] or report.total["tickets_out"]
            else _("hqreport.nothing"))
        self.query_one("#report-title", Static).update(
            _("hqreport.title", month=report.month, first=report.first, last=report.last))
        self.query_one("#report-scope", Static).update(scope_line(report))
        self.query_one("#report-due", Static).update(due_line(report))
        self.query_one("#report-due", Static).set_class(report.due_state == "overdue",
                                                        "overdue")
        summary = self.query_one("#report-summary", DataTable)
        summary.clear(columns=True)
        summary.add_columns(_("hqreport.col_figure"), _("hqreport.col_value"))
        for key in SUMMARY:
            summary.add_row(figure(key), cell(report.total[key]), key=key)
        for name, rows, label in (("counters", report.counters, counter_label),
                                  ("levels", report.levels, group_label),
                                  ("provinces", report.provinces, group_label)):
            table = self.query_one(f"#report-{name}", DataTable)
            table.clear(columns=True)
            table.add_columns(_("hqreport.col_name"), *(figure(k) for k in TABLE_COLUMNS))
            for row in rows:
                table.add_row(label(row), *(cell(row[k]) for k in TABLE_COLUMNS),
                              key=row["key"])
        self.query_one("#report-faults-heading", Label).update(
            _("hqreport.section_faults", count=len(report.faults)))
        faults = self.query_one("#report-faults", DataTable)
        faults.clear(columns=True)
        faults.add_columns(_("hqreport.col_brand"), _("hqreport.col_model"),
                           _("hqreport.col_fault"), _("hqreport.col_tickets"))
        for f in report.faults:
            faults.add_row(f["brand"], f["model"], _(f"fault.{f['fault']}"), str(f["tickets"]))
        self._charts(report)

    def _charts(self, report: Any) -> None:
        busiest = sorted(report.counters, key=lambda r: -r["tickets_in"])[:CHART_BARS]
        counters = self.query_one("#chart-counters", PlotextPlot)
        plt = counters.plt
        plt.clear_data()
        plt.clear_figure()
        if busiest:
            plt.multiple_bar([r["key"] for r in busiest],
                             [[r["tickets_in"] for r in busiest],
                              [r["tickets_out"] for r in busiest]],
                             labels=[figure("tickets_in"), figure("tickets_out")])
        plt.title(_("hqreport.chart_counters"))
        counters.refresh()
        models = faults_by_model(report)[:CHART_BARS]
        chart = self.query_one("#chart-faults", PlotextPlot)
        plt = chart.plt
        plt.clear_data()
        plt.clear_figure()
        if models:
            plt.bar([m for m, _n in models], [n for _m, n in models], orientation="horizontal")
        plt.title(_("hqreport.chart_faults"))
        chart.refresh()
        months = [t["month"][2:] for t in report.trends]
        for widget_id, key, title in (
                ("#chart-turnaround", "turnaround_median", "chart_trend_turnaround"),
                ("#chart-repair-rate", "repair_rate", "chart_trend_rates")):
            chart = self.query_one(widget_id, PlotextPlot)
            plt = chart.plt
            plt.clear_data()
            plt.clear_figure()
            points = [(i, t[key]) for i, t in enumerate(report.trends) if t[key] is not None]
            if points:
                plt.plot([i for i, _v in points], [v for _i, v in points], marker="braille",
                         label=figure(key))
            if key == "repair_rate":
                repeat = [(i, t["repeat_rate"]) for i, t in enumerate(report.trends)
                          if t["repeat_rate"] is not None]
                if repeat:
                    plt.plot([i for i, _v in repeat], [v for _i, v in repeat],
                             marker="braille", label=figure("repeat_rate"))
            plt.xticks(list(range(len(months)))[::2], months[::2])
            if key == "repair_rate":
                plt.ylim(0, 100)  # rates in percent, on their whole scale
            plt.title(_(f"hqreport.{title}"))
            chart.refresh()

    # -- keys --------------------------------------------------------------------------

    def _month_moved(self, step: int) -> None:
        first = datetime.strptime(self.month, "%Y-%m").date()
        moved: date = next_month(first) if step > 0 else months_back(first, 2)[0]
        self.month = moved.strftime("%Y-%m")
        self.load()

    def action_previous(self) -> None:
        self._month_moved(-1)

    def action_next(self) -> None:
        self._month_moved(1)

    def action_ask(self, which: str) -> None:
        def chosen(value: str | None) -> None:
            if value is None:
                return
            self.filters[which] = value or None
            self.load()

        self.app.push_screen(FilterDialog(_(f"hqreport.filter_prompt_{which}"),
                                          self.filters[which]), chosen)

    def action_clear(self) -> None:
        self.filters = dict.fromkeys(self.filters)
        self.load()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
