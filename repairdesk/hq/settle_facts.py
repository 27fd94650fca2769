"""What HQ reads of a counter's claimed tickets, from its copies of the counter's rows: one
plain JSON of facts per ticket, everything its claim line is computed from.

A ticket is claimed when it ended ``collected``, ``exchanged`` or ``refunded``, its phone
was handed back, and it was a 三包/warranty repair (the repair record's flag) or ended in an
exchange or a refund. A repair under the counter's own guarantee of an earlier paid repair
is not flagged warranty at the counter (repairdesk/money/basis.py): its parts are the
counter's own cost, and it has no line.

The 三包 decision is taken again here, through the ticket package's one claim reader
(:func:`repairdesk.tickets.claims.assemble_claims`, over HQ's rows) and the engine, under
the vendor policy of HQ's newest pack. Everything is read in a handful of queries per
counter however many tickets (SQLAlchemy Core: SQLite and PostgreSQL alike).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk import ratecard
from repairdesk.errors import InputError
from repairdesk.hq import part_returns, schema
from repairdesk.hq.schema import BATCH_SEQ, COUNTER, DELETED
from repairdesk.policy import check_claim
from repairdesk.ratecard import RateCard
from repairdesk.sync.ords import CHINA_TZ
from repairdesk.tickets.claims import HistoryRow, TicketRow, assemble_claims
from repairdesk.tickets.rows import DEVICE_COLUMNS, device_facts

CLAIMED_STATES = ("collected", "exchanged", "refunded")
REMEDIES = {"collected": "repair", "exchanged": "exchange", "refunded": "refund"}
#: The engine's remedies that cover each of ours.
COVERING = {"repair": ("free_repair",), "exchange": ("exchange",),
            "refund": ("refund", "refund_depreciated")}
WARRANTY = "warranty"
#: The counter tables whose rows belong to a ticket (a change to any re-reads the ticket).
#: The key of the engine's reasons in words (kept for the check's text, not hashed).
WORDS = "words"
TICKET_TABLES = ("repair_record", "stock_move", "old_part", "checklist_result")


@dataclass
class Context:
    """What HQ knows beside the counter's rows: read once per refresh."""

    counter: str
    level: str | None
    agreement: tuple[date | None, date | None]
    states: list[tuple[date, str]]  # (day, state), in order
    cards: list[RateCard]
    packs: list[tuple[int, date]]  # (seq, issued day), in order
    policy: str | None  # the vendor policy of HQ's newest pack
    prices: dict[int, dict[str, int]] = field(default_factory=dict)  # pack -> part -> fen
    blacklist: dict[str, str] = field(default_factory=dict)

    def state_on(self, day: date) -> str:
        state = "active"
        for on, found in self.states:
            if on <= day:
                state = found
        return state

    def pack_on(self, day: date) -> int | None:
        found = None
        for seq, issued in self.packs:
            if issued <= day:
                found = seq
        return found


def context(conn: Connection, counter: str) -> Context:
    counters, states = schema.table("hq_counter"), schema.table("hq_counter_state")
    row = conn.execute(sa.select(counters).where(counters.c.code == counter)).first()
    packs = schema.table("hq_pack")
    pack_rows = conn.execute(sa.select(packs.c.seq, packs.c.issued_at, packs.c.policy)
                             .order_by(packs.c.seq)).all()
    prices, blacklist = schema.table("hq_price"), schema.table("hq_blacklist")
    price_map: dict[int, dict[str, int]] = {}
    for pack, number, fen in conn.execute(sa.select(prices.c.pack, prices.c.part_number,
                                                    prices.c.price_fen)):
        price_map.setdefault(pack, {})[number] = int(fen)
    return Context(
        counter=counter,
        level=row.level if row is not None else None,
        agreement=(row.agreement_start, row.agreement_end) if row is not None else (None, None),
        states=[(r.on_day, r.state) for r in conn.execute(
            sa.select(states.c.on_day, states.c.state).where(states.c.counter == counter)
            .order_by(states.c.on_day, states.c.id))],
        cards=load_cards(conn),
        packs=[(r.seq, r.issued_at.astimezone(CHINA_TZ).date()) for r in pack_rows],
        policy=next((r.policy for r in reversed(pack_rows)), None),
        prices=price_map,
        blacklist={r.imei: r.reason for r in conn.execute(
            sa.select(blacklist.c.imei, blacklist.c.reason))},
    )


