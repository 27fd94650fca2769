"""A statement's lines as people read them, one row decoder for the terminal, the workbook
and the PDF: the same words and the same figures everywhere."""

from __future__ import annotations

from typing import Any

from repairdesk.amounts import fen_to_text
from repairdesk.i18n import _
from repairdesk.ratecard import GRADES, grade_label
from repairdesk.settle_reasons import reason

SECTIONS = ("approved", "rejected", "adjustments", "carried")
TOTALS = ("labour", "parts", "adjustments", "total")


def _why(line: dict[str, Any]) -> str:
    words = [reason(check) for check in line["checks"] if check["outcome"] != "flag"
             or line["status"] != "approved"]
    if line.get("review_reason"):
        words.append(line["review_reason"])
    if line["kind"] != "claim" and line.get("adjusts"):
        words.insert(0, _("hqclose.adjusts", line=line["adjusts"]))
    return "; ".join(words)


def rows(document: dict[str, Any], section: str) -> list[dict[str, Any]]:
    found = []
    for line in document[section]:
        approved = line["approved_fen"]
        found.append({
            "line": line["id"], "ticket": line["ticket"], "imei": line["imei"] or "",
            "model": " ".join(p for p in (line["brand"], line["model"]) if p),
            "remedy": _(f"hqclose.remedy_{line['remedy']}"),
            "grade": grade_label(line["grade"]) if line["grade"] in GRADES else "",
            "state": _(f"hqclose.state_{line['status']}"),
            "labour": fen_to_text(line["labour_fen"]), "parts": fen_to_text(line["parts_fen"]),
            "amount": fen_to_text(line["amount_fen"]),
            "approved": "" if approved is None or section in ("rejected", "carried")
            else fen_to_text(approved),
            "reason": _why(line),
        })
    return found


def totals(document: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, yuan text) of the statement's totals, in order."""
    return [(_(f"hqclose.total_{key}"), fen_to_text(document["totals"][f"{key}_fen"]))
            for key in TOTALS]
