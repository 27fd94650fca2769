"""The read model of ``hq report``: one month, for every counter in the scope, rolled up by
level, by province and in total, with the twelve months of trends that end with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from repairdesk.hq.report_sql import rounded, share
from repairdesk.hq.report_tickets import BREACHES, COUNTS, REMEDIES
from repairdesk.tickets.views import _View

#: The columns of a figures row, in the order the tables, workbook and PDF show them.
FIGURES = ("tickets_in", "tickets_out", "turnaround_median", "turnaround_p90",
           "within_3_working_days_share", "within_7_days_share", "repair_rate",
           "repeat_rate_any", "repeat_rate_same", *REMEDIES, "breaches_closed",
           "breaches_open", "overdue_now", "warranty_amount", "takings_net")


def figures(key: str, name: str | None, counts: dict[str, int],
            stat: tuple[float | None, float | None], warranty_fen: int,
            net_fen: int) -> dict[str, Any]:
    """One row: the counts as counted, the rates derived from them (percent, one decimal)."""
    c = counts
    return {
        "key": key, "name": name,
        **{k: c[k] for k in COUNTS},
        "turnaround_median": rounded(stat[0]), "turnaround_p90": rounded(stat[1]),
        "within_3_working_days_share": share(c["within_3_working_days"], c["tickets_out"]),
        "within_7_days_share": share(c["within_7_days"], c["tickets_out"]),
        "repair_rate": share(c["repaired"], c["tickets_out"]),
        "repeat_rate_any": share(c["repeat_any"], c["tickets_in"]),
        "repeat_rate_same": share(c["repeat_same"], c["tickets_in"]),
        "warranty_amount": (Decimal(warranty_fen) / 100).quantize(Decimal("0.01")),
        "takings_net": (Decimal(net_fen) / 100).quantize(Decimal("0.01")),
    }


def added(rows: list[dict[str, int]]) -> dict[str, int]:
    return {k: sum(r[k] for r in rows) for k in COUNTS}


@dataclass(frozen=True)
class HqReport(_View):
    month: str
    first: date
    last: date
    today: date
    #: The fault statistics are due to the manufacturer by the 20th of the next month.
    due: date
    due_state: str  # due | today | overdue
    due_days: int  # days left (due) or days past (overdue)
    scope: dict[str, str | None]
    total: dict[str, Any]
    counters: list[dict[str, Any]]
    levels: list[dict[str, Any]]
    provinces: list[dict[str, Any]]
    faults: list[dict[str, Any]]
    breaches: dict[str, int]
    parts: list[dict[str, Any]]
    parts_by_model: list[dict[str, Any]]  # brand, model, part, basis: used and value
    parts_value: dict[str, Decimal]
    takings: list[dict[str, Any]]
    takings_total: dict[str, Decimal]
    trends: list[dict[str, Any]]

    @property
    def remedies(self) -> dict[str, int]:
        return {k: self.total[k] for k in REMEDIES}

    @property
    def breach_codes(self) -> tuple[str, ...]:
        return BREACHES
