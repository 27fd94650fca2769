"""What the printing use cases return to the screens and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from repairdesk.tickets.views import _View


@dataclass(frozen=True)
class PrintResult(_View):
    """One slip sent somewhere: a printer, a file, or (``printer == "stdout"``) the caller.

    ``data`` is the rendered slip when nothing printed it, so the caller can show it;
    ``detail`` is what the printer system said (a CUPS job id), if anything.
    """

    ticket: str
    slip: str
    fmt: str
    width: int | None
    printer: str
    at: datetime
    size: int
    data: bytes | str | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out.pop("data")
        return out


@dataclass(frozen=True)
class PrintedSlip(_View):
    """One line of a ticket's print log: which slip, when, where, and whether it worked."""

    slip: str
    fmt: str
    printer: str
    at: datetime
    user: str
    ok: bool
    error: str = ""
