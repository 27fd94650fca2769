"""How the Settlement screen words a claim line, a statement and a dispute: table cells
and the detail under the list, in the reader's language, from the facade's views."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text

from repairdesk.amounts import fen_to_text
from repairdesk.i18n import _
from screens.widgets.render import terminal_text

if TYPE_CHECKING:
    from repairdesk.hq.settle_close_views import DisputeView, StatementView
    from repairdesk.hq.settle_views import ClaimLineDetail, ClaimLineView

#: The lines' columns (``hqsettle.col_*``, the reason ``hqclose.col_reason``). Where the
#: reason would be narrower than ``REASON_WANT`` cells, columns are left out in the order of
#: ``EXPENDABLE`` (the ticket names the counter; the detail under the list shows the rest).
COLUMNS = ("id", "counter", "ticket", "remedy", "grade", "back", "amount", "approved",
           "status", "month", "reason")
EXPENDABLE = ("counter", "month", "remedy", "back", "grade")
REASON_WANT = 24
#: The reason column is never narrower than this (the table scrolls then).
REASON_MIN = 12
RIGHT = frozenset({"id", "amount", "approved"})
STATUS_STYLE = {"pending": "bold yellow", "held": "yellow", "rejected": "red",
                "approved": "green"}
OUTCOME_STYLE = {"reject": "red", "hold": "yellow", "flag": "cyan", "cut": "magenta"}
STATEMENT_COLUMNS = ("counter", "month", "lines", "labour", "parts", "adjustments", "total",
                     "closed", "by")
DISPUTE_COLUMNS = ("counter", "dispute", "line", "ticket", "by", "raised", "reason")
EVENTS = frozenset({"approved", "rejected", "adjusted", "review_cleared"})


def column_title(column: str) -> Text:
    catalogs = {"reason": "hqclose.col_reason", "lines": "hqscreen_settle.col_lines",
                "labour": "hqclose.total_labour", "parts": "hqclose.total_parts",
                "adjustments": "hqclose.total_adjustments", "total": "hqclose.total_total",
                "closed": "hqscreen_settle.col_closed", "by": "hqscreen_settle.col_by",
                "dispute": "hqscreen_settle.col_dispute", "line": "hqclose.col_line",
                "raised": "hqscreen_settle.col_raised"}
    right = column in RIGHT or column in ("lines", "labour", "parts", "adjustments", "total",
                                          "dispute", "line")
    return Text(_(catalogs.get(column, f"hqsettle.col_{column}")),
                justify="right" if right else "left")


def grade_name(grade: str | None) -> str:
    return _(f"hqscreen_settle.grade_{grade}") if grade else "-"


def line_cells(line: ClaimLineView) -> dict[str, Text]:
    """Every column's cell of one line (the screen keeps those that fit)."""
    first = line.checks[0].reason if line.checks else (line.review_reason or "")
    ticket = line.ticket if line.kind == "claim" else _("hqclose.adjusts", line=line.adjusts)
    cells = {
        "id": str(line.id), "counter": line.counter, "ticket": terminal_text(ticket),
        "remedy": _(f"hqclose.remedy_{line.remedy}"), "grade": grade_name(line.grade),
        "back": line.handed_back.isoformat() if line.handed_back else "-",
        "amount": line.amount, "approved": line.approved or "-", "month": line.month,
        "reason": terminal_text(first),
    }
    shown = {k: Text(v, justify="right" if k in RIGHT else "left") for k, v in cells.items()}
    shown["status"] = Text(_(f"hqsettle.status_{line.status}"),
                           style=STATUS_STYLE.get(line.status, ""))
    return shown


def fit_columns(rows: list[dict[str, Text]], width: int) -> tuple[tuple[str, ...], int]:
    """The columns shown in ``width`` cells and the reason column's width, what the others
    leave it (each column has a cell of padding either side, the table a scrollbar)."""
    widest = {column: max([cell_len(column_title(column).plain),
                           *(cell_len(row[column].plain) for row in rows)])
              for column in COLUMNS if column != "reason"}
    shown = list(COLUMNS)

    def left() -> int:
        return width - 2 - 2 - sum(widest[c] + 2 for c in shown if c != "reason")

    for column in EXPENDABLE:
        if left() >= REASON_WANT:
            break
        shown.remove(column)
    return tuple(shown), max(REASON_MIN, left())


