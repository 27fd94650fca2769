"""The parts loop with HQ at the counter (``desk.parts``): asking HQ for parts, how many to
ask for, receiving what HQ ships, and counting the shelf. Each public method is one transaction and returns the views of
:mod:`repairdesk.money.parts_views`; the logic lives in :mod:`repairdesk.money.requests`.
"""

from __future__ import annotations

from repairdesk.acting import Acting, Area
from repairdesk.amounts import quantity
from repairdesk.db import Store
from repairdesk.errors import InputError
from repairdesk.i18n import _
from repairdesk.models_parts import StockCount
from repairdesk.money import catalogue, counts, receiving, requests
from repairdesk.money.parts_views import (
    CountLineView,
    PartRequestView,
    ShipmentView,
    StockCountView,
    SuggestionView,
)
from repairdesk.trust import TrustDesk


class PartsDesk(Area):
    def __init__(self, store: Store, acting: Acting, trust: TrustDesk) -> None:
        super().__init__(store, acting)
        self.trust = trust

    def request(self, part: str, qty: object, *, ticket: str | None = None,
                reason: str | None = None, free: bool = False,
                note: str = "") -> PartRequestView:
        """Ask HQ for ``qty`` of ``part``: for stock, or for ``ticket`` (free when it is a
        warranty repair). The request goes to HQ in the next batch."""
        self.trust.require("parts.request")
        count = quantity(qty, "qty")
        with self.store.write() as s:
            found = catalogue.get_part(s, part)
            made = requests.make(s, found, count, ticket=ticket, reason=reason, free=free,
                                 note=note, now=self.clock(), user=self.user)
            return requests.views(s, [made])[0]

    def requests(self) -> list[PartRequestView]:
        with self.store.read() as s:
            return requests.views(s, requests.listed(s))

    def suggest(self) -> list[SuggestionView]:
        """What to ask HQ for: the parts short of their minimum plus 30 days' use."""
        with self.store.read() as s:
            return requests.suggest(s, self.today(), requests.open_requested(s))

    def shipments(self, pending: bool = False) -> list[ShipmentView]:
        """HQ's shipments from its packs, with what was received of each (``pending``: only
        those not received yet)."""
        with self.store.read() as s:
            found = receiving.views(s)
        return [v for v in found if v.received_at is None] if pending else found

    def receive_shipment(self, shipment: int, received: dict[int, object] | None = None,
                         damaged: dict[int, object] | None = None,
                         reasons: dict[int, str] | None = None) -> ShipmentView:
        """Receive HQ's ``shipment``: each line as shipped, unless ``received`` (good, by
        line) or ``damaged`` say otherwise, which needs that line's reason. The good parts
        go into stock; the receipt goes to HQ in the next batch."""
        self.trust.require("parts.receive_shipment")
        good = {int(k): _count(v, "qty") for k, v in (received or {}).items()}
        bad = {int(k): _count(v, "qty") for k, v in (damaged or {}).items()}
        with self.store.write() as s:
            receiving.receive(s, shipment, good, bad, dict(reasons or {}), self.clock(),
                              self.user)
            return receiving.views(s, shipment)[0]

    # -- counting the shelf -------------------------------------------------------------

    def count_stock(self, counted: dict[str, object], note: str = "") -> StockCountView:
        """Record a count of the shelf (``counted``: part number -> what is there); each
        difference adjusts the stock, which needs a manager."""
        self.trust.require("parts.count")
        with self.store.read() as s:
            lines = counts.check(s, counted)
        if any(expected != found for _part, expected, found in lines):
            self.trust.require("parts.adjust_count")
        with self.store.write() as s:
            return _count_view(counts.record(s, counts.check(s, counted), note, self.clock(),
                                             self.user))

    def counts(self) -> list[StockCountView]:
        with self.store.read() as s:
            return [_count_view(c) for c in counts.listed(s)]


def _count_view(c: StockCount) -> StockCountView:
    return StockCountView(int(c.id), c.at, c.user, c.note,  # type: ignore[arg-type]  # stored: its id is set
                          [CountLineView(**line) for line in c.lines])


def _count(value: object, field: str) -> int:
    """A count that may be nought (nothing of a line came)."""
    found = counts.whole(value)
    if found is None:
        raise InputError(field, _("money.qty_invalid", value=value))
    return found
