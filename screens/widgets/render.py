"""How the screens show a 三包 decision, legal deadlines and lists of tickets (rich Text)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text

from repairdesk.i18n import _
from repairdesk.views import DeadlineView, DecisionView, TicketSummary

STATE_STYLE = {"upcoming": "", "due": "bold yellow", "overdue": "bold red"}


def remedies_text(decision: DecisionView) -> Text:
    """One line: what the customer is entitled to (or why that cannot be said yet)."""
    if decision.undecided:
        return Text(_("tui.decision_undecided", reason=decision.undecided), style="yellow")
    names = " · ".join(_(f"policy.remedy.{r}") for r in decision.remedies)
    style = "bold green" if decision.covered else "bold red"
    text = Text(_("tui.decision_sanbao") if decision.covered else _("tui.decision_paid"),
                style=style)
    text.append(f"  {names}", style=style)
    return text


def decision_text(decision: DecisionView) -> Text:
    """The decision with its amounts, loaner duty, period, articles and every reason."""
    text = remedies_text(decision)
    if decision.undecided:
        return text
    for kind, amount in decision.amounts.items():
        text.append(f"\n  {_(f'policy.remedy.{kind}')}: ¥{amount:.2f}")
    if decision.loaner:
        text.append("\n" + _("tui.decision_loaner"), style="bold yellow")
    if decision.period_end:
        text.append("\n" + _("tui.decision_period_end", date=decision.period_end))
    if decision.articles:
        text.append("\n" + _("tui.decision_articles", articles="、".join(decision.articles)))
    for reason in decision.reasons:
        text.append(f"\n • {reason}", style="dim" if decision.covered else "")
    return text


def deadlines_text(deadlines: list[DeadlineView]) -> Text:
    if not deadlines:
        return Text(_("tui.deadlines_none"), style="dim")
    text = Text()
    for index, deadline in enumerate(deadlines):
        if index:
            text.append("\n")
        text.append(f"[{_(f'policy.deadline.state.{deadline.state}')}] ",
                    style=STATE_STYLE[deadline.state] or "dim")
        text.append(deadline.label, style=STATE_STYLE[deadline.state])
    return text


def ticket_lines(rows: list[TicketSummary], local: Callable[[datetime], datetime],
                 limit: int = 5) -> Text:
    """A few tickets, one a line: number, date, status, device, faults."""
    text = Text()
    for index, row in enumerate(rows[:limit]):
        if index:
            text.append("\n")
        text.append(row.ticket, style="bold")
        text.append(f"  {local(row.created).strftime('%Y-%m-%d')}  ")
        text.append(_(f"status.{row.status}"), style="italic")
        faults = "、".join(_(f"fault.{f}") for f in row.faults)
        text.append(f"  {row.device}  {faults}", style="dim")
    if len(rows) > limit:
        text.append("\n" + _("tui.more_tickets", count=len(rows) - limit), style="dim")
    return text
