"""``repairdesk hq deposit pay|refund|deduct|show|list``: a counter's parts deposit, its
credit and what its parts expose HQ to; ``repairdesk hq parts requests|approve|reject|ship|
shipments``: the counters' requests and HQ's shipments (repairdesk/hq/parts_cases.py).

No ``from __future__ import annotations`` here: typer reads the option types at run time.
"""

from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from repairdesk.cli.hq_common import HqDbOpt, hq_opened
from repairdesk.cli.output import console, emit_json, say
from repairdesk.i18n import _

CounterArg = Annotated[str, typer.Argument(metavar="COUNTER")]
AmountArg = Annotated[str, typer.Argument(metavar="YUAN")]
RefOpt = Annotated[str, typer.Option("--ref", help=_("hqparts.help_ref"))]
NoteOpt = Annotated[str, typer.Option("--note", help=_("hqparts.help_note"))]

#: What ``hq deposit show`` prints, in order (the view's names; labels ``hqparts.pos_*``).
POSITION = ("deposit", "credit_multiple", "credit", "held", "in_transit", "due_back",
            "exposure", "headroom")


def say_position(view: Any) -> None:
    say(_("hqparts.position_title", counter=view.counter, name=view.name))
    table = Table(box=None, pad_edge=False, show_header=False)
    table.add_column()
    table.add_column(justify="right")
    for key in POSITION:
        value = getattr(view, key)
        table.add_row(_(f"hqparts.pos_{key}"), value if key == "credit_multiple" else f"¥{value}")
    console.print(table)
    if view.entries:
        entries = Table(box=None, pad_edge=False)
        for key in ("at", "kind", "amount", "balance", "ref", "by"):
            entries.add_column(_(f"hqparts.col_{key}"),
                               justify="right" if key in ("amount", "balance") else "left")
        for e in view.entries:
            entries.add_row(e.at.astimezone().strftime("%Y-%m-%d %H:%M"),
                            _(f"hqparts.kind_{e.kind}"), e.amount, e.balance, e.ref, e.by or "-")
        console.print(entries)


