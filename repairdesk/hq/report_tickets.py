"""The ticket figures of the report, counted in SQL per counter and month (the twelve months
of the trends in the same queries): tickets in and out, hand-backs within 3 working days and
within 7 days, 修复率, 三包 remedies, legal-deadline breaches, repeat repairs (返修) and what
is overdue now. Only the turnaround percentiles cannot be summed from counter to level:
:mod:`repairdesk.hq.report_turnaround` groups them in the database.

Definitions (the report's glossary says the same in words):

- *in*: tickets created in the month; *out*: repair records handed back in the month;
- *repaired*: handed back as ``collected`` (exchanged, refunded and returned unrepaired are
  handed back without a repair);
- *within 3 working days*: handed back no later than the third working day after the
  hand-in day (the rest-day calendar of repairdesk/policy/calendar.py); *within 7 days*:
  no more than 7 days after it;
- *repeat*: a ticket received in the month for a device (by IMEI) that some counter handed
  back within the 90 days before; *same fault* when the earlier repair's fault is the new
  ticket's recorded or reported fault;
- *breaches*: 三包 repairs handed back in the month past a legal limit
  (repairdesk/policy/deadlines.py), and open ones past a limit today.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa

from repairdesk.hq import schema
from repairdesk.hq.report_scope import Scope
from repairdesk.hq.report_sql import as_text, at, date_month, days_between, local_month
from repairdesk.hq.schema import COUNTER, DELETED
from repairdesk.policy.calendar import load_calendar
from repairdesk.policy.claim import DELAYS
from repairdesk.policy.deadlines import legal_deadlines
from repairdesk.tickets.workflow import OPEN

REPEAT_DAYS = 90
WORKING_DAYS = 3
CALENDAR_DAYS = 7
HANDED_BACK = ("collected", "returned_unrepaired", "exchanged", "refunded")
REMEDIES = ("refund", "exchange", "free_repair", "paid_repair", "returned_unrepaired")
BREACHES = ("loaner", "deliberate_delay", "repairer_delay", "parts_delay")
#: The counts one (counter, month) carries; every rate is derived from them.
COUNTS = ("tickets_in", "repeat_any", "repeat_same", "tickets_out", "repaired",
          "within_3_working_days", "within_7_days", *REMEDIES, "breaches_closed",
          *(f"breach_{code}" for code in BREACHES), "overdue_now", "breaches_open")

Counts = dict[tuple[str, str], dict[str, int]]  # (counter, 'YYYY-MM') -> count -> value


def _m() -> dict[str, sa.Table]:
    return schema.mirrors()


def _same(a: Any, b: Any) -> Any:
    return a.c[COUNTER] == b.c[COUNTER]


def _alive(*tables: Any) -> list[Any]:
    return [t.c[DELETED].is_(False) for t in tables]


@cache
def limits() -> dict[str, dict[str, int]]:
    """Per delay cause, each legal limit in days after the hand-in day."""
    some_day = date(2000, 1, 3)
    return {delay: {d.code: d.days for d in legal_deadlines(some_day, today=some_day,
                                                            sanbao=True, delay=delay)}
            for delay in DELAYS}


def _past_limit(conn: sa.Connection, handed_in: Any, on: Any, delay: Any,
                code: str) -> Any:
    """A 三包 repair (warranty) past ``code``'s limit on the date ``on``."""
    days = days_between(conn, handed_in, on)
    cause = sa.func.coalesce(delay, "repairer")
    cases = [(cause == d, days > lim[code]) for d, lim in limits().items() if code in lim]
    if not cases:
        return sa.false()
    if len(cases) == 1:
        return sa.and_(cases[0][0], cases[0][1])
    return sa.or_(*(sa.and_(when, then) for when, then in cases))


def _any_breach(conn: sa.Connection, handed_in: Any, on: Any, delay: Any) -> Any:
    return sa.or_(*(_past_limit(conn, handed_in, on, delay, code) for code in BREACHES))


def _flag(condition: Any) -> Any:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def first_allowed_hand_in(back: date) -> date:
    """The earliest hand-in day from which ``back`` is within 3 working days."""
    calendar = load_calendar()

    def due(day: date) -> date:
        for _ in range(WORKING_DAYS):
            day = calendar.next_working_day(day)
        return day

    day = back
    while due(day - timedelta(days=1)) >= back:
        day -= timedelta(days=1)
    return day