def load_cards(conn: Connection) -> list[RateCard]:
    """Every version of the rate card HQ loaded, checked again as it was stored."""
    cards = schema.table("hq_rate_card")
    found = []
    for row in conn.execute(sa.select(cards).order_by(cards.c.version)):
        card = ratecard.parse_card(row.card, f"hq_rate_card {row.version}")
        found.append(_versioned(card, row.version))
    return found


def _versioned(card: RateCard, version: int) -> RateCard:
    from dataclasses import replace

    return replace(card, version=version)


def changed_tickets(conn: Connection, counter: str, seq: int | None) -> set[int] | None:
    """The tickets a batch brought rows of (their own row, their record, parts, old parts,
    checklist, or their device's row); None (every ticket) without ``seq``."""
    if seq is None:
        return None
    m = schema.mirrors()
    found: set[int] = set()
    ticket = m["ticket"]
    found.update(conn.execute(sa.select(ticket.c.id).where(
        ticket.c[COUNTER] == counter, ticket.c[BATCH_SEQ] == seq)).scalars())
    for name in TICKET_TABLES:
        t = m[name]
        found.update(i for i in conn.execute(sa.select(t.c.ticket_id).where(
            t.c[COUNTER] == counter, t.c[BATCH_SEQ] == seq)).scalars() if i is not None)
    device = m["device"]
    found.update(conn.execute(sa.select(ticket.c.id).where(
        ticket.c[COUNTER] == counter,
        ticket.c.device_id.in_(sa.select(device.c.id).where(
            device.c[COUNTER] == counter, device.c[BATCH_SEQ] == seq)))).scalars())
    return found


def read_facts(conn: Connection, ctx: Context, ticket_ids: Iterable[int] | None,
               ) -> tuple[dict[int, dict[str, Any]], dict[int, int]]:
    """The facts of each claimed ticket among ``ticket_ids`` (None: all of the counter's),
    keyed by ticket id, and the newest batch each was read from."""
    m = schema.mirrors()
    t, r, d = m["ticket"], m["repair_record"], m["device"]
    code = ctx.counter
    query = (sa.select(t, r.c.handed_in, r.c.handed_back, r.c.warranty, r.c.grade,
                       r.c.fault_code, r.c.delay_cause, r.c.cause, r.c.action,
                       r.c[BATCH_SEQ].label("record_seq"))
             .join(r, sa.and_(r.c[COUNTER] == t.c[COUNTER], r.c.ticket_id == t.c.id))
             .where(t.c[COUNTER] == code, t.c[DELETED].is_(False), r.c[DELETED].is_(False),
                    t.c.status.in_(CLAIMED_STATES), r.c.handed_back.is_not(None),
                    sa.or_(r.c.warranty.is_(True), t.c.status != "collected")))
    ids = None if ticket_ids is None else sorted(set(ticket_ids))
    if ids is not None:
        if not ids:
            return {}, {}
        query = query.where(t.c.id.in_(ids))
    rows = conn.execute(query).all()
    if not rows:
        return {}, {}
    claimed = [row.id for row in rows]
    device_ids = sorted({row.device_id for row in rows})
    devices = {row.id: row for row in conn.execute(sa.select(d).where(
        d.c[COUNTER] == code, d.c.id.in_(device_ids)))}
    history = conn.execute(
        sa.select(r.c.fault_code, r.c.handed_in, r.c.handed_back, r.c.warranty, t.c.status,
                  t.c.device_id, t.c.created_at, t.c.id)
        .join(r, sa.and_(r.c[COUNTER] == t.c[COUNTER], r.c.ticket_id == t.c.id))
        .where(t.c[COUNTER] == code, t.c[DELETED].is_(False), r.c[DELETED].is_(False),
               t.c.device_id.in_(device_ids))).all()
    exclusions, checklist_seq = _checklists(conn, code, claimed)
    parts, parts_seq = _parts(conn, code, claimed)
    claims_in, claims_back = _claims(rows, devices, history, exclusions)
    facts: dict[int, dict[str, Any]] = {}
    seqs: dict[int, int] = {}
    for row in rows:
        device = devices.get(row.device_id)
        facts[row.id] = _facts(ctx, row, device, parts.get(row.id, []),
                               claims_in.get(row.id), claims_back.get(row.id))
        seqs[row.id] = max(row._mapping[BATCH_SEQ], row.record_seq,
                           device._mapping[BATCH_SEQ] if device is not None else 0,
                           checklist_seq.get(row.id, 0), parts_seq.get(row.id, 0))
    return facts, seqs