def detail_text(detail: ClaimLineDetail, levels: dict[str, str]) -> Text:
    """The selected line: what it is, what it earns, its checks, parts and history."""
    line = detail.line
    device = " ".join(p for p in (line.brand, line.model) if p) or "-"
    text = Text()
    text.append(terminal_text(_("hqscreen_settle.detail_title", line=line.id, ticket=line.ticket,
                                device=device, fault=_(f"fault.{line.fault}") if line.fault
                                else "-")), style="bold")
    text.append("\n" + _("hqscreen_settle.detail_job", counter=line.counter,
                          remedy=_(f"hqclose.remedy_{line.remedy}"),
                          grade=grade_name(line.grade), handed_in=_day(line.handed_in),
                          back=_day(line.handed_back), month=line.month) + "\n")
    if line.card_version is None:
        text.append(_("hqscreen_settle.detail_no_card"), style="yellow")
    else:
        text.append(_("hqscreen_settle.detail_amounts", labour=line.labour,
                      parts=line.parts_amount, amount=line.amount, card=line.card_version,
                      level=levels.get(line.level or "", line.level or "-")))
    if line.review is not None:
        action = _(f"hqsettle.action_{line.review}")
        by = line.reviewed_by or "-"
        text.append("\n")
        if line.review_reason:
            text.append(_("hqscreen_settle.detail_review_reason", action=action, by=by,
                          reason=line.review_reason))
        else:
            text.append(_("hqscreen_settle.detail_review", action=action, by=by,
                          amount=line.approved or "-"))
    if line.statement is not None:
        text.append("\n" + _("hqscreen_settle.detail_statement", statement=line.statement),
                    style="dim")
    _section(text, "checks", [_check(c) for c in line.checks], "no_checks")
    _section(text, "parts", [Text(_("hqscreen_settle.part_line", part=p.part_number,
                                    name=terminal_text(p.name), qty=p.qty, claimed=p.claimed,
                                    cost=p.cost or _("hqscreen_settle.no_cost"),
                                    state=_(f"hqscreen_settle.old_part_{p.old_part}")))
                             for p in line.parts], "no_parts")
    _section(text, "history", [Text(_event(e)) for e in detail.history], "no_history")
    return text


def _day(day: Any) -> str:
    return day.isoformat() if day else "-"


def _section(text: Text, name: str, lines: list[Text], empty: str) -> None:
    text.append("\n" + _(f"hqscreen_settle.section_{name}") + "\n", style="bold underline")
    if not lines:
        text.append("  " + _(f"hqscreen_settle.{empty}"), style="dim")
        return
    for index, line in enumerate(lines):
        text.append(("\n" if index else "") + "  ")
        text.append_text(line)


def _check(check: Any) -> Text:
    return Text(terminal_text(_("hqscreen_settle.check_line", code=check.code,
                                outcome=_(f"hqscreen_settle.outcome_{check.outcome}"),
                                reason=check.reason)),
                style=OUTCOME_STYLE.get(check.outcome, ""))


def _event(event: dict[str, Any]) -> str:
    kind = str(event["action"]).removeprefix("hq.settle_")
    said = _(f"hqscreen_settle.event_{kind}") if kind in EVENTS else str(event["action"])
    after = (event.get("detail") or {}).get("after") or {}
    if after.get("approved_fen") is not None and kind in ("approved", "adjusted"):
        said += f" ¥{fen_to_text(int(after['approved_fen']))}"
    if after.get("review_reason"):
        said += f" “{terminal_text(str(after['review_reason']))}”"
    at = str(event["at"])[:16].replace("T", " ")
    return f"{at} {event['user'] or '-'} {said}"


def statement_cells(view: StatementView) -> list[str | Text]:
    closed = view.closed_at.astimezone().strftime("%Y-%m-%d %H:%M")
    return [view.counter, view.month, *(Text(v, justify="right") for v in (
        str(view.lines), view.labour, view.parts, view.adjustments, view.total)),
        closed, view.closed_by or "-"]


def dispute_cells(view: DisputeView) -> list[str | Text]:
    return [view.counter, Text(str(view.dispute), justify="right"),
            Text(str(view.line), justify="right"), view.ticket, terminal_text(view.by),
            view.at.astimezone().strftime("%Y-%m-%d %H:%M"), terminal_text(view.reason)]
