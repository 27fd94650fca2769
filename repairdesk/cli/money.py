"""``repairdesk quote|money|guarantee|report``: quotes, payments, repair guarantees and the
day-end and month reports; the ``parts`` and ``loaner`` groups are made here too, and their
commands are in :mod:`repairdesk.cli.stock`.

Human output by default, ``--json`` for scripts (amounts as exact strings: "129.90"). A
manager-only action (a refund, a waiver) takes ``--as NAME`` once the store
has users; the PIN comes from REPAIRDESK_PIN or a hidden prompt, never the command line.

No ``from __future__ import annotations`` here: typer reads the option types of the
commands at run time, and they are closures over the options `register` is given.
"""

from datetime import date
from typing import Annotated, Any, Optional

import typer

from repairdesk.cli.output import console, emit, emit_json, local_time, plain_table, say, yuan
from repairdesk.cli.part_requests import register_requests
from repairdesk.cli.stock import register_loaners, register_parts, say_move
from repairdesk.cli.warranty import parse_day
from repairdesk.i18n import _


def _print_quote(quote: Any) -> None:
    say(_("money.quote_head", ticket=quote.ticket, revision=quote.revision,
          status=_(f"money.quote_status_{quote.status}")))
    table = plain_table(_("money.col_line"), _("money.col_qty"), _("money.col_price"),
                   _("money.col_amount"))
    for line in quote.lines:
        name = f"{line.part_number} {line.description}" if line.part_number else line.description
        table.add_row(name, str(line.qty), yuan(line.unit_price), yuan(line.amount))
    table.add_row(_("money.diagnostic_fee"), "", "", yuan(quote.diagnostic_fee))
    table.add_row(_("money.total"), "", "", yuan(quote.total))
    console.print(table)
    if quote.decided_at:
        say(_("money.quote_answer", status=_(f"money.quote_status_{quote.status}"),
              how=_(f"money.how_{quote.decided_how}"), at=local_time(quote.decided_at),
              user=quote.decided_by))


def _say_payment(p: Any) -> None:
    method = _(f"money.method_{p.method}") if p.method else ""
    say(_("money.recorded_payment", kind=_(f"money.pay_{p.kind}"), amount=yuan(p.amount),
          method=method, ticket=p.ticket))


def _print_ticket_money(view: Any) -> None:
    say(_("money.ticket_head", ticket=view.ticket, status=_(f"status.{view.status}"),
          basis=_(f"money.basis_{view.basis}")))
    if view.quote:
        _print_quote(view.quote)
    m = view.money
    for key in ("charge", "deposits", "payments", "waived", "refunded", "balance"):
        say(f"  {_(f'money.sum_{key}')}: {yuan(getattr(m, key))}")
    if m.sanbao_refunded:
        say(f"  {_('money.sum_sanbao_refunded')}: {yuan(m.sanbao_refunded)}")
    for p in view.payments:
        _say_payment(p)
    for move in view.parts:
        say_move(move)
    if view.loaner:
        say(_("money.loaner_held", imei=view.loaner.imei, model=view.loaner.model))
    if view.guarantee:
        say(_("money.guarantee_until", end=view.guarantee.end.isoformat(),
              kind=_(f"money.guarantee_{view.guarantee.kind}")))
    if view.returning:
        say(_("money.returning", ticket=view.returning.ticket,
              end=view.returning.end.isoformat()))
    for target, why in view.blocked.items():
        say(f"  ✗ {_(f'status.{target}')}: {why}")


