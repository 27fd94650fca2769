"""The counter-side sync use cases of the facade (mixed into :class:`repairdesk.desk.Desk`)."""

from __future__ import annotations

from repairdesk.facade_base import DeskBase


class SyncDesk(DeskBase):
    """Export batches, show the counter's key, apply HQ reference packs."""