def _within_working_days(handed_in: Any, handed_back: Any, first: date, end: date) -> Any:
    days = [first + timedelta(days=n) for n in range((end - first).days)]
    return sa.case(*((handed_back == day, handed_in >= first_allowed_hand_in(day))
                     for day in days), else_=sa.false())


def received(conn: sa.Connection, scope: Scope, first: date, end: date, into: Counts) -> None:
    t = _m()["ticket"]
    month = local_month(conn, t.c.created_at).label("month")
    query = (sa.select(t.c[COUNTER], month, sa.func.count())
             .where(*_alive(t), *scope.on(t), t.c.created_at >= at(first),
                    t.c.created_at < at(end))
             .group_by(t.c[COUNTER], month))
    for code, mon, count in conn.execute(query):
        into[(code, mon)]["tickets_in"] += count
    _repeats(conn, scope, first, end, into)


def _repeats(conn: sa.Connection, scope: Scope, first: date, end: date, into: Counts) -> None:
    m = _m()
    t, d, r = m["ticket"], m["device"], m["repair_record"]
    # Two small sets joined by IMEI (hash joins, each read once by its own index): the
    # hand-backs of the period and the 90 days before it at every counter, and the
    # period's new tickets in the scope.
    back = (sa.select(d.c.imei, r.c.handed_back, r.c.fault_code.label("fault"),
                      t.c[COUNTER].label("code"), t.c.id)
            .select_from(r.join(t, sa.and_(_same(t, r), t.c.id == r.c.ticket_id))
                         .join(d, sa.and_(_same(t, d), d.c.id == t.c.device_id)))
            .where(*_alive(t, d, r), r.c.handed_back >= first - timedelta(days=REPEAT_DAYS),
                   r.c.handed_back < end, d.c.imei.is_not(None), d.c.imei != "")
            .cte("handed_back").prefix_with("MATERIALIZED"))
    new = (sa.select(t.c[COUNTER].label("code"), t.c.id,
                     local_month(conn, t.c.created_at).label("month"), d.c.imei,
                     r.c.handed_in, r.c.fault_code.label("fault"),
                     as_text(t.c.faults).label("faults"))
           .select_from(t.join(d, sa.and_(_same(t, d), d.c.id == t.c.device_id))
                        .join(r, sa.and_(_same(t, r), r.c.ticket_id == t.c.id)))
           .where(*_alive(t, d, r), *scope.on(t), t.c.created_at >= at(first),
                  t.c.created_at < at(end), d.c.imei.is_not(None), d.c.imei != "")
           .cte("came_in").prefix_with("MATERIALIZED"))
    same = sa.and_(back.c.fault.is_not(None), sa.or_(
        new.c.fault == back.c.fault,
        sa.and_(new.c.fault.is_(None),
                new.c.faults.like(sa.literal('%"') + back.c.fault + '"%'))))
    gap = days_between(conn, back.c.handed_back, new.c.handed_in)
    per_ticket = (
        sa.select(new.c.code, new.c.month,
                  sa.func.max(sa.case((same, 1), else_=0)).label("same"))
        .select_from(new.join(back, back.c.imei == new.c.imei))
        .where(gap >= 0, gap <= REPEAT_DAYS,
               sa.not_(sa.and_(back.c.code == new.c.code, back.c.id == new.c.id)))
        .group_by(new.c.code, new.c.id, new.c.month)
    ).subquery()
    query = (sa.select(per_ticket.c.code, per_ticket.c.month, sa.func.count(),
                       sa.func.sum(per_ticket.c.same))
             .group_by(per_ticket.c.code, per_ticket.c.month))
    for code, mon, count, same_count in conn.execute(query):
        into[(code, mon)]["repeat_any"] += count
        into[(code, mon)]["repeat_same"] += int(same_count or 0)


