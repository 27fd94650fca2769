"""``repairdesk parts|loaner``: the price list and stock, parts drawn for a ticket, old parts
kept for the maker, and the pool of loaner phones (备用机).

Human output by default, ``--json`` for scripts. A manager-only action (a price change, an
import that changes prices) takes ``--as NAME`` once the store has users; the PIN comes from
REPAIRDESK_PIN or a hidden prompt, never the command line.

No ``from __future__ import annotations`` here: typer reads the option types of the
commands at run time, and they are closures over the options the ``register_*`` functions
are given.
"""

from typing import Annotated, Any, Optional

import typer

from repairdesk.cli.output import console, emit, emit_json, local_time, plain_table, say, yuan
from repairdesk.cli.part_requests import by_line, say_shipment
from repairdesk.errors import InputError
from repairdesk.i18n import _


def print_parts(views: list[Any]) -> None:
    if not views:
        say(_("money.no_parts"))
        return
    table = plain_table(_("money.col_part"), _("money.col_name"), _("money.col_price"),
                        _("money.col_kind"), _("money.col_on_hand"), _("money.col_min"),
                        _("money.col_old"), _("money.col_models"))
    for v in views:
        table.add_row(v.part_number, v.name, yuan(v.price), _(f"money.kind_{v.kind}"),
                      f"{v.on_hand}{' !' if v.low else ''}", str(v.min_stock),
                      str(v.old_pending or ""), ", ".join(v.models))
    console.print(table)


def say_move(move: Any) -> None:
    ticket = f" · {move.ticket}" if move.ticket else ""
    say(_("money.moved_stock", kind=_(f"money.move_{move.kind}"), qty=move.qty,
          part=move.part_number, on_hand=move.on_hand) + ticket)


def say_loaner(v: Any) -> None:
    holder = _("money.loaner_with", ticket=v.ticket, customer=v.customer or "") \
        if v.ticket else _("money.loaner_in_pool")
    say(f"{v.imei} {v.model} · {v.condition or '-'} · {holder}")


