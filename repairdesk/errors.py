"""Errors the core raises. Their messages are already translated for the user."""

from __future__ import annotations


class RepairDeskError(Exception):
    """Something the user must be told about; never shown as a traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(RepairDeskError):
    """Bad input from a person or a file: names the field, nothing was stored (CLI exit 2)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class NotFound(RepairDeskError):
    """A ticket, device or customer that is not in the store."""


class StoreError(RepairDeskError):
    """The store cannot be opened or used (newer schema, not a RepairDesk file, read-only)."""