def _print_day(rep: Any) -> None:
    say(_("money.day_head", day=rep.day.isoformat()))
    say(_("money.day_tickets", tickets_in=rep.tickets_in, tickets_out=rep.tickets_out))
    for status, count in rep.out_by_status.items():
        say(f"  {_(f'status.{status}')}: {count}")
    table = plain_table(_("money.col_method"), _("money.sum_deposits"), _("money.sum_payments"),
                   _("money.sum_refunds"), _("money.sum_net"))
    for method, t in rep.takings.items():
        table.add_row(_(f"money.method_{method}"), yuan(t.deposits), yuan(t.payments),
                      yuan(t.refunds), yuan(t.net))
    table.add_row(_("money.total"), yuan(rep.deposits), yuan(rep.payments),
                  yuan(rep.refunds), yuan(rep.net))
    console.print(table)
    if rep.waived:
        say(f"{_('money.sum_waived')}: {yuan(rep.waived)}")
    for use in rep.parts:
        say(_("money.day_part", part=use.part_number, basis=_(f"money.basis_{use.basis}"),
              drawn=use.drawn, returned=use.returned, value=yuan(use.value)))
    say(_("money.day_old_parts", kept=rep.old_parts_kept, sent=rep.old_parts_sent,
          pending=rep.old_parts_pending))
    for part in rep.low_stock:
        say(_("money.day_low", part=part.part_number, on_hand=part.on_hand,
              minimum=part.min_stock))
    for quote in rep.quotes_waiting:
        say(_("money.day_quote", ticket=quote.ticket, revision=quote.revision,
              total=yuan(quote.total)))
    for late in rep.overdue:
        labels = "; ".join(str(d["label"]) for d in late.deadlines)
        promised = _("money.day_promised", date=late.promised_date.isoformat()) \
            if late.promised_overdue and late.promised_date else ""
        say(f"  ⚠ {late.ticket} {_(f'status.{late.status}')} {promised} {labels}".rstrip())
    for loaner in rep.loaners_out:
        say(_("money.day_loaner", imei=loaner.imei, model=loaner.model, ticket=loaner.ticket))
    for ticket in rep.loaners_owed:
        say(_("money.day_loaner_owed", ticket=ticket))


def _print_month(rep: Any) -> None:
    say(_("money.month_head", month=rep.month))
    say(_("money.day_tickets", tickets_in=rep.tickets_in, tickets_out=rep.tickets_out))
    for basis, count in rep.repairs_by_basis.items():
        say(f"  {_(f'money.basis_{basis}')}: {count}")
    say(f"{_('money.sum_net')}: {yuan(rep.net)} ({_('money.sum_deposits')} "
        f"{yuan(rep.deposits)}, {_('money.sum_payments')} {yuan(rep.payments)}, "
        f"{_('money.sum_refunds')} {yuan(rep.refunds)})")
    for basis, value in rep.parts_value.items():
        say(f"  {_('money.parts_value', basis=_(f'money.basis_{basis}'))}: {yuan(value)}")
    say(_("money.day_old_parts", kept=rep.old_parts_kept, sent=rep.old_parts_sent,
          pending="-"))


