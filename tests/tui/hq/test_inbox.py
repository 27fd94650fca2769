"""The inbox: a folder with a refused file in it is imported by keys; the refusal is shown
with its reason, the other files are imported, and each counter's gaps are shown."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from textual.widgets import DataTable

from repairdesk.hq.facade import Hq
from repairdesk.i18n import _
from screens.hq.app import HqApp
from screens.hq.inbox import InboxScreen
from tests.hq.helpers import Scenario, forge
from tests.tui.conftest import burst

from .conftest import ADMIN, ADMIN_PIN, VIEWER, VIEWER_PIN, log_in, screen_text, wait_for


def _folder(scenario: Scenario, root: Path) -> tuple[Path, str]:
    """Every batch of both counters, SH01's second one forged (signed by another key)."""
    folder = root / "share"
    folder.mkdir()
    for code in ("SH01", "BJ02"):
        for path in scenario.batches[code]:
            shutil.copy(path, folder / path.name)
    forged = scenario.batches["SH01"][1].name
    forge(scenario.batches["SH01"][1], folder / forged, Ed25519PrivateKey.generate(),
          lambda manifest: None)
    return folder, forged


async def test_import_a_folder_with_a_refused_file(
        make_hq: Callable[[], Hq], scenario: Scenario, tmp_path: Path,
        view: tuple[int, int]) -> None:
    folder, forged = _folder(scenario, tmp_path)
    hq = make_hq()
    hq.login(ADMIN, ADMIN_PIN)
    hq.suspend_counter("BJ02", "协议续签中")  # its batches are imported all the same, flagged
    hq.user = None
    app = HqApp(hq)
    async with app.run_test(size=view) as pilot:
        await log_in(pilot, ADMIN, ADMIN_PIN)
        assert isinstance(app.screen, InboxScreen)
        await burst(pilot, str(folder), "enter")
        screen = app.screen
        await wait_for(pilot, lambda: not screen.importing)
        files = screen.query_one("#inbox-files", DataTable)
        rows = {str(files.get_cell_at((i, 0))): [str(files.get_cell_at((i, c)))
                                                  for c in range(1, 5)]
                for i in range(files.row_count)}
        assert set(rows) == {p.name for p in folder.iterdir()}
        refused = rows.pop(forged)
        assert refused[0] == _("hqui.outcome_refused")
        outcome = next(o for o in hq.import_files([folder / forged])[0])
        assert outcome.status == "refused"
        assert outcome.message and refused[3] == outcome.message  # the facade's reason
        # The list starts on the refused file, its whole reason under the list.
        assert str(screen.query_one("#inbox-detail").render()) == outcome.message
        flagged = _("hqui.outcome_imported") + " · " + _("hqui.flag_suspended")
        assert {name[:4]: r[0] for name, r in rows.items()} == {
            "BJ02": flagged, "SH01": _("hqui.outcome_imported")}
        # The list is repainted after the import's last message: on a busy machine that
        # paint may come a moment after the outcomes are in.
        await wait_for(pilot, lambda: _("hqui.outcome_refused") in screen_text(app), 10)
        shown = screen_text(app)
        assert _("hqui.summary_refused", count=1) in shown
        assert _("hqui.summary_imported", count=5) in shown
        counters = screen.query_one("#inbox-counters", DataTable)
        standing = {str(counters.get_cell_at((i, 0))): [str(counters.get_cell_at((i, c)))
                                                        for c in range(1, 6)]
                    for i in range(counters.row_count)}
        assert standing == {
            "BJ02": ["海淀网点", "3", "3", "-",
                     _("hqui.flag_suspended") + " · " + _("hqui.flagged", count=3)],
            "SH01": ["徐汇网点", "3", "2", "2", ""]}
    stored = {r.counter: (r.last_seq, r.batches, r.missing, r.flagged) for r in hq.inbox()}
    assert stored == {"BJ02": (3, 3, [], 3), "SH01": (3, 2, [2], 0)}


async def test_a_viewer_may_not_import(make_hq: Callable[[], Hq], scenario: Scenario,
                                       tmp_path: Path, view: tuple[int, int]) -> None:
    folder, _forged = _folder(scenario, tmp_path)
    hq = make_hq()
    app = HqApp(hq)
    async with app.run_test(size=view) as pilot:
        await log_in(pilot, VIEWER, VIEWER_PIN)
        await burst(pilot, str(folder), "enter")
        screen = app.screen
        assert isinstance(screen, InboxScreen)
        await wait_for(pilot, lambda: not screen.importing)
        summary = str(screen.query_one("#inbox-summary").render())
        assert VIEWER in summary  # the facade's refusal: who, and which roles may
        assert screen.query_one("#inbox-files", DataTable).row_count == 0
    assert [r.batches for r in hq.inbox()] == [0, 0]
