"""What the counter's side of the parts loop with HQ returns: its requests and the
replenishment suggestion (``repairdesk parts request|requests|suggest --json``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from repairdesk.i18n import _
from repairdesk.tickets.views import _View


@dataclass(frozen=True)
class PartRequestView(_View):
    id: int
    part_number: str
    name: str
    qty: int
    ticket: str | None
    reason: str  # stock | ticket
    free: bool
    note: str
    at: datetime
    user: str


def requested_text(v: PartRequestView) -> str:
    """A request as the counter's command line and app confirm it."""
    what = _("parts.request_for_ticket", ticket=v.ticket) if v.ticket else _(
        "parts.request_for_stock")
    free = _("parts.request_free") if v.free else _("parts.request_charged")
    return _("parts.requested", id=v.id, qty=v.qty, part=v.part_number, name=v.name, what=what,
             free=free)


@dataclass(frozen=True)
class SuggestionView(_View):
    """How many of a part to ask for: enough for its minimum stock and another 30 days of the
    use of the last 30, less what is on the shelf and what was asked for already."""

    part_number: str
    name: str
    on_hand: int
    min_stock: int
    used_30_days: int
    requested: int  # asked for and not yet here
    suggested: int


@dataclass(frozen=True)
class ShipmentLineView(_View):
    line: int
    part_number: str
    name: str
    shipped: int
    cost: str  # each, HQ's standard cost
    free: bool
    request: int | None
    received: int | None = None  # None: not received yet
    damaged: int | None = None
    reason: str = ""


@dataclass(frozen=True)
class ShipmentView(_View):
    """A shipment from HQ as its pack brought it, and what the counter received of it."""

    id: int
    waybill: str
    shipped_at: datetime
    received_at: datetime | None
    received_by: str | None
    lines: list[ShipmentLineView] = field(default_factory=list)


@dataclass(frozen=True)
class CountLineView(_View):
    part_number: str
    expected: int  # what the stock moves said
    counted: int  # what was on the shelf
    difference: int


@dataclass(frozen=True)
class StockCountView(_View):
    id: int
    at: datetime
    user: str
    note: str
    lines: list[CountLineView] = field(default_factory=list)
