"""Where one ticket's money stands: its basis, current quote, payments, charge and balance,
read once for the move rules and the ticket screen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from repairdesk.models import Payment, Quote, Ticket
from repairdesk.money import payments, quotes, stock
from repairdesk.money.basis import PAID, charge_basis

# The phone leaves unrepaired: whatever was approved, only the diagnosis was done.
UNREPAIRED = frozenset({"returned_unrepaired", "cancelled"})


@dataclass(frozen=True)
class Ledger:
    ticket: Ticket
    basis: str
    quote: Quote | None
    payments: list[Payment]
    sums: dict[str, int]
    parts_drawn: list[str]  # part numbers drawn for the ticket and not returned

    def charge_for(self, status: str) -> int:
        """What the customer owes once the ticket is in ``status``: nothing for a 三包 or
        guarantee repair; the approved quote for a repaired phone; the diagnostic fee for one
        that leaves unrepaired (or whose quote is not approved)."""
        if self.basis != PAID or self.quote is None:
            return 0
        if status in UNREPAIRED:
            return self.quote.diagnostic_fee_fen
        return quotes.charge_fen(self.quote)

    def balance_for(self, status: str) -> int:
        return payments.balance_fen(self.charge_for(status), self.sums)

    @property
    def charge_fen(self) -> int:
        return self.charge_for(self.ticket.status)

    @property
    def balance_fen(self) -> int:
        return self.balance_for(self.ticket.status)

    @property
    def has_money(self) -> bool:
        return any(self.sums.values())


def ledger(s: Session, ticket: Ticket, on: date) -> Ledger:
    recorded = payments.rows(s, ticket)
    return Ledger(ticket, charge_basis(s, ticket, on), quotes.latest(s, ticket), recorded,
                  payments.totals_fen(ticket, recorded), stock.drawn_parts(s, ticket))
