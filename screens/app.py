"""RepairDeskApp: the counter's Textual face. It talks to the core only through a Desk.

Workspaces are Textual modes (board F2, intake F3, lookup F4): each keeps its own stack, so
switching never loses a half-typed intake. Work on one ticket (ticket, checklist) is pushed
onto the current workspace, and Esc comes back to where it was opened from.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Sequence
from time import monotonic
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.binding import BindingType
from textual.filter import LineFilter
from textual.screen import Screen

from repairdesk.i18n import _
from screens.base import DeskMixin, DeskModal, key_display
from screens.board import BoardScreen
from screens.commands import REGISTRY, Command, bindings, commands, localise_bindings
from screens.inert import InertLines
from screens.keyhold import KeyHoldMixin
from screens.palette import CommandsMixin

if TYPE_CHECKING:
    from repairdesk.desk import Desk
    from repairdesk.opening import OpeningDesk

WORKSPACES = ("board", "intake", "lookup")
_INERT = InertLines()


class RepairDeskApp(CommandsMixin, KeyHoldMixin):
    """Holds the injected desk; screens reach it as ``self.app.desk``."""

    TITLE = "RepairDesk"
    # The board is the first screen; the other workspaces are imported when first shown
    # (the intake form alone is a tenth of a second of a start). Lambdas: the functions
    # that import them come after the class.
    MODES: ClassVar[dict[str, str | Callable[[], Screen]]] = {
        "board": BoardScreen,
        "intake": lambda: _intake_screen(),
        "lookup": lambda: _lookup_screen(),
        "dayend": lambda: _dayend_screen(),
    }
    KEYS = commands(
        Command("help", "f1", "toggle_help", "app", priority=True),
        # Priority: the app switches as the key arrives, before it hands on the keys typed
        # after it, which then wait for the new screen (hold_keys) instead of reaching the
        # old one.
        Command("board", "f2", "workspace('board')", "view", priority=True),
        Command("intake", "f3", "workspace('intake')", "ticket", priority=True),
        Command("lookup", "f4", "workspace('lookup')", "view", priority=True),
        # F5 reloads the screen shown, F6-F10 act on a ticket, F11 is the terminal's own.
        Command("dayend", "f12", "workspace('dayend')", "view", priority=True),
        Command("command-palette", "ctrl+p", "command_palette", "app", show=False,
                priority=True),
        Command("quit", "ctrl+q", "quit", "app", show=False, priority=True),
    )
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    def __init__(self, desk: Desk, keymap: dict[str, str] | None = None,
                 idle_minutes: int = 10, backup_keep: int = 0) -> None:
        super().__init__()
        self.desk = desk
        self.backup_keep = backup_keep  # daily backups kept; 0: none made (see board_shown)
        self.board_drawn = False  # the board has been drawn once
        self.idle_seconds = idle_minutes * 60
        self.last_key = monotonic()
        self.keymap = dict(keymap or {})
        self.drafts: weakref.WeakSet[DeskMixin] = weakref.WeakSet()
        self.settled: set[str] = set()  # workspaces whose objects the collector skips
        localise_bindings(self)

    def on_mount(self) -> None:
        if self.keymap:
            self.set_keymap(self.keymap)
        self.set_timer(10.0, gc.enable)  # in case the board is never drawn (board_shown)
        counter = self.desk.counter()
        self.title = counter.name if counter else _("tui.no_counter")
        self.sub_title = counter.code if counter else ""
        self.show_workspace("board")
        if self.desk.trust.count_users():
            self.ask_login(locked=False)
            if self.idle_seconds > 0:
                self.set_interval(min(30.0, self.idle_seconds / 2), self.lock_if_idle)

    # -- what the start puts off until the board is up -----------------------------------

    def board_shown(self) -> None:
        """The board's rows have been drawn (the first time: the app is open). Then, in
        threads: the rest of the facade is loaded (the first screen read the store without
        it, see repairdesk/opening.py) and the day's first start backs the store up."""
        if self.board_drawn:
            return
        self.board_drawn = True
        gc.enable()  # paused while the app opened (repairdesk.cli.main)
        from repairdesk.opening import OpeningDesk

        desk = self.desk
        if isinstance(desk, OpeningDesk):  # a Desk is loaded already
            self.run_worker(lambda: self.in_background(lambda: _load_facade(desk)),
                            thread=True, group="opening", description="load the facade")
        if self.backup_keep > 0:
            self.run_worker(lambda: self.in_background(self.daily_backup), thread=True,
                            group="backup", description="daily backup")

    def daily_backup(self) -> None:
        self.desk.daily_backup(self.backup_keep)

    def in_background(self, work: Callable[[], object]) -> None:
        """Run ``work`` (in a worker thread); a failure is told, it never ends the app."""
        try:
            work()
        except Exception as exc:  # noqa: BLE001 - the counter sees a message, the log the rest
            from repairdesk.errors import RepairDeskError

            if isinstance(exc, RepairDeskError):
                message = exc.message
            else:
                from repairdesk.cli import write_crash_log

                message = _("core.unexpected", error=type(exc).__name__,
                            log=write_crash_log(exc))
            self.call_from_thread(self.notify, f"{_('core.error')}: {message}",
                                  severity="error", timeout=30)

    # -- who is at the counter -----------------------------------------------------------

    def ask_login(self, *, locked: bool) -> None:
        from screens.login import LoginScreen

        def logged_in(name: str | None) -> None:
            self.last_key = monotonic()
            self.sub_title = " · ".join(filter(None, (self.sub_title.split(" · ")[0], name)))

        self.push_screen(LoginScreen(locked=locked, user=self.desk.user if locked else ""),
                         logged_in)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self.last_key = monotonic()
        await super().on_event(event)  # held while a screen is on its way (KeyHoldMixin)

    def lock_if_idle(self) -> None:
        from screens.login import LoginScreen

        idle = monotonic() - self.last_key
        if idle >= self.idle_seconds and not isinstance(self.screen, LoginScreen):
            self.ask_login(locked=True)

    def get_line_filters(self) -> Sequence[LineFilter]:
        # Stored text is drawn inert on every screen (screens/inert.py).
        return (*super().get_line_filters(), _INERT)

    # -- workspaces and leaving ----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "workspace" and isinstance(self.screen, DeskModal):
            return False  # a dialog is answered (or closed) first
        return super().check_action(action, parameters)

    def action_workspace(self, mode: str) -> None:
        """Show a workspace. Asked again for the one already shown, it closes what was opened
        on top of it (a ticket, a checklist) and shows the workspace itself."""
        screen = self.screen
        pushed = len(self.screen_stack) > 1
        if mode == self.current_mode:
            if pushed:
                self.leave(screen, self._pop_to_base, keep=False)
            return

        def switch() -> None:
            # What was opened on top of the workspace left (a ticket, a checklist) closes:
            # coming back to a workspace shows the workspace itself (F3 the form, F4 the
            # search), never a ticket opened from it long ago, which keys would then
            # reach unseen.
            self._pop_to_base()
            self.show_workspace(mode)

        # A draft kept is one on a workspace's own screen (the intake form); a ticket's
        # record cannot be kept open behind another workspace.
        self.leave(screen, switch, keep=not pushed)

    def show_workspace(self, mode: str) -> None:
        """Switch to a workspace. Its screen lives as long as the app: once it is first
        built, what exists is moved out of the garbage collector's sight (gc.freeze; a form
        is some 50,000 objects), or every full collection walks it all again, a pause of
        50-250 ms that lands on whichever key is being typed."""
        self.switch_mode(mode)
        if mode not in self.settled:
            self.settled.add(mode)
            self.call_after_refresh(gc.freeze)

    def _pop_to_base(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def leave(self, screen: Screen, then: Callable[[], object], *, keep: bool) -> None:
        """Run ``then`` once the person agrees to leave ``screen``: straight away when it
        holds nothing unsaved; otherwise after asking. ``keep``: leaving keeps the screen
        (switching workspaces), so the draft can stay as it is."""
        if not (isinstance(screen, DeskMixin) and screen.has_unsaved()):
            then()
            return
        answers = [("keep", _("tui.answer_keep_draft"))] if keep else []
        answers += [("discard", _("tui.answer_discard")), ("stay", _("tui.answer_stay"))]

        def answered(answer: str | None) -> None:
            if answer == "discard":
                screen.discard()
            if answer in ("keep", "discard"):
                then()

        from screens.dialogs import ConfirmDialog

        self.push_screen(ConfirmDialog(_("tui.unsaved_question"), answers, warning=not keep,
                                       default="keep" if keep else "stay"),
                         answered)

    def unsaved_screens(self) -> list[DeskMixin]:
        """The screens, in every workspace, that hold input a quit would lose. A screen
        that was closed (a ticket left with Esc) is no longer asked, even while the
        collector has not freed it yet: its widgets are gone."""
        live = {id(s) for stack in self._screen_stacks.values() for s in stack}
        return [s for s in list(self.drafts) if id(s) in live and s.has_unsaved()]

    async def action_quit(self) -> None:
        from screens.dialogs import ConfirmDialog

        if not self.unsaved_screens():
            self.exit()
            return
        if isinstance(self.screen, ConfirmDialog) and self.screen.id == "quit-question":
            return  # asked already

        def answered(answer: str | None) -> None:
            if answer == "quit":
                self.exit()

        self.push_screen(
            ConfirmDialog(_("tui.quit_unsaved"),
                          [("quit", _("tui.answer_quit")), ("stay", _("tui.answer_stay"))],
                          warning=True, default="stay", id="quit-question"),
            answered,
        )

    def action_help_quit(self) -> None:
        # Ctrl+C outside a field: people reach for it to quit; say which key quits.
        self.notify(_("tui.how_to_quit", key=key_display(self.key_for(REGISTRY["quit"]))))

    # -- help and the command palette ---------------------------------------------------

    def help_about(self, screen: Screen) -> str:
        return screen.help_text() if isinstance(screen, DeskMixin) else ""

    def help_notes(self) -> list[tuple[str, str]]:
        return [(key_display(k), _(f"tui.key_note.{note}")) for k, note in
                (("tab", "tab"), ("shift+tab", "shift_tab"))]


def _load_facade(desk: OpeningDesk) -> None:
    """Load the full facade, first freeing what the opening left for the collector."""
    # With the collector paused, the opening's own cyclic garbage (Textual's discarded
    # styles and nodes, about a megabyte) was frozen with the board (show_workspace).
    # Freed before the facade loads, that memory holds part of the facade instead of
    # adding to the app's peak. One full pass, once, while nobody types yet.
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    desk.load()


def facade_loaded() -> None:
    """Wait for the full facade (loading in a worker since the board was drawn, or load it
    now) before a screen that needs it is imported. Both import SQLAlchemy: imported by two
    threads at once, it fails as partially initialised. Keys typed meanwhile are held."""
    from textual._context import active_app

    load = getattr(active_app.get().desk, "load", None)  # an OpeningDesk; a Desk has none
    if load is not None:
        load()


def _intake_screen() -> Screen:
    facade_loaded()
    from screens.intake import IntakeScreen

    return IntakeScreen()


def _lookup_screen() -> Screen:
    facade_loaded()
    from screens.lookup import LookupScreen

    return LookupScreen()


def _dayend_screen() -> Screen:
    facade_loaded()
    from screens.dayend import DayEndScreen

    return DayEndScreen()


__all__ = ["WORKSPACES", "RepairDeskApp"]
