"""How the day-end screen shows the day's and the month's reports (rich Text).

Columns are lined up by terminal cells (a CJK character takes two), and amounts are the
report's exact two-place yuan, never a float, so what is shown adds up to the fen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo
from decimal import Decimal

from rich.cells import cell_len
from rich.text import Text

from repairdesk.i18n import _
from repairdesk.money.views import DayReport, MethodTotals, MonthReport, PartsUse
from screens.widgets.render import STATE_STYLE

GAP = "  "


def yuan(amount: Decimal) -> str:
    return f"{amount:.2f}"


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` filled with spaces to ``width`` cells."""
    fill = " " * max(0, width - cell_len(text))
    return fill + text if right else text + fill


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, left: int = 1,
          bold_last: bool = False) -> Text:
    """A plain table: the first ``left`` columns left-aligned, the others (numbers) right."""
    widths = [max(cell_len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return GAP.join(pad(cell, widths[i], right=i >= left)
                        for i, cell in enumerate(row)).rstrip()

    text = Text(line(headers), style="bold underline")
    for index, row in enumerate(rows):
        last = bold_last and index == len(rows) - 1
        text.append("\n" + line(row), style="bold" if last else "")
    return text


def joined(items: Iterable[str]) -> str:
    return _("tui.list_sep").join(items)


def none() -> Text:
    return Text(_("tui.dayend_none"), style="dim")


def counts(by_status: dict[str, int]) -> str:
    return joined(f"{_(f'status.{s}')} {n}" for s, n in by_status.items()) or "-"


# -- both reports -------------------------------------------------------------------------

def takings_rows(takings: dict[str, MethodTotals], total: MethodTotals) -> list[list[str]]:
    """One row a payment method, then the total: method, deposits, payments, refunds, net."""
    rows = [[_(f"money.method_{m}"), yuan(t.deposits), yuan(t.payments), yuan(t.refunds),
             yuan(t.net)] for m, t in takings.items()]
    rows.append([_("money.total"), yuan(total.deposits), yuan(total.payments),
                 yuan(total.refunds), yuan(total.net)])
    return rows


def takings_text(report: DayReport | MonthReport) -> Text:
    total = MethodTotals(report.deposits, report.payments, report.refunds, report.net)
    headers = [_("money.col_method"), _("money.sum_deposits"), _("money.sum_payments"),
               _("money.sum_refunds"), _("money.sum_net")]
    text = table(headers, takings_rows(report.takings, total), bold_last=True)
    if report.waived:
        text.append("\n" + _("tui.dayend_waived", amount=yuan(report.waived)), style="yellow")
    return text


def parts_text(used: list[PartsUse], value: dict[str, Decimal], kept: int, sent: int,
               pending: int | str) -> Text:
    """What was drawn (warranty and paid apart), its value, and the faulty parts kept."""
    if used:
        headers = [_("tui.dayend_col_part"), _("tui.dayend_col_basis"),
                   _("tui.dayend_col_drawn"), _("tui.dayend_col_returned"),
                   _("tui.dayend_col_value")]
        rows = [[f"{u.part_number} {u.name}", _(f"tui.basis_{u.basis}"), str(u.drawn),
                 str(u.returned), yuan(u.value)] for u in used]
        text = table(headers, rows, left=2)
        text.append("\n")
    else:
        text = Text(_("tui.dayend_no_parts") + "\n", style="dim")
    text.append(_("tui.dayend_parts_value", values=joined(
        f"{_(f'tui.basis_{basis}')} ¥{yuan(amount)}" for basis, amount in value.items())))
    text.append("\n" + _("money.day_old_parts", kept=kept, sent=sent, pending=pending))
    return text


# -- the day ------------------------------------------------------------------------------

def tickets_text(report: DayReport) -> Text:
    text = Text(_("money.day_tickets", tickets_in=report.tickets_in,
                  tickets_out=report.tickets_out), style="bold")
    text.append("\n" + _("tui.dayend_in_by_status", statuses=counts(report.in_by_status)))
    text.append("\n" + _("tui.dayend_out_by_status", statuses=counts(report.out_by_status)))
    text.append("\n" + _("tui.dayend_moves", statuses=counts(report.moves_by_status)),
                style="dim")
    return text


def entries_text(report: DayReport, tz: tzinfo) -> Text:
    """Every payment of the day in time order: what the takings are the sum of."""
    if not report.entries:
        return none()
    rows = [[e.at.astimezone(tz).strftime("%H:%M"), e.ticket, _(f"tui.payment_{e.kind}"),
             _(f"money.method_{e.method}") if e.method else "-", yuan(e.amount)]
            for e in report.entries]
    widths = [max(cell_len(r[i]) for r in rows) for i in range(5)]
    text = Text(style="dim")
    for index, row in enumerate(rows):
        text.append(("\n" if index else "") + GAP.join(
            pad(cell, widths[i], right=i == 4) for i, cell in enumerate(row)))
    return text


def stock_text(report: DayReport) -> Text:
    if not report.low_stock:
        return Text(_("tui.dayend_stock_ok"), style="dim")
    headers = [_("tui.dayend_col_part"), _("tui.dayend_col_on_hand"),
               _("tui.dayend_col_minimum")]
    rows = [[f"{p.part_number} {p.name}", str(p.on_hand), str(p.min_stock)]
            for p in report.low_stock]
    text = table(headers, rows)
    text.stylize("yellow", len(text.plain.split("\n")[0]) + 1)
    return text


def quotes_text(report: DayReport, tz: tzinfo) -> Text:
    if not report.quotes_waiting:
        return none()
    text = Text()
    for index, quote in enumerate(report.quotes_waiting):
        text.append(("\n" if index else "") + _(
            "tui.dayend_quote", ticket=quote.ticket, revision=quote.revision,
            total=yuan(quote.total), since=_since(quote.created_at, tz)))
    return text


def overdue_text(report: DayReport) -> Text:
    if not report.overdue:
        return none()
    text = Text()
    for index, late in enumerate(report.overdue):
        if index:
            text.append("\n")
        text.append(late.ticket, style="bold")
        text.append(f"  {_(f'status.{late.status}')}  {late.customer}")
        if late.promised_overdue and late.promised_date:
            text.append("  " + _("money.day_promised", date=late.promised_date.isoformat()),
                        style="bold red")
        for deadline in late.deadlines:
            state = str(deadline["state"])
            text.append(f"\n    [{_(f'policy.deadline.state.{state}')}] {deadline['label']}",
                        style=STATE_STYLE.get(state, ""))
    return text


def loaners_text(report: DayReport) -> Text:
    if not (report.loaners_out or report.loaners_owed):
        return none()
    lines = [Text(_("money.day_loaner", imei=loaner.imei, model=loaner.model,
                    ticket=loaner.ticket or "-")) for loaner in report.loaners_out]
    lines += [Text(_("money.day_loaner_owed", ticket=number), style="bold red")
              for number in report.loaners_owed]
    return Text("\n").join(lines)


def _since(moment: datetime, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


# -- the month ----------------------------------------------------------------------------

def month_tickets_text(report: MonthReport) -> Text:
    text = Text(_("money.day_tickets", tickets_in=report.tickets_in,
                  tickets_out=report.tickets_out), style="bold")
    text.append("\n" + _("tui.dayend_out_by_status", statuses=counts(report.out_by_status)))
    text.append("\n" + _("tui.dayend_by_basis", bases=joined(
        f"{_(f'tui.basis_{b}')} {n}" for b, n in report.repairs_by_basis.items())))
    median = report.turnaround_median_days
    text.append("\n" + _("tui.dayend_turnaround",
                         days="-" if median is None else f"{median:g}"))
    if report.sanbao_refunds:
        text.append("\n" + _("tui.dayend_sanbao_refunds", count=report.sanbao_refunds))
    return text


def days_text(report: MonthReport) -> Text:
    """The days with any work or money, one a line (HQ's daily breakdown)."""
    rows = [[str(d["day"]), str(d["tickets_in"]), str(d["tickets_out"]), yuan(d["net"])]
            for d in report.days if d["tickets_in"] or d["tickets_out"] or d["net"]]
    if not rows:
        return none()
    headers = [_("tui.dayend_col_day"), _("tui.dayend_col_in"), _("tui.dayend_col_out"),
               _("money.sum_net")]
    return table(headers, rows)