def register(hq_app: typer.Typer, json_opt: Any) -> None:
    deposit_app = typer.Typer(help=_("hqparts.help_deposit"), no_args_is_help=True)
    hq_app.add_typer(deposit_app, name="deposit")

    def _entry_command(kind: str) -> None:
        @deposit_app.command(kind, help=_(f"hqparts.help_{kind}"))
        def entry(counter: CounterArg, amount: AmountArg, hq_db: HqDbOpt, ref: RefOpt,
                  note: NoteOpt = "", as_json: json_opt = False) -> None:
            with hq_opened(hq_db) as hq:
                view = getattr(hq, f"deposit_{kind}")(counter, amount, ref=ref, note=note)
            if as_json:
                emit_json(view.to_dict())
                return
            last = view.entries[-1]
            say(_("hqparts.entered", kind=_(f"hqparts.kind_{kind}"), amount=last.amount,
                  counter=view.counter, deposit=view.deposit, headroom=view.headroom))

    for kind in ("pay", "refund", "deduct"):
        _entry_command(kind)

    @deposit_app.command("show", help=_("hqparts.help_show"))
    def show(counter: CounterArg, hq_db: HqDbOpt, as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            view = hq.deposit(counter)
        emit_json(view.to_dict()) if as_json else say_position(view)

    @deposit_app.command("list", help=_("hqparts.help_list"))
    def listed(hq_db: HqDbOpt, as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            views = hq.deposits()
        if as_json:
            emit_json([v.to_dict() for v in views])
            return
        table = Table(box=None, pad_edge=False)
        table.add_column(_("hqparts.col_counter"))
        for key in POSITION:
            table.add_column(_(f"hqparts.pos_{key}"), justify="right")
        for v in views:
            table.add_row(v.counter, *(getattr(v, key) for key in POSITION))
        console.print(table)


def say_request(v: Any) -> None:
    from repairdesk.hq.parts_views import request_text

    say(request_text(v) + (f" · {v.answer}" if v.answer else ""))


def say_shipment(v: Any) -> None:
    from repairdesk.hq.parts_views import shipment_text

    state = _("hqparts.received_on", at=v.received_at.astimezone().strftime("%Y-%m-%d %H:%M")) \
        if v.received_at else _("hqparts.in_transit")
    say(shipment_text(v) + f" · {state}")
    for line in v.lines:
        got = "" if line.received is None else " · " + _(
            "hqparts.line_got", received=line.received, damaged=line.damaged, short=line.short)
        say(f"  {line.line}. {line.part_number} ×{line.qty} @ ¥{line.cost}"
            + (f" · {_('hqparts.free')}" if line.free else "") + got
            + (f" · {line.reason}" if line.reason else ""))


def register_orders(hq_app: typer.Typer, json_opt: Any) -> None:
    parts_app = typer.Typer(help=_("hqparts.help_parts"), no_args_is_help=True)
    hq_app.add_typer(parts_app, name="parts")
    register_stock(parts_app, json_opt)
    CounterOpt = Annotated[Optional[str], typer.Option("--counter", metavar="CODE",
                                                       help=_("hqparts.help_counter"))]
    RequestArg = Annotated[int, typer.Argument(metavar="REQUEST")]

    @parts_app.command("requests", help=_("hqparts.help_requests"))
    def requests(hq_db: HqDbOpt, counter: CounterOpt = None,
                 state: Annotated[Optional[str], typer.Option(
                     "--state", metavar="STATE", help=_("hqparts.help_state"))] = None,
                 as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            views = hq.part_requests(counter, state)
        if as_json:
            emit_json([v.to_dict() for v in views])
            return
        if not views:
            say(_("hqparts.no_requests"))
        for v in views:
            say_request(v)

    @parts_app.command("approve", help=_("hqparts.help_approve"))
    def approve(counter: CounterArg, request: RequestArg, hq_db: HqDbOpt,
                qty: Annotated[Optional[str], typer.Option(
                    "--qty", help=_("hqparts.help_qty"))] = None,
                as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            view = hq.approve_part_request(counter, request, qty)
        emit_json(view.to_dict()) if as_json else say_request(view)
        if not as_json and view.state == "second":
            say(_("hqparts.needs_second"))

    @parts_app.command("reject", help=_("hqparts.help_reject"))
    def reject(counter: CounterArg, request: RequestArg, hq_db: HqDbOpt,
               reason: Annotated[str, typer.Option("--reason", help=_("hqparts.help_reason"))],
               as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            view = hq.reject_part_request(counter, request, reason)
        emit_json(view.to_dict()) if as_json else say_request(view)

    @parts_app.command("ship", help=_("hqparts.help_ship"))
    def ship(counter: CounterArg, hq_db: HqDbOpt,
             waybill: Annotated[str, typer.Option("--waybill", help=_("hqparts.help_waybill"))],
             request: Annotated[Optional[list[int]], typer.Option(
                 "--request", metavar="REQUEST", help=_("hqparts.help_ship_request"))] = None,
             as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            view = hq.ship_parts(counter, waybill, request or None)
        emit_json(view.to_dict()) if as_json else say_shipment(view)

    @parts_app.command("shipments", help=_("hqparts.help_shipments"))
    def shipments(hq_db: HqDbOpt, counter: CounterOpt = None,
                  differences: Annotated[bool, typer.Option(
                      "--differences", help=_("hqparts.help_differences"))] = False,
                  as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            views = hq.shipments(counter, differences)
        if as_json:
            emit_json([v.to_dict() for v in views])
            return
        if not views:
            say(_("hqparts.no_shipments"))
        for v in views:
            say_shipment(v)

    @parts_app.command("returns", help=_("hqparts.help_returns"))
    def returns(hq_db: HqDbOpt, counter: CounterOpt = None,
                pending: Annotated[bool, typer.Option(
                    "--pending", help=_("hqparts.help_returns_pending"))] = False,
                as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            views = hq.part_returns(counter, pending)
        if as_json:
            emit_json([v.to_dict() for v in views])
            return
        if not views:
            say(_("hqparts.no_returns"))
        for v in views:
            say_return(v)

    @parts_app.command("receive-return", help=_("hqparts.help_receive_return"))
    def receive_return(counter: CounterArg,
                       ref: Annotated[str, typer.Argument(metavar="WAYBILL")], hq_db: HqDbOpt,
                       missing: Annotated[Optional[list[int]], typer.Option(
                           "--missing", metavar="OLD", help=_("hqparts.help_missing"))] = None,
                       wrong: Annotated[Optional[list[int]], typer.Option(
                           "--wrong", metavar="OLD", help=_("hqparts.help_wrong"))] = None,
                       note: NoteOpt = "", as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            view = hq.receive_return(counter, ref, missing=missing, wrong=wrong, note=note)
        emit_json(view.to_dict()) if as_json else say_return(view)


def say_return(v: Any) -> None:
    say(_("hqparts.return_line", counter=v.counter, ref=v.ref,
          at=v.sent_at.astimezone().strftime("%Y-%m-%d"), lines=len(v.lines),
          state=_("hqparts.return_done") if v.received else _("hqparts.return_pending")))
    for li in v.lines:
        found = _(f"hqparts.outcome_{li.outcome}") if li.outcome else "-"
        say(f"  #{li.old_part} {li.part_number} ×{li.qty} · {li.ticket or '-'} · {found}")


def register_stock(parts_app: typer.Typer, json_opt: Any) -> None:
    @parts_app.command("stock", help=_("hqparts.help_stock"))
    def stock(hq_db: HqDbOpt,
              counter: Annotated[Optional[str], typer.Option(
                  "--counter", metavar="CODE", help=_("hqparts.help_counter"))] = None,
              month: Annotated[Optional[str], typer.Option(
                  "--month", metavar="YYYY-MM", help=_("hqparts.help_stock_month"))] = None,
              slow: Annotated[bool, typer.Option("--slow", help=_("hqparts.help_slow"))] = False,
              as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            rows = hq.parts_stock(counter, month, slow)
        if as_json:
            emit_json([r.to_dict() for r in rows])
            return
        if not rows:
            say(_("hqparts.no_stock"))
            return
        table = Table(box=None, pad_edge=False)
        for key in ("counter", "part", "on_hand", "in_transit", "due_back", "used", "value",
                    "slow"):
            table.add_column(_(f"hqparts.stock_{key}"),
                             justify="left" if key in ("counter", "part") else "right")
        for r in rows:
            table.add_row(r.counter, f"{r.part_number} {r.name}", str(r.on_hand),
                          str(r.in_transit), str(r.due_back), str(r.used), f"¥{r.value}",
                          _("hqparts.slow_yes") if r.slow else "")
        console.print(table)
