"""What ``audit verify`` (counter) and ``hq audit`` (HQ) print: counts by kind, first cases."""

from __future__ import annotations

from typing import Any

from repairdesk.cli.output import say
from repairdesk.i18n import _


def say_report(report: dict[str, Any], prefix: str = "") -> None:
    """A report's ``to_dict()`` as lines for people (``prefix``: the counter's code at HQ)."""
    if report["ok"]:
        say(prefix + _("evidence.intact", events=report["events"], rows=report.get("rows", 0)))
    else:
        say(prefix + _("evidence.not_intact", events=report["events"],
                       rows=report.get("rows", 0)))
    for kind, count in report.get("problems", {}).items():
        say(_("evidence.line", kind=_(f"evidence.kind_{kind}"), count=count))
        for example in report.get("examples", {}).get(kind, []):
            say(_example(example))
    if report.get("not_yet_bound"):
        say(_("evidence.unbound", count=report["not_yet_bound"]))


def _example(example: dict[str, Any]) -> str:
    if "table" in example:
        return _("evidence.example_row", table=example["table"], key=example["key"])
    if "where" in example:
        return _("evidence.example_head", where=_(f"evidence.where_{example['where']}"),
                 id=example["id"])
    if "reason" in example:
        return _("evidence.example_link", id=example["id"],
                 reason=_(f"trust.audit_{example['reason']}"))
    if "file" in example:
        return _("evidence.example_file", file=example["file"])
    return _("evidence.example_event", id=example.get("id"), detail=example.get("detail", ""))