def _checklists(conn: Connection, code: str, ids: Sequence[int],
                ) -> tuple[dict[int, list[str]], dict[int, int]]:
    c = schema.mirrors()["checklist_result"]
    exclusions: dict[int, list[str]] = {}
    seqs: dict[int, int] = {}
    for ticket_id, found, seq in conn.execute(
            sa.select(c.c.ticket_id, c.c.exclusions, c.c[BATCH_SEQ])
            .where(c.c[COUNTER] == code, c.c[DELETED].is_(False), c.c.ticket_id.in_(ids))
            .order_by(c.c.id)):
        exclusions[ticket_id] = list(found or [])  # the latest save counts
        seqs[ticket_id] = max(seqs.get(ticket_id, 0), seq)
    return exclusions, seqs


def _parts(conn: Connection, code: str, ids: Sequence[int],
           ) -> tuple[dict[int, list[dict[str, Any]]], dict[int, int]]:
    """Per ticket: the parts drawn on warranty less those returned, with their old parts."""
    m = schema.mirrors()
    sm, p, op = m["stock_move"], m["part"], m["old_part"]
    net: dict[tuple[int, int], dict[str, Any]] = {}
    seqs: dict[int, int] = {}
    for move in conn.execute(
            sa.select(sm.c.ticket_id, sm.c.part_id, sm.c.kind, sm.c.qty, sm.c.unit_price_fen,
                      sm.c[BATCH_SEQ])
            .where(sm.c[COUNTER] == code, sm.c[DELETED].is_(False), sm.c.ticket_id.in_(ids),
                   sm.c.kind.in_(("drawn", "returned")), sm.c.basis == WARRANTY)
            .order_by(sm.c.id)):
        entry = net.setdefault((move.ticket_id, move.part_id), {"qty": 0, "claimed_fen": 0})
        entry["qty"] += move.qty if move.kind == "drawn" else -move.qty
        if move.kind == "drawn":
            entry["claimed_fen"] = int(move.unit_price_fen)
        seqs[move.ticket_id] = max(seqs.get(move.ticket_id, 0), move._mapping[BATCH_SEQ])
    if not net:
        return {}, seqs
    part_ids = sorted({part for _t, part in net})
    names = {row.id: row for row in conn.execute(
        sa.select(p.c.id, p.c.part_number, p.c.name_zh).where(
            p.c[COUNTER] == code, p.c.id.in_(part_ids)))}
    at_hq = part_returns.outcomes(conn, code)
    old: dict[tuple[int, int], list[int]] = {}  # [kept, sent, refused at HQ]
    for row in conn.execute(
            sa.select(op.c.id, op.c.ticket_id, op.c.part_id, op.c.qty, op.c.sent_at,
                      op.c[BATCH_SEQ])
            .where(op.c[COUNTER] == code, op.c[DELETED].is_(False), op.c.ticket_id.in_(ids))):
        counts = old.setdefault((row.ticket_id, row.part_id), [0, 0, 0])
        counts[0] += row.qty
        if at_hq.get(int(row.id)) in ("missing", "wrong"):
            counts[2] += row.qty
        elif row.sent_at is not None:
            counts[1] += row.qty
        seqs[row.ticket_id] = max(seqs.get(row.ticket_id, 0), row._mapping[BATCH_SEQ])
    found: dict[int, list[dict[str, Any]]] = {}
    for (ticket_id, part_id), entry in sorted(net.items()):
        if entry["qty"] <= 0:
            continue
        part = names.get(part_id)
        kept, sent, refused = old.get((ticket_id, part_id), [0, 0, 0])
        state = "refused" if refused else "sent" if sent >= entry["qty"] else \
            "kept" if kept else "missing"
        found.setdefault(ticket_id, []).append({
            "part_number": part.part_number if part else str(part_id),
            "name": part.name_zh if part else "", "qty": entry["qty"],
            "claimed_fen": entry["claimed_fen"], "old_part": state})
    return found, seqs


