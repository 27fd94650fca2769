"""Measure a typical intake at the counter (not a test: run it by hand).

    .venv/bin/python -m tests.tui.measure_intake

Counts the keystrokes of a typical intake (scan, phone, name, two faults, three accessories,
condition, save) as the intake screen takes them, and times how long a scan's Enter takes to
bring the device's history on screen, on a store seeded with 300 demo tickets.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from textual.widgets import Static

from repairdesk.demo import seed_demo
from repairdesk.desk import Desk
from screens.app import RepairDeskApp
from tests.conftest import FrozenClock
from tests.tui.conftest import burst, settle

# (what it is, keys). A scan is one action of the scanner; the rest are keystrokes.
TYPICAL = [
    ("phone", ["13800138000", "enter"]),
    ("name", ["张伟", "enter"]),
    ("fault 1", ["disp", "enter"]),
    ("fault 2", ["aud", "enter"]),
    ("to accessories", ["enter", "tab", "tab"]),
    ("three accessories", ["space", "down", "space", "down", "space"]),
    ("condition: scratches", ["tab", "space"]),
    ("condition: opened before", ["tab", "tab", "space"]),
    ("save", ["ctrl+s"]),
]


def keystrokes(keys: list[str]) -> int:
    named = {"enter", "tab", "space", "down", "ctrl+s"}
    return sum(1 if key in named else len(key) for key in keys)


async def main(runs: int = 20) -> None:
    folder = Path(tempfile.mkdtemp())
    desk = Desk.open(folder / "store.sqlite3", clock=FrozenClock(), user="bench")
    seed_demo(desk, tickets=300, seed=1)
    returning = desk.board()[0].imei  # a phone already in the store: it has a history
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
        counts = {what: keystrokes(keys) for what, keys in TYPICAL}
        # Do it once, to be sure these keys really make the intake.
        await burst(pilot, "352099001761481", "enter")
        for _what, keys in TYPICAL:
            for key in keys:
                if key in ("enter", "tab", "space", "down", "ctrl+s"):
                    await pilot.press(key)
                else:
                    await burst(pilot, key)
        await settle(pilot)
        number = app.screen.result.ticket  # type: ignore[attr-defined]
        view = desk.ticket(number)
        assert view.faults == ["display", "audio"], view.faults
        assert view.accessories == ["battery", "back_cover", "sim_tray"], view.accessories
        assert view.condition["marks"] == ["scratches"] and view.condition["opened_before"]
    desk.close()
    print("typical intake: 1 scan (IMEI + the scanner's Enter) and")
    for what, count in counts.items():
        print(f"  {what:28} {count:3d} keys")
    print(f"  {'total':28} {sum(counts.values()):3d} keys")
    ms = sorted(t * 1000 for t in timings)
    print(f"scan Enter -> device history on screen ({runs} runs, 300-ticket store): "
          f"median {statistics.median(ms):.0f} ms, worst {ms[-1]:.0f} ms")


if __name__ == "__main__":
    asyncio.run(main())
