"""``repairdesk parts|quote|money|loaner|guarantee|report``: parts and stock, quotes, payments,
loaners, repair guarantees and the day-end report.

Human output by default, ``--json`` for scripts (amounts as exact strings: "129.90"). A
manager-only action (a price change, a refund, a waiver) takes ``--as NAME`` once the store
has users; the PIN comes from REPAIRDESK_PIN or a hidden prompt, never the command line.

No ``from __future__ import annotations`` here: typer reads the option types of the
commands at run time, and they are closures over the options `register` is given.
"""

import os
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from repairdesk.cli.output import console, emit_json, say
from repairdesk.cli.warranty import parse_day
from repairdesk.errors import InputError
from repairdesk.i18n import _


def _yuan(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


def _when(moment: Any) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "-"


def _act_as(desk: Any, name: Optional[str]) -> None:
    if not name or desk.trust.count_users() == 0:
        return
    pin = os.environ.get("REPAIRDESK_PIN")
    if pin is None:
        try:
            pin = str(typer.prompt(_("trust.prompt_pin", name=name), hide_input=True))
        except (typer.Abort, EOFError):
            raise InputError("pin", _("core.required")) from None
    desk.trust.login(name, pin)


def _table(*columns: str) -> Table:
    table = Table(box=None, pad_edge=False)
    for column in columns:
        table.add_column(column)
    return table


def _print_parts(views: list[Any]) -> None:
    if not views:
        say(_("money.no_parts"))
        return
    table = _table(_("money.col_part"), _("money.col_name"), _("money.col_price"),
                   _("money.col_kind"), _("money.col_on_hand"), _("money.col_min"),
                   _("money.col_old"), _("money.col_models"))
    for v in views:
        table.add_row(v.part_number, v.name, _yuan(v.price), _(f"money.kind_{v.kind}"),
                      f"{v.on_hand}{' !' if v.low else ''}", str(v.min_stock),
                      str(v.old_pending or ""), ", ".join(v.models))
    console.print(table)


def _say_move(move: Any) -> None:
    ticket = f" · {move.ticket}" if move.ticket else ""
    say(_("money.moved_stock", kind=_(f"money.move_{move.kind}"), qty=move.qty,
          part=move.part_number, on_hand=move.on_hand) + ticket)


def _print_quote(quote: Any) -> None:
    say(_("money.quote_head", ticket=quote.ticket, revision=quote.revision,
          status=_(f"money.quote_status_{quote.status}")))
    table = _table(_("money.col_line"), _("money.col_qty"), _("money.col_price"),
                   _("money.col_amount"))
    for line in quote.lines:
        name = f"{line.part_number} {line.description}" if line.part_number else line.description
        table.add_row(name, str(line.qty), _yuan(line.unit_price), _yuan(line.amount))
    table.add_row(_("money.diagnostic_fee"), "", "", _yuan(quote.diagnostic_fee))
    table.add_row(_("money.total"), "", "", _yuan(quote.total))
    console.print(table)
    if quote.decided_at:
        say(_("money.quote_answer", status=_(f"money.quote_status_{quote.status}"),
              how=_(f"money.how_{quote.decided_how}"), at=_when(quote.decided_at),
              user=quote.decided_by))


def _say_payment(p: Any) -> None:
    method = _(f"money.method_{p.method}") if p.method else ""
    say(_("money.recorded_payment", kind=_(f"money.pay_{p.kind}"), amount=_yuan(p.amount),
          method=method, ticket=p.ticket))


def _print_ticket_money(view: Any) -> None:
    say(_("money.ticket_head", ticket=view.ticket, status=_(f"status.{view.status}"),
          basis=_(f"money.basis_{view.basis}")))
    if view.quote:
        _print_quote(view.quote)
    m = view.money
    for key in ("charge", "deposits", "payments", "waived", "refunded", "balance"):
        say(f"  {_(f'money.sum_{key}')}: {_yuan(getattr(m, key))}")
    if m.sanbao_refunded:
        say(f"  {_('money.sum_sanbao_refunded')}: {_yuan(m.sanbao_refunded)}")
    for p in view.payments:
        _say_payment(p)
    for move in view.parts:
        _say_move(move)
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
    table = _table(_("money.col_method"), _("money.sum_deposits"), _("money.sum_payments"),
                   _("money.sum_refunds"), _("money.sum_net"))
    for method, t in rep.takings.items():
        table.add_row(_(f"money.method_{method}"), _yuan(t.deposits), _yuan(t.payments),
                      _yuan(t.refunds), _yuan(t.net))
    table.add_row(_("money.total"), _yuan(rep.deposits), _yuan(rep.payments),
                  _yuan(rep.refunds), _yuan(rep.net))
    console.print(table)
    if rep.waived:
        say(f"{_('money.sum_waived')}: {_yuan(rep.waived)}")
    for use in rep.parts:
        say(_("money.day_part", part=use.part_number, basis=_(f"money.basis_{use.basis}"),
              drawn=use.drawn, returned=use.returned, value=_yuan(use.value)))
    say(_("money.day_old_parts", kept=rep.old_parts_kept, sent=rep.old_parts_sent,
          pending=rep.old_parts_pending))
    for part in rep.low_stock:
        say(_("money.day_low", part=part.part_number, on_hand=part.on_hand,
              minimum=part.min_stock))
    for quote in rep.quotes_waiting:
        say(_("money.day_quote", ticket=quote.ticket, revision=quote.revision,
              total=_yuan(quote.total)))
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
    say(f"{_('money.sum_net')}: {_yuan(rep.net)} ({_('money.sum_deposits')} "
        f"{_yuan(rep.deposits)}, {_('money.sum_payments')} {_yuan(rep.payments)}, "
        f"{_('money.sum_refunds')} {_yuan(rep.refunds)})")
    for basis, value in rep.parts_value.items():
        say(f"  {_('money.parts_value', basis=_(f'money.basis_{basis}'))}: {_yuan(value)}")
    say(_("money.day_old_parts", kept=rep.old_parts_kept, sent=rep.old_parts_sent,
          pending="-"))


def register(app: typer.Typer, opened: Any, read_document: Any, db_opt: Any, lang_opt: Any,
             json_opt: Any) -> None:
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
    AsOpt = Annotated[Optional[str], typer.Option("--as", help=_("money.help_as"))]
    QtyOpt = Annotated[str, typer.Option("--qty", help=_("money.help_qty"))]
    HowOpt = Annotated[str, typer.Option("--how", help=_("money.help_how"))]
    RevisionOpt = Annotated[Optional[int], typer.Option("--revision",
                                                        help=_("money.help_revision"))]
    MethodOpt = Annotated[str, typer.Option("--method", help=_("money.help_method"))]
    NoteOpt = Annotated[str, typer.Option("--note")]

    def out(data: Any, as_json: bool, human: Any) -> None:
        if as_json:
            emit_json(data.to_dict() if hasattr(data, "to_dict") else data)
        else:
            human(data)

    # -- parts and stock -----------------------------------------------------------

    @parts_app.command("import", help=_("money.help_parts_import"))
    def parts_import(source: Annotated[str, typer.Argument(metavar="CSV|-")],
                     acting: AsOpt = None, as_json: json_opt = False) -> None:
        text = read_document(source)
        with opened() as desk:
            _act_as(desk, acting)
            result = desk.stock.import_price_list(text, "stdin" if source == "-" else source)
        out(result, as_json, lambda r: say(_(
            "money.imported", rows=r.rows, added=len(r.added), updated=len(r.updated),
            unchanged=r.unchanged, prices=len(r.price_changes))))

    @parts_app.command("list", help=_("money.help_parts_list"))
    def parts_list(low: Annotated[bool, typer.Option("--low", help=_("money.help_low"))] = False,
                   model: Annotated[Optional[str], typer.Option("--model")] = None,
                   as_json: json_opt = False) -> None:
        with opened() as desk:
            views = desk.stock.parts(low=low, model=model)
        if as_json:
            emit_json([v.to_dict() for v in views])
        else:
            _print_parts(views)

    @parts_app.command("show", help=_("cli.help_parts_show"))
    def parts_show(part: str, as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.stock.part(part)
        out(view, as_json, lambda v: _print_parts([v]))

    @parts_app.command("keep-old", help=_("cli.help_parts_keep_old"))
    def parts_keep_old(ticket: str, part: str, qty: QtyOpt = "1", acting: AsOpt = None,
                       as_json: json_opt = False) -> None:
        with opened() as desk:
            _act_as(desk, acting)
            row = desk.stock.keep_old_part(ticket, part, qty)
        out(row, as_json, lambda r: say(f"#{r.id} {r.part_number} ×{r.qty} · {r.ticket} · "
                                        f"{_('money.old_waiting')}"))

    @parts_app.command("price", help=_("money.help_parts_price"))
    def parts_price(part: str, price: str, acting: AsOpt = None, as_json: json_opt = False) -> None:
        with opened() as desk:
            _act_as(desk, acting)
            view = desk.stock.set_price(part, price)
        out(view, as_json, lambda v: _print_parts([v]))

    @parts_app.command("min", help=_("money.help_parts_min"))
    def parts_min(part: str, minimum: int, as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.stock.set_min_stock(part, minimum)
        out(view, as_json, lambda v: _print_parts([v]))

    @parts_app.command("receive", help=_("money.help_parts_receive"))
    def parts_receive(part: str, qty: str,
                      bought: Annotated[bool, typer.Option("--bought",
                                                           help=_("money.help_bought"))] = False,
                      ref: Annotated[str, typer.Option("--ref")] = "",
                      cost: Annotated[Optional[str], typer.Option("--cost")] = None,
                      acting: AsOpt = None, as_json: json_opt = False) -> None:
        with opened() as desk:
            _act_as(desk, acting)
            move = desk.stock.receive_stock(part, qty, "bought" if bought else "received", ref, cost)
        out(move, as_json, _say_move)

    @parts_app.command("draw", help=_("money.help_parts_draw"))
    def parts_draw(ticket: str, part: str, qty: QtyOpt = "1",
                   keep_old: Annotated[Optional[bool], typer.Option(
                       "--keep-old/--no-keep-old", help=_("money.help_keep_old"))] = None,
                   acting: AsOpt = None, as_json: json_opt = False) -> None:
        with opened() as desk:
            _act_as(desk, acting)
            move = desk.stock.draw_part(ticket, part, qty, keep_old)
        out(move, as_json, _say_move)

    @parts_app.command("return", help=_("money.help_parts_return"))
    def parts_return(ticket: str, part: str, qty: QtyOpt = "1", acting: AsOpt = None,
                     as_json: json_opt = False) -> None:
        with opened() as desk:
            _act_as(desk, acting)
            move = desk.stock.return_part(ticket, part, qty)
        out(move, as_json, _say_move)

    @parts_app.command("write-off", help=_("money.help_parts_write_off"))
    def parts_write_off(part: str, qty: str,
                        reason: Annotated[str, typer.Option("--reason")],
                        acting: AsOpt = None, as_json: json_opt = False) -> None:
        with opened() as desk:
            _act_as(desk, acting)
            move = desk.stock.write_off(part, qty, reason)
        out(move, as_json, _say_move)

    @parts_app.command("old", help=_("money.help_parts_old"))
    def parts_old(every: Annotated[bool, typer.Option("--all", help=_("money.help_old_all"))]
                  = False, as_json: json_opt = False) -> None:
        with opened() as desk:
            rows = desk.stock.old_parts(pending=not every)
        if as_json:
            emit_json([r.to_dict() for r in rows])
            return
        if not rows:
            say(_("money.no_old_parts"))
        for r in rows:
            sent = _("money.old_sent", at=_when(r.sent_at), ref=r.sent_ref or "-") \
                if r.sent_at else _("money.old_waiting")
            say(f"#{r.id} {r.part_number} ×{r.qty} · {r.ticket} · {sent}")

    @parts_app.command("send-old", help=_("money.help_parts_send_old"))
    def parts_send_old(ids: Annotated[Optional[list[int]], typer.Option("--id")] = None,
                       ref: Annotated[str, typer.Option("--ref")] = "",
                       acting: AsOpt = None, as_json: json_opt = False) -> None:
        with opened() as desk:
            _act_as(desk, acting)
            rows = desk.stock.send_old_parts(ids or None, ref)
        if as_json:
            emit_json([r.to_dict() for r in rows])
        else:
            say(_("money.old_parts_sent", count=sum(r.qty for r in rows)))

    # -- quotes ------------------------------------------------------------------------

    @quote_app.command("make", help=_("money.help_quote_make"))
    def quote_make(ticket: str, source: Annotated[str, typer.Argument(metavar="FILE|-")],
                   acting: AsOpt = None, as_json: json_opt = False) -> None:
        text = read_document(source)
        with opened() as desk:
            _act_as(desk, acting)
            view = desk.money.make_quote_from(ticket, text)
        out(view, as_json, _print_quote)

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
               acting: Optional[str], as_json: bool) -> None:
        with opened() as desk:
            _act_as(desk, acting)
            view = (desk.money.approve_quote if approved else desk.money.decline_quote)(ticket, how,
                                                                            revision)
        out(view, as_json, _print_quote)

    @quote_app.command("approve", help=_("money.help_quote_approve"))
    def quote_approve(ticket: str, how: HowOpt, revision: RevisionOpt = None,
                      acting: AsOpt = None, as_json: json_opt = False) -> None:
        answer(True, ticket, how, revision, acting, as_json)

    @quote_app.command("decline", help=_("money.help_quote_decline"))
    def quote_decline(ticket: str, how: HowOpt, revision: RevisionOpt = None,
                      acting: AsOpt = None, as_json: json_opt = False) -> None:
        answer(False, ticket, how, revision, acting, as_json)

    # -- payments --------------------------------------------------------------------

    @money_app.command("show", help=_("money.help_money_show"))
    def money_show(ticket: str, as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.money.ticket_money(ticket)
        out(view, as_json, _print_ticket_money)

    @money_app.command("deposit", help=_("money.help_money_deposit"))
    def money_deposit(ticket: str, amount: str, method: MethodOpt, note: NoteOpt = "",
                      acting: AsOpt = None, as_json: json_opt = False) -> None:
        with opened() as desk:
            _act_as(desk, acting)
            view = desk.money.take_deposit(ticket, amount, method, note)
        out(view, as_json, _say_payment)

    @money_app.command("pay", help=_("money.help_money_pay"))
    def money_pay(ticket: str, amount: str, method: MethodOpt, note: NoteOpt = "",
                  acting: AsOpt = None, as_json: json_opt = False) -> None:
        with opened() as desk:
            _act_as(desk, acting)
            view = desk.money.take_payment(ticket, amount, method, note)
        out(view, as_json, _say_payment)

    @money_app.command("refund", help=_("money.help_money_refund"))
    def money_refund(ticket: str, method: MethodOpt,
                     amount: Annotated[Optional[str], typer.Option("--amount")] = None,
                     sanbao: Annotated[bool, typer.Option("--sanbao",
                                                          help=_("money.help_sanbao"))] = False,
                     remedy: Annotated[str, typer.Option("--remedy",
                                                         help=_("money.help_remedy"))] = "refund",
                     note: NoteOpt = "", acting: AsOpt = None, as_json: json_opt = False) -> None:
        with opened() as desk:
            _act_as(desk, acting)
            view = desk.money.refund(ticket, method, amount, "sanbao" if sanbao else "overpaid",
                               remedy, note)
        out(view, as_json, _say_payment)

    @money_app.command("waive", help=_("money.help_money_waive"))
    def money_waive(ticket: str,
                    amount: Annotated[Optional[str], typer.Option("--amount")] = None,
                    note: NoteOpt = "", acting: AsOpt = None, as_json: json_opt = False) -> None:
        with opened() as desk:
            _act_as(desk, acting)
            view = desk.money.waive(ticket, amount, note)
        out(view, as_json, _say_payment)

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

    # -- loaners -----------------------------------------------------------------------

    def say_loaner(v: Any) -> None:
        holder = _("money.loaner_with", ticket=v.ticket, customer=v.customer or "") \
            if v.ticket else _("money.loaner_in_pool")
        say(f"{v.imei} {v.model} · {v.condition or '-'} · {holder}")

    @loaner_app.command("add", help=_("money.help_loaner_add"))
    def loaner_add(imei: str, model: str,
                   condition: Annotated[str, typer.Option("--condition")] = "",
                   as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.stock.add_loaner(imei, model, condition)
        out(view, as_json, say_loaner)

    @loaner_app.command("list", help=_("money.help_loaner_list"))
    def loaner_list(out_only: Annotated[bool, typer.Option("--out")] = False,
                    as_json: json_opt = False) -> None:
        with opened() as desk:
            views = desk.stock.loaners(out_only)
        if as_json:
            emit_json([v.to_dict() for v in views])
            return
        if not views:
            say(_("money.no_loaners"))
        for v in views:
            say_loaner(v)

    @loaner_app.command("issue", help=_("money.help_loaner_issue"))
    def loaner_issue(ticket: str, imei: str,
                     condition: Annotated[str, typer.Option("--condition")] = "",
                     acting: AsOpt = None, as_json: json_opt = False) -> None:
        with opened() as desk:
            _act_as(desk, acting)
            view = desk.stock.issue_loaner(ticket, imei, condition)
        out(view, as_json, say_loaner)

    @loaner_app.command("return", help=_("money.help_loaner_return"))
    def loaner_return(imei: str,
                      condition: Annotated[Optional[str], typer.Option("--condition")] = None,
                      acting: AsOpt = None, as_json: json_opt = False) -> None:
        with opened() as desk:
            _act_as(desk, acting)
            view = desk.stock.return_loaner(imei, condition)
        out(view, as_json, say_loaner)

    # -- reports -----------------------------------------------------------------------

    @report_app.command("day", help=_("money.help_report_day"))
    def report_day(day: Annotated[Optional[str], typer.Option("--date")] = None,
                   as_json: json_opt = False) -> None:
        when: Optional[date] = parse_day(day, "--date")
        with opened() as desk:
            rep = desk.money.day_report(when)
        out(rep, as_json, _print_day)

    @report_app.command("month", help=_("money.help_report_month"))
    def report_month(month: Annotated[Optional[str], typer.Option("--month")] = None,
                     as_json: json_opt = False) -> None:
        with opened() as desk:
            rep = desk.money.month_report(month)
        out(rep, as_json, _print_month)
