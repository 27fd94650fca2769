"""What HQ's screens share: the facade, their commands' labels, their help paragraphs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.binding import BindingType
from textual.screen import ModalScreen, Screen

from repairdesk.i18n import _
from screens.base import TABS, DeskMixin
from screens.commands import Command, localise_bindings

if TYPE_CHECKING:
    from repairdesk.hq.facade import Hq

ResultT = TypeVar("ResultT")


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


class HqScreen(HqMixin, Screen[ResultT]):
    BINDINGS: ClassVar[list[BindingType]] = TABS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localise_bindings(self)


class HqModal(HqMixin, ModalScreen[ResultT]):
    BINDINGS: ClassVar[list[BindingType]] = TABS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localise_bindings(self)
