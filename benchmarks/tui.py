"""Keystroke latency in the counter app, driven by Pilot on the benchmark store.

A keystroke is posted to the app the way the terminal driver posts it; the time runs until
the first screen update that shows its effect has been rendered into terminal output (the
headless driver skips that last step, so the benchmark does it: a real terminal pays it).

- lookup as you type: each key typed into the lookup field, until the results of what is in
  the field now are drawn, the table's rows with them (IMEIs, phone numbers, names and
  ticket numbers of the store);
- intake: each key typed into the intake form's fields, until the field shows it.

Keys come one at a time with a short pause after each is drawn, like a quick typist; a
scanner's burst is not a keystroke-to-repaint question.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.clock import NOW
from benchmarks.figure import Figure, Target
from benchmarks.stats import percentile, summary

SIZE = (120, 40)
PAUSE = 0.03  # after a key's effect is drawn, before the next key
TIMEOUT = 10.0  # a key whose effect is not drawn by then counts as this long


class Repaints:
    """Watches the app's screen updates; ``key`` times one keystroke to the update that
    satisfies a condition."""

    def __init__(self, app: Any) -> None:
        from textual._compositor import CompositorUpdate

        self.app = app
        self.waiting: list[tuple[Callable[[], bool], asyncio.Future[float]]] = []
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None or app._batch_count:
                return
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)  # what the terminal would be sent
            now = time.perf_counter()
            for entry in list(self.waiting):
                condition, done = entry
                if not done.done() and condition():
                    done.set_result(now)
                    self.waiting.remove(entry)

        app._display = display

    async def key(self, key: str, condition: Callable[[], bool]) -> float:
        """Seconds from posting ``key`` to the first update after which ``condition`` holds."""
        from textual import events
        from textual.keys import _character_to_key

        done: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiting.append((condition, done))
        name = key if len(key) > 1 else (key if key.isalnum() else _character_to_key(key))
        event = events.Key(name, key if len(key) == 1 else None)
        event.set_sender(self.app)
        started = time.perf_counter()
        self.app._driver.send_message(event)
        try:
            finished = await asyncio.wait_for(asyncio.shield(done), TIMEOUT)
        except TimeoutError:
            self.waiting = [w for w in self.waiting if w[1] is not done]
            finished = started + TIMEOUT
        await asyncio.sleep(PAUSE)
        return finished - started


async def settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def lookup_queries(store: Path, seed: int) -> list[str]:
    """What people type into the lookup: IMEIs, phone numbers (national), names, a ticket."""
    rng = random.Random(seed)
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as raw:
        tickets = raw.execute("SELECT max(id) FROM ticket").fetchone()[0]

        def row(sql: str) -> Any:
            return raw.execute(sql, (rng.randint(1, tickets),)).fetchone()

        join = ("FROM ticket t JOIN device d ON t.device_id = d.id "
                "JOIN customer c ON t.customer_id = c.id WHERE t.id = ?")
        imeis = [row(f"SELECT d.imei {join}")[0] for _ in range(3)]
        phones = [row(f"SELECT c.phone {join}")[0].removeprefix("+86") for _ in range(3)]
        names = [row(f"SELECT c.name {join}")[0] for _ in range(2)]
        number = row("SELECT number FROM ticket WHERE id = ?")[0]
    return [*imeis, *phones, *names, number.lower()]


async def _lookup_run(app: Any, queries: list[str]) -> list[float]:
    from textual.widgets import Input

    timings: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        repaints = Repaints(app)
        await settle(pilot)
        await app.run_action("workspace('lookup')")
        await settle(pilot)
        screen = app.screen
        field = screen.query_one("#query", Input)
        table = screen.query_one("#lookup-results")
        shown: dict[str, Any] = {"text": None, "rows": 0}
        show_results = screen.show_results
        render_lines = table.render_lines
        drawn = {"rows": 0}

        def recorded(text: str, rows: Any, status: Any) -> None:
            show_results(text, rows, status)
            if text == field.value:
                shown["text"], shown["rows"] = text, table._update_count

        def rendered(crop: Any) -> Any:
            # The table's rows as they are now go into the frame being made: the results
            # are drawn, not only the line saying how many there are.
            drawn["rows"] = table._update_count
            return render_lines(crop)

        def drawn_for(expected: str) -> bool:
            return shown["text"] == expected and drawn["rows"] >= shown["rows"]

        screen.show_results = recorded
        table.render_lines = rendered
        for query in queries:
            screen.action_new_search()
            await settle(pilot)
            typed = ""
            for char in query:
                typed += char
                timings.append(await repaints.key(
                    char, lambda expected=typed: drawn_for(expected)))  # type: ignore[misc]
            await settle(pilot)
    return timings


async def _intake_run(app: Any, fields: list[tuple[str, str]]) -> list[float]:
    from textual.widgets import Input

    timings: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        repaints = Repaints(app)
        await settle(pilot)
        await app.run_action("workspace('intake')")
        await settle(pilot)
        screen = app.screen
        for field_id, text in fields:
            field = screen.query_one(f"#{field_id}", Input)
            field.focus()
            await settle(pilot)
            for char in text:
                expected = field.value + char
                timings.append(await repaints.key(
                    char, lambda f=field, e=expected: f.value == e))  # type: ignore[misc]
        await settle(pilot)
        screen.discard()
        await settle(pilot)
    return timings


def _app(store: Path) -> tuple[Any, Any]:
    from repairdesk.desk import Desk
    from screens.app import RepairDeskApp

    desk = Desk.open(store, clock=lambda: NOW)
    return desk, RepairDeskApp(desk)


def _run(store: Path, runner: Callable[[Any], Any]) -> list[float]:
    desk, app = _app(store)
    try:
        return asyncio.run(runner(app))
    finally:
        desk.close()


def _typing_figure(key: str, title: str, limit: float, runs: int,
                   run_once: Callable[[int], list[float]]) -> Figure:
    """A keystroke figure: each run's p99 (and p50, worst) of ``run_once(run)``'s seconds."""
    began = time.perf_counter()
    p50: list[float] = []
    p99: list[float] = []
    worst: list[float] = []
    keys = 0
    for run in range(runs):
        ms = [t * 1000 for t in run_once(run)]
        keys += len(ms)
        p50.append(percentile(ms, 50))
        p99.append(percentile(ms, 99))
        worst.append(max(ms))
    value = summary(p99, 2)
    return Figure(
        key=key, title=title, unit="ms", value=value,
        targets=[Target(f"p99 ≤ {limit:g} ms", value["median"], limit)],
        extra={"p50_ms": summary(p50, 2), "worst_ms": summary(worst, 2), "keystrokes": keys},
        seconds=time.perf_counter() - began,
    )


def measure_lookup(store: Path, runs: int) -> Figure:
    def run_once(run: int) -> list[float]:
        queries = lookup_queries(store, seed=100 + run)
        return _run(store, lambda app: _lookup_run(app, queries))

    return _typing_figure("lookup_typing", "lookup as you type: keystroke to results drawn (p99)",
                          50.0, runs, run_once)


INTAKE_TYPING = [
    ("imei", "352099001761481"),
    ("phone", "13800138000"),
    ("name", "张伟明"),
    ("fault-search", "disp"),
    ("description", "屏幕闪烁后黑屏, screen flickers"),
    ("condition-notes", "边框轻微划痕"),
    ("sale-date", "2026-11-18"),
    ("price", "2999.00"),
]


def measure_intake(store: Path, runs: int) -> Figure:
    def run_once(_run_index: int) -> list[float]:
        return _run(store, lambda app: _intake_run(app, INTAKE_TYPING))

    return _typing_figure("intake_typing", "intake form: keystroke to repaint (p99)", 16.0,
                          runs, run_once)
