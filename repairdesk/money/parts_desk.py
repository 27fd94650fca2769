"""The parts loop with HQ at the counter (``desk.parts``): asking HQ for parts and how many
to ask for. Each public method is one transaction and returns the views of
:mod:`repairdesk.money.parts_views`; the logic lives in :mod:`repairdesk.money.requests`.
"""

from __future__ import annotations

from repairdesk.acting import Acting, Area
from repairdesk.amounts import quantity
from repairdesk.db import Store
from repairdesk.money import catalogue, requests
from repairdesk.money.parts_views import PartRequestView, SuggestionView
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
