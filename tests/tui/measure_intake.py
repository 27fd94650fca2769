"""Measure the standard intake at the counter (not a test: run it by hand).

    .venv/bin/python -m tests.tui.measure_intake            # the form as it is now
    .venv/bin/python -m tests.tui.measure_intake --before   # the keys of main at 99972cd

The standard intake (README.md, "A short tour"), from the board: F3; scan IMEI 352099001761507 (15 digits
and the scanner's Enter); phone 13912345678; name 李娜; faults "screen" and "charging";
accessories received: battery, back cover, SIM tray; condition: scratches; sale date six days
ago, proof full; save; print the intake slip. Every key counts, the scan's 16 included (a
character typed, e.g. 李 through an input method, counts as one). The keys are driven through
the app once and what was stored and printed is checked, so the count is of keys that really
make this intake. Also timed: how long a scan's Enter takes to bring a returning device's
history on screen, on a store seeded with 300 demo tickets.

``--before`` drives the keys the same intake took on main at 99972cd (68); they only make the
intake on that form.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from repairdesk.demo import seed_demo
from repairdesk.desk import Desk
from screens.app import RepairDeskApp
from tests.conftest import FrozenClock
from tests.tui.conftest import burst, settle

IMEI = "352099001761507"
#: Keys pressed one at a time; anything else in a step is typed, one key a character.
NAMED = {"f3", "enter", "tab", "space", "down", "ctrl+s"}

#: (what it is, keys) of the standard intake on the form as it is now.
STANDARD = [
    ("new intake", ["f3"]),
    ("scan the IMEI", [IMEI, "enter"]),
    ("phone", ["13912345678", "enter"]),
    ("name", ["李娜", "enter"]),
    ("fault: screen", ["scr", "enter"]),
    ("fault: charging", ["char", "enter"]),
    ("faults done", ["enter"]),
    ("sale date: six days ago", ["-6", "enter"]),  # proof: full, as it is
    ("accessories 1 2 3", ["1", "2", "3"]),
    ("to the condition", ["tab"]),
    ("scratches", ["1"]),
    ("save", ["ctrl+s"]),
    ("print the intake slip", ["enter"]),
]
#: The same intake on main at 99972cd: faults, then accessories and condition walked with
#: Space and Down, four Tabs to the sale date typed in full, the slip one button along.
BEFORE = [
    ("new intake", ["f3"]),
    ("scan the IMEI", [IMEI, "enter"]),
    ("phone", ["13912345678", "enter"]),
    ("name", ["李娜", "enter"]),
    ("fault: screen", ["scr", "enter"]),
    ("fault: charging", ["char", "enter"]),
    ("to the accessories", ["enter", "tab", "tab"]),
    ("three accessories", ["space", "down", "space", "down", "space"]),
    ("scratches", ["tab", "space"]),
    ("to the sale date", ["tab", "tab", "tab", "tab"]),
    ("sale date", ["2026-11-15"]),
    ("save", ["ctrl+s"]),
    ("print the intake slip", ["tab", "enter"]),
]


def keystrokes(keys: list[str]) -> int:
    return sum(1 if key in NAMED else len(key) for key in keys)


async def drive(pilot: Pilot[Any], steps: list[tuple[str, list[str]]]) -> None:
    """The steps' keys as a person (and the scanner) sends them."""
    for _what, keys in steps:
        for key in keys:
            if key in NAMED:
                await pilot.press(key)
            else:
                await burst(pilot, key)
        await settle(pilot)


def check(desk: Desk, printer: Path) -> str:
    """What the standard intake must have stored and printed; the ticket number."""
    (number,) = [t.ticket for t in desk.tickets.board()]
    view = desk.tickets.ticket(number)
    assert view.customer == {"name": "李娜", "phone": "+8613912345678"}, view.customer
    assert view.device["imei"] == IMEI
    assert view.faults == ["display", "charger_fault"], view.faults
    assert view.accessories == ["battery", "back_cover", "sim_tray"], view.accessories
    assert view.condition["marks"] == ["scratches"], view.condition
    assert str(view.device["sale_date"]) == "2026-11-15", view.device["sale_date"]
    assert view.device["proof"] == "full"
    assert [(p.slip, p.ok) for p in desk.printing.printed_slips(number)] == [("intake", True)]
    assert number in printer.read_text(encoding="gb18030")  # a file printer is thermal
    return number


async def count(steps: list[tuple[str, list[str]]]) -> dict[str, int]:
    folder = Path(tempfile.mkdtemp())
    printer = folder / "slips.txt"
    printer.touch()
    (folder / "settings.toml").write_text(
        f'printer = "file:{printer}"\nprint_format = "text"\n', encoding="utf-8")
    os.environ["REPAIRDESK_CONFIG"] = str(folder / "settings.toml")
    desk = Desk.open(folder / "store.sqlite3", clock=FrozenClock(), user="bench")
    desk.init_counter("SH01", "徐汇网点")
    app = RepairDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await drive(pilot, steps)
        await settle(pilot)
    check(desk, printer)
    desk.close()
    return {what: keystrokes(keys) for what, keys in steps}


async def scan_to_history(runs: int = 20) -> list[float]:
    folder = Path(tempfile.mkdtemp())
    desk = Desk.open(folder / "store.sqlite3", clock=FrozenClock(), user="bench")
    seed_demo(desk, tickets=300, seed=1)
    returning = desk.tickets.board()[0].imei  # a phone already in the store: it has a history
    timings = []
    app = RepairDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        for _run in range(runs):
            screen = app.screen
            await burst(pilot, returning)
            info = screen.query_one("#device-info", Static)
            started = time.perf_counter()
            await pilot.press("enter")
            while "SH01-" not in str(info.render()):
                await asyncio.sleep(0.001)
            timings.append(time.perf_counter() - started)
            screen.discard()
            await settle(pilot)
    desk.close()
    return timings


async def main(before: bool = False, runs: int = 20) -> None:
    counts = await count(BEFORE if before else STANDARD)
    print("standard intake (issue 13), stored and printed as asked:")
    for what, keys in counts.items():
        print(f"  {what:28} {keys:3d} keys")
    print(f"  {'total':28} {sum(counts.values()):3d} keys")
    ms = sorted(t * 1000 for t in await scan_to_history(runs))
    print(f"scan Enter -> device history on screen ({runs} runs, 300-ticket store): "
          f"median {statistics.median(ms):.0f} ms, worst {ms[-1]:.0f} ms")


if __name__ == "__main__":
    asyncio.run(main(before="--before" in sys.argv[1:]))
