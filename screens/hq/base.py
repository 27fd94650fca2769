"""What HQ's screens share: the facade, their commands' labels, their help paragraphs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from rich.cells import cell_len
from textual.binding import ActiveBinding, BindingType
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer

from repairdesk.i18n import _
from screens.base import TABS, DeskMixin
from screens.commands import Command, localise_bindings

if TYPE_CHECKING:
    from repairdesk.hq.facade import Hq

ResultT = TypeVar("ResultT")
#: What the footer's palette key ("▏Ctrl+P 命令") takes, at most.
PALETTE_CELLS = 14


@dataclass(frozen=True)
class HqCommand(Command):
    """A command of the HQ app: its label is in HQ's own catalog (``hqui.cmd.<id>``)."""

    @property
    def label(self) -> str:
        return _(f"hqui.cmd.{self.id}")


class HqMixin(DeskMixin):
    """The counter's screen conventions (Enter moves on, Tab waits for typed keys), with the
    HQ facade in place of the desk."""

    @property
    def hq(self) -> Hq:
        return self.app.hq  # type: ignore[attr-defined, no-any-return]

    def help_text(self) -> str:
        return _(f"hqui.help.{self.HELP_KEY}") if self.HELP_KEY else ""

    def failure(self, exc: Exception) -> str:
        """What HQ is told when the facade fails: a refusal's own words, or that something
        unexpected happened (nothing saved) and where the traceback was logged: never the
        traceback itself, which would end the app."""
        from repairdesk.errors import RepairDeskError

        if isinstance(exc, RepairDeskError):
            return exc.message
        from repairdesk.cli import write_crash_log

        return f"{_('core.error')}: " + _("core.unexpected", error=type(exc).__name__,
                                           log=write_crash_log(exc))


#: The app's keys to the workspaces: left out of a footer that would be cut otherwise (F1
#: and the palette list them; a cut would also fall inside a wide character).
WORKSPACE_KEYS = frozenset({"hq-inbox", "hq-network", "hq-reports", "hq-settlement",
                            "hq-parts"})


class HqScreen(HqMixin, Screen[ResultT]):
    BINDINGS: ClassVar[list[BindingType]] = TABS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localise_bindings(self)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys the footer shows: the screen's, then the app's, in as many cells as
        the screen has (the compact footer gives each "key label" and a space, and the
        palette's key its own dozen cells)."""
        found = super().active_bindings
        shown = [b.binding for b in found.values() if b.binding.show]
        footers = self.query(Footer)
        palette = PALETTE_CELLS if footers and footers.first().show_command_palette else 0
        cells = sum(cell_len(self.app.get_key_display(b)) + cell_len(b.description) + 2
                    for b in shown) + palette
        if cells <= self.app.size.width:
            return found
        return {key: b for key, b in found.items() if b.binding.id not in WORKSPACE_KEYS}

    def on_resize(self) -> None:
        self.refresh_bindings()  # the footer's keys that fit


class HqModal(HqMixin, ModalScreen[ResultT]):
    BINDINGS: ClassVar[list[BindingType]] = TABS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localise_bindings(self)