def _claims(rows: Sequence[Any], devices: dict[int, Any], history: Sequence[Any],
            exclusions: dict[int, list[str]],
            ) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
    """Each ticket's claim on the day its phone came in and on the day it went back (a
    remedy due on either day was due: a period may end during the repair, and a repair that
    took too long earns an exchange only by the end)."""
    tickets = [TicketRow(row.id, row.device_id, row.created_at, list(row.faults or []),
                         dict(row.condition or {}), row.fault_code, row.handed_in,
                         row.handed_back, row.delay_cause)
               for row in rows if row.device_id in devices]
    facts = {i: device_facts(_device_row(device)) for i, device in devices.items()}
    repairs = [HistoryRow(h[0], h[1], h[2], bool(h[3]), h[4], h[5], h[6], h[7])
               for h in history if h[1] is not None]
    came_in = assemble_claims(tickets, facts, repairs, exclusions,
                              {t.ticket_id: t.handed_in for t in tickets})
    went_back = assemble_claims(tickets, facts, repairs, exclusions,
                                {t.ticket_id: t.handed_back or t.handed_in for t in tickets})
    return came_in, went_back


def _device_row(device: Any) -> tuple[Any, ...]:
    """HQ's device row in the order and form the ticket package decodes (dates as text)."""
    values = device._mapping
    return tuple(v.isoformat() if isinstance(v, date) else v
                 for v in (values[c.strip()] for c in DEVICE_COLUMNS.split(",")))


def decision(claim: dict[str, Any] | None, policy: str | None) -> dict[str, Any]:
    """The engine's decision, cut to what is language-free (its reasons' codes), or the
    fact it lacks."""
    if claim is None:
        return {"covered": False, "remedies": [], "articles": [], "reasons": [],
                "undecidable": "device"}
    try:
        found = check_claim(claim, policy=policy)
    except InputError as exc:
        return {"covered": False, "remedies": [], "articles": [], "reasons": [],
                "undecidable": exc.field}
    return {"covered": bool(found["covered"]), "remedies": list(found["remedies"]),
            "articles": list(found["articles"]),
            "reasons": [r["code"] for r in found["reasons"]], "undecidable": None,
            WORDS: [r["text"] for r in found["reasons"]]}


def _facts(ctx: Context, row: Any, device: Any, parts: list[dict[str, Any]],
           came_in: dict[str, Any] | None, went_back: dict[str, Any] | None) -> dict[str, Any]:
    back: date = row.handed_back
    remedy = REMEDIES[row.status]
    grade = ratecard.REMEDY_GRADES.get(row.status) or row.grade
    card = ratecard.in_force(ctx.cards, back)
    pack = ctx.pack_on(back)
    prices = ctx.prices.get(pack, {}) if pack is not None else {}
    priced = [{**p, "cost_fen": prices.get(p["part_number"])} for p in parts]
    claim = went_back or came_in or {}
    start, end = ctx.agreement
    return {
        "ticket": {"id": row.id, "number": row.number, "status": row.status,
                   "created": row.created_at.isoformat()},
        "record": {"handed_in": _day(row.handed_in), "handed_back": _day(back),
                   "warranty": bool(row.warranty), "grade": row.grade,
                   "fault_code": row.fault_code},
        "device": {"imei": device.imei if device is not None else None,
                   "brand": device.brand if device is not None else None,
                   "model": device.model if device is not None else None},
        "fault": claim.get("fault") or row.fault_code,
        "remedy": remedy, "grade": grade, "parts": priced,
        "exclusions": sorted(set(claim.get("exclusions") or [])),
        "counter": {"code": ctx.counter, "level": ctx.level, "state": ctx.state_on(back),
                    "agreement_start": _day(start), "agreement_end": _day(end)},
        "card_version": card.version if card is not None else None,
        "price_pack": pack,
        "sanbao": {"handed_in": decision(came_in, ctx.policy),
                   "handed_back": decision(went_back, ctx.policy)},
    }


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def sha256(facts: dict[str, Any]) -> str:
    """The hash of the facts' canonical JSON: a line whose hash changes is decided again.
    The engine's words are left out: they are in the language of whoever imported."""
    plain = dict(facts)
    if "sanbao" in facts:  # an adjustment's facts are the dispute's, with no decision
        plain["sanbao"] = {day: {k: v for k, v in found.items() if k != WORDS}
                           for day, found in facts["sanbao"].items()}
    text = json.dumps(plain, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def when(facts: dict[str, Any], key: str) -> date | None:
    text = facts["record"].get(key)
    return date.fromisoformat(text) if text else None


def created(facts: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(facts["ticket"]["created"])
