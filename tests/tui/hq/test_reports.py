"""The Reports screen, driven by keys through Textual's Pilot over a real HQ database."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from repairdesk.hq.facade import Hq
from repairdesk.i18n import set_language
from screens.hq.reports import ReportsScreen
from tests.tui.conftest import settle


class ReportsApp(App[None]):
    def __init__(self, hq: Hq) -> None:
        super().__init__()
        self.hq = hq

    def on_mount(self) -> None:
        self.push_screen(ReportsScreen(self.hq, month="2026-11"))


def text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def cells(table: DataTable[Any]) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


@pytest.mark.parametrize("hq_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_month_its_totals_and_charts(hq_with_month: Hq, lang: str) -> None:
    set_language(lang)
    try:
        app = ReportsApp(hq_with_month)
        async with app.run_test(size=(160, 60)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ReportsScreen)
            assert "2026-11" in text(screen, "#report-title")
            summary = {row[0]: row[1] for row in cells(screen.query_one("#report-summary",
                                                                        DataTable))}
            from repairdesk.hq.report_text import figure

            assert summary[figure("tickets_in")] == "3"
            assert summary[figure("turnaround_median")] == "48.0"
            counters = cells(screen.query_one("#report-counters", DataTable))
            assert [c[:3] for c in counters] == [["BJ02 海淀网点", "0", "0"],
                                                 ["SH01 徐汇网点", "3", "3"]]
            for chart in ("#chart-counters", "#chart-faults", "#chart-turnaround",
                          "#chart-repair-rate"):
                plot = screen.query_one(chart, PlotextPlot)
                assert plot.size.width > 10 and plot.size.height > 3
            drawn = screen.query_one("#chart-faults", PlotextPlot).plt.build()
            assert "Alcatel One Touch 332" in drawn or "One Touch" in drawn
            await pilot.press("pageup")
            await settle(pilot)
            assert "2026-10" in text(screen, "#report-title")
            assert cells(screen.query_one("#report-counters", DataTable))[1][:3] == [
                "SH01 徐汇网点", "1", "0"]
            await pilot.press("right_square_bracket", "right_square_bracket")
            await settle(pilot)
            assert "2026-12" in text(screen, "#report-title")
    finally:
        set_language("en")
        hq_with_month.close()


@pytest.mark.parametrize("hq_url", ["sqlite"], indirect=True)
async def test_a_counter_filter_by_keys_and_a_refused_one(hq_with_month: Hq) -> None:
    app = ReportsApp(hq_with_month)
    try:
        async with app.run_test(size=(160, 60)) as pilot:
            await settle(pilot)
            screen = app.screen
            await pilot.press("c")
            await pilot.pause()
            await pilot.press(*"BJ02", "enter")
            await settle(pilot)
            assert "BJ02" in text(screen, "#report-scope")
            assert [c[:3] for c in cells(screen.query_one("#report-counters", DataTable))] == [
                ["BJ02 海淀网点", "0", "0"]]
            await pilot.press("l")
            await pilot.pause()
            await pilot.press(*"platinum", "enter")
            await settle(pilot)
            assert "platinum" in text(screen, "#report-message")
            assert "BJ02" in text(screen, "#report-scope")  # the last report stays
            await pilot.press("l")
            await pilot.pause()
            await pilot.press(*"gold", "enter")  # a level and the counter: nothing in both
            await settle(pilot)
            assert cells(screen.query_one("#report-counters", DataTable)) == []
            await pilot.press("x", "r")
            await pilot.pause()
            await pilot.press(*"310000", "enter")  # Shanghai: SH01 only
            await settle(pilot)
            assert "310000 Shanghai" in text(screen, "#report-scope")
            assert [c[:3] for c in cells(screen.query_one("#report-counters", DataTable))] == [
                ["SH01 徐汇网点", "3", "3"]]
            await pilot.press("x")
            await settle(pilot)
            assert "whole network" in text(screen, "#report-scope")
            assert len(cells(screen.query_one("#report-counters", DataTable))) == 2
    finally:
        hq_with_month.close()
