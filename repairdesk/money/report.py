"""The day-end report and the month's summary, read from the store in one transaction.

The day's money reconciles to the fen by construction: every total is the sum of the
entries listed with it (each a stored payment, or the deposit an intake stated), and
``net = deposits + payments - refunds`` per method and overall.
"""

from __future__ import annotations

import statistics
from collections import Counter as Tally
from collections import defaultdict
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from sqlmodel import Session, col, select

from repairdesk.amounts import fen_to_yuan
from repairdesk.i18n import get_language
from repairdesk.models import (
    Customer,
    OldPart,
    Part,
    Payment,
    Quote,
    StatusMove,
    StockMove,
    Ticket,
)
from repairdesk.money import loaners, quotes, stock
from repairdesk.money.basis import BASES, GUARANTEE, PAID, WARRANTY, charge_basis, record_of
from repairdesk.money.payments import METHODS, UNRECORDED, intake_deposit, view
from repairdesk.money.views import (
    DayReport,
    MethodTotals,
    MonthReport,
    OverdueView,
    PartsUse,
    PaymentView,
    QuoteView,
)
from repairdesk.tickets.deadlines import IN_REPAIR, deadlines_of
from repairdesk.tickets.rows import connection_of
from repairdesk.tickets.workflow import OPEN, TERMINAL


def bounds(first: date, last: date, tz: tzinfo) -> tuple[datetime, datetime]:
    start = datetime.combine(first, time.min, tzinfo=tz)
    return start, datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)


def entries(s: Session, start: datetime, end: datetime) -> list[PaymentView]:
    """Every payment in [start, end), with the deposits intakes stated then, in time order."""
    found = [view(p, number) for p, number in s.exec(
        select(Payment, Ticket.number).join(Ticket, col(Payment.ticket_id) == col(Ticket.id))
        .where(col(Payment.at) >= start, col(Payment.at) < end))]
    with_deposit = s.exec(select(Ticket).where(col(Ticket.created_at) >= start,
                                               col(Ticket.created_at) < end,
                                               col(Ticket.deposit_fen) > 0)).all()
    recorded = {p.ticket_id for p in s.exec(select(Payment).where(
        col(Payment.ticket_id).in_([t.id for t in with_deposit]), col(Payment.at_intake)))}
    for ticket in with_deposit:
        if ticket.id not in recorded:
            implied = intake_deposit(ticket, [])
            assert implied is not None
            found.append(implied)
    return sorted(found, key=lambda p: (p.at, p.id or 0))


def takings(found: list[PaymentView]) -> tuple[dict[str, MethodTotals], dict[str, Decimal]]:
    """Per method (every method listed, unrecorded only when there is such a deposit) and
    overall: deposits, payments, refunds, net; and the amount waived."""
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    waived = Decimal("0.00")
    for p in found:
        if p.kind == "waiver":
            waived += p.amount
        else:
            sums[p.method][p.kind] += p.amount
    methods = [*METHODS, *([UNRECORDED] if UNRECORDED in sums else [])]
    zero = Decimal("0.00")
    by_method = {
        m: MethodTotals(sums[m]["deposit"] + zero, sums[m]["payment"] + zero,
                        sums[m]["refund"] + zero,
                        sums[m]["deposit"] + sums[m]["payment"] - sums[m]["refund"] + zero)
        for m in methods
    }
    totals = {
        "deposits": sum((t.deposits for t in by_method.values()), zero),
        "payments": sum((t.payments for t in by_method.values()), zero),
        "refunds": sum((t.refunds for t in by_method.values()), zero),
        "net": sum((t.net for t in by_method.values()), zero),
        "waived": waived,
    }
    return by_method, totals


