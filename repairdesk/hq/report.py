"""``hq report``: the monthly summary a service network asks for (by the 20th), from what the
counters' batches carry today.

- tickets in (received in the month) and out (handed back in the month) per counter, and
  the deposits taken;
- faults by brand and model (tickets received in the month);
- 三包 remedies given (tickets handed back in the month): refunds, exchanges, free (warranty)
  and paid repairs, returned unrepaired;
- warranty repairs to settle with the brands (collected warranty repairs of the month);
- turnaround, median and 90th percentile, in hours from intake to hand-back;
- overdue tickets (open, past the promised date, today) and 三包 legal-deadline breaches
  (warranty repairs handed back in the month, or still open, past a legal limit);
- follow-up calls (回访) due: every ticket handed back in the month, three days after.

Waiting for records the counters do not keep yet (parts movements and payments): parts
consumed, takings by payment method, and the amounts of the warranty claims.
"""

from __future__ import annotations

import statistics
from collections import Counter as Tally
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk.errors import InputError
from repairdesk.hq import schema
from repairdesk.hq.schema import COUNTER, DELETED
from repairdesk.i18n import _
from repairdesk.policy.deadlines import legal_deadlines
from repairdesk.sync.ords import CHINA_TZ
from repairdesk.sync.views import HqReport
from repairdesk.tickets.workflow import OPEN

FOLLOW_UP_AFTER_DAYS = 3
REPORT_DUE_DAY = 20
PENDING = ("parts_consumed", "takings", "warranty_amounts")


def parse_month(text: str | None) -> tuple[date, date] | None:
    if text is None:
        return None
    try:
        start = datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise InputError("--month", _("sync.month_invalid", month=text)) from None
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, end


def _at(day: date) -> datetime:
    return datetime.combine(day, time.min, CHINA_TZ)


def _alive(*tables: sa.Table) -> list[Any]:
    return [t.c[DELETED].is_(False) for t in tables]


def _same_counter(a: sa.Table, b: Any) -> Any:
    return a.c[COUNTER] == b.c[COUNTER]


