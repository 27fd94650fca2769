"""What a slip may show: the read views the printing facade gathers for one ticket.

No store access here and no layout: :mod:`repairdesk.printing.build` turns a
:class:`SlipData` into a slip. The passcode never reaches it: :class:`TicketView` carries only
whether one was given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo
from typing import TYPE_CHECKING, Any

from repairdesk.tickets.guarantees import Guarantee
from repairdesk.tickets.views import CounterInfo, RepairRecordView, TicketView

if TYPE_CHECKING:
    # Printing reads money's view, never money's code: the facade hands it in.
    from repairdesk.money.views import TicketMoneyView


@dataclass(frozen=True)
class EarlierRepair:
    """A repair of the same phone on an earlier ticket of this counter."""

    ticket: str
    faults: tuple[str, ...]
    repair: RepairRecordView


@dataclass(frozen=True)
class SlipData:
    """Everything a slip may show, gathered by the facade in one place."""

    counter: CounterInfo
    ticket: TicketView
    tz: tzinfo
    today: date
    # The 三包 decision on the day the phone was handed in (None: it could not be decided).
    at_intake: dict[str, Any] | None
    # The repair's own guarantee if handed back today (repairdesk/money decides it).
    guarantee: Guarantee | None = None
    # Parts, quote, payments and balance of the ticket (pickup receipt).
    money: TicketMoneyView | None = None
    earlier: tuple[EarlierRepair, ...] = ()
    terms: str | None = None
    unclaimed_days: int = 90

    @property
    def handed_back(self) -> date:
        """The hand-back date: recorded when the ticket closed, else today (printed at pickup)."""
        repair = self.ticket.repair
        return repair.handed_back if repair and repair.handed_back else self.today
