"""Quotes: labour and parts lines at the price list's prices, a diagnostic fee, the total;
the customer's answer (when, how, recorded by whom). A changed quote is a new revision and
needs approval again; earlier revisions are kept as they were answered.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from repairdesk.amounts import fen_to_yuan, quantity, yuan_to_fen
from repairdesk.errors import InputError
from repairdesk.freetext import check_text
from repairdesk.i18n import _
from repairdesk.models import Part, Quote, QuoteLine, Ticket
from repairdesk.money.catalogue import get_part
from repairdesk.money.policy import money_policy
from repairdesk.money.views import QuoteLineView, QuoteView

LINE_KINDS = ("labour", "part")
HOW = ("in_person", "phone")
LINE_KEYS = {"labour": ("kind", "description", "price", "qty"),
             "part": ("kind", "part", "qty", "description", "price")}


def parse_lines(s: Session, lines: object) -> list[QuoteLine]:
    """The quote's lines, checked, priced from the price list (not yet stored)."""
    if not isinstance(lines, list) or not lines:
        raise InputError("lines", _("money.quote_no_lines"))
    limit = money_policy().max_amount_fen
    parsed: list[QuoteLine] = []
    for i, raw in enumerate(lines):
        field = f"lines.{i}"
        if not isinstance(raw, dict):
            raise InputError(field, _("money.quote_line_object"))
        kind = raw.get("kind")
        if kind not in LINE_KINDS:
            raise InputError(f"{field}.kind",
                             _("core.bad_code", value=kind, allowed=", ".join(LINE_KINDS)))
        for key in raw:
            if key not in LINE_KEYS[kind]:
                raise InputError(f"{field}.{key}", _("money.unknown_field"))
        qty = quantity(raw.get("qty", 1), f"{field}.qty")
        description = check_text(f"{field}.description", str(raw.get("description") or ""))
        if kind == "labour":
            if not description:
                raise InputError(f"{field}.description", _("core.required"))
            if raw.get("price") is None:
                raise InputError(f"{field}.price", _("core.required"))
            unit = yuan_to_fen(raw["price"], f"{field}.price", limit_fen=limit)
            parsed.append(QuoteLine(position=i, kind=kind, description=description, qty=qty,  # type: ignore[call-arg]  # quote_id set by make()
                                    unit_price_fen=unit, amount_fen=unit * qty))
            continue
        if not isinstance(raw.get("part"), str):
            raise InputError(f"{field}.part", _("core.required"))
        part = get_part(s, raw["part"], f"{field}.part")
        # Parts are quoted at the published price; changing it is a manager's price-list edit.
        if raw.get("price") is not None and \
                yuan_to_fen(raw["price"], f"{field}.price") != part.price_fen:
            raise InputError(f"{field}.price", _("money.quote_price_list",
                                                 part=part.part_number,
                                                 price=f"{fen_to_yuan(part.price_fen):.2f}"))
        parsed.append(QuoteLine(position=i, kind=kind, part_id=part.id,  # type: ignore[call-arg]  # quote_id set by make()
                                description=description or part.name_zh, qty=qty,
                                unit_price_fen=part.price_fen, amount_fen=part.price_fen * qty))
    return parsed


def latest(s: Session, ticket: Ticket) -> Quote | None:
    return s.exec(select(Quote).where(Quote.ticket_id == ticket.id)
                  .order_by(col(Quote.revision).desc())).first()


def make(s: Session, ticket: Ticket, lines: list[QuoteLine], fee_fen: int, note: str,
         now: datetime, user: str) -> Quote:
    previous = latest(s, ticket)
    if previous is not None and previous.status == "pending":
        previous.status = "superseded"  # never answered: the customer is asked again
        s.add(previous)
    quote = Quote(ticket_id=ticket.id, revision=(previous.revision + 1) if previous else 1,  # type: ignore[arg-type]  # a stored ticket: its id is set
                  status="pending", diagnostic_fee_fen=fee_fen,
                  total_fen=fee_fen + sum(line.amount_fen for line in lines),
                  note=check_text("note", note), created_at=now, created_by=user)
    s.add(quote)
    s.flush()
    assert quote.id is not None  # flushed just above
    for line in lines:
        line.quote_id = quote.id
        s.add(line)
    s.flush()
    return quote


def answer(s: Session, ticket: Ticket, approved: bool, how: str, revision: int | None,
           now: datetime, user: str) -> Quote:
    if how not in HOW:
        raise InputError("how", _("core.bad_code", value=how, allowed=", ".join(HOW)))
    quote = latest(s, ticket)
    if quote is None:
        raise InputError("quote", _("money.quote_none", ticket=ticket.number))
    if revision is not None and revision != quote.revision:
        raise InputError("revision", _("money.quote_stale", revision=revision,
                                       current=quote.revision))
    if quote.status != "pending":
        raise InputError("quote", _("money.quote_answered", revision=quote.revision,
                                    status=_(f"money.quote_status_{quote.status}")))
    quote.status = "approved" if approved else "declined"
    quote.decided_at, quote.decided_how, quote.decided_by = now, how, user
    s.add(quote)
    s.flush()
    return quote


def view(s: Session, ticket: Ticket, quote: Quote) -> QuoteView:
    rows = s.exec(select(QuoteLine, Part.part_number)
                  .join(Part, col(QuoteLine.part_id) == col(Part.id), isouter=True)
                  .where(QuoteLine.quote_id == quote.id).order_by(col(QuoteLine.position))).all()
    lines = [QuoteLineView(line.kind, number, line.description, line.qty,
                           fen_to_yuan(line.unit_price_fen), fen_to_yuan(line.amount_fen))
             for line, number in rows]
    return QuoteView(ticket.number, quote.revision, quote.status, lines,
                     fen_to_yuan(quote.diagnostic_fee_fen), fen_to_yuan(quote.total_fen),
                     quote.note, quote.created_at, quote.created_by, quote.decided_at,
                     quote.decided_how, quote.decided_by)


def charge_fen(quote: Quote | None) -> int:
    """What a paid ticket owes by its current quote: the total once approved; otherwise the
    diagnosis was still made, so its fee (a declined quote ends with the fee only)."""
    if quote is None:
        return 0
    return quote.total_fen if quote.status == "approved" else quote.diagnostic_fee_fen


def parse_quote_doc(data: Any) -> tuple[object, object, str]:
    """(lines, diagnostic_fee or None, note) of a quote document."""
    if not isinstance(data, dict):
        raise InputError("quote", _("money.quote_line_object"))
    for key in data:
        if key not in ("lines", "diagnostic_fee", "note"):
            raise InputError(str(key), _("money.unknown_field"))
    note = data.get("note") or ""
    if not isinstance(note, str):
        raise InputError("note", _("money.not_text"))
    return data.get("lines"), data.get("diagnostic_fee"), note