def parts_used(s: Session, start: datetime, end: datetime
               ) -> tuple[list[PartsUse], dict[str, Decimal]]:
    rows = s.exec(select(StockMove, Part).join(Part, col(StockMove.part_id) == col(Part.id))
                  .where(col(StockMove.at) >= start, col(StockMove.at) < end,
                         col(StockMove.kind).in_(("drawn", "returned")))).all()
    drawn: Tally[tuple[str, str]] = Tally()
    returned: Tally[tuple[str, str]] = Tally()
    value: dict[tuple[str, str], int] = defaultdict(int)
    names: dict[str, str] = {}
    english = get_language() == "en"
    for move, part in rows:
        key = (part.part_number, move.basis or PAID)
        # The report is read by people: the part's name in their language, as the catalogue does.
        names[part.part_number] = (part.name_en or part.name_zh) if english else part.name_zh
        sign = 1 if move.kind == "drawn" else -1
        (drawn if sign > 0 else returned)[key] += move.qty
        value[key] += sign * move.qty * move.unit_price_fen
    used = [PartsUse(number, names[number], basis, drawn[(number, basis)],
                     returned[(number, basis)], fen_to_yuan(value[(number, basis)]))
            for number, basis in sorted(value)]
    per_basis = {b: fen_to_yuan(sum(v for (_, basis), v in value.items() if basis == b))
                 for b in BASES}
    return used, per_basis


def _old_parts(s: Session, start: datetime, end: datetime) -> tuple[int, int]:
    kept = sum(o.qty for o in s.exec(select(OldPart).where(
        col(OldPart.kept_at) >= start, col(OldPart.kept_at) < end)))
    sent = sum(o.qty for o in s.exec(select(OldPart).where(
        col(OldPart.sent_at) >= start, col(OldPart.sent_at) < end)))
    return kept, sent


def _out_moves(s: Session, start: datetime, end: datetime) -> list[tuple[StatusMove, Ticket]]:
    return list(s.exec(select(StatusMove, Ticket)
                       .join(Ticket, col(StatusMove.ticket_id) == col(Ticket.id))
                       .where(col(StatusMove.at) >= start, col(StatusMove.at) < end,
                              col(StatusMove.to_status).in_(sorted(TERMINAL)))).all())


def waiting_quotes(s: Session) -> list[QuoteView]:
    rows = s.exec(select(Quote, Ticket).join(Ticket, col(Quote.ticket_id) == col(Ticket.id))
                  .where(Quote.status == "pending", col(Ticket.status).in_(sorted(OPEN)))
                  .order_by(col(Quote.created_at))).all()
    return [quotes.view(s, ticket, quote) for quote, ticket in rows]


def overdue(s: Session, day: date) -> tuple[list[OverdueView], list[str]]:
    """Open repairs whose promised date passed or whose legal deadlines are due or overdue
    on ``day``; and the covered 三包 repairs owed a loaner that have none."""
    open_rows = s.exec(select(Ticket, Customer)
                       .join(Customer, col(Ticket.customer_id) == col(Customer.id))
                       .where(col(Ticket.status).in_(sorted(IN_REPAIR)))
                       .order_by(col(Ticket.created_at))).all()
    found = deadlines_of(connection_of(s), [t.id for t, _c in open_rows if t.id is not None],
                         day)
    shown: list[OverdueView] = []
    owed: list[str] = []
    for ticket, customer in open_rows:
        repair = found.get(ticket.id)  # type: ignore[arg-type]  # a stored ticket: its id is set
        deadlines = [{"code": d.code, "article": d.article, "last_day": d.last_day.isoformat(),
                      "state": d.state, "label": d.label()}
                     for d in (repair.deadlines if repair else ()) if d.state != "upcoming"]
        if repair is not None and repair.loaner_owed:
            owed.append(ticket.number)
        late = bool(ticket.promised_date and ticket.promised_date < day)
        if late or deadlines:
            shown.append(OverdueView(ticket.number, ticket.status, customer.name,
                                     ticket.promised_date, late, deadlines))
    return shown, owed


