"""The parts-and-money use cases of the facade (mixed into :class:`repairdesk.desk.Desk`)."""

from __future__ import annotations

from repairdesk.facade_base import DeskBase


class MoneyDesk(DeskBase):
    """Parts, quotes, payments, guarantees, loaners and the day-end report."""
