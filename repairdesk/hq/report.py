"""``hq report``: one month of the network, from the mirrors of the counters' tables.

The figures are counted in the database (repairdesk/hq/report_tickets.py,
report_turnaround.py, report_money.py) per counter and month over the twelve months of the
trends; this module adds them up per level, per province and in total, and derives the
rates. A month of a large network is a million tickets: nothing here reads them one by one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from repairdesk.errors import InputError
from repairdesk.hq import report_money, report_tickets
from repairdesk.hq.report_money import BASES
from repairdesk.hq.report_scope import NONE, CounterInfo, Scope, registry
from repairdesk.hq.report_sql import months_back, next_month, share
from repairdesk.hq.report_turnaround import turnaround
from repairdesk.hq.report_view import HqReport, added, figures
from repairdesk.i18n import _

REPORT_DUE_DAY = 20
TREND_MONTHS = 12


def parse_month(text: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise InputError("--month", _("sync.month_invalid", month=text)) from None


def default_month(today: date) -> str:
    """The month whose statistics are due next: the one before ``today``'s."""
    return (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


def due_state(due: date, today: date) -> tuple[str, int]:
    if today < due:
        return "due", (due - today).days
    if today == due:
        return "today", 0
    return "overdue", (today - due).days


def build_report(conn: Connection, *, month: str, scope: Scope, today: date,
                 english: bool, level_names: dict[str, str],
                 region_name: Callable[[str], str | None]) -> HqReport:
    first = parse_month(month)
    end = next_month(first)
    trend_months = months_back(first, TREND_MONTHS)
    since = trend_months[0]
    key = first.strftime("%Y-%m")
    counters = registry(conn, scope)
    counts = report_tickets.new_counts()
    report_tickets.received(conn, scope, since, end, counts)
    report_tickets.handed_back(conn, scope, since, end, first, counts)
    report_tickets.still_open(conn, scope, today, key, counts)
    stats = turnaround(conn, scope, since, end, key, counters)
    parts, warranty = report_money.parts(conn, scope, first, end, english)
    takings, net = report_money.takings(conn, scope, first, end)

    in_month = {code: c for (code, mon), c in counts.items() if mon == key}
    codes = sorted(set(in_month) | set(counters))
    zero = report_tickets.new_counts()[("", "")]
    rows = [figures(code, counters[code].name if code in counters else None,
                    in_month.get(code, zero), stats.by_counter.get(code, (None, None)),
                    warranty.get(code, 0), net.get(code, 0)) for code in codes]
    for row in rows:
        info = counters.get(row["key"]) or CounterInfo(row["key"], None, None, None)
        row["level"], row["region"], row["province"] = info.level, info.region, info.province

    def rolled(by: str, names: Callable[[str], str | None],
               stat: dict[str, tuple[float | None, float | None]]) -> list[dict[str, Any]]:
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            groups[row[by] or NONE].append(row)
        return [figures(k, names(k) if k != NONE else None, added(g),
                        stat.get(k, (None, None)),
                        sum(warranty.get(r["key"], 0) for r in g),
                        sum(net.get(r["key"], 0) for r in g))
                for k, g in sorted(groups.items())]

    total = figures("total", None, added(rows), stats.by_month.get(key, (None, None)),
                    sum(warranty.values()), sum(net.values()))
    trends = []
    for mon in (m.strftime("%Y-%m") for m in trend_months):
        c = added([v for (_code, mo), v in counts.items() if mo == mon]) if counts else zero
        trends.append({"month": mon, "tickets_in": c["tickets_in"],
                       "tickets_out": c["tickets_out"],
                       "turnaround_median": stats.by_month.get(mon, (None, None))[0],
                       "repair_rate": share(c["repaired"], c["tickets_out"]),
                       "repeat_rate": share(c["repeat_any"], c["tickets_in"])})
    due = end.replace(day=REPORT_DUE_DAY)
    state, days = due_state(due, today)
    return HqReport(
        month=key, first=first, last=end - timedelta(days=1), today=today, due=due,
        due_state=state, due_days=days,
        scope={"counter": scope.counter, "level": scope.level, "region": scope.region,
               "region_name": region_name(scope.region) if scope.region else None},
        total=total, counters=rows,
        levels=rolled("level", lambda k: level_names.get(k, k), stats.by_level),
        provinces=rolled("province", region_name, stats.by_province),
        faults=report_tickets.faults(conn, scope, first, end),
        breaches={code: total[f"breach_{code}"] for code in report_tickets.BREACHES},
        parts=parts, parts_by_model=report_money.parts_by_model(conn, scope, first, end),
        parts_value={b: sum((p["value"] for p in parts if p["basis"] == b),
                                         Decimal("0.00")) for b in BASES},
        takings=takings,
        takings_total=report_money.total(takings, "deposits", "payments", "refunds", "net"),
        trends=trends,
    )


def tune(conn: Connection, scope: Scope) -> None:
    """PostgreSQL's settings for this transaction only. The mirrors are keyed by counter and
    the counter's own id, two columns the planner takes as independent: it expects a few
    rows where a month joins a million, and would loop over them. A month of the network
    (not of one counter) is read with hash joins, and sorts its percentiles in memory."""
    conn.exec_driver_sql("SET LOCAL work_mem = '64MB'")
    if not scope.counter:
        conn.exec_driver_sql("SET LOCAL enable_nestloop = off")


def run(hq: Any, *, month: str | None, counter: str | None, level: str | None,
        region: str | None) -> HqReport:
    """The report for ``hq`` (the facade), its filters checked first: an unknown level or
    region code is refused naming the option, as a counter code in the wrong shape."""
    from repairdesk.hq import registry as counters

    today = hq.today()
    text = month.strip() if month else default_month(today)
    parse_month(text)
    code = counters.check_code(counter, "--counter") if counter else None
    levels = {lv.code: lv.name for lv in hq.levels()}
    wanted = level.strip().lower() if level else None
    if wanted is not None and wanted not in levels:
        raise InputError("--level", _("hqreport.level_unknown", level=level,
                                      choices=", ".join(levels)))
    division = None
    if region:
        try:
            division = hq.region(region.strip()).code
        except InputError as exc:
            raise InputError("--region", exc.reason) from None

    def region_name(code: str) -> str | None:
        try:
            return str(hq.region(code).name)
        except InputError:
            return None

    from repairdesk.i18n import get_language

    with hq.store.read() as conn:
        if code is not None and not registry(conn, Scope(code)):
            raise InputError("--counter", _("hqnet.no_counter", code=code))
        if conn.dialect.name == "postgresql":
            tune(conn, Scope(code, wanted, division))
        return build_report(conn, month=text, scope=Scope(code, wanted, division), today=today,
                            english=get_language() == "en", level_names=levels,
                            region_name=region_name)