def day_report(s: Session, day: date, tz: tzinfo) -> DayReport:
    start, end = bounds(day, day, tz)
    created = s.exec(select(Ticket.status).where(col(Ticket.created_at) >= start,
                                                 col(Ticket.created_at) < end)).all()
    moves = s.exec(select(StatusMove.to_status).where(
        col(StatusMove.at) >= start, col(StatusMove.at) < end,
        col(StatusMove.from_status).is_not(None))).all()
    out = Tally(move.to_status for move, _t in _out_moves(s, start, end))
    found = entries(s, start, end)
    by_method, totals = takings(found)
    used, per_basis = parts_used(s, start, end)
    kept, sent = _old_parts(s, start, end)
    parts = s.exec(select(Part).order_by(col(Part.part_number))).all()
    late, owed = overdue(s, day)
    return DayReport(
        day=day, tickets_in=len(created), in_by_status=dict(sorted(Tally(created).items())),
        tickets_out=sum(out.values()), out_by_status=dict(sorted(out.items())),
        moves_by_status=dict(sorted(Tally(moves).items())),
        takings=by_method, deposits=totals["deposits"], payments=totals["payments"],
        refunds=totals["refunds"], net=totals["net"], waived=totals["waived"], entries=found,
        parts=used, parts_value=per_basis, old_parts_kept=kept, old_parts_sent=sent,
        old_parts_pending=sum(stock.old_pending(s).values()),
        low_stock=[p for p in stock.part_views(s, list(parts)) if p.low],
        quotes_waiting=waiting_quotes(s), overdue=late,
        loaners_out=loaners.views(s, only_out=True), loaners_owed=owed,
    )


def month_report(s: Session, first: date, tz: tzinfo) -> MonthReport:
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    start, end = bounds(first, last, tz)
    created = s.exec(select(Ticket.created_at).where(col(Ticket.created_at) >= start,
                                                     col(Ticket.created_at) < end)).all()
    out_moves = _out_moves(s, start, end)
    found = entries(s, start, end)
    by_method, totals = takings(found)
    used, per_basis = parts_used(s, start, end)
    kept, sent = _old_parts(s, start, end)
    by_basis: Tally[str] = Tally({WARRANTY: 0, GUARANTEE: 0, PAID: 0})
    turnaround: list[int] = []
    for move, ticket in out_moves:
        if move.to_status != "collected":
            continue
        record = record_of(s, ticket)
        back = move.at.astimezone(tz).date()
        by_basis[charge_basis(s, ticket, back)] += 1
        if record is not None:
            turnaround.append(((record.handed_back or back) - record.handed_in).days)
    days: dict[date, dict[str, object]] = {}
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        days[day] = {"day": day.isoformat(), "tickets_in": 0, "tickets_out": 0,
                     "net": Decimal("0.00")}
    for at in created:
        days[at.astimezone(tz).date()]["tickets_in"] += 1  # type: ignore[operator]  # the day's values mix counts and Decimal
    for move, _t in out_moves:
        days[move.at.astimezone(tz).date()]["tickets_out"] += 1  # type: ignore[operator]  # the day's values mix counts and Decimal
    for p in found:
        sign = {"deposit": 1, "payment": 1, "refund": -1}.get(p.kind, 0)
        days[p.at.astimezone(tz).date()]["net"] += sign * p.amount  # type: ignore[operator]  # the day's values mix counts and Decimal
    return MonthReport(
        month=first.strftime("%Y-%m"), first=first, last=last, tickets_in=len(created),
        tickets_out=len(out_moves),
        out_by_status=dict(sorted(Tally(m.to_status for m, _t in out_moves).items())),
        repairs_by_basis=dict(by_basis),
        turnaround_median_days=float(statistics.median(turnaround)) if turnaround else None,
        takings=by_method, deposits=totals["deposits"], payments=totals["payments"],
        refunds=totals["refunds"],
        sanbao_refunds=sum(1 for p in found if p.kind == "refund" and p.reason == "sanbao"),
        net=totals["net"], waived=totals["waived"], parts=used, parts_value=per_basis,
        old_parts_kept=kept, old_parts_sent=sent, days=list(days.values()),
    )