def build_report(conn: Connection, *, month: str | None, counter: str | None,
                 today: date) -> HqReport:
    period = parse_month(month)
    m = schema.mirrors()
    t, d, c, r, mv = (m["ticket"], m["device"], m["customer"], m["repair_record"],
                      m["status_move"])
    where_counter = [t.c[COUNTER] == counter] if counter else []

    # Tickets received in the period.
    received = sa.select(t.c[COUNTER], t.c.number, t.c.faults, t.c.deposit_fen, d.c.brand,
                         d.c.model).select_from(
        t.join(d, sa.and_(_same_counter(t, d), d.c.id == t.c.device_id), isouter=True)
    ).where(*_alive(t), *where_counter)
    if period:
        received = received.where(t.c.created_at >= _at(period[0]),
                                  t.c.created_at < _at(period[1]))
    tickets_in: Tally[str] = Tally()
    faults: Tally[tuple[str, str, str]] = Tally()
    deposits = 0
    row: Any  # the rows of the three queries below, each of its own shape
    for row in conn.execute(received):
        tickets_in[row[0]] += 1
        deposits += row.deposit_fen or 0
        for fault in row.faults or []:
            faults[(row.brand or "", row.model or "", fault)] += 1

    # Tickets handed back in the period, with their last move (the hand-back) and customer.
    last = sa.select(mv.c[COUNTER], mv.c.ticket_id, sa.func.max(mv.c.at).label("closed_at")) \
        .where(*_alive(mv)).group_by(mv.c[COUNTER], mv.c.ticket_id).subquery()
    out = (
        sa.select(t.c[COUNTER], t.c.number, t.c.status, t.c.created_at, r.c.warranty,
                  r.c.fault_code, r.c.handed_in, r.c.handed_back, r.c.delay_cause,
                  d.c.brand, d.c.model,
                  c.c.name, c.c.phone, last.c.closed_at)
        .select_from(
            t.join(r, sa.and_(_same_counter(t, r), r.c.ticket_id == t.c.id))
            .join(d, sa.and_(_same_counter(t, d), d.c.id == t.c.device_id), isouter=True)
            .join(c, sa.and_(_same_counter(t, c), c.c.id == t.c.customer_id), isouter=True)
            .join(last, sa.and_(_same_counter(t, last), last.c.ticket_id == t.c.id),
                  isouter=True)
        )
        .where(*_alive(t, r), r.c.handed_back.is_not(None), *where_counter)
        .order_by(t.c[COUNTER], t.c.number)
    )
    if period:
        out = out.where(r.c.handed_back >= period[0], r.c.handed_back < period[1])
    tickets_out: Tally[str] = Tally()
    remedies: Tally[str] = Tally()
    settle: list[dict[str, Any]] = []
    hours: list[float] = []
    calls: list[dict[str, Any]] = []
    breaches: list[dict[str, Any]] = []
    for row in conn.execute(out):
        tickets_out[row[0]] += 1
        remedy = _remedy(row.status, bool(row.warranty))
        remedies[remedy] += 1
        if remedy == "free_repair":
            settle.append({"counter": row[0], "ticket": row.number, "brand": row.brand,
                           "model": row.model, "fault": row.fault_code,
                           "handed_in": row.handed_in, "handed_back": row.handed_back})
        if row.closed_at is not None and row.created_at is not None:
            hours.append((row.closed_at - row.created_at).total_seconds() / 3600)
        calls.append({"counter": row[0], "ticket": row.number, "customer": row.name,
                      "phone": row.phone, "handed_back": row.handed_back,
                      "due": row.handed_back + timedelta(days=FOLLOW_UP_AFTER_DAYS)})
        if row.warranty:
            breaches += _breaches(row[0], row.number, row.handed_in, row.handed_back,
                                  row.delay_cause)

    # Still open: overdue against the promised date, and open warranty repairs past a limit.
    still_open = (
        sa.select(t.c[COUNTER], t.c.number, t.c.status, t.c.promised_date, r.c.warranty,
                  r.c.handed_in, r.c.delay_cause)
        .select_from(t.join(r, sa.and_(_same_counter(t, r), r.c.ticket_id == t.c.id),
                            isouter=True))
        .where(*_alive(t), t.c.status.in_(sorted(OPEN)), *where_counter)
        .order_by(t.c[COUNTER], t.c.number)
    )
    overdue: list[dict[str, Any]] = []
    for row in conn.execute(still_open):
        if row.promised_date is not None and row.promised_date < today:
            overdue.append({"counter": row[0], "ticket": row.number, "status": row.status,
                            "promised_date": row.promised_date,
                            "days": (today - row.promised_date).days})
        if row.warranty and row.handed_in is not None:
            breaches += _breaches(row[0], row.number, row.handed_in, today, row.delay_cause,
                                  open_=True)

    counters = sorted(set(tickets_in) | set(tickets_out) | ({counter} if counter else set()))
    return HqReport(
        month=month.strip() if month else None,
        due=(period[1].replace(day=REPORT_DUE_DAY) if period else None),
        counters=[{"counter": code, "tickets_in": tickets_in[code],
                   "tickets_out": tickets_out[code]} for code in counters],
        faults=[{"brand": b, "model": mo, "fault": f, "tickets": n}
                for (b, mo, f), n in sorted(faults.items(), key=lambda i: (-i[1], i[0]))],
        remedies={k: remedies[k] for k in ("refund", "exchange", "free_repair", "paid_repair",
                                            "returned_unrepaired")},
        warranty_to_settle=settle,
        turnaround_hours=_turnaround(hours),
        overdue=overdue,
        deadline_breaches=breaches,
        follow_up_calls=sorted(calls, key=lambda call: (call["due"], call["ticket"])),
        deposits=(Decimal(deposits) / 100).quantize(Decimal("0.01")),
        pending=list(PENDING),
    )


def _remedy(status: str, warranty: bool) -> str:
    if status == "refunded":
        return "refund"
    if status == "exchanged":
        return "exchange"
    if status == "returned_unrepaired":
        return "returned_unrepaired"
    return "free_repair" if warranty else "paid_repair"


def _breaches(counter: str, ticket: str, handed_in: date, on: date, delay: str | None,
              *, open_: bool = False) -> list[dict[str, Any]]:
    deadlines = legal_deadlines(handed_in, today=max(on, handed_in), sanbao=True,
                                delay=delay or "repairer")
    return [{"counter": counter, "ticket": ticket, "deadline": dl.code, "last_day": dl.last_day,
             "open": open_} for dl in deadlines if dl.state == "overdue"]


def _turnaround(hours: list[float]) -> dict[str, float | None]:
    if not hours:
        return {"median": None, "p90": None, "tickets": 0}
    p90 = statistics.quantiles(hours, n=10, method="inclusive")[-1] if len(hours) > 1 \
        else hours[0]
    return {"median": round(statistics.median(hours), 1), "p90": round(p90, 1),
            "tickets": len(hours)}
