"""HQ's use cases of settlement's claim lines: the rate card, the lines, their review.

A mixin of :class:`repairdesk.hq.facade.Hq`: every change checks who may make it
(``hq.load_card``, ``hq.review_lines``), checks every id and field before writing (one bad
id refuses the whole command, naming the line), and is recorded in HQ's trail with what
it was before and after, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk import ratecard
from repairdesk.amounts import fen_to_text, yuan_to_fen
from repairdesk.errors import InputError
from repairdesk.freetext import check_text
from repairdesk.hq import schema, settle_lines
from repairdesk.hq.schema import COUNTER, DELETED
from repairdesk.hq.settle_views import ClaimLineDetail, ClaimLineView, RateCardView, line_view
from repairdesk.hq.store import HqStore
from repairdesk.i18n import _
from repairdesk.settle_reasons import reason as reason_of
from repairdesk.sync.ords import CHINA_TZ

AUDITED = ("ticket", "repair_record", "stock_move", "old_part")


class SettleCases:
    store: HqStore
    user: str | None
    clock: Callable[[], datetime]

    def require(self, action: str) -> None:
        raise NotImplementedError

    def record(self, conn: Connection, action: str, subject: str | None,
               detail: dict[str, Any] | None = None) -> None:
        raise NotImplementedError

    # -- the rate card ----------------------------------------------------------------

    def load_card(self, path: Path) -> RateCardView:
        """Load a new version of the rate card (refused when it equals the newest one);
        the open lines are priced again."""
        self.require("hq.load_card")
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError("file", _("cli.cannot_read", path=str(path), error=getattr(
                exc, "strerror", None) or str(exc))) from exc
        card = ratecard.parse_card(text, Path(path).name)
        table = schema.table("hq_rate_card")
        now = self.clock()
        with self.store.write() as conn:
            newest = conn.execute(sa.select(table).order_by(table.c.version.desc())
                                  .limit(1)).first()
            if newest is not None and newest.sha256 == card.sha256:
                raise InputError("file", _("hqsettle.card_already_loaded",
                                           version=newest.version))
            version = (newest.version if newest else 0) + 1
            conn.execute(sa.insert(table).values(
                version=version, effective=card.effective, name=card.name, card=text,
                sha256=card.sha256, loaded_at=now, loaded_by=self.user))
            self.record(conn, "hq.load_card", str(version), {
                "effective": card.effective, "name": card.name, "sha256": card.sha256})
            settle_lines.refresh_all(conn, now, record=self._record)
            row = conn.execute(sa.select(table).where(table.c.version == version)).one()
            return _card_view(row)

    def rate_cards(self) -> list[RateCardView]:
        table = schema.table("hq_rate_card")
        with self.store.read() as conn:
            return [_card_view(r) for r in conn.execute(
                sa.select(table).order_by(table.c.version))]

    # -- the lines --------------------------------------------------------------------

    def claim_lines(self, *, counter: str | None = None, month: str | None = None,
                    status: str | None = None, check: str | None = None,
                    ids: list[int] | None = None) -> list[ClaimLineView]:
        t = settle_lines.lines()
        query = sa.select(t).order_by(t.c.counter, t.c.month, t.c.id)
        if counter:
            query = query.where(t.c.counter == counter.strip().upper())
        if month:
            query = query.where(t.c.month == _month(month))
        if status:
            if status not in ratecard.LINE_STATES:
                raise InputError("status", _("core.bad_code", value=status,
                                             allowed=", ".join(ratecard.LINE_STATES)))
            query = query.where(t.c.status == status)
        if ids is not None:
            query = query.where(t.c.id.in_(ids))
        with self.store.read() as conn:
            views = [line_view(r) for r in conn.execute(query)]
        if check:
            views = [v for v in views if any(c.code == check for c in v.checks)]
        return views

    def claim_line(self, line_id: int) -> ClaimLineDetail:
        t = settle_lines.lines()
        with self.store.read() as conn:
            row = conn.execute(sa.select(t).where(t.c.id == line_id)).first()
            if row is None:
                raise InputError("line", _("hqsettle.no_line", line=line_id))
            return ClaimLineDetail(
                line=line_view(row), facts=dict(row.facts),
                checks=[{**c, "reason": reason_of(c)} for c in row.checks],
                audit=_audit(conn, row), history=_history(conn, row.id))

    def refresh_lines(self, counter: str | None = None) -> int:
        """Derive and check every open line again (``hq settle check``)."""
        self.require("hq.review_lines")
        with self.store.write() as conn:
            return settle_lines.refresh_all(
                conn, self.clock(), counter.strip().upper() if counter else None,
                record=self._record)

    def _record(self, conn: Connection, action: str, subject: str,
                detail: dict[str, Any]) -> None:
        self.record(conn, action, subject, detail)

    # -- the review -------------------------------------------------------------------

    def approve_lines(self, ids: list[int]) -> list[ClaimLineView]:
        """Approve pending lines at their card amount (held and check-rejected lines are
        refused, naming the check)."""
        self.require("hq.review_lines")
        with self.store.write() as conn:
            rows = self._open_lines(conn, ids)
            for row in rows:
                if row.status != "pending":
                    raise InputError("line", self._not_pending(row))
            for row in rows:
                self._review(conn, row, "approved", "approved", row.amount_fen, None)
            return self._views(conn, ids)

    def reject_lines(self, ids: list[int], reason: str) -> list[ClaimLineView]:
        self.require("hq.review_lines")
        reason = _reason(reason)
        with self.store.write() as conn:
            rows = self._open_lines(conn, ids)
            for row in rows:
                self._review(conn, row, "rejected", "rejected", None, reason)
            return self._views(conn, ids)

    def adjust_line(self, line_id: int, amount: str, reason: str) -> ClaimLineView:
        """Approve a line at less than the card gives it (never more)."""
        self.require("hq.review_lines")
        reason = _reason(reason)
        fen = yuan_to_fen(amount, "amount")
        with self.store.write() as conn:
            (row,) = self._open_lines(conn, [line_id])
            if row.status in ("held", "rejected") and row.review is None:
                raise InputError("line", self._not_pending(row))
            if fen > row.amount_fen:
                raise InputError("amount", _("hqsettle.above_card", amount=fen_to_text(fen),
                                             card=fen_to_text(row.amount_fen)))
            self._review(conn, row, "approved", "adjusted", fen, reason)
            return self._views(conn, [line_id])[0]

    def _open_lines(self, conn: Connection, ids: list[int]) -> list[Any]:
        if not ids:
            raise InputError("line", _("hqsettle.no_lines_given"))
        t = settle_lines.lines()
        found = {r.id: r for r in conn.execute(sa.select(t).where(t.c.id.in_(ids)))}
        for line_id in ids:
            row = found.get(line_id)
            if row is None:
                raise InputError("line", _("hqsettle.no_line", line=line_id))
            if row.statement_id is not None:
                raise InputError("line", _("hqsettle.line_frozen", line=line_id,
                                           statement=row.statement_id))
        return [found[i] for i in dict.fromkeys(ids)]

    def _not_pending(self, row: Any) -> str:
        blocking = [c for c in row.checks if c["outcome"] in ("reject", "hold")]
        if row.review is None and blocking:
            return _("hqsettle.line_blocked", line=row.id, status=_(
                f"hqsettle.status_{row.status}"), check=blocking[0]["code"],
                reason=reason_of(blocking[0]))
        return _("hqsettle.line_not_pending", line=row.id,
                 status=_(f"hqsettle.status_{row.status}"))

    def _review(self, conn: Connection, row: Any, status: str, review: str,
                approved: int | None, reason: str | None) -> None:
        t = settle_lines.lines()
        now = self.clock()
        before = {"status": row.status, "review": row.review, "approved_fen": row.approved_fen,
                  "review_reason": row.review_reason, "reviewed_by": row.reviewed_by}
        after = {"status": status, "review": review, "approved_fen": approved,
                 "review_reason": reason, "reviewed_by": self.user}
        conn.execute(sa.update(t).where(t.c.id == row.id).values(
            **after, reviewed_at=now, updated_at=now))
        self.record(conn, f"hq.settle_{review}", str(row.id), {
            "counter": row.counter, "ticket": row.ticket_number, "before": before,
            "after": after})

    def _views(self, conn: Connection, ids: list[int]) -> list[ClaimLineView]:
        t = settle_lines.lines()
        found = {r.id: line_view(r) for r in conn.execute(sa.select(t).where(t.c.id.in_(ids)))}
        return [found[i] for i in dict.fromkeys(ids)]


def _reason(text: str) -> str:
    reason = check_text("reason", text if isinstance(text, str) else "")
    if not reason:
        raise InputError("reason", _("core.reason_required"))
    return reason


def _month(text: str) -> str:
    value = text.strip()
    try:
        datetime.strptime(value, "%Y-%m")
    except ValueError:
        raise InputError("month", _("hqsettle.bad_month", value=text)) from None
    return value


def _card_view(row: Any) -> RateCardView:
    card = ratecard.parse_card(row.card, f"hq_rate_card {row.version}")
    return RateCardView(
        version=row.version, effective=row.effective, name=row.name, sha256=row.sha256,
        loaded_at=row.loaded_at, loaded_by=row.loaded_by, cap=fen_to_text(card.cap_fen),
        return_days=card.return_days,
        labour={g: fen_to_text(f) for g, f in card.labour_fen.items()},
        levels={k: str(v) for k, v in card.multipliers.items()})


def _audit(conn: Connection, row: Any) -> list[dict[str, Any]]:
    """The counter's audit events of the ticket and of its record, parts and old parts."""
    m = schema.mirrors()
    events = m["audit_event"]
    keys: list[tuple[str, str]] = [("ticket", str(row.ticket_id))]
    for name in AUDITED[1:]:
        table = m[name]
        keys += [(name, str(i)) for i in conn.execute(sa.select(table.c.id).where(
            table.c[COUNTER] == row.counter, table.c.ticket_id == row.ticket_id,
            table.c[DELETED].is_(False))).scalars()]
    conditions = [sa.and_(events.c.entity == e, events.c.entity_id == i) for e, i in keys]
    found = conn.execute(sa.select(events).where(
        events.c[COUNTER] == row.counter, sa.or_(*conditions)).order_by(events.c.id)).all()
    return [{"id": e.id, "at": e.at.astimezone(CHINA_TZ).isoformat() if e.at else None,
             "user": e.user, "entity": e.entity, "entity_id": e.entity_id,
             "action": e.action, "before": e.before, "after": e.after} for e in found]


def _history(conn: Connection, line_id: int) -> list[dict[str, Any]]:
    events = schema.table("hq_event")
    return [{"id": e.id, "at": e.at.isoformat(), "user": e.user, "action": e.action,
             "detail": e.detail}
            for e in conn.execute(sa.select(events).where(
                events.c.subject == str(line_id),
                events.c.action.like("hq.settle%")).order_by(events.c.id))]
