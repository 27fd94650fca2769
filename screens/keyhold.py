"""Keys typed while a screen comes up wait for it: mixed into the counter's app and HQ's.

F4 then a scan: the scan's first digits came while the lookup was being built, with nothing
focused, and were lost ("SH01-" of a ticket number). Keys that come between asking for a
screen and that screen taking focus are held, then handed to it in order: a screen says it is ready by being a
``SaysReady`` (every DeskMixin is one). The app's modes must all be: keys for a mode that
never says so wait HOLD_AT_MOST.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.screen import Screen
from textual.widget import AwaitMount

HOLD_AT_MOST = 1.0  # seconds keys wait for a screen that never says it is ready


class SaysReady:
    """Mixed into a screen: once it is shown and its own handlers have set its focus, the
    keys held for it go to it."""

    def _on_screen_resume(self) -> None:
        # Textual runs this after the screen's on_mount, for every class that defines it.
        ready = getattr(self.app, "screen_ready", None)  # type: ignore[attr-defined]
        if ready is not None:
            ready(self)


class KeyHoldMixin(App[None]):
    """The app's base in place of ``App``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.held: list[events.Key] | None = None  # keys waiting for a screen
        self.ready_screens: set[int] = set()  # screens resumed since they were pushed
        self.holds = 0  # how many times keys were held: the timer of an old hold is ignored

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self.held is not None:
            self.held.append(events.Key(event.key, event.character))  # a screen is coming
            return
        await super().on_event(event)

    def hold_keys(self) -> None:
        self.ready_screens.clear()  # the screen coming has yet to say it is ready
        if self.held is None:
            self.held = []
            self.holds += 1
            hold = self.holds
            self.set_timer(HOLD_AT_MOST, lambda: self.release_keys(hold), name="release-keys")

    async def release_keys(self, forced: int | None = None) -> None:
        """Hand the held keys on, in order, once a field has focus (or, ``forced`` by the
        timer of that hold, after HOLD_AT_MOST)."""
        if self.held is None or (forced is not None and forced != self.holds):
            return
        if forced is None and not self.screen_is_ready:
            return  # not that screen yet: the one coming says when it is ready
        held, self.held = self.held, None
        while held:
            await super().on_event(held.pop(0))
            if self.held is not None:  # that key asked for a screen: the rest wait for it
                self.held[:0] = held
                return

    def switch_mode(self, mode: str) -> AwaitMount:
        self.hold_keys()
        return super().switch_mode(mode)

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(screen, SaysReady):  # a Textual screen (the palette) says nothing
            self.hold_keys()
        return super().push_screen(screen, *args, **kwargs)

    @property
    def screen_is_ready(self) -> bool:
        return id(self.screen) in self.ready_screens

    def screen_ready(self, screen: Screen[Any]) -> None:
        """``screen`` is shown and has set its focus: keys held for it go to it now. A
        screen that said so before the one now coming is ignored."""
        self.ready_screens.add(id(screen))
        if self.held is not None:
            self.call_after_refresh(self.release_keys)
