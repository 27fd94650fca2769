"""Read models of parts and money for the screens and the CLI (no ORM object leaks).

Amounts are :class:`~decimal.Decimal` yuan with two places. In ``to_dict`` (the CLI's JSON)
they become strings such as ``"129.90"``: exact, so a script that adds them up reconciles to
the fen, which a float would not promise.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from repairdesk.i18n import zh_or_en


def plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, _View):
        return value.to_dict()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


class _View:
    def to_dict(self) -> dict[str, Any]:
        return {f.name: plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]  # a mixin: every _View is a dataclass


@dataclass(frozen=True)
class PartView(_View):
    part_number: str
    name_zh: str
    name_en: str
    models: list[str]
    price: Decimal
    kind: str  # original | compatible
    min_stock: int
    on_hand: int
    old_pending: int  # faulty parts of this number kept and not yet sent

    @property
    def low(self) -> bool:
        return self.on_hand < self.min_stock

    @property
    def name(self) -> str:
        """The name in the UI language (the other one when it has none)."""
        return zh_or_en(self.name_zh, self.name_en)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "low": self.low}


@dataclass(frozen=True)
class PriceChange(_View):
    part_number: str
    old: Decimal
    new: Decimal


@dataclass(frozen=True)
class ImportResult(_View):
    rows: int
    added: list[str]
    updated: list[str]  # any field changed
    unchanged: int
    price_changes: list[PriceChange]


@dataclass(frozen=True)
class StockMoveView(_View):
    id: int
    part_number: str
    kind: str  # received | bought | drawn | returned | written_off
    qty: int
    ticket: str | None
    basis: str | None  # warranty | guarantee | paid (draws and returns)
    unit_price: Decimal
    at: datetime
    user: str
    ref: str
    on_hand: int  # the part's stock after this move (for the move just made)


@dataclass(frozen=True)
class OldPartView(_View):
    id: int
    part_number: str
    ticket: str
    qty: int
    kept_at: datetime
    kept_by: str
    sent_at: datetime | None
    sent_by: str | None
    sent_ref: str


@dataclass(frozen=True)
class QuoteLineView(_View):
    kind: str  # labour | part
    part_number: str | None
    description: str
    qty: int
    unit_price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class QuoteView(_View):
    ticket: str
    revision: int
    status: str  # pending | approved | declined | superseded
    lines: list[QuoteLineView]
    diagnostic_fee: Decimal
    total: Decimal
    note: str
    created_at: datetime
    created_by: str
    decided_at: datetime | None
    decided_how: str | None  # in_person | phone
    decided_by: str | None


@dataclass(frozen=True)
class PaymentView(_View):
    id: int | None  # None: the intake's deposit, stated on the ticket, not yet recorded here
    ticket: str
    kind: str  # deposit | payment | refund | waiver
    method: str
    amount: Decimal
    reason: str
    note: str
    at: datetime
    user: str


@dataclass(frozen=True)
class LoanerView(_View):
    imei: str
    model: str
    condition: str
    active: bool
    ticket: str | None  # who holds it: the ticket it was issued on
    customer: str | None
    issued_at: datetime | None
    issued_by: str | None


@dataclass(frozen=True)
class GuaranteeView(_View):
    ticket: str
    kind: str  # warranty | paid
    end: date
    handed_back: date
    fault: str | None
    same_fault_only: bool
    period_end: date | None


@dataclass(frozen=True)
class Balance(_View):
    """Where a ticket's money stands. ``balance`` > 0: the customer owes it; < 0: the counter
    owes the customer (a deposit above the charge). A 三包 refund is the phone's price paid
    out, not part of the balance."""

    charge: Decimal
    deposits: Decimal
    payments: Decimal
    waived: Decimal
    refunded: Decimal  # refunds of money paid on the ticket
    sanbao_refunded: Decimal
    balance: Decimal


@dataclass(frozen=True)
class TicketMoneyView(_View):
    """Everything the ticket screen shows about parts and money, in one read."""

    ticket: str
    status: str
    basis: str  # warranty | guarantee | paid
    quote: QuoteView | None
    quotes: int  # revisions so far
    money: Balance
    payments: list[PaymentView]
    parts: list[StockMoveView]  # draws and returns on this ticket
    old_parts: list[OldPartView]
    loaner: LoanerView | None
    guarantee: GuaranteeView | None  # the guarantee of this repair (collected tickets)
    returning: GuaranteeView | None  # an earlier repair's guarantee this visit falls under
    refund_due: dict[str, Decimal]  # 三包 refund kind -> the engine's amount
    blocked: dict[str, str] = field(default_factory=dict)  # allowed move -> why money stops it


@dataclass(frozen=True)
class MethodTotals(_View):
    deposits: Decimal
    payments: Decimal
    refunds: Decimal
    net: Decimal


@dataclass(frozen=True)
class PartsUse(_View):
    part_number: str
    name: str
    basis: str
    drawn: int
    returned: int
    value: Decimal  # (drawn - returned) at the price list's price then


@dataclass(frozen=True)
class OverdueView(_View):
    ticket: str
    status: str
    customer: str
    promised_date: date | None
    promised_overdue: bool
    deadlines: list[dict[str, Any]]  # code, article, last_day, state, label


@dataclass(frozen=True)
class DayReport(_View):
    day: date
    tickets_in: int
    in_by_status: dict[str, int]  # today's intakes by the status they have now
    tickets_out: int
    out_by_status: dict[str, int]  # phones handed back today (collected, returned, ...)
    moves_by_status: dict[str, int]  # every move made today, by the status it went to
    takings: dict[str, MethodTotals]  # by method
    deposits: Decimal
    payments: Decimal
    refunds: Decimal
    net: Decimal  # deposits + payments - refunds: what the drawer and accounts gained
    waived: Decimal
    entries: list[PaymentView]
    parts: list[PartsUse]
    parts_value: dict[str, Decimal]  # basis -> value drawn net of returns
    old_parts_kept: int
    old_parts_sent: int
    old_parts_pending: int  # all kept and not yet sent, whatever the day
    low_stock: list[PartView]
    quotes_waiting: list[QuoteView]
    overdue: list[OverdueView]
    loaners_out: list[LoanerView]
    loaners_owed: list[str]  # covered 三包 repairs past day 7 without a loaner (第十五条)


@dataclass(frozen=True)
class MonthReport(_View):
    month: str  # YYYY-MM
    first: date
    last: date
    tickets_in: int
    tickets_out: int
    out_by_status: dict[str, int]
    repairs_by_basis: dict[str, int]  # collected this month
    turnaround_median_days: float | None
    takings: dict[str, MethodTotals]
    deposits: Decimal
    payments: Decimal
    refunds: Decimal
    sanbao_refunds: int
    net: Decimal
    waived: Decimal
    parts: list[PartsUse]
    parts_value: dict[str, Decimal]
    old_parts_kept: int
    old_parts_sent: int
    days: list[dict[str, Any]]  # day, tickets_in, tickets_out, net
