"""HQ's claim lines: derived from the counters' rows on every import, checked, reviewed.

:func:`refresh` runs in the import's transaction (and for ``hq settle check``, a card
loaded): it reads the facts of a counter's changed tickets (:mod:`.settle_facts`), adds or
updates their lines, then runs the checks (:mod:`.settle_checks`) of those lines, of the
counter's held lines and of every open line sharing an IMEI with them. A reviewed line
whose facts change loses its review (recorded) and the checks decide again. A line in a
statement never changes: a later change of its ticket becomes an adjustment line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk import ratecard
from repairdesk.hq import schema, settle_checks, settle_facts
from repairdesk.hq.settle_checks import Other
from repairdesk.hq.settle_facts import Context, when
from repairdesk.sync.ords import CHINA_TZ

Record = Callable[[Connection, str, str, dict[str, Any]], None]
OPEN = sa.true()


def lines() -> sa.Table:
    return schema.table("hq_claim_line")


def refresh(conn: Connection, counter: str, now: datetime, *, seq: int | None = None,
            record: Record | None = None) -> int:
    """Bring ``counter``'s lines up to date with what HQ holds (its tickets changed by batch
    ``seq``; every ticket without it); returns how many lines were added or changed."""
    write = record or _direct(now)
    ctx = settle_facts.context(conn, counter)
    t = lines()
    wanted = settle_facts.changed_tickets(conn, counter, seq)
    if wanted is not None:
        wanted |= set(conn.execute(sa.select(t.c.ticket_id).where(
            t.c.counter == counter, t.c.statement_id.is_(None),
            t.c.status == "held")).scalars())
    facts, seqs = settle_facts.read_facts(conn, ctx, wanted)
    touched: set[int] = set()
    changed: set[int] = set()
    existing = _existing(conn, counter, list(facts))
    for ticket_id, found in sorted(facts.items()):
        line_id, did = _upsert(conn, ctx, existing.get(ticket_id, []), found,
                               seqs.get(ticket_id), now, write)
        if line_id is not None:
            touched.add(line_id)
            if did:
                changed.add(line_id)
    held = set(conn.execute(sa.select(t.c.id).where(
        t.c.counter == counter, t.c.statement_id.is_(None), t.c.status == "held")).scalars())
    if wanted is None:
        held |= set(conn.execute(sa.select(t.c.id).where(
            t.c.counter == counter, t.c.statement_id.is_(None))).scalars())
    changed |= recheck(conn, touched | held, now, ctx.cards)
    if changed:
        write(conn, "hq.settle_refresh", counter, {"seq": seq, "lines": sorted(changed)})
    return len(changed)


def _direct(now: datetime) -> Record:
    def record(conn: Connection, action: str, subject: str, detail: dict[str, Any]) -> None:
        conn.execute(sa.insert(schema.table("hq_event")).values(
            at=now, user=None, action=action, subject=subject, detail=detail))
    return record


def _existing(conn: Connection, counter: str, ticket_ids: list[int]) -> dict[int, list[Any]]:
    t = lines()
    found: dict[int, list[Any]] = {}
    if not ticket_ids:
        return found
    for row in conn.execute(sa.select(t).where(t.c.counter == counter,
                                               t.c.ticket_id.in_(ticket_ids))
                            .order_by(t.c.id)):
        found.setdefault(row.ticket_id, []).append(row)
    return found


def month_of(conn: Connection, counter: str, back: date) -> str:
    """The hand-back's month, or the month after the counter's last statement when that
    month is closed already (a late batch goes into the next statement)."""
    month = back.strftime("%Y-%m")
    st = schema.table("hq_statement")
    last = conn.execute(sa.select(sa.func.max(st.c.month))
                        .where(st.c.counter == counter)).scalar()
    if last is not None and last >= month:
        first = date.fromisoformat(f"{last}-01")
        month = (first.replace(day=28) + timedelta(days=4)).strftime("%Y-%m")
    return month


def _columns(conn: Connection, ctx: Context, facts: dict[str, Any]) -> dict[str, Any]:
    """A line's columns from its facts (the checks come after)."""
    card = _card(ctx.cards, facts.get("card_version"))
    earned = settle_checks.earning(facts, card)
    back = when(facts, "handed_back")
    return {
        "ticket_number": facts["ticket"]["number"], "imei": facts["device"]["imei"],
        "brand": facts["device"]["brand"], "model": facts["device"]["model"],
        "fault": facts.get("fault"), "remedy": facts["remedy"], "grade": facts.get("grade"),
        "handed_in": when(facts, "handed_in"), "handed_back": back,
        "level": facts["counter"].get("level"), "card_version": facts.get("card_version"),
        "parts": facts["parts"],
        "labour_fen": earned.labour_fen if earned else 0,
        "parts_fen": (earned.total_fen - earned.labour_fen) if earned else 0,
        "amount_fen": earned.total_fen if earned else 0,
        "facts": facts, "facts_sha256": settle_facts.sha256(facts),
        "month": month_of(conn, ctx.counter, back) if back else "-",
    }


def _card(cards: list[ratecard.RateCard], version: int | None) -> ratecard.RateCard | None:
    return next((c for c in cards if c.version == version), None)


