"""The printing use cases of the facade (mixed into :class:`repairdesk.desk.Desk`)."""

from __future__ import annotations

from repairdesk.facade_base import DeskBase


class PrintingDesk(DeskBase):
    """Render and print a ticket's slips; remember which were printed."""
