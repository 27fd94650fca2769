"""Every action of the counter app, declared once.

A :class:`Command` yields its key binding (footer, F1 help), its command-palette entry
("category: Action") and its binding id, which the settings file's ``keymap`` remaps through
:meth:`textual.app.App.set_keymap`.

Textual reads ``BINDINGS`` when a class is defined, before the counter's language is known.
So a binding carries its id as its description, and :func:`localise_bindings` swaps in the
label in the language of the moment when each screen (and the app) is created.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from repairdesk.i18n import _


@dataclass(frozen=True)
class Command:
    id: str  # binding id, kebab-case; its label is _("tui.cmd.<id>")
    key: str
    action: str
    category: str  # ticket | view | app | edit: the palette's "category: Action"
    show: bool = True  # in the footer
    priority: bool = False

    @property
    def label(self) -> str:
        return _(f"tui.cmd.{self.id}")

    @property
    def title(self) -> str:
        """The palette title, e.g. "ticket: New intake" / "工单：新建受理"."""
        return _("tui.palette_title", category=_(f"tui.category.{self.category}"),
                 label=self.label)

    def binding(self) -> Binding:
        return Binding(self.key, self.action, self.id, show=self.show, priority=self.priority,
                       id=self.id)


REGISTRY: dict[str, Command] = {}


def commands(*declared: Command) -> tuple[Command, ...]:
    """Register ``declared`` (ids are unique app-wide: the keymap addresses them by id)."""
    for command in declared:
        existing = REGISTRY.get(command.id)
        if existing is not None and existing != command:
            raise ValueError(f"binding id {command.id!r} declared twice differently")
        REGISTRY[command.id] = command
    return declared


def bindings(declared: tuple[Command, ...]) -> list[Binding]:
    return [command.binding() for command in declared]


def localise_bindings(node: DOMNode) -> None:
    """Give ``node``'s bindings their labels in the current language (see module doc)."""
    keys: dict[str, list[Binding]] = {}
    for key, found in node._bindings.key_to_bindings.items():
        keys[key] = [
            dataclasses.replace(b, description=REGISTRY[b.id].label)
            if b.id in REGISTRY and b.description == b.id else b
            for b in found
        ]
    node._bindings = BindingsMap.from_keys(keys)


def key_map() -> list[tuple[str, str, str, str]]:
    """(screen category, key, binding id, label) of every command: the README's key table."""
    return [(c.category, c.key, c.id, c.label) for c in REGISTRY.values()]
