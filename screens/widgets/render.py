"""How the screens show a 三包 decision, legal deadlines and lists of tickets (rich Text)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text

from repairdesk.i18n import _
from repairdesk.money.views import QuoteView, TicketMoneyView
from repairdesk.tickets.remedies import remedy_names
from repairdesk.tickets.views import DeadlineView, DecisionView, TicketSummary

STATE_STYLE = {"upcoming": "", "due": "bold yellow", "overdue": "bold red"}


def remedies_text(decision: DecisionView) -> Text:
    """One line: what the customer is entitled to (or why that cannot be said yet)."""
    if decision.undecided:
        return Text(_("tui.decision_undecided", reason=decision.undecided), style="yellow")
    names = remedy_names(decision.remedies)
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


def basis_text(found: TicketMoneyView) -> str:
    """Who pays, and for a paid repair where its quote stands now (not a stale "needs a
    quote" once the customer approved it)."""
    quote = found.quote
    if found.basis != "paid" or quote is None or quote.status not in QUOTE_BASIS:
        return _(f"tui.money_basis_{found.basis}")
    return _(QUOTE_BASIS[quote.status], revision=quote.revision)


QUOTE_BASIS = {"pending": "ticketui.basis_paid_pending",
               "approved": "ticketui.basis_paid_approved",
               "declined": "ticketui.basis_paid_declined"}


def quote_sum(quote: QuoteView) -> str:
    """"labour ¥350.00 + diagnostic fee ¥30.00 = ¥380.00": what the total is made of."""
    parts = [
        _("ticketui.quote_labour", amount=f"{line.amount:.2f}") if line.kind == "labour"
        else _("ticketui.quote_part", part=line.part_number or line.description,
               amount=f"{line.amount:.2f}")
        for line in quote.lines
    ]
    if quote.diagnostic_fee:
        parts.append(_("ticketui.quote_fee", amount=f"{quote.diagnostic_fee:.2f}"))
    return _("ticketui.quote_sum", parts=_("ticketui.quote_plus").join(parts),
             total=f"{quote.total:.2f}")


def money_text(found: TicketMoneyView) -> Text:
    """Basis, quote, balance, payments and parts of the ticket (repairdesk/money decides),
    and what the money rules stop now, each with what to do about it."""
    text = Text(basis_text(found), style="bold")
    if found.quote is not None:
        text.append("\n" + _("ticketui.money_quote", revision=found.quote.revision,
                              status=_(f"tui.quote_{found.quote.status}"),
                              sum=quote_sum(found.quote)))
    for payment in found.payments:
        text.append("\n" + _("tui.money_payment", kind=_(f"tui.payment_{payment.kind}"),
                              amount=f"{payment.amount:.2f}",
                              method=_(f"money.method_{payment.method}")
                              if payment.method else "-"))
    for move in found.parts:
        text.append("\n" + _("tui.money_part", kind=_(f"tui.part_move.{move.kind}"),
                              part=move.part_number, qty=move.qty))
    for old in found.old_parts:
        text.append("\n" + _("tui.money_old_part", part=old.part_number, qty=old.qty,
                              state=_(f"tui.parts_old_{'sent' if old.sent_at else 'waiting'}")),
                    style="dim")
    if found.loaner is not None:
        text.append("\n" + _("money.loaner_held", imei=found.loaner.imei,
                              model=found.loaner.model))
    text.append("\n" + _("tui.money_balance", balance=f"{found.money.balance:.2f}"),
                style="bold" if found.money.balance else "dim")
    if found.blocked:
        text.append("\n" + _("ticketui.money_blocked"), style="yellow")
        for reason in found.blocked.values():  # each reason names the move it stops
            text.append(f"\n • {reason}", style="yellow")
    return text


# Characters Rich counts as no cells that terminals draw differently: the zero-width joiner
# (👨‍👩‍👧: three emoji to Rich, one glyph to a recent terminal), the emoji and text variation
# selectors (❤️: one cell to Rich, two to most terminals), skin-tone modifiers, the keycap
# mark and emoji tag characters. Without them every terminal draws what Rich measured.
UNEVEN = frozenset({0x200D, 0xFE0E, 0xFE0F, 0x20E3, *range(0x1F3FB, 0x1F400),
                    *range(0xE0020, 0xE0080)})


def terminal_text(text: str) -> str:
    """``text`` as a table or a line of columns shows it: the same cells on every terminal
    as Rich counts (a customer named "张伟😀" or "👨‍👩‍👧" no longer shifts the columns)."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if ord(ch) not in UNEVEN)
