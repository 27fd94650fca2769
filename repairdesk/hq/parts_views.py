"""What ``hq deposit …`` (and later ``hq parts …``) print with ``--json`` and what the
workspace shows of a counter's deposit and parts. Amounts are yuan text
(:func:`repairdesk.amounts.fen_to_text`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from repairdesk.amounts import fen_to_text
from repairdesk.hq.deposits import Exposure, credit_fen
from repairdesk.i18n import _, zh_or_en
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


@dataclass(frozen=True)
class PartRequestHqView(_View):
    """A counter's part request as HQ's queue shows it, with HQ's answer."""

    counter: str
    request: int
    part_number: str
    name: str
    qty: int  # asked
    ticket: str | None
    reason: str  # stock | ticket
    free: bool
    note: str
    at: datetime
    user: str
    state: str  # open | second | approved | shipped | rejected
    approved_qty: int | None
    value: str  # charged against the credit, at HQ's standard cost (once approved)
    estimate: str  # what it would be charged, all of it approved now (0 when free)
    answer: str  # the reason of a rejection
    by: str | None
    second_user: str | None
    shipment: int | None


@dataclass(frozen=True)
class ShipmentLineView(_View):
    line: int
    part_number: str
    qty: int
    cost: str  # each
    request: int | None
    free: bool
    received: int | None = None  # as the counter's receipt says; None: not received
    damaged: int | None = None
    reason: str = ""
    short: int = 0  # shipped, neither received good nor damaged


@dataclass(frozen=True)
class ShipmentView(_View):
    id: int
    counter: str
    waybill: str
    shipped_at: datetime
    by: str | None
    value: str
    received_at: datetime | None = None  # by the counter's receipt; None: in transit
    differs: bool = False  # received less than shipped, or some of it damaged
    lines: list[ShipmentLineView] = field(default_factory=list)


def charge(v: PartRequestHqView) -> str:
    """What a request costs the counter's credit, as the queue says it: free, the value
    approved, or (not approved yet) the estimate."""
    if v.free:
        return _("hqparts.free")
    return f"¥{v.value}" if v.state in ("approved", "shipped", "second") else f"≈¥{v.estimate}"


def request_text(v: PartRequestHqView) -> str:
    """One request as HQ's command line and workspace say it."""
    return _("hqparts.request_line", counter=v.counter, request=v.request, qty=v.qty,
             part=v.part_number, name=v.name, what=v.ticket or _("hqparts.for_stock"),
             state=_(f"hqparts.state_{v.state}"),
             approved=v.approved_qty if v.approved_qty is not None else "-", charge=charge(v))


def shipment_text(v: ShipmentView) -> str:
    return _("hqparts.shipment_line", id=v.id, counter=v.counter, waybill=v.waybill,
             lines=len(v.lines), value=v.value)


def request_view(r: Any, state: str, costs: dict[str, int]) -> PartRequestHqView:
    """``costs``: HQ's standard costs (repairdesk/hq/deposits.py), for the estimate."""
    name = zh_or_en(r.name_zh, r.name_en)
    return PartRequestHqView(
        counter=r.counter, request=int(r.id), part_number=r.part_number, name=name,
        qty=int(r.qty), ticket=r.ticket, reason=r.reason, free=bool(r.free), note=r.note,
        at=r.at, user=r.user, state=state, approved_qty=r.approved_qty,
        value=fen_to_text(int(r.value_fen or 0)),
        estimate=fen_to_text(0 if r.free else int(r.approved_qty or r.qty) * costs.get(
            r.part_number, int(r.price_fen))),
        answer=r.answer or "", by=r.by_user,
        second_user=r.second_user, shipment=r.shipment_id)


def shipment_view(row: Any, lines: list[Any], receipts: dict[int, Any]) -> ShipmentView:
    """``receipts``: the counter's receipt rows of this shipment, by line."""
    first = next(iter(receipts.values()), None)
    shown = []
    for li in lines:
        got = receipts.get(li.line)
        shown.append(ShipmentLineView(
            int(li.line), li.part_number, int(li.qty), fen_to_text(int(li.cost_fen)),
            li.request_id, bool(li.free),
            received=None if got is None else int(got.received),
            damaged=None if got is None else int(got.damaged),
            reason="" if got is None else got.reason,
            short=0 if got is None else int(li.qty) - int(got.received) - int(got.damaged)))
    return ShipmentView(
        id=int(row.id), counter=row.counter, waybill=row.waybill, shipped_at=row.shipped_at,
        by=row.by_user, value=fen_to_text(sum(int(li.qty) * int(li.cost_fen) for li in lines)),
        received_at=first.at if first is not None else None,
        differs=any(li.short or li.damaged for li in shown), lines=shown)


@dataclass(frozen=True)
class ReturnLineView(_View):
    old_part: int  # the counter's number of the old part
    ticket: str | None
    part_number: str
    qty: int
    outcome: str | None  # received | missing | wrong; None: not received yet


@dataclass(frozen=True)
class ReturnView(_View):
    counter: str
    ref: str  # the waybill it was sent under
    sent_at: datetime
    received: bool
    lines: list[ReturnLineView] = field(default_factory=list)


def return_view(r: dict[str, Any]) -> ReturnView:
    lines = [ReturnLineView(li.old_part, li.ticket, li.part_number, li.qty, li.outcome)
             for li in r["lines"]]
    return ReturnView(r["counter"], r["ref"], r["sent_at"],
                      any(li.outcome is not None for li in lines), lines)


@dataclass(frozen=True)
class StockRowView(_View):
    counter: str
    part_number: str
    name: str
    on_hand: int
    in_transit: int
    due_back: int
    used: int  # in the month asked for
    value: str  # on the shelf, at HQ's standard cost
    last_in: datetime | None
    last_used: datetime | None
    slow: bool


def stock_row_view(r: dict[str, Any]) -> StockRowView:
    name = zh_or_en(r["name_zh"], r["name_en"])
    return StockRowView(r["counter"], r["part_number"], name, r["on_hand"], r["in_transit"],
                        r["due_back"], r["used"], fen_to_text(r["on_hand"] * r["cost_fen"]),
                        r["last_in"], r["last_used"], r["slow"])