def register_parts(parts_app: typer.Typer, opened: Any, read_document: Any,
                   json_opt: Any) -> None:
    """The ``parts`` commands, on ``parts_app``."""
    QtyOpt = Annotated[str, typer.Option("--qty", help=_("money.help_qty"))]

    @parts_app.command("import", help=_("money.help_parts_import"))
    def parts_import(source: Annotated[str, typer.Argument(metavar="CSV|-")],
                     as_json: json_opt = False) -> None:
        text = read_document(source)
        with opened() as desk:
            result = desk.stock.import_price_list(text, "stdin" if source == "-" else source)
        emit(result, as_json, lambda r: say(_(
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
            print_parts(views)

    @parts_app.command("show", help=_("cli.help_parts_show"))
    def parts_show(part: str, as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.stock.part(part)
        emit(view, as_json, lambda v: print_parts([v]))

    @parts_app.command("keep-old", help=_("cli.help_parts_keep_old"))
    def parts_keep_old(ticket: str, part: str, qty: QtyOpt = "1",
                       as_json: json_opt = False) -> None:
        with opened() as desk:
            row = desk.stock.keep_old_part(ticket, part, qty)
        emit(row, as_json, lambda r: say(f"#{r.id} {r.part_number} ×{r.qty} · {r.ticket} · "
                                        f"{_('money.old_waiting')}"))

    @parts_app.command("price", help=_("money.help_parts_price"))
    def parts_price(part: str, price: str, as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.stock.set_price(part, price)
        emit(view, as_json, lambda v: print_parts([v]))

    @parts_app.command("min", help=_("money.help_parts_min"))
    def parts_min(part: str, minimum: int, as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.stock.set_min_stock(part, minimum)
        emit(view, as_json, lambda v: print_parts([v]))

    @parts_app.command("receive", help=_("money.help_parts_receive"))
    def parts_receive(part: Annotated[Optional[str], typer.Argument()] = None,
                      qty: Annotated[Optional[str], typer.Argument()] = None,
                      bought: Annotated[bool, typer.Option("--bought",
                                                           help=_("money.help_bought"))] = False,
                      ref: Annotated[str, typer.Option("--ref")] = "",
                      cost: Annotated[Optional[str], typer.Option("--cost")] = None,
                      shipment: Annotated[Optional[int], typer.Option(
                          "--shipment", metavar="N", help=_("parts.help_shipment"))] = None,
                      received: Annotated[Optional[list[str]], typer.Option(
                          "--received", metavar="LINE=QTY", help=_("parts.help_received"))] = None,
                      damaged: Annotated[Optional[list[str]], typer.Option(
                          "--damaged", metavar="LINE=QTY", help=_("parts.help_damaged"))] = None,
                      reason: Annotated[Optional[list[str]], typer.Option(
                          "--reason", metavar="LINE=TEXT", help=_("parts.help_line_reason"))]
                      = None,
                      as_json: json_opt = False) -> None:
        if shipment is not None:
            if part is not None or qty is not None or bought or ref or cost is not None:
                raise InputError("shipment", _("parts.shipment_alone"))
            with opened() as desk:
                view = desk.parts.receive_shipment(
                    shipment, by_line(received, "received"), by_line(damaged, "damaged"),
                    by_line(reason, "reason"))
            emit(view, as_json, say_shipment)
            return
        if part is None or qty is None:
            raise InputError("part", _("parts.part_and_qty"))
        with opened() as desk:
            move = desk.stock.receive_stock(part, qty, "bought" if bought else "received", ref, cost)
        emit(move, as_json, say_move)

    @parts_app.command("draw", help=_("money.help_parts_draw"))
    def parts_draw(ticket: str, part: str, qty: QtyOpt = "1",
                   keep_old: Annotated[Optional[bool], typer.Option(
                       "--keep-old/--no-keep-old", help=_("money.help_keep_old"))] = None,
                   as_json: json_opt = False) -> None:
        with opened() as desk:
            move = desk.stock.draw_part(ticket, part, qty, keep_old)
        emit(move, as_json, say_move)

    @parts_app.command("return", help=_("money.help_parts_return"))
    def parts_return(ticket: str, part: str, qty: QtyOpt = "1",
                     as_json: json_opt = False) -> None:
        with opened() as desk:
            move = desk.stock.return_part(ticket, part, qty)
        emit(move, as_json, say_move)

    @parts_app.command("write-off", help=_("money.help_parts_write_off"))
    def parts_write_off(part: str, qty: str,
                        reason: Annotated[str, typer.Option("--reason")],
                        as_json: json_opt = False) -> None:
        with opened() as desk:
            move = desk.stock.write_off(part, qty, reason)
        emit(move, as_json, say_move)

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
            sent = _("money.old_sent", at=local_time(r.sent_at), ref=r.sent_ref or "-") \
                if r.sent_at else _("money.old_waiting")
            say(f"#{r.id} {r.part_number} ×{r.qty} · {r.ticket} · {sent}")

    @parts_app.command("send-old", help=_("money.help_parts_send_old"))
    def parts_send_old(ids: Annotated[Optional[list[int]], typer.Option("--id")] = None,
                       ref: Annotated[str, typer.Option("--ref")] = "",
                       as_json: json_opt = False) -> None:
        with opened() as desk:
            rows = desk.stock.send_old_parts(ids or None, ref)
        if as_json:
            emit_json([r.to_dict() for r in rows])
        else:
            say(_("money.old_parts_sent", count=sum(r.qty for r in rows)))


def register_loaners(loaner_app: typer.Typer, opened: Any, json_opt: Any) -> None:
    """The ``loaner`` commands, on ``loaner_app``."""

    @loaner_app.command("add", help=_("money.help_loaner_add"))
    def loaner_add(imei: str, model: str,
                   condition: Annotated[str, typer.Option("--condition")] = "",
                   as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.stock.add_loaner(imei, model, condition)
        emit(view, as_json, say_loaner)

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
                     as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.stock.issue_loaner(ticket, imei, condition)
        emit(view, as_json, say_loaner)

    @loaner_app.command("return", help=_("money.help_loaner_return"))
    def loaner_return(imei: str,
                      condition: Annotated[Optional[str], typer.Option("--condition")] = None,
                      as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.stock.return_loaner(imei, condition)
        emit(view, as_json, say_loaner)
