"""The app's start without the ORM: the board read with sqlite3 (repairdesk/tickets/board.py), the
opening facade (repairdesk/opening.py) and the console script's way past typer. What they
show must be what the full facade shows; what they import must stay small."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from repairdesk.cli import _tui_options, main
from repairdesk.demo import seed_demo
from repairdesk.desk import Desk
from repairdesk.opening import OpeningDesk, open_desk
from repairdesk.phones import mask
from repairdesk.tickets.deadlines import IN_REPAIR
from repairdesk.tickets.rows import masked
from tests.conftest import FrozenClock

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def busy_desk(desk: Desk, clock: FrozenClock) -> Desk:
    """A store with a few hundred demo tickets, one of them diagnosed with an exclusion."""
    seed_demo(desk, tickets=300, seed=3)
    number = next(r.ticket for r in desk.tickets.board_view().rows if r.status == "received")
    desk.tickets.save_checklist(number, {}, exclusions=["liquid"])
    return desk


def test_the_board_deadlines_are_those_of_the_orm_claims(busy_desk: Desk,
                                                         clock: FrozenClock) -> None:
    for days in (0, 9, 40):
        clock.now += timedelta(days=days)
        view = busy_desk.tickets.board_view()
        assert view.rows
        deadlines = [row for row in view.rows if row.deadlines]
        assert deadlines, "the demo store has 三包 repairs under way"
        for row in view.rows:
            if row.status not in IN_REPAIR:  # repaired or closed: no deadline runs
                assert row.deadlines == [] and row.sanbao is None
                continue
            # desk.tickets.deadlines: the claim over the full facade's session (tickets/deadlines.py).
            assert row.deadlines == busy_desk.tickets.deadlines(row.ticket), row.ticket
            decision = busy_desk.tickets.decision(row.ticket, clock.now.date())
            if decision.undecided:
                assert row.sanbao is None, row.ticket
            else:
                assert row.sanbao == decision.covered, row.ticket


def test_the_opening_desk_reads_what_the_full_desk_reads(busy_desk: Desk, store_path: Path,
                                                         clock: FrozenClock) -> None:
    opening = open_desk(store_path, clock=clock, user="tester")
    try:
        assert isinstance(opening, OpeningDesk) and not opening.loaded
        assert opening.counter() == busy_desk.counter()
        assert opening.trust.count_users() == busy_desk.trust.count_users()
        for filters in ((None, None, None), ("received", None, None), (None, None, "138")):
            assert opening.tickets.board_view(*filters) == busy_desk.tickets.board_view(*filters)
        assert not opening.loaded
        number = opening.tickets.board_view().rows[0].ticket
        # Anything else is the full facade's, loaded on first use.
        assert opening.tickets.ticket(number) == busy_desk.tickets.ticket(number)
        assert opening.loaded and opening.user == "tester"
        opening.user = "王工"
        assert opening.load().user == "王工"
        assert opening.tickets.board_view() == busy_desk.tickets.board_view()
    finally:
        opening.close()


def test_a_store_not_at_this_version_opens_through_the_full_desk(tmp_path: Path) -> None:
    new = tmp_path / "new.sqlite3"
    desk = open_desk(new)  # created and migrated, as Desk.open does
    try:
        assert isinstance(desk, Desk)
    finally:
        desk.close()
    assert isinstance(opened := open_desk(new), OpeningDesk)
    opened.close()


def test_masking_without_phonenumbers_masks_as_phonenumbers_does() -> None:
    for phone in ("+8613800138000", "+862164000000", "+86105551234", "+14155552671",
                  "+442079460958", "+85291234567"):
        assert masked(phone) == mask(phone), phone


@pytest.mark.parametrize(("args", "wanted"), [
    ([], {}),
    (["--db", "x.sqlite3"], {"--db": "x.sqlite3"}),
    (["--db=x.sqlite3", "--lang", "zh", "--demo"],
     {"--db": "x.sqlite3", "--lang": "zh", "--demo": True}),
    (["--help"], None),
    (["--db"], None),
    (["--demo=1"], None),
    (["lookup", "123"], None),
    (["--db", "x", "ticket", "show", "1"], None),
])
def test_only_the_root_options_open_the_app_past_typer(args: list[str],
                                                       wanted: dict[str, object] | None) -> None:
    assert _tui_options(args) == wanted


def test_the_console_script_opens_the_app_on_the_store_asked(tmp_path: Path) -> None:
    opened: list[tuple[Path, object]] = []
    main(["--db", str(tmp_path / "a.sqlite3")], open_tui=lambda p, s: opened.append((p, s)))
    main(["--demo"], open_tui=lambda p, s: opened.append((p, s)))
    assert opened[0][0] == tmp_path / "a.sqlite3"
    assert opened[1][0].name == "demo.sqlite3"
    assert gc.isenabled()  # paused while the app opens, never left off


def test_opening_the_app_imports_neither_typer_nor_the_orm(busy_desk: Desk,
                                                           store_path: Path) -> None:
    """The first screen's path: settings, the CLI's root, the opening facade, the board."""
    script = textwrap.dedent(
        f"""
        import json, sys
        from repairdesk.cli import main

        def open_tui(path, settings):
            from repairdesk.opening import open_desk
            desk = open_desk(path)
            rows = len(desk.tickets.board_view().rows)
            desk.counter(); desk.trust.count_users()
            heavy = sorted({{m.split(".")[0] for m in sys.modules}}
                           & {{"typer", "click", "sqlalchemy", "sqlmodel", "alembic",
                              "cryptography", "phonenumbers", "stdnum", "escpos", "fpdf",
                              "qrcode"}})
            print(json.dumps({{"rows": rows, "heavy": heavy}}))
            desk.close()

        main(["--db", {str(store_path)!r}], open_tui=open_tui)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["rows"] > 0
    assert found["heavy"] == []
