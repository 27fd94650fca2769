"""One start, in a fresh process (run by :mod:`benchmarks.start`; not for people).

    python -m benchmarks.start_child floor
    python -m benchmarks.start_child app STORE

Prints one JSON line when the first screen is interactive: the wall-clock time then (the
parent took its own just before starting this process) and this process's CPU time. The app
then runs on until its workers are done and it has been idle for a moment (work put off
until after the first paint still counts), and the last line gives the peak memory. ``floor`` is a bare Textual app that paints one screen; ``app`` is the ``repairdesk``
command itself (settings, the CLI, the store, the counter app) run headless, ready when the
board's rows have been drawn. Nothing heavy is imported before the mode is known: both pay
the same interpreter start.
"""

from __future__ import annotations

import sys
import time
from typing import Any

SIZE = (120, 40)


SETTLE = 0.5  # seconds of calm after the first interactive screen before leaving


def ready() -> None:
    import json
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"ready": time.time(), "cpu": usage.ru_utime + usage.ru_stime}),
          flush=True)


def peak() -> None:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss
    over exec, so a child forked from a big parent would report the parent's size."""
    import json

    with open("/proc/self/status", encoding="ascii") as status:
        kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    print(json.dumps({"maxrss_kib": kib}), flush=True)


async def settle_and_exit(app: Any) -> None:
    """Wait for the app's other workers (this one is a worker too: waiting for itself would
    deadlock), then for a moment of calm and for any workers started meanwhile, and leave."""
    import asyncio

    from textual.worker import get_current_worker

    me = get_current_worker()

    async def others_done() -> None:
        others = [w for w in app.workers if w is not me]
        if others:  # an empty list means "all" to wait_for_complete
            await app.workers.wait_for_complete(others)

    await others_done()
    await asyncio.sleep(SETTLE)
    await others_done()
    app.exit()


def floor() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("RepairDesk")

        def on_mount(self) -> None:
            self.call_after_refresh(self.done)

        def done(self) -> None:
            ready()
            self.run_worker(settle_and_exit(self))

    Bare().run(headless=True, size=SIZE)


def app(store: str) -> None:
    from benchmarks.clock import NOW

    def open_tui(path: object, settings: object) -> None:
        # screens.main.open_app itself, with the benchmark's clock and no terminal.
        from screens.board import BoardScreen
        from screens.main import open_app

        shown = BoardScreen.show_board

        def show_board(screen: BoardScreen, view: object) -> None:
            shown(screen, view)  # type: ignore[arg-type]
            if screen.query_one("#board-table").row_count:  # type: ignore[attr-defined]
                screen.call_after_refresh(finish, screen.app)

        def finish(app: Any) -> None:
            if not getattr(app, "_bench_ready", False):
                app._bench_ready = True
                ready()
                app.run_worker(settle_and_exit(app))

        BoardScreen.show_board = show_board  # type: ignore[method-assign]
        open_app(path, settings, clock=lambda: NOW,  # type: ignore[arg-type]
                 headless=True, size=SIZE)

    from repairdesk.cli import main

    main(["--db", store], open_tui=open_tui)


if __name__ == "__main__":
    import atexit

    atexit.register(peak)  # the CLI leaves through sys.exit
    if sys.argv[1] == "floor":
        floor()
    else:
        app(sys.argv[2])
