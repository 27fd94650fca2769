"""What ``hq deposit …`` (and later ``hq parts …``) print with ``--json`` and what the
workspace shows of a counter's deposit and parts. Amounts are yuan text
(:func:`repairdesk.amounts.fen_to_text`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from repairdesk.amounts import fen_to_text
from repairdesk.hq.deposits import Exposure, credit_fen
from repairdesk.tickets.views import _View


@dataclass(frozen=True)
class DepositEntryView(_View):
    id: int
    counter: str
    kind: str  # pay | refund | deduct
    amount: str
    balance: str  # the deposit after this entry
    ref: str
    note: str
    at: datetime
    by: str | None


@dataclass(frozen=True)
class DepositView(_View):
    counter: str
    name: str
    deposit: str
    credit_multiple: str
    credit: str
    held: str  # the parts on the counter's shelf, at HQ's standard cost
    in_transit: str  # shipped, not yet received
    due_back: str  # faulty parts not yet back at HQ
    exposure: str
    headroom: str  # credit - exposure; negative: over its credit
    entries: list[DepositEntryView] = field(default_factory=list)


def entry_view(m: Any) -> DepositEntryView:
    return DepositEntryView(
        id=int(m["id"]), counter=m["counter"], kind=m["kind"],
        amount=fen_to_text(int(m["amount_fen"])), balance=fen_to_text(int(m["balance_fen"])),
        ref=m["ref"], note=m["note"], at=m["at"], by=m["by_user"])


def deposit_view(row: Any, exposure: Exposure, entries: list[Any]) -> DepositView:
    deposit = int(row.deposit_fen or 0)
    credit = credit_fen(deposit, row.credit_multiple)
    return DepositView(
        counter=row.code, name=row.name, deposit=fen_to_text(deposit),
        credit_multiple=f"{row.credit_multiple:.2f}", credit=fen_to_text(credit),
        held=fen_to_text(exposure.held_fen), in_transit=fen_to_text(exposure.in_transit_fen),
        due_back=fen_to_text(exposure.due_back_fen), exposure=fen_to_text(exposure.total_fen),
        headroom=fen_to_text(credit - exposure.total_fen),
        entries=[entry_view(e._mapping) for e in entries])
