"""F1 help, the command palette and the keymap, as both apps have them (the counter's and
HQ's): every command of the screen shown and of the app that can run now, under the key the
settings' keymap gives it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from textual.actions import parse as parse_action
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from repairdesk.i18n import _
from screens.base import key_display
from screens.commands import Command


class CommandsMixin:
    """Mixed into an App with ``KEYS`` (its own commands) and ``keymap`` (id -> key)."""

    KEYS: ClassVar[tuple[Command, ...]]
    keymap: dict[str, str]

    def key_for(self, command: Command) -> str:
        """The key a command has now: the settings file's keymap, else its default."""
        return self.keymap.get(command.id, command.key)

    def get_key_display(self, binding: Binding) -> str:
        return binding.key_display or key_display(binding.key)

    def commands_of(self, screen: Screen) -> list[Command]:
        """The screen's own commands, then the app's, that can run now."""
        found: list[Command] = []
        owners: tuple[Any, ...] = (screen, self)
        for owner, declared in zip(owners, (getattr(screen, "KEYS", ()), self.KEYS)):
            for command in declared:
                _target, name, params = parse_action(command.action)
                if owner.check_action(name, params) is not False:
                    found.append(command)
        return found

    def help_about(self, screen: Screen) -> str:
        """What F1 says about ``screen`` above its keys."""
        return ""

    def help_notes(self) -> list[tuple[str, str]]:
        """Keys F1 lists after the commands (key, what it does)."""
        return []

    def action_toggle_help(self) -> None:
        from screens.dialogs import HelpScreen

        app: Any = self
        if isinstance(app.screen, HelpScreen):
            app.screen.dismiss(None)
            return
        screen = app.screen
        keys = [(key_display(self.key_for(c)), c.label) for c in self.commands_of(screen)]
        app.push_screen(HelpScreen(self.help_about(screen), keys + self.help_notes()))

    def action_command_palette(self) -> None:
        """Textual's palette, with its prompt in the reader's language."""
        from textual.command import CommandPalette

        app: Any = self
        if app.use_command_palette and not CommandPalette.is_open(app):
            app.push_screen(CommandPalette(id="--command-palette",
                                           placeholder=_("tui.palette_placeholder")))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of the screen and of the app, as "category: Action" (Ctrl+P)."""
        for command in self.commands_of(screen):
            if command.id == "command-palette":
                continue
            owner = self if command in self.KEYS else screen
            yield SystemCommand(
                command.title,
                _("tui.palette_help", key=key_display(self.key_for(command))),
                _runner(owner, command.action),
            )


def _runner(owner: App[None] | Screen | Any, action: str) -> Callable[[], object]:
    async def run() -> None:
        await owner.run_action(action)

    return run
