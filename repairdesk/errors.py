"""Errors the core raises. Their messages are already translated for the user."""

from __future__ import annotations


class RepairDeskError(Exception):
    """Something the user must be told about; never shown as a traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(RepairDeskError):
    """Bad input from a person or a file: names the field, nothing was stored (CLI exit 2).

    ``field`` is the field's code (``device.sale_date``: for ``--json`` and for a screen to
    find the widget), ``reason`` what is wrong with it, and ``message`` both for a person,
    the field named by its label in their language ("Sale date: …", "购买日期：…").
    """

    def __init__(self, field: str, message: str, *, label: str | None = None) -> None:
        from repairdesk.fields import label as label_of
        from repairdesk.i18n import _

        self.field = field
        self.label = label or label_of(field)
        self.reason = message
        super().__init__(_("field.message", label=self.label, reason=message))

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "label": self.label, "reason": self.reason,
                "message": self.message}


class OpenTicketError(InputError):
    """An intake for a phone that already has an open ticket (``ticket``): the counter opens
    that one, or takes the phone in again on purpose (``allow_open``)."""

    def __init__(self, ticket: str, status: str) -> None:
        from repairdesk.i18n import _

        super().__init__("device.imei", _("core.imei_has_open_ticket", ticket=ticket,
                                          status=_(f"status.{status}")))
        self.ticket = ticket
        self.status = status


class NotFound(RepairDeskError):
    """A ticket, device or customer that is not in the store."""


class StoreError(RepairDeskError):
    """The store cannot be opened or used (newer schema, not a RepairDesk file, read-only)."""
