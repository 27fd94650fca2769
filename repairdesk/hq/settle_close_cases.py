"""HQ's use cases of the month's end: close a month into signed statements, read them,
write them as a workbook or a PDF, prove them again, and answer the counters' disputes.
A mixin of :class:`repairdesk.hq.facade.Hq` (its store, clock, user, ``require`` and
``record``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from repairdesk.errors import InputError, NotFound, StoreError
from repairdesk.hq import schema, settle_close, settle_disputes, settle_facts, settle_verify
from repairdesk.hq.settle_close_views import (
    DisputeView,
    StatementView,
    VerifyView,
    statement_view,
)
from repairdesk.i18n import _
from repairdesk.settings import default_hq_key_path
from repairdesk.sync import keys

if TYPE_CHECKING:
    from datetime import date, datetime

    from repairdesk.hq.store import HqStore


class SettleCloseCases:
    store: HqStore
    user: str | None

    if TYPE_CHECKING:
        def require(self, action: str) -> None: ...
        def record(self, conn: Any, action: str, subject: str | None,
                   detail: dict[str, Any] | None = None) -> None: ...
        def clock(self) -> datetime: ...
        def today(self) -> date: ...

    def close_month(self, month: str, counter: str | None = None,
                    key_path: Path | None = None) -> list[StatementView]:
        """Freeze ``month`` for every counter with lines (or ``counter``), each statement
        signed with HQ's key; a month closed before is returned unchanged."""
        self.require("hq.close_month")
        month = settle_close.check_month(month, self.today())
        key = keys.load_private_key(key_path or default_hq_key_path())
        now = self.clock()
        statements = schema.table("hq_statement")
        with self.store.write() as conn:
            self._check_key(conn, keys.public_key_text(key))
            codes = [self._counter_code(conn, counter)] if counter else \
                settle_close.counters_to_close(conn, month)
            done: list[StatementView] = []
            for code in codes:
                statement_id, new = settle_close.close_counter(conn, code, month, now,
                                                               self.user, key)
                row = conn.execute(sa.select(statements)
                                   .where(statements.c.id == statement_id)).one()
                if new:
                    self.record(conn, "hq.close_month", f"{code}/{month}", {
                        "statement": statement_id, "sha256": row.sha256,
                        "total_fen": row.total_fen, "lines": row.lines})
                done.append(statement_view(row._mapping, new=new))
        return done

    def statements(self, counter: str | None = None,
                   month: str | None = None) -> list[StatementView]:
        statements = schema.table("hq_statement")
        query = sa.select(statements).order_by(statements.c.month, statements.c.counter)
        if counter:
            query = query.where(statements.c.counter == counter.strip().upper())
        if month:
            query = query.where(statements.c.month == month.strip())
        with self.store.read() as conn:
            return [statement_view(row._mapping) for row in conn.execute(query)]

    def statement(self, counter: str, month: str) -> StatementView:
        found = self.statements(counter, month)
        if not found:
            raise NotFound(_("hqclose.no_statement", counter=counter.strip().upper(),
                             month=month.strip()))
        return found[0]

    def write_statement(self, counter: str, month: str, *, xlsx: Path | None = None,
                        pdf: Path | None = None) -> StatementView:
        """The statement as a workbook and/or a PDF (the same figures as its JSON)."""
        view = self.statement(counter, month)
        if xlsx is not None:
            from repairdesk.hq.statement_xlsx import write_statement_xlsx

            write_statement_xlsx(view, Path(xlsx))
        if pdf is not None:
            from repairdesk.hq.statement_pdf import write_statement_pdf

            write_statement_pdf(view, Path(pdf))
        return view

    def verify_month(self, month: str) -> list[VerifyView]:
        """Every statement of ``month`` recomputed (:mod:`repairdesk.hq.settle_verify`)."""
        statements, meta = schema.table("hq_statement"), schema.table("hq_meta")
        with self.store.read() as conn:
            public = conn.execute(sa.select(meta.c.value)
                                  .where(meta.c.key == "hq_public_key")).scalar()
            cards = {card.version: card for card in settle_facts.load_cards(conn)}
            found = []
            for row in conn.execute(sa.select(statements).where(
                    statements.c.month == month.strip()).order_by(statements.c.counter)):
                differences = settle_verify.verify_statement(conn, row._mapping, public, cards)
                found.append(VerifyView(row.counter, row.month, not differences, differences))
        return found

    # -- disputes -----------------------------------------------------------------------

    def disputes(self, counter: str | None = None, open_only: bool = False
                 ) -> list[DisputeView]:
        with self.store.read() as conn:
            return settle_disputes.disputes(conn, counter.strip().upper() if counter else None,
                                            open_only)

    def resolve_dispute(self, counter: str, dispute_id: int, *, accept: bool, reason: str,
                        amount: str | None = None) -> DisputeView:
        """Accept (an approved adjustment line of ``amount``, by default what the card pays
        beyond what was approved) or refuse, with HQ's reason; the answer goes back in the
        counter's next pack."""
        self.require("hq.resolve_dispute")
        now = self.clock()
        code = counter.strip().upper()
        with self.store.write() as conn:
            answer = settle_disputes.resolve(conn, code, dispute_id, accept=accept,
                                             reason=reason, amount=amount, now=now,
                                             user=self.user)
            self.record(conn, "hq.resolve_dispute", f"{code}/{dispute_id}", answer)
            found = settle_disputes.disputes(conn, code, False, dispute_id=dispute_id)
        return found[0]

    # -- helpers ------------------------------------------------------------------------

    def _counter_code(self, conn: Any, counter: str) -> str:
        code = counter.strip().upper()
        registry = schema.table("hq_counter")
        if conn.execute(sa.select(registry.c.code).where(registry.c.code == code)).first() \
                is None:
            raise InputError("counter", _("hqclose.unknown_counter", counter=counter))
        return code

    def _check_key(self, conn: Any, public: str) -> None:
        meta = schema.table("hq_meta")
        recorded = conn.execute(sa.select(meta.c.value)
                                .where(meta.c.key == "hq_public_key")).scalar()
        if recorded != public:
            raise StoreError(_("sync.pack_key_differs",
                               fingerprint=keys.fingerprint(recorded) if recorded else "-"))
