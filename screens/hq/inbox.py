"""The inbox: import a folder of counters' batches, then see what came of each file and
where each counter stands (its last batch, the sequence numbers missing, a flag when the
counter is suspended or retired).

The import runs in a worker thread (a big folder takes minutes); the facade calls back
after each file and the bar moves on the app's thread (``call_from_thread``). Batches of a
suspended or retired counter are imported (they are past work) and flagged.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Label, ProgressBar, Static

from repairdesk.i18n import _
from repairdesk.sync.views import ImportOutcome
from screens.commands import bindings, commands
from screens.hq.base import HqCommand, HqScreen
from screens.widgets.render import terminal_text

OUTCOME_STYLE = {"imported": "green", "already_imported": "", "refused": "bold red",
                 "failed": "bold red", "not_tried": "yellow"}
PROBLEMS = frozenset({"refused", "failed", "not_tried"})
FILE_COLUMNS = ("file", "outcome", "counter", "seq", "detail")
COUNTER_COLUMNS = ("counter", "name", "last", "batches", "missing", "flag", "imported")


class InboxScreen(HqScreen[None]):
    HELP_KEY = "inbox"
    KEYS = commands(
        HqCommand("hq-inbox-refresh", "f5", "refresh", "view"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [*HqScreen.BINDINGS, *bindings(KEYS)]

    def __init__(self) -> None:
        super().__init__()
        self.importing = False
        self.details: dict[str, str] = {}  # a file's whole message, by its row

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="inbox-folder-row"):
            yield Label(_("hqui.inbox_folder"), id="inbox-folder-label")
            yield Input(id="inbox-folder", placeholder=_("hqui.inbox_folder_hint"))
        yield ProgressBar(id="inbox-progress", show_eta=False)
        yield Static("", id="inbox-summary")
        files: DataTable[str | Text] = DataTable(id="inbox-files", cursor_type="row")
        for column in FILE_COLUMNS:
            files.add_column(_(f"hqui.col_{column}"), key=column)
        yield files
        yield Static("", id="inbox-detail", markup=False)
        yield Static(_("hqui.inbox_counters"), id="inbox-counters-title")
        counters: DataTable[str | Text] = DataTable(id="inbox-counters", cursor_type="row")
        for column in COUNTER_COLUMNS:
            counters.add_column(_(f"hqui.col_{column}"), key=column)
        yield counters
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#inbox-progress", ProgressBar).display = False
        self.query_one("#inbox-folder", Input).focus()
        self.action_refresh()

    @on(Input.Submitted, "#inbox-folder")
    def import_folder(self) -> None:
        if self.importing:
            return
        text = self.query_one("#inbox-folder", Input).value.strip()
        if not text:
            self.show_summary(Text(_("hqui.inbox_no_folder"), style="bold red"))
            return
        folder = Path(text).expanduser()
        self.importing = True
        bar = self.query_one("#inbox-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.show_summary(Text(_("hqui.inbox_importing", folder=str(folder))))
        self.query_one("#inbox-files", DataTable).clear()
        self.details.clear()
        self.query_one("#inbox-detail", Static).update("")
        self.run_worker(lambda: self.run_import(folder), thread=True, group="import",
                        description="import a folder")

    def run_import(self, folder: Path) -> None:
        """In the worker thread: the import, then its outcome drawn on the app's thread."""
        try:
            outcomes, gaps = self._import([folder])
        except Exception as exc:  # noqa: BLE001 - HQ sees a message, the log the traceback
            self.app.call_from_thread(self.import_done, None, self.failure(exc))
            return
        self.app.call_from_thread(self.import_done, (outcomes, gaps), None)

    def _import(self, paths: list[Path]) -> tuple[list[ImportOutcome], dict[str, list[int]]]:
        def moved(done: int, total: int, _outcome: ImportOutcome) -> None:
            self.app.call_from_thread(self.move_bar, done, total)

        return self.hq.import_files(paths, progress=moved)

    def move_bar(self, done: int, total: int) -> None:
        self.query_one("#inbox-progress", ProgressBar).update(total=total, progress=done)

    def import_done(self, result: tuple[list[ImportOutcome], dict[str, list[int]]] | None,
                    error: str | None) -> None:
        self.importing = False
        self.query_one("#inbox-progress", ProgressBar).display = False
        if result is None:
            self.show_summary(Text(error or "", style="bold red"))
            return
        outcomes, _gaps = result
        table = self.query_one("#inbox-files", DataTable)
        counts: dict[str, int] = {}
        # What went wrong first: on a small screen it is what the rows shown hold.
        for row, outcome in enumerate(sorted(outcomes, key=lambda o: o.status not in PROBLEMS)):
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
            table.add_row(*self.file_cells(outcome), key=str(row))
            if outcome.status in PROBLEMS:
                self.details[str(row)] = outcome.message or outcome.check or ""
        self.show_detail(table.cursor_row)
        if not outcomes:
            self.show_summary(Text(_("hqui.inbox_nothing")))
        else:
            parts = [_(f"hqui.summary_{status}", count=count)
                     for status, count in sorted(counts.items())]
            failed = counts.get("refused", 0) + counts.get("failed", 0)
            self.show_summary(Text(" · ".join(parts), style="bold red" if failed else ""))
        self.fill_counters()

    def file_cells(self, outcome: ImportOutcome) -> list[str | Text]:
        detail = ""
        if outcome.status in PROBLEMS:
            detail = outcome.message or outcome.check or ""
        elif outcome.status == "imported":
            detail = _("hqui.rows", count=outcome.rows)
        status = Text(_(f"hqui.outcome_{outcome.status}"), style=OUTCOME_STYLE[outcome.status])
        if outcome.flag:  # past work of a suspended or retired counter: imported, flagged
            status.append(" · " + _(f"hqui.flag_{outcome.flag}"), style="bold yellow")
        return [terminal_text(outcome.file), status,
                outcome.counter or "-", str(outcome.seq or "-"), terminal_text(detail)]

    @on(DataTable.RowHighlighted, "#inbox-files")
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail(event.cursor_row)

    def show_detail(self, row: int) -> None:
        """A refusal's whole reason, wrapped under the list: its cell is cut to the screen."""
        shown = self.details.get(str(row), "")
        self.query_one("#inbox-detail", Static).update(
            Text(terminal_text(shown), style="red") if shown else "")

    def show_summary(self, text: Text) -> None:
        self.query_one("#inbox-summary", Static).update(text)

    def action_refresh(self) -> None:
        self.fill_counters()

    def fill_counters(self) -> None:
        table = self.query_one("#inbox-counters", DataTable)
        table.clear()
        try:
            rows = self.counter_rows()
        except Exception as exc:  # noqa: BLE001 - said on the screen, the app goes on
            self.show_summary(Text(self.failure(exc), style="bold red"))
            return
        for row in rows:
            table.add_row(*row)

    def counter_rows(self) -> list[list[str | Text]]:
        rows: list[list[str | Text]] = []
        for row in self.hq.inbox():
            missing = ", ".join(map(str, row.missing)) or "-"
            flag = Text(_(f"hqui.flag_{row.flag}"), style="bold yellow") if row.flag else Text()
            if row.flagged:
                flag.append((" · " if row.flag else "")
                            + _("hqui.flagged", count=row.flagged), style="yellow")
            last_import = row.last_import
            rows.append([
                row.counter, terminal_text(row.name or ""), str(row.last_seq or "-"),
                str(row.batches), Text(missing, style="yellow" if row.missing else ""), flag,
                last_import.astimezone().strftime("%Y-%m-%d %H:%M") if last_import else "-",
            ])
        return rows
