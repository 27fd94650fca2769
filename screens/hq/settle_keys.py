"""The Settlement workspace's commands, apart from its screen: the app declares F5 with them
when it starts, and loads the screen itself only once someone opens it."""

from __future__ import annotations

from dataclasses import dataclass

from repairdesk.i18n import _
from screens.commands import Command, commands


@dataclass(frozen=True)
class SettleCommand(Command):
    """A command of the Settlement workspace: its label is in ``hqscreen_settle.cmd.<id>``."""

    @property
    def label(self) -> str:
        return _(f"hqscreen_settle.cmd.{self.id}")


#: The app's key to the workspace (a priority key, as F2-F4).
WORKSPACE = SettleCommand("hq-settlement", "f5", "workspace('settlement')", "view",
                          priority=True)

#: The screen's keys, those of HQ_RULES (repairdesk/permissions.py) first. The views'
#: keys are left out of the footer (the strip above the table names them), which then
#: fits 80 cells in either language.
SCREEN_KEYS = commands(
    SettleCommand("hq-settle-approve", "a", "approve", "edit"),
    SettleCommand("hq-settle-reject", "r", "reject", "edit"),
    SettleCommand("hq-settle-adjust", "e", "adjust", "edit"),
    SettleCommand("hq-settle-close", "ctrl+k", "close_month", "edit"),
    SettleCommand("hq-settle-resolve", "d", "resolve", "edit"),
    SettleCommand("hq-settle-statements", "s", "show('statements')", "view", show=False),
    SettleCommand("hq-settle-disputes", "p", "show('disputes')", "view", show=False),
    SettleCommand("hq-settle-filter", "ctrl+f", "filter", "view", show=False),
)