def register(app: typer.Typer, opened: Any, read_document: Any, db_opt: Any, lang_opt: Any,
             json_opt: Any) -> None:
    # The five groups in the order ``repairdesk --help`` lists them; the parts and loaner
    # commands are registered by repairdesk/cli/stock.py.
    parts_app = typer.Typer(help=_("money.help_parts"), no_args_is_help=True)
    quote_app = typer.Typer(help=_("money.help_quote"), no_args_is_help=True)
    money_app = typer.Typer(help=_("money.help_money"), no_args_is_help=True)
    loaner_app = typer.Typer(help=_("money.help_loaner"), no_args_is_help=True)
    report_app = typer.Typer(help=_("money.help_report"), no_args_is_help=True)
    app.add_typer(parts_app, name="parts")
    app.add_typer(quote_app, name="quote")
    app.add_typer(money_app, name="money")
    app.add_typer(loaner_app, name="loaner")
    app.add_typer(report_app, name="report")
    HowOpt = Annotated[str, typer.Option("--how", help=_("money.help_how"))]
    RevisionOpt = Annotated[Optional[int], typer.Option("--revision",
                                                        help=_("money.help_revision"))]
    MethodOpt = Annotated[str, typer.Option("--method", help=_("money.help_method"))]
    NoteOpt = Annotated[str, typer.Option("--note")]

    register_parts(parts_app, opened, read_document, json_opt)
    register_requests(parts_app, opened, json_opt)

    # -- quotes ------------------------------------------------------------------------

    @quote_app.command("make", help=_("money.help_quote_make"))
    def quote_make(ticket: str, source: Annotated[str, typer.Argument(metavar="FILE|-")],
                   as_json: json_opt = False) -> None:
        text = read_document(source)
        with opened() as desk:
            view = desk.money.make_quote_from(ticket, text)
        emit(view, as_json, _print_quote)

    @quote_app.command("show", help=_("money.help_quote_show"))
    def quote_show(ticket: str, every: Annotated[bool, typer.Option(
                       "--all", help=_("money.help_quote_all"))] = False,
                   as_json: json_opt = False) -> None:
        with opened() as desk:
            views = desk.money.quote_history(ticket)
        shown = views if every else views[-1:]
        if as_json:
            emit_json([v.to_dict() for v in shown] if every
                      else (shown[0].to_dict() if shown else None))
            return
        if not shown:
            say(_("money.no_quote", ticket=ticket))
        for view in shown:
            _print_quote(view)

    def answer(approved: bool, ticket: str, how: str, revision: Optional[int],
               as_json: bool) -> None:
        with opened() as desk:
            view = (desk.money.approve_quote if approved else desk.money.decline_quote)(ticket, how,
                                                                            revision)
        emit(view, as_json, _print_quote)

    @quote_app.command("approve", help=_("money.help_quote_approve"))
    def quote_approve(ticket: str, how: HowOpt, revision: RevisionOpt = None,
                      as_json: json_opt = False) -> None:
        answer(True, ticket, how, revision, as_json)

    @quote_app.command("decline", help=_("money.help_quote_decline"))
    def quote_decline(ticket: str, how: HowOpt, revision: RevisionOpt = None,
                      as_json: json_opt = False) -> None:
        answer(False, ticket, how, revision, as_json)

    # -- payments --------------------------------------------------------------------

    @money_app.command("show", help=_("money.help_money_show"))
    def money_show(ticket: str, as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.money.ticket_money(ticket)
        emit(view, as_json, _print_ticket_money)

    @money_app.command("deposit", help=_("money.help_money_deposit"))
    def money_deposit(ticket: str, amount: str, method: MethodOpt, note: NoteOpt = "",
                      as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.money.take_deposit(ticket, amount, method, note)
        emit(view, as_json, _say_payment)

    @money_app.command("pay", help=_("money.help_money_pay"))
    def money_pay(ticket: str, amount: str, method: MethodOpt, note: NoteOpt = "",
                  as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.money.take_payment(ticket, amount, method, note)
        emit(view, as_json, _say_payment)

    @money_app.command("refund", help=_("money.help_money_refund"))
    def money_refund(ticket: str, method: MethodOpt,
                     amount: Annotated[Optional[str], typer.Option("--amount")] = None,
                     sanbao: Annotated[bool, typer.Option("--sanbao",
                                                          help=_("money.help_sanbao"))] = False,
                     remedy: Annotated[str, typer.Option("--remedy",
                                                         help=_("money.help_remedy"))] = "refund",
                     note: NoteOpt = "", as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.money.refund(ticket, method, amount, "sanbao" if sanbao else "overpaid",
                               remedy, note)
        emit(view, as_json, _say_payment)

    @money_app.command("waive", help=_("money.help_money_waive"))
    def money_waive(ticket: str,
                    amount: Annotated[Optional[str], typer.Option("--amount")] = None,
                    note: NoteOpt = "", as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.money.waive(ticket, amount, note)
        emit(view, as_json, _say_payment)

    # -- guarantees --------------------------------------------------------------------

    @app.command("guarantee", help=_("money.help_guarantee"))
    def guarantee(query: Annotated[str, typer.Argument(metavar="TICKET|IMEI")],
                  on: Annotated[Optional[str], typer.Option("--on", help=_("cli.help_on"))]
                  = None, as_json: json_opt = False) -> None:
        from repairdesk.tickets.numbering import is_ticket_number

        day = parse_day(on, "--on")
        with opened() as desk:
            if is_ticket_number(query.strip()):
                view = desk.money.guarantee(query)
            else:
                view = desk.money.guarantee_for_imei(query, day)
        if as_json:
            emit_json(view.to_dict() if view else None)
        elif view is None:
            say(_("money.no_guarantee", query=query))
        else:
            say(_("money.guarantee_of", ticket=view.ticket, end=view.end.isoformat(),
                  kind=_(f"money.guarantee_{view.kind}"),
                  fault=_(f"fault.{view.fault}") if view.fault else "-"))

    register_loaners(loaner_app, opened, json_opt)

    # -- reports -----------------------------------------------------------------------

    @report_app.command("day", help=_("money.help_report_day"))
    def report_day(day: Annotated[Optional[str], typer.Option("--date")] = None,
                   as_json: json_opt = False) -> None:
        when: Optional[date] = parse_day(day, "--date")
        with opened() as desk:
            rep = desk.money.day_report(when)
        emit(rep, as_json, _print_day)

    @report_app.command("month", help=_("money.help_report_month"))
    def report_month(month: Annotated[Optional[str], typer.Option("--month")] = None,
                     as_json: json_opt = False) -> None:
        with opened() as desk:
            rep = desk.money.month_report(month)
        emit(rep, as_json, _print_month)
