"""The report's words, shared by the text, the workbook, the PDF and the screen: what the
scope is, whether the fault statistics are on time, and the names of groups and figures."""

from __future__ import annotations

from typing import Any

from repairdesk.hq.report_scope import NONE
from repairdesk.i18n import _

#: The figures of the summary, in the order every output lists them.
SUMMARY = ("tickets_in", "tickets_out", "turnaround_median", "turnaround_p90",
           "within_3_working_days_share", "within_7_days_share", "repair_rate",
           "repeat_rate_any", "repeat_rate_same", "refund", "exchange", "free_repair",
           "paid_repair", "returned_unrepaired", "breaches_closed", "breaches_open",
           "overdue_now", "warranty_amount", "takings_net")
#: The columns that compare counters, levels and provinces.
COMPARE = ("tickets_in", "tickets_out", "turnaround_median", "turnaround_p90",
           "within_3_working_days_share", "within_7_days_share", "repair_rate",
           "repeat_rate_any", "repeat_rate_same", "breaches_closed", "overdue_now",
           "warranty_amount", "takings_net")
TRENDS = ("tickets_in", "tickets_out", "turnaround_median", "repair_rate", "repeat_rate")


def figure(key: str) -> str:
    return _(f"hqreport.fig_{key}")


def scope_line(report: Any) -> str:
    scope = report.scope
    parts = []
    if scope.get("counter"):
        parts.append(_("hqreport.scope_counter", counter=scope["counter"]))
    if scope.get("level"):
        parts.append(_("hqreport.scope_level", level=scope["level"]))
    if scope.get("region"):
        parts.append(_("hqreport.scope_region", region=scope["region"],
                       name=scope.get("region_name") or ""))
    return _("hqreport.scope", scope="; ".join(parts) if parts else _("hqreport.scope_all"))


def due_line(report: Any) -> str:
    return _(f"hqreport.due_{report.due_state}", due=report.due, count=report.due_days)


def group_label(row: dict[str, Any]) -> str:
    if row["key"] == NONE:
        return _("hqreport.unregistered")
    return f"{row['key']} {row['name']}" if row.get("name") else str(row["key"])


def counter_label(row: dict[str, Any]) -> str:
    return f"{row['key']} {row['name']}" if row.get("name") else str(row["key"])


def cell(value: Any) -> str:
    return "-" if value is None else str(value)
