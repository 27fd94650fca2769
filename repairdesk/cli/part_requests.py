"""``repairdesk parts request|requests|suggest``: asking HQ for parts (repairdesk/money/
parts_desk.py). The request goes to HQ in the next batch (``repairdesk export``).

No ``from __future__ import annotations`` here: typer reads the option types at run time.
"""

from typing import Annotated, Any, Optional

import typer

from repairdesk.cli.output import console, emit_json, local_time, plain_table, say
from repairdesk.errors import InputError
from repairdesk.i18n import _


def say_request(v: Any) -> None:
    from repairdesk.money.parts_views import requested_text

    say(requested_text(v))


def by_line(pairs: Optional[list[str]], field: str) -> dict[int, str]:
    """``["2=1", "3=少一块"]`` as ``{2: "1", 3: "少一块"}``; a pair without its line refused."""
    found: dict[int, str] = {}
    for pair in pairs or []:
        line, sep, value = pair.partition("=")
        if not sep or not line.strip().isascii() or not line.strip().isdigit():
            raise InputError(field, _("parts.line_pair", value=pair))
        found[int(line)] = value
    return found


def say_shipment(v: Any) -> None:
    state = _("parts.shipment_received_by", at=local_time(v.received_at), user=v.received_by) \
        if v.received_at else _("parts.shipment_pending")
    say(_("parts.shipment_title", id=v.id, waybill=v.waybill, state=state))
    for li in v.lines:
        got = "" if li.received is None else _("parts.line_got", received=li.received,
                                                damaged=li.damaged or 0)
        say(f"  {li.line}. {li.part_number} {li.name} ×{li.shipped} @ ¥{li.cost}"
            + (f" · {_('parts.request_free')}" if li.free else "") + (f" · {got}" if got else "")
            + (f" · {li.reason}" if li.reason else ""))


def register_requests(parts_app: typer.Typer, opened: Any, json_opt: Any) -> None:
    @parts_app.command("request", help=_("parts.help_request"))
    def request(part: str, qty: str,
                ticket: Annotated[Optional[str], typer.Option(
                    "--ticket", help=_("parts.help_ticket"))] = None,
                reason: Annotated[Optional[str], typer.Option(
                    "--reason", metavar="stock|ticket", help=_("parts.help_reason"))] = None,
                free: Annotated[bool, typer.Option("--free", help=_("parts.help_free"))] = False,
                note: Annotated[str, typer.Option("--note", help=_("parts.help_note"))] = "",
                as_json: json_opt = False) -> None:
        with opened() as desk:
            made = desk.parts.request(part, qty, ticket=ticket, reason=reason, free=free,
                                      note=note)
        emit_json(made.to_dict()) if as_json else say_request(made)

    @parts_app.command("requests", help=_("parts.help_requests"))
    def listed(as_json: json_opt = False) -> None:
        with opened() as desk:
            rows = desk.parts.requests()
        if as_json:
            emit_json([r.to_dict() for r in rows])
            return
        if not rows:
            say(_("parts.no_requests"))
            return
        table = plain_table(*(_(f"parts.col_{k}") for k in (
            "id", "at", "part", "name", "qty", "for", "free", "user")))
        for r in rows:
            table.add_row(str(r.id), local_time(r.at), r.part_number, r.name, str(r.qty),
                          r.ticket or _("parts.request_for_stock"),
                          _("parts.request_free") if r.free else _("parts.request_charged"),
                          r.user)
        console.print(table)

    @parts_app.command("suggest", help=_("parts.help_suggest"))
    def suggest(as_json: json_opt = False) -> None:
        with opened() as desk:
            rows = desk.parts.suggest()
        if as_json:
            emit_json([r.to_dict() for r in rows])
            return
        if not rows:
            say(_("parts.no_suggestion"))
            return
        table = plain_table(*(_(f"parts.col_{k}") for k in (
            "part", "name", "on_hand", "min", "used", "requested", "suggested")))
        for r in rows:
            table.add_row(r.part_number, r.name, str(r.on_hand), str(r.min_stock),
                          str(r.used_30_days), str(r.requested), str(r.suggested))
        console.print(table)
        say(_("parts.suggest_how"))

    @parts_app.command("shipments", help=_("parts.help_shipments"))
    def shipments(pending: Annotated[bool, typer.Option(
                      "--pending", help=_("parts.help_pending"))] = False,
                  as_json: json_opt = False) -> None:
        with opened() as desk:
            rows = desk.parts.shipments(pending=pending)
        if as_json:
            emit_json([r.to_dict() for r in rows])
            return
        if not rows:
            say(_("parts.no_shipments"))
        for r in rows:
            say_shipment(r)

    @parts_app.command("count", help=_("parts.help_count"))
    def count(counted: Annotated[list[str], typer.Argument(metavar="PART=QTY...")],
              note: Annotated[str, typer.Option("--note", help=_("parts.help_count_note"))] = "",
              as_json: json_opt = False) -> None:
        pairs: dict[str, str] = {}
        for pair in counted:
            part, sep, qty = pair.partition("=")
            if not sep or not part.strip():
                raise InputError("counted", _("parts.count_pair", value=pair))
            pairs[part.strip()] = qty
        with opened() as desk:
            view = desk.parts.count_stock(pairs, note)
        emit_json(view.to_dict()) if as_json else say_count(view)

    @parts_app.command("counts", help=_("parts.help_counts"))
    def counts(as_json: json_opt = False) -> None:
        with opened() as desk:
            views = desk.parts.counts()
        if as_json:
            emit_json([v.to_dict() for v in views])
            return
        if not views:
            say(_("parts.no_counts"))
        for v in views:
            say_count(v)


def say_count(v: Any) -> None:
    say(_("parts.count_title", id=v.id, at=local_time(v.at), user=v.user)
        + (f" · {v.note}" if v.note else ""))
    table = plain_table(*(_(f"parts.col_{k}") for k in ("part", "expected", "counted",
                                                        "difference")))
    for li in v.lines:
        table.add_row(li.part_number, str(li.expected), str(li.counted),
                      f"{li.difference:+d}" if li.difference else "0")
    console.print(table)
