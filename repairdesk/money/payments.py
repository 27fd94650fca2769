"""Payments recorded at the counter (not processed): deposits, payments, refunds, waivers.

Every amount is positive integer fen; the kind says which way it went. A ticket's balance is
its charge minus what was paid or waived, plus what was refunded of it. A 三包 refund (the
phone's price given back, at the amount the engine computed) is money paid out on the
ticket, but no part of the balance: nothing was charged for it.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from repairdesk.amounts import fen_to_yuan
from repairdesk.freetext import check_text
from repairdesk.models import Payment, Ticket
from repairdesk.money.views import Balance, PaymentView
from repairdesk.tickets.codes import PAYMENT_METHODS

KINDS = ("deposit", "payment", "refund", "waiver")
METHODS = PAYMENT_METHODS
# Stores from before the intake recorded the deposit's method show it under this one.
UNRECORDED = "unrecorded"
REFUND_REASONS = ("sanbao", "overpaid")
SANBAO_REMEDIES = ("refund", "refund_depreciated")


def intake_deposit(ticket: Ticket, recorded: list[Payment]) -> PaymentView | None:
    """The deposit the intake stated on the ticket, when no payment row records it."""
    if ticket.deposit_fen <= 0 or any(p.at_intake for p in recorded):
        return None
    return PaymentView(None, ticket.number, "deposit", UNRECORDED,
                       fen_to_yuan(ticket.deposit_fen), "", "", ticket.created_at, "")


def rows(s: Session, ticket: Ticket) -> list[Payment]:
    return list(s.exec(select(Payment).where(Payment.ticket_id == ticket.id)
                       .order_by(col(Payment.id))))


def views(ticket: Ticket, recorded: list[Payment]) -> list[PaymentView]:
    found = [view(p, ticket.number) for p in recorded]
    implied = intake_deposit(ticket, recorded)
    return [implied, *found] if implied else found


def view(p: Payment, number: str) -> PaymentView:
    return PaymentView(p.id, number, p.kind, p.method, fen_to_yuan(p.amount_fen), p.reason,
                       p.note, p.at, p.user)


def totals_fen(ticket: Ticket, recorded: list[Payment]) -> dict[str, int]:
    """Sums by kind (refunds split by reason) of a ticket's payments, the intake's included."""
    sums = dict.fromkeys(("deposit", "payment", "waiver", "overpaid", "sanbao"), 0)
    for p in recorded:
        sums[p.reason if p.kind == "refund" else p.kind] += p.amount_fen
    implied = intake_deposit(ticket, recorded)
    if implied is not None:
        sums["deposit"] += ticket.deposit_fen
    return sums


def balance_fen(charge_fen: int, sums: dict[str, int]) -> int:
    return (charge_fen - sums["deposit"] - sums["payment"] - sums["waiver"]
            + sums["overpaid"])


def balance(charge_fen: int, ticket: Ticket, recorded: list[Payment]) -> Balance:
    sums = totals_fen(ticket, recorded)
    return Balance(
        charge=fen_to_yuan(charge_fen), deposits=fen_to_yuan(sums["deposit"]),
        payments=fen_to_yuan(sums["payment"]), waived=fen_to_yuan(sums["waiver"]),
        refunded=fen_to_yuan(sums["overpaid"]), sanbao_refunded=fen_to_yuan(sums["sanbao"]),
        balance=fen_to_yuan(balance_fen(charge_fen, sums)),
    )


def add(s: Session, ticket: Ticket, kind: str, method: str, amount_fen: int, now: datetime,
        user: str, *, reason: str = "", note: str = "") -> Payment:
    assert kind in KINDS and amount_fen > 0
    row = Payment(ticket_id=ticket.id, kind=kind, method=method, amount_fen=amount_fen,  # type: ignore[arg-type]  # a stored ticket: its id is set
                  reason=reason, note=check_text("note", note), at=now, user=user)
    s.add(row)
    s.flush()
    return row
