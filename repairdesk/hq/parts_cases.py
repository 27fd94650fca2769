"""HQ's use cases of the parts loop: the deposit ledger and what a counter's deposit covers
(:mod:`repairdesk.hq.deposits`). A mixin of :class:`repairdesk.hq.facade.Hq` (its store,
clock, user, ``require`` and ``record``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from repairdesk.hq import deposits, registry, schema
from repairdesk.hq.parts_views import DepositView, deposit_view

if TYPE_CHECKING:
    from datetime import datetime

    from repairdesk.hq.store import HqStore


class PartsCases:
    store: HqStore
    user: str | None

    if TYPE_CHECKING:
        def require(self, action: str) -> None: ...
        def record(self, conn: Any, action: str, subject: str | None,
                   detail: dict[str, Any] | None = None) -> None: ...
        def clock(self) -> datetime: ...

    def deposit_pay(self, counter: str, amount: object, *, ref: str,
                    note: str = "") -> DepositView:
        """Record a deposit paid in by ``counter``."""
        self.require("hq.deposit_pay")
        return self._enter(counter, "pay", amount, ref, note)

    def deposit_refund(self, counter: str, amount: object, *, ref: str,
                       note: str = "") -> DepositView:
        """Record deposit paid back to ``counter`` (never more than it holds)."""
        self.require("hq.deposit_refund")
        return self._enter(counter, "refund", amount, ref, note)

    def deposit_deduct(self, counter: str, amount: object, *, ref: str,
                       note: str = "") -> DepositView:
        """Deduct from ``counter``'s deposit: parts lost, faulty parts never returned."""
        self.require("hq.deposit_deduct")
        return self._enter(counter, "deduct", amount, ref, note)

    def _enter(self, counter: str, kind: str, amount: object, ref: str,
               note: str) -> DepositView:
        code = registry.check_code(counter, "counter")
        with self.store.write() as conn:
            registry.row_of(conn, code)
            entry = deposits.enter(conn, code, kind, amount, ref, note, self.clock(),
                                   self.user)
            self.record(conn, f"hq.deposit_{kind}", code, {
                "entry": entry["id"], "amount_fen": entry["amount_fen"],
                "balance_fen": entry["balance_fen"], "ref": entry["ref"]})
            return self._deposit(conn, code)

    def deposit(self, counter: str) -> DepositView:
        """``counter``'s deposit, credit, exposure and headroom, with its ledger."""
        code = registry.check_code(counter, "counter")
        with self.store.read() as conn:
            return self._deposit(conn, code)

    def deposits(self) -> list[DepositView]:
        """Every counter's deposit and exposure (without their ledgers)."""
        table = schema.table("hq_counter")
        with self.store.read() as conn:
            costs = deposits.standard_costs(conn)
            return [deposit_view(row, deposits.exposure(conn, row.code, costs), [])
                    for row in conn.execute(sa.select(table).order_by(table.c.code))]

    def _deposit(self, conn: Any, code: str) -> DepositView:
        row = registry.row_of(conn, code)
        return deposit_view(row, deposits.exposure(conn, code), deposits.entries(conn, code))
