"""The network's registry by keys: a counter's form edited and saved (the change read back
through the facade), a refused value named under its field with nothing saved, a counter
suspended with a reason, and a viewer who sees it all read-only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual.widgets import DataTable

from repairdesk.hq.facade import Hq
from repairdesk.i18n import _
from screens.hq.app import HqApp
from screens.hq.counter_form import CounterForm
from screens.hq.dialogs import ReasonDialog
from screens.hq.network import NetworkScreen
from tests.tui.conftest import burst, settle

from .conftest import ADMIN, ADMIN_PIN, VIEWER, VIEWER_PIN, log_in, screen_text


def _as_stored(hq: Hq, code: str) -> dict[str, object]:
    found = hq.counter(code).to_dict()
    found.pop("history")
    return found


async def _open_network(pilot: object, app: HqApp, name: str, pin: str) -> NetworkScreen:
    await log_in(pilot, name, pin)  # type: ignore[arg-type]
    await pilot.press("f3")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, NetworkScreen)
    return app.screen


async def test_edit_a_counter_by_keys(make_hq: Callable[[], Hq], view: tuple[int, int]) -> None:
    hq = make_hq()
    app = HqApp(hq)
    async with app.run_test(size=view) as pilot:
        network = await _open_network(pilot, app, ADMIN, ADMIN_PIN)
        table = network.query_one("#network-table", DataTable)
        assert [str(table.get_cell_at((i, 0))) for i in range(table.row_count)] == [
            "BJ02", "SH01"]
        shown = screen_text(app)
        assert _("hqui.network_expiring", count=1, days=30) in shown  # SH01 ends 2026-12-10
        assert "2026-12-10" in shown

        await pilot.press("enter")  # BJ02, the first row
        await settle(pilot)
        assert isinstance(app.screen, CounterForm)
        # name → level → region → parent → agent → person → phone
        await burst(pilot, "", "tab", "tab", "tab", "tab", "tab")
        await burst(pilot, "张经理", "tab")
        # → address, start, end: a field's text is selected as Tab reaches it, typing replaces it
        await burst(pilot, "139 1234 5678", "tab", "tab", "tab")
        await burst(pilot, "2027-12-31")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NetworkScreen), screen_text(app)
        stored = hq.counter("BJ02")
        assert stored.person == "张经理"
        assert stored.phone is not None and stored.phone.replace(" ", "").endswith("13912345678")
        assert stored.agreement_end == date(2027, 12, 31)
        shown = screen_text(app)  # the list shows what was saved
        assert "张经理" in shown and "2027-12-31" in shown
        events = hq.events(subject="BJ02")
        assert events[0]["action"] == "hq.edit_counter" and events[0]["user"] == ADMIN
        assert events[0]["detail"]["agreement_end"] == {"from": "2027-06-30",
                                                        "to": "2027-12-31"}


async def test_a_refused_value_is_named_and_nothing_is_saved(
        make_hq: Callable[[], Hq], view: tuple[int, int]) -> None:
    hq = make_hq()
    before = _as_stored(hq, "SH01")
    app = HqApp(hq)
    async with app.run_test(size=view) as pilot:
        await _open_network(pilot, app, ADMIN, ADMIN_PIN)
        await pilot.press("down", "enter")  # SH01
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CounterForm)
        form.query_one("#field-agreement_end").focus()
        await burst(pilot, "2025-01-01", "tab")  # before the agreement starts (2025-12-11)
        form.query_one("#field-person").focus()
        await burst(pilot, "王主任")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # still on the form
        error = str(form.query_one("#error-agreement_end").render())
        assert _("field.counter.agreement_end") in error
        assert _("field.counter.agreement_end") in screen_text(app)
        assert form.focused is form.query_one("#field-agreement_end")
    assert _as_stored(hq, "SH01") == before


async def test_suspend_with_a_reason(make_hq: Callable[[], Hq], view: tuple[int, int]) -> None:
    hq = make_hq()
    app = HqApp(hq)
    async with app.run_test(size=view) as pilot:
        await _open_network(pilot, app, ADMIN, ADMIN_PIN)
        await pilot.press("down", "f6")  # SH01
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        await burst(pilot, "", "enter")  # no reason: refused, the dialog stays
        assert isinstance(app.screen, ReasonDialog)
        assert hq.counter("SH01").state == "active"
        await burst(pilot, "协议续签中", "enter")
        await settle(pilot)
        assert isinstance(app.screen, NetworkScreen)
        assert _("hqui.state_suspended") in screen_text(app)
    stored = hq.counter("SH01")
    assert stored.state == "suspended"
    assert [(h["state"], h["reason"], h["by"]) for h in stored.history] == [
        ("suspended", "协议续签中", ADMIN)]


async def test_a_viewer_sees_the_registry_read_only(make_hq: Callable[[], Hq],
                                                    view: tuple[int, int]) -> None:
    hq = make_hq()
    before = {code: _as_stored(hq, code) for code in ("SH01", "BJ02")}
    app = HqApp(hq)
    async with app.run_test(size=view) as pilot:
        await _open_network(pilot, app, VIEWER, VIEWER_PIN)
        assert _("hqui.read_only") in screen_text(app)
        await pilot.press("f6")  # suspend: the facade refuses, the screen says why
        await settle(pilot)
        assert isinstance(app.screen, NetworkScreen)
        assert VIEWER in screen_text(app)  # the refusal names the user and the roles
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, NetworkScreen)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CounterForm)
        assert _("hqui.read_only") in screen_text(app)
        assert form.query_one("#field-name").disabled
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert {code: _as_stored(hq, code) for code in ("SH01", "BJ02")} == before


async def test_add_a_counter_by_keys(make_hq: Callable[[], Hq], view: tuple[int, int]) -> None:
    hq = make_hq()
    app = HqApp(hq)
    async with app.run_test(size=view) as pilot:
        await _open_network(pilot, app, ADMIN, ADMIN_PIN)
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CounterForm)
        await burst(pilot, "3GZ", "tab")  # a code the registry refuses: named, not saved
        await burst(pilot, "天河网点", "tab", "tab")  # → level → region
        await burst(pilot, "440106")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert _("field.counter.code") in str(form.query_one("#error-code").render())
        assert [c.code for c in hq.counters()] == ["BJ02", "SH01"]

        form.query_one("#field-code").focus()
        await burst(pilot, "GZ03")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NetworkScreen)
        assert "GZ03" in screen_text(app)
    added = hq.counter("GZ03")
    assert (added.name, added.region, added.state) == ("天河网点", "440106", "active")
    assert hq.events(subject="GZ03")[0]["user"] == ADMIN
