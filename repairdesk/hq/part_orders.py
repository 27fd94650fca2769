"""The counters' part requests at HQ: the queue, the approval within the counter's headroom
and HQ's per-request limits, the rejection, and the shipment that follows.

A request is the counter's ``part_request`` row as its batch brought it; HQ's answer is its
own row (``hq_part_answer``), once: approved (all or part of what was asked), rejected with
a reason, or, beyond a limit of the policy (quantity, amount), ``second`` until another
user of the parts role approves it too. A request that is not free is charged against the
counter's credit: its value at HQ's standard cost must fit the headroom less what HQ has
approved and not yet shipped. Shipping gathers a counter's approved requests into one
shipment (waybill, lines at HQ's standard cost) that its next pack carries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk.amounts import fen_to_text, quantity
from repairdesk.errors import InputError
from repairdesk.freetext import check_text
from repairdesk.hq import deposits, schema
from repairdesk.hq.registry import NetworkPolicy
from repairdesk.i18n import _

#: A request's state at HQ, as the queue shows it.
STATES = ("open", "second", "approved", "shipped", "rejected")


def _query(counter: str | None) -> sa.Select[Any]:
    mirrors = schema.mirrors()
    requests, parts, tickets = mirrors["part_request"], mirrors["part"], mirrors["ticket"]
    answers = schema.table("hq_part_answer")
    c = schema.COUNTER
    query = (
        sa.select(requests.c[c].label("counter"), requests.c.id, requests.c.qty,
                  requests.c.reason, requests.c.free, requests.c.note, requests.c.at,
                  requests.c.user, parts.c.part_number, parts.c.name_zh, parts.c.name_en,
                  parts.c.price_fen, tickets.c.number.label("ticket"),
                  answers.c.outcome, answers.c.qty.label("approved_qty"), answers.c.value_fen,
                  answers.c.reason.label("answer"), answers.c.by_user, answers.c.second_user,
                  answers.c.shipment_id)
        .select_from(requests.join(parts, sa.and_(parts.c[c] == requests.c[c],
                                                  parts.c.id == requests.c.part_id))
                     .outerjoin(tickets, sa.and_(tickets.c[c] == requests.c[c],
                                                 tickets.c.id == requests.c.ticket_id))
                     .outerjoin(answers, sa.and_(answers.c.counter == requests.c[c],
                                                 answers.c.request_id == requests.c.id)))
        .where(requests.c[schema.DELETED].is_(False))
        .order_by(requests.c.at, requests.c[c], requests.c.id)
    )
    return query.where(requests.c[c] == counter) if counter else query


def state(row: Any) -> str:
    if row.outcome is None:
        return "open"
    if row.outcome == "approved":
        return "shipped" if row.shipment_id is not None else "approved"
    return str(row.outcome)


def rows(conn: Connection, counter: str | None = None,
         states: tuple[str, ...] | None = None) -> list[Any]:
    return [r for r in conn.execute(_query(counter)) if states is None or state(r) in states]


def one(conn: Connection, counter: str, request_id: int) -> Any:
    requests = schema.mirrors()["part_request"]
    found = conn.execute(_query(counter).where(requests.c.id == request_id)).first()
    if found is None:
        raise InputError("request", _("hqparts.no_request", counter=counter,
                                      request=request_id))
    return found


def committed(conn: Connection, counter: str) -> int:
    """What HQ approved for ``counter`` against its credit and has not shipped yet."""
    answers = schema.table("hq_part_answer")
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.sum(answers.c.value_fen), 0))
                            .where(answers.c.counter == counter, answers.c.shipment_id.is_(None),
                                   answers.c.outcome.in_(("approved", "second")))).scalar_one())


def approve(conn: Connection, counter: str, request_id: int, qty: object | None, *,
            policy: NetworkPolicy, headroom_fen: int, now: datetime,
            user: str | None) -> str:
    """Approve ``qty`` (default: all asked) of a request; returns the state it is left in
    (``approved``, or ``second`` when it needs another user's approval)."""
    row = one(conn, counter, request_id)
    current = state(row)
    if current not in ("open", "second"):
        raise InputError("request", _("hqparts.request_answered", request=request_id,
                                      state=_(f"hqparts.state_{current}")))
    asked = row.approved_qty if current == "second" else row.qty
    count = asked if qty is None else quantity(qty, "qty")
    if count > row.qty:
        raise InputError("qty", _("hqparts.more_than_asked", qty=count, asked=row.qty))
    cost = deposits.standard_costs(conn).get(row.part_number, int(row.price_fen))
    value = 0 if row.free else count * cost
    answers = schema.table("hq_part_answer")
    key = sa.and_(answers.c.counter == counter, answers.c.request_id == request_id)
    if current == "second":
        if count != row.approved_qty:
            raise InputError("qty", _("hqparts.second_other_qty", qty=row.approved_qty))
        if user is not None and user == row.by_user:
            raise InputError("user", _("hqparts.second_same_user", user=user))
        conn.execute(sa.update(answers).where(key).values(
            outcome="approved", second_user=user, second_at=now))
        return "approved"
    left = headroom_fen - committed(conn, counter)
    if value > left:
        raise InputError("qty", _("hqparts.beyond_headroom", value=fen_to_text(value),
                                  headroom=fen_to_text(left)))
    over = count > policy.parts_max_qty or count * cost > policy.parts_max_fen
    outcome = "second" if over else "approved"
    conn.execute(sa.insert(answers).values(
        counter=counter, request_id=request_id, outcome=outcome, qty=count, value_fen=value,
        reason="", by_user=user, at=now))
    return outcome


def reject(conn: Connection, counter: str, request_id: int, reason: str, *, now: datetime,
           user: str | None) -> None:
    row = one(conn, counter, request_id)
    current = state(row)
    if current not in ("open", "second"):
        raise InputError("request", _("hqparts.request_answered", request=request_id,
                                      state=_(f"hqparts.state_{current}")))
    reason = check_text("reason", reason)
    if not reason:
        raise InputError("reason", _("hqparts.reason_required"))
    answers = schema.table("hq_part_answer")
    conn.execute(sa.delete(answers).where(answers.c.counter == counter,
                                          answers.c.request_id == request_id))
    conn.execute(sa.insert(answers).values(
        counter=counter, request_id=request_id, outcome="rejected", qty=0, value_fen=0,
        reason=reason, by_user=user, at=now))


def ship(conn: Connection, counter: str, waybill: str, request_ids: list[int] | None, *,
         now: datetime, user: str | None) -> int:
    """One shipment of ``counter``'s approved requests (those named, or all); its id."""
    waybill = check_text("waybill", waybill, rule="ref")
    if not waybill:
        raise InputError("waybill", _("hqparts.waybill_required"))
    ready = {r.id: r for r in rows(conn, counter, ("approved",))}
    if request_ids:
        for request_id in request_ids:
            if request_id not in ready:
                found = one(conn, counter, request_id)
                raise InputError("request", _("hqparts.not_approved", request=request_id,
                                              state=_(f"hqparts.state_{state(found)}")))
        chosen = [ready[i] for i in request_ids]
    else:
        chosen = list(ready.values())
    if not chosen:
        raise InputError("request", _("hqparts.nothing_to_ship", counter=counter))
    shipments, lines = schema.table("hq_shipment"), schema.table("hq_shipment_line")
    shipment_id = int(conn.execute(sa.insert(shipments).values(
        counter=counter, waybill=waybill, shipped_at=now, by_user=user)
        .returning(shipments.c.id)).scalar_one())
    costs = deposits.standard_costs(conn)
    conn.execute(sa.insert(lines), [{
        "shipment_id": shipment_id, "line": n, "part_number": r.part_number,
        "qty": r.approved_qty, "cost_fen": costs.get(r.part_number, int(r.price_fen)),
        "request_id": r.id, "free": bool(r.free)} for n, r in enumerate(chosen, 1)])
    answers = schema.table("hq_part_answer")
    conn.execute(sa.update(answers).where(answers.c.counter == counter,
                                          answers.c.request_id.in_([r.id for r in chosen]))
                 .values(shipment_id=shipment_id))
    return shipment_id