def handed_back(conn: sa.Connection, scope: Scope, first: date, end: date,
                month: date, into: Counts) -> None:
    """Counts of the repairs handed back from ``first`` to ``end``; the working-day share
    only for the report ``month`` (the trends do not show it)."""
    m = _m()
    t, r = m["ticket"], m["repair_record"]
    back, hand_in = r.c.handed_back, r.c.handed_in
    warranty = r.c.warranty.is_(True)
    status = t.c.status
    remedy = {
        "refund": status == "refunded",
        "exchange": status == "exchanged",
        "returned_unrepaired": status == "returned_unrepaired",
        "free_repair": sa.and_(status.not_in(("refunded", "exchanged", "returned_unrepaired")),
                               warranty),
        "paid_repair": sa.and_(status.not_in(("refunded", "exchanged", "returned_unrepaired")),
                               sa.not_(warranty)),
    }
    mon = date_month(conn, back).label("month")
    columns = [
        sa.func.count().label("tickets_out"),
        _flag(status == "collected").label("repaired"),
        _flag(_within_working_days(hand_in, back, month, _next(month))).label(
            "within_3_working_days"),
        _flag(days_between(conn, hand_in, back) <= CALENDAR_DAYS).label("within_7_days"),
        *(_flag(remedy[name]).label(name) for name in REMEDIES),
        _flag(sa.and_(warranty, _any_breach(conn, hand_in, back, r.c.delay_cause))).label(
            "breaches_closed"),
        *(_flag(sa.and_(warranty, _past_limit(conn, hand_in, back, r.c.delay_cause, code)))
          .label(f"breach_{code}") for code in BREACHES),
    ]
    query = (sa.select(t.c[COUNTER], mon, *columns)
             .select_from(t.join(r, sa.and_(_same(t, r), r.c.ticket_id == t.c.id)))
             .where(*_alive(t, r), *scope.on(t), back >= first, back < end)
             .group_by(t.c[COUNTER], mon))
    for row in conn.execute(query):
        counts = into[(row[0], row[1])]
        for column in columns:
            counts[column.name] += int(row._mapping[column.name] or 0)


def _next(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def still_open(conn: sa.Connection, scope: Scope, today: date, month: str,
               into: Counts) -> None:
    """Today's open work, counted with the report month: overdue against the promised date,
    and 三包 repairs past a legal limit."""
    m = _m()
    t, r = m["ticket"], m["repair_record"]
    on = sa.literal(today, sa.Date)
    query = (
        sa.select(t.c[COUNTER],
                  _flag(t.c.promised_date < today).label("overdue_now"),
                  _flag(sa.and_(r.c.warranty.is_(True), r.c.handed_in.is_not(None),
                                _any_breach(conn, r.c.handed_in, on, r.c.delay_cause)))
                  .label("breaches_open"))
        .select_from(t.join(r, sa.and_(_same(t, r), r.c.ticket_id == t.c.id,
                                       r.c[DELETED].is_(False)), isouter=True))
        .where(*_alive(t), *scope.on(t), t.c.status.in_(sorted(OPEN)))
        .group_by(t.c[COUNTER]))
    for code, overdue, breaches in conn.execute(query):
        into[(code, month)]["overdue_now"] += int(overdue or 0)
        into[(code, month)]["breaches_open"] += int(breaches or 0)


def faults(conn: sa.Connection, scope: Scope, first: date, end: date) -> list[dict[str, Any]]:
    """The manufacturer's statistics: tickets received in the month by brand, model and
    reported fault (a ticket with two faults counts for each)."""
    import json

    m = _m()
    t, d = m["ticket"], m["device"]
    listed = as_text(t.c.faults).label("faults")
    query = (sa.select(d.c.brand, d.c.model, listed, sa.func.count())
             .select_from(t.join(d, sa.and_(_same(t, d), d.c.id == t.c.device_id),
                                 isouter=True))
             .where(*_alive(t), *scope.on(t), t.c.created_at >= at(first),
                    t.c.created_at < at(end))
             .group_by(d.c.brand, d.c.model, listed))
    tally: dict[tuple[str, str, str], int] = defaultdict(int)
    for brand, model, text, count in conn.execute(query):
        for fault in (json.loads(text) if text else None) or ["other"]:
            tally[(brand or "", model or "", str(fault))] += count
    return [{"brand": b, "model": mo, "fault": f, "tickets": n}
            for (b, mo, f), n in sorted(tally.items(), key=lambda i: (-i[1], i[0]))]


def new_counts() -> Counts:
    return defaultdict(lambda: dict.fromkeys(COUNTS, 0))
