"""What every screen of the counter app shares: the desk, translated keys, help, drafts."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from repairdesk.i18n import _
from screens.commands import Command, commands, localise_bindings
from screens.keyhold import SaysReady

#: Enter in a typed field. A priority binding: the app runs it when the key arrives and
#: hands on no later key until it is done, so keys typed right after a scan's Enter can
#: never land in the field that was just left. The action first lets the field take the
#: keys that came before the Enter (a scanner sends them all at once).
#: Ctrl+J too: a line feed, as scanners set to end with LF send, and as the terminal turns
#: an Enter typed before the app took the terminal over (its line discipline maps CR to LF).
NEXT_FIELD = commands(Command("next-field", "enter,ctrl+j", "next_field", "edit",
                              show=False, priority=True))
#: Tab and Shift+Tab on every screen and dialog, for the same reason: priority bindings whose
#: action first lets the field take the keys typed before them, so a key typed right after
#: Tab always lands in the field Tab went to, at any speed (without them Textual hands the
#: next keys to the field being left before the focus has moved).
TABS: list[BindingType] = [Binding("tab", "tab(1)", show=False, priority=True),
                           Binding("shift+tab", "tab(-1)", show=False, priority=True)]

if TYPE_CHECKING:
    from repairdesk.desk import Desk
    from screens.app import RepairDeskApp

ResultT = TypeVar("ResultT")


class DeskMixin(SaysReady):
    """Mixed into screens and dialogs. ``KEYS`` are the screen's commands (their bindings are
    ``BINDINGS``); ``HELP_KEY`` names the screen's paragraph in the F1 help."""

    KEYS: ClassVar[tuple[Command, ...]] = ()
    HELP_KEY: ClassVar[str] = ""

    @property
    def desk_app(self) -> RepairDeskApp:
        return self.app  # type: ignore[attr-defined, no-any-return]

    @property
    def desk(self) -> Desk:
        return self.desk_app.desk

    def local_time(self, moment: datetime) -> datetime:
        """A stored (UTC) time in the counter's own time zone, that of its clock."""
        return moment.astimezone(self.desk.clock().tzinfo)

    def help_text(self) -> str:
        return _(f"tui.help.{self.HELP_KEY}") if self.HELP_KEY else ""

    def has_unsaved(self) -> bool:
        """True while the screen holds input that leaving would lose."""
        return False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_field":
            # Only in a typed field: elsewhere Enter ticks, opens or presses as usual.
            return isinstance(self.focused, Input)  # type: ignore[attr-defined]
        return True

    async def action_next_field(self) -> None:
        field = self.focused  # type: ignore[attr-defined]
        assert isinstance(field, Input)
        typed = asyncio.Event()
        field.call_later(typed.set)  # runs once the field has taken the keys before Enter
        await typed.wait()
        if self.focused is field:  # type: ignore[attr-defined]
            self.field_entered(field)

    async def action_tab(self, direction: int) -> None:
        field = self.focused  # type: ignore[attr-defined]
        if field is not None:
            typed = asyncio.Event()
            field.call_later(typed.set)  # runs once the field has taken the keys before
            await typed.wait()
        if self.focused is field:  # type: ignore[attr-defined]
            (self.focus_next if direction > 0 else self.focus_previous)()  # type: ignore[attr-defined]

    def field_entered(self, field: Input) -> None:
        """Enter in ``field``: move on (screens add lookups); never save."""
        self.focus_next()  # type: ignore[attr-defined]

    def discard(self) -> None:
        """Forget the unsaved input (the person chose to)."""


class DeskScreen(DeskMixin, Screen[ResultT]):
    BINDINGS: ClassVar[list[BindingType]] = TABS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localise_bindings(self)


class DeskModal(DeskMixin, ModalScreen[ResultT]):
    BINDINGS: ClassVar[list[BindingType]] = TABS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localise_bindings(self)


def key_display(key: str) -> str:
    """How the counter reads a key: F2, Ctrl+S, Esc, Enter (keys as in a keymap)."""
    names = {"escape": "Esc", "enter": "Enter", "space": "Space", "tab": "Tab",
             "delete": "Del", "backspace": "Backspace", "pageup": "PgUp", "pagedown": "PgDn"}
    shown = []
    for alternative in key.split(","):
        *modifiers, name = alternative.strip().split("+")
        name = names.get(name, name.upper() if len(name) <= 3 else name.title())
        shown.append("+".join([*(m.title() for m in modifiers), name]))
    return "/".join(shown)