def _upsert(conn: Connection, ctx: Context, rows: list[Any], facts: dict[str, Any],
            seq: int | None, now: datetime, write: Record) -> tuple[int | None, bool]:
    t = lines()
    values = _columns(conn, ctx, facts)
    claim = next((r for r in rows if r.kind == "claim"), None)
    if claim is None:
        new_id = conn.execute(sa.insert(t).values(
            counter=ctx.counter, ticket_id=facts["ticket"]["id"], kind="claim", checks=[],
            status="pending", source_seq=seq, created_at=now, updated_at=now, **values
        ).returning(t.c.id)).scalar_one()
        return int(new_id), True
    if claim.statement_id is None:
        if claim.facts_sha256 == values["facts_sha256"]:
            return claim.id, False
        update = {**values, "source_seq": seq, "updated_at": now}
        if claim.review is not None:
            update.update(review=None, review_reason=None, reviewed_by=None,
                          reviewed_at=None, approved_fen=None)
            write(conn, "hq.settle_review_cleared", str(claim.id), {
                "review": claim.review, "approved": claim.approved_fen,
                "by": claim.reviewed_by, "facts_sha256": values["facts_sha256"]})
        conn.execute(sa.update(t).where(t.c.id == claim.id).values(**update))
        return claim.id, True
    return _adjust_frozen(conn, ctx, claim, rows, values, seq, now)


def _adjust_frozen(conn: Connection, ctx: Context, claim: Any, rows: list[Any],
                   values: dict[str, Any], seq: int | None, now: datetime,
                   ) -> tuple[int | None, bool]:
    """A frozen line's ticket changed: the difference goes into an adjustment line (one
    open one at a time, updated while it is open)."""
    t = lines()
    adjustments = [r for r in rows if r.kind == "adjustment" and r.adjusts == claim.id]
    frozen = [r for r in adjustments if r.statement_id is not None]
    latest_sha = (frozen[-1].facts_sha256 if frozen else claim.facts_sha256)
    paid = (claim.approved_fen or 0) + sum(r.approved_fen or 0 for r in frozen
                                           if r.status == "approved")
    open_one = next((r for r in adjustments if r.statement_id is None), None)
    if values["facts_sha256"] == latest_sha and open_one is None:
        return None, False
    # A correction is reviewed like any line; its checks are the ticket's as it is now.
    delta = values["amount_fen"] - paid
    update = {**values, "kind": "adjustment", "adjusts": claim.id, "amount_fen": delta,
              "labour_fen": 0, "parts_fen": delta, "source_seq": seq, "updated_at": now}
    if open_one is None:
        new_id = conn.execute(sa.insert(t).values(
            counter=ctx.counter, ticket_id=claim.ticket_id, checks=[], status="pending",
            created_at=now, **update).returning(t.c.id)).scalar_one()
        return int(new_id), True
    if open_one.facts_sha256 == values["facts_sha256"]:
        return open_one.id, False
    conn.execute(sa.update(t).where(t.c.id == open_one.id).values(
        **update, review=None, review_reason=None, reviewed_by=None, reviewed_at=None,
        approved_fen=None, status="pending"))
    return open_one.id, True


def recheck(conn: Connection, ids: Iterable[int], now: datetime,
            cards: list[ratecard.RateCard] | None = None) -> set[int]:
    """Run the checks of the open lines ``ids`` and of every open line sharing an IMEI
    with them; the ids whose checks or state changed."""
    t = lines()
    ids = set(ids)
    if not ids:
        return set()
    cards = cards if cards is not None else settle_facts.load_cards(conn)
    base = conn.execute(sa.select(t).where(t.c.id.in_(sorted(ids)))).all()
    imeis = sorted({r.imei for r in base if r.imei})
    numbers = {(r.counter, r.ticket_number) for r in base}
    related = conn.execute(sa.select(t).where(t.c.kind == "claim", sa.or_(
        t.c.imei.in_(imeis), t.c.ticket_number.in_(sorted({n for _c, n in numbers})))
    )).all() if imeis or numbers else []
    others = [Other(r.id, r.counter, r.ticket_id, r.ticket_number, r.imei, r.handed_in,
                    r.handed_back, r.fault) for r in related]
    targets = {r.id: r for r in [*base, *related] if r.statement_id is None}
    bl = schema.table("hq_blacklist")
    blacklist = {r.imei: r.reason for r in conn.execute(
        sa.select(bl.c.imei, bl.c.reason).where(bl.c.imei.in_(imeis)))} if imeis else {}
    today = now.astimezone(CHINA_TZ).date()
    changed = set()
    for line in targets.values():
        card = _card(cards, line.card_version)
        earned = settle_checks.earning(line.facts, card)
        found = settle_checks.run(line.facts, line_id=line.id, card=card, earned=earned,
                                  others=others, blacklisted=blacklist.get(line.imei or ""),
                                  today=today)
        if line.kind == "adjustment":
            new_status = line.status if line.review else "pending"
        else:
            new_status = line.status if line.review else settle_checks.status(found)
        if found != line.checks or new_status != line.status:
            conn.execute(sa.update(t).where(t.c.id == line.id).values(
                checks=found, status=new_status, updated_at=now))
            changed.add(line.id)
    return changed


def refresh_all(conn: Connection, now: datetime, counter: str | None = None,
                record: Record | None = None) -> int:
    """:func:`refresh` of every registered counter with lines or batches (or the one)."""
    counters = schema.table("hq_counter")
    codes = [counter] if counter else list(conn.execute(
        sa.select(counters.c.code).order_by(counters.c.code)).scalars())
    return sum(refresh(conn, code, now, record=record) for code in codes)
