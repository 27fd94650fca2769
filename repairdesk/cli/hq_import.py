"""``repairdesk hq import DIR|FILES... [--watch]``: HQ's import inbox on the command line.

No ``from __future__ import annotations`` here: typer reads the option types at run time.
"""

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from threading import Event
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from repairdesk.cli.hq_common import HqDbOpt, hq_opened
from repairdesk.cli.output import console, emit_json, say
from repairdesk.i18n import _
from repairdesk.sync import batch


def outcome_line(o: Any) -> str:
    """One file's outcome as the run prints it."""
    if o.status == "refused":
        return _("sync.import_refused", file=o.file, check=batch.check_name(o.check),
                 message=o.message)
    if o.status in ("failed", "not_tried"):
        return _(f"hqin.import_{o.status}", file=o.file, message=o.message)
    line = _(f"sync.import_{o.status}", file=o.file, counter=o.counter, seq=o.seq, rows=o.rows)
    if getattr(o, "flag", None):
        line += _("hqinbox.flagged", state=_(f"hqinbox.state_{o.flag}"))
    return line


@contextmanager
def drawn_progress(enabled: bool) -> Iterator[Any]:
    """``progress(done, total, outcome)``: each outcome's line on stdout and, when stderr is
    a terminal, a bar there (above which the lines scroll when stdout is that terminal)."""
    if not enabled:
        yield None
        return
    if not sys.stderr.isatty():
        yield lambda _done, _total, outcome: say(outcome_line(outcome))
        return
    bar = Progress(TextColumn(_("hqinbox.progress")), BarColumn(), MofNCompleteColumn(),
                   console=Console(stderr=True), transient=True,
                   redirect_stdout=sys.stdout.isatty(), redirect_stderr=False)
    task = bar.add_task("import", total=None)

    def update(done: int, total: int, outcome: Any) -> None:
        say(outcome_line(outcome))
        bar.update(task, completed=done, total=total)

    with bar:
        yield update


def closing_table(rows: list[Any]) -> Table:
    table = Table(box=None, pad_edge=False, title=None)
    for key in ("counter", "imported", "already", "refused", "missing", "flag"):
        table.add_column(_(f"hqinbox.col_{key}"), no_wrap=key not in ("refused", "missing"),
                         justify="right" if key in ("imported", "already") else "left")
    for r in rows:
        refused = "-"
        if r.refused:
            checks = sorted({f["check"] for f in r.refused})
            refused = _("hqinbox.refused_cell", count=len(r.refused), checks=", ".join(checks))
        table.add_row(r.counter or "-", str(r.imported), str(r.already), refused,
                      ", ".join(map(str, r.missing)) or "-",
                      _(f"hqinbox.state_{r.flag}") if r.flag else "-")
    return table


@contextmanager
def stop_on_signals() -> Iterator[Event]:
    """An event set by Ctrl+C or SIGTERM: the watch ends after the file it is importing."""
    stop = Event()
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def on_signal(_signum: int, _frame: Any) -> None:
        stop.set()

    for sig in handlers:
        signal.signal(sig, on_signal)
    try:
        yield stop
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def run(hq: Any, files: list[Path], watch: bool, every: float, shown: bool) -> Any:
    """The import (or the watch), each outcome shown as it comes when ``shown``."""
    with drawn_progress(shown) as progress:
        if not watch:
            return hq.import_files(files, progress=progress)
        with stop_on_signals() as stop:
            return hq.watch_files(files, stop=stop, progress=progress, interval=every)


def register(hq_app: typer.Typer, json_opt: Any) -> None:
    @hq_app.command("import", help=_("sync.help_hq_import"))
    def hq_import(
        files: Annotated[list[Path], typer.Argument(metavar="FOLDER|FILE...")],
        hq_db: HqDbOpt,
        watch: Annotated[bool, typer.Option("--watch", help=_("hqinbox.help_watch"))] = False,
        every: Annotated[float, typer.Option("--every", metavar="SECONDS", min=0.1,
                                             help=_("hqinbox.help_every"))] = 2.0,
        as_json: json_opt = False,
    ) -> None:
        with hq_opened(hq_db) as hq:
            if watch:
                from repairdesk.hq.inbox import watchable

                watchable(files)
            if watch and not as_json:  # before the bar: it holds the terminal's last line
                Console(stderr=True, highlight=False).print(
                    _("hqinbox.watching", seconds=f"{every:g}"), markup=False, soft_wrap=True)
            outcomes, gaps = run(hq, files, watch, every, not as_json)
            rows = hq.import_tally(outcomes, gaps)
        if as_json:
            emit_json({"files": [o.to_dict() for o in outcomes], "missing": gaps,
                       "counters": [r.to_dict() for r in rows]})
        else:
            for code, seqs in gaps.items():
                say(_("sync.import_missing", counter=code, seqs=", ".join(map(str, seqs))))
            if rows:
                console.print(closing_table(rows))
            else:
                say(_("hqinbox.nothing"))
        # 1: the HQ database failed (no file's fault); 2: a file was refused.
        if any(o.status == "failed" for o in outcomes):
            raise typer.Exit(1)
        if any(o.status == "refused" for o in outcomes):
            raise typer.Exit(2)
