"""Turnaround in hours, intake (the ticket's creation) to hand-back (its last move into a
handed-back status), median and 90th percentile, per month for the trends and per counter,
level and province for the report month.

Percentiles do not add up from counter to level, so they are computed over the tickets of
each group: PostgreSQL with ``percentile_cont`` (one pass over the month with grouping sets,
the million rows never leave the server); SQLite, a small network's database, in Python with
the same interpolation (:func:`repairdesk.hq.report_sql.percentile`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from repairdesk.hq import schema
from repairdesk.hq.report_scope import NONE, CounterInfo, Scope, province_of
from repairdesk.hq.report_sql import at, date_month, hours_between, is_pg, percentile, rounded
from repairdesk.hq.report_tickets import HANDED_BACK
from repairdesk.hq.schema import COUNTER, DELETED

Stat = tuple[float | None, float | None]  # median, p90 (hours, one decimal)


@dataclass
class Turnaround:
    by_month: dict[str, Stat] = field(default_factory=dict)
    by_counter: dict[str, Stat] = field(default_factory=dict)
    by_level: dict[str, Stat] = field(default_factory=dict)
    by_province: dict[str, Stat] = field(default_factory=dict)


def _hours(conn: sa.Connection, scope: Scope, first: date, end: date) -> sa.Subquery:
    m = schema.mirrors()
    t, r, mv = m["ticket"], m["repair_record"], m["status_move"]
    reg = schema.table("hq_counter")
    # A handed-back status is final: a ticket moves into one once. The moves of the period
    # only (a day either side: dates are local, moves in UTC).
    last = (sa.select(mv.c[COUNTER], mv.c.ticket_id, mv.c.at.label("back_at"))
            .where(mv.c[DELETED].is_(False), mv.c.to_status.in_(HANDED_BACK),
                   mv.c.at >= at(first - timedelta(days=1)),
                   mv.c.at < at(end + timedelta(days=1)))
            .subquery())
    return (
        sa.select(t.c[COUNTER].label("code"),
                  date_month(conn, r.c.handed_back).label("month"),
                  sa.func.coalesce(reg.c.level, NONE).label("level"),
                  sa.case((sa.func.length(reg.c.region) == 6,
                           sa.func.substr(reg.c.region, 1, 2).op("||")("0000")),
                          else_=NONE).label("province"),
                  hours_between(conn, t.c.created_at, last.c.back_at).label("hours"))
        .select_from(
            t.join(r, sa.and_(t.c[COUNTER] == r.c[COUNTER], r.c.ticket_id == t.c.id))
            .join(last, sa.and_(t.c[COUNTER] == last.c[COUNTER], last.c.ticket_id == t.c.id))
            .join(reg, reg.c.code == t.c[COUNTER], isouter=True))
        .where(t.c[DELETED].is_(False), r.c[DELETED].is_(False), *scope.on(t),
               r.c.handed_back >= first, r.c.handed_back < end)
    ).subquery()


def turnaround(conn: sa.Connection, scope: Scope, first: date, end: date, month: str,
               counters: dict[str, CounterInfo]) -> Turnaround:
    sub = _hours(conn, scope, first, end)
    if is_pg(conn):
        return _in_postgresql(conn, sub, month)
    return _in_python(conn, sub, month, counters)


def _pair(median: Any, p90: Any) -> Stat:
    return rounded(median), rounded(p90)


def _in_postgresql(conn: sa.Connection, sub: sa.Subquery, month: str) -> Turnaround:
    def p(q: float) -> Any:
        return sa.func.percentile_cont(q).within_group(sub.c.hours)

    keys = (sub.c.code, sub.c.level, sub.c.province)
    # One pass: each month for the trends, and the report month by counter, level, province.
    sets = [sa.tuple_(sub.c.month), *(sa.tuple_(sub.c.month, k) for k in keys)]
    query = (sa.select(sub.c.month, *keys, *(sa.func.grouping(k) for k in keys), p(0.5),
                       p(0.9))
             .group_by(sa.func.grouping_sets(*sets)))
    found = Turnaround()
    for row in conn.execute(query):
        mon, code, level, province, g_code, g_level, g_province, median, p90 = tuple(row)
        if g_code and g_level and g_province:
            found.by_month[mon] = _pair(median, p90)
        elif mon != month:
            continue
        elif not g_code:
            found.by_counter[code] = _pair(median, p90)
        elif not g_level:
            found.by_level[level] = _pair(median, p90)
        else:
            found.by_province[province] = _pair(median, p90)
    return found


def _in_python(conn: sa.Connection, sub: sa.Subquery, month: str,
               counters: dict[str, CounterInfo]) -> Turnaround:
    groups: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for code, mon, hours in conn.execute(sa.select(sub.c.code, sub.c.month, sub.c.hours)):
        if hours is None:
            continue
        groups["month"][mon].append(hours)
        if mon != month:
            continue
        info = counters.get(code)
        groups["counter"][code].append(hours)
        groups["level"][(info.level if info else None) or NONE].append(hours)
        groups["province"][province_of(info.region if info else None)].append(hours)
    found = Turnaround()
    for kind, into in (("month", found.by_month), ("counter", found.by_counter),
                       ("level", found.by_level), ("province", found.by_province)):
        for key, hours_list in groups[kind].items():
            ordered = sorted(hours_list)
            into[key] = _pair(percentile(ordered, 0.5), percentile(ordered, 0.9))
    return found
