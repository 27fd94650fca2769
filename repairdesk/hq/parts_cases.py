"""HQ's use cases of the parts loop: the deposit ledger and what a counter's deposit covers
(:mod:`repairdesk.hq.deposits`). A mixin of :class:`repairdesk.hq.facade.Hq` (its store,
clock, user, ``require`` and ``record``)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from repairdesk.dates import is_month
from repairdesk.errors import InputError
from repairdesk.hq import (
    deposits,
    part_orders,
    part_returns,
    parts_stock,
    registry,
    schema,
    settle_lines,
)
from repairdesk.hq.parts_views import (
    DepositView,
    PartRequestHqView,
    ReturnView,
    ShipmentView,
    StockRowView,
    deposit_view,
    request_view,
    return_view,
    shipment_view,
    stock_row_view,
)
from repairdesk.i18n import _
from repairdesk.sync.ords import CHINA_TZ

if TYPE_CHECKING:
    from datetime import datetime

    from repairdesk.hq.registry import NetworkPolicy
    from repairdesk.hq.store import HqStore


class PartsCases:
    store: HqStore
    user: str | None

    if TYPE_CHECKING:
        @property
        def network_policy(self) -> NetworkPolicy: ...
        def require(self, action: str) -> None: ...
        def record(self, conn: Any, action: str, subject: str | None,
                   detail: dict[str, Any] | None = None) -> None: ...
        def clock(self) -> datetime: ...
        def _record(self, conn: Any, action: str, subject: str,
                    detail: dict[str, Any]) -> None: ...

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

    # -- the counters' requests and HQ's shipments ---------------------------------------

    def part_requests(self, counter: str | None = None,
                      state: str | None = None) -> list[PartRequestHqView]:
        """The request queue: every counter's (or ``counter``'s), in the order asked, each
        with its state (``part_orders.STATES``) and HQ's answer."""
        code = registry.check_code(counter, "counter") if counter else None
        if state is not None and state not in part_orders.STATES:
            raise InputError("state", _("core.bad_code", value=state,
                                        allowed=", ".join(part_orders.STATES)))
        with self.store.read() as conn:
            costs = deposits.standard_costs(conn)
            return [request_view(r, part_orders.state(r), costs) for r in part_orders.rows(
                conn, code, (state,) if state else None)]

    def approve_part_request(self, counter: str, request: int,
                             qty: object | None = None) -> PartRequestHqView:
        """Approve all of a request or ``qty`` of it, within the counter's headroom; beyond
        a limit of the policy it waits for a second user of the parts role."""
        self.require("hq.approve_part_request")
        code = registry.check_code(counter, "counter")
        policy = self.network_policy
        with self.store.write() as conn:
            headroom = deposits.headroom_fen(conn, registry.row_of(conn, code))
            outcome = part_orders.approve(conn, code, request, qty, policy=policy,
                                          headroom_fen=headroom, now=self.clock(),
                                          user=self.user)
            found = part_orders.one(conn, code, request)
            self.record(conn, "hq.approve_part_request", f"{code}/{request}", {
                "outcome": outcome, "qty": found.approved_qty, "value_fen": found.value_fen})
            return request_view(found, part_orders.state(found),
                                deposits.standard_costs(conn))

    def reject_part_request(self, counter: str, request: int,
                            reason: str) -> PartRequestHqView:
        self.require("hq.reject_part_request")
        code = registry.check_code(counter, "counter")
        with self.store.write() as conn:
            part_orders.reject(conn, code, request, reason, now=self.clock(), user=self.user)
            found = part_orders.one(conn, code, request)
            self.record(conn, "hq.reject_part_request", f"{code}/{request}",
                        {"reason": found.answer})
            return request_view(found, "rejected", deposits.standard_costs(conn))

    def ship_parts(self, counter: str, waybill: str,
                   requests: list[int] | None = None) -> ShipmentView:
        """One shipment of ``counter``'s approved requests (those named, or all of them); it
        goes to the counter in its next pack."""
        self.require("hq.ship_parts")
        code = registry.check_code(counter, "counter")
        with self.store.write() as conn:
            registry.row_of(conn, code)
            shipment = part_orders.ship(conn, code, waybill, requests, now=self.clock(),
                                        user=self.user)
            view = self._shipments(conn, code, shipment)[0]
            self.record(conn, "hq.ship_parts", f"{code}/{shipment}", {
                "waybill": view.waybill, "lines": len(view.lines), "value": view.value})
            return view

    def shipments(self, counter: str | None = None,
                  differences: bool = False) -> list[ShipmentView]:
        """HQ's shipments with the counters' receipts (``differences``: only those received
        short or damaged, which HQ takes up with the carrier)."""
        code = registry.check_code(counter, "counter") if counter else None
        with self.store.read() as conn:
            found = self._shipments(conn, code)
        return [v for v in found if v.differs] if differences else found

    # -- the counters' stock -------------------------------------------------------------

    def parts_stock(self, counter: str | None = None, month: str | None = None,
                    slow: bool = False) -> list[StockRowView]:
        """Per counter and part: on the shelf, in transit, due back, used in ``month``
        (default: this one); ``slow``: only the slow movers."""
        from repairdesk.hq.report_sql import at, next_month

        today = self.clock().astimezone(CHINA_TZ).date()
        text = (month or today.strftime("%Y-%m")).strip()
        if not is_month(text):
            raise InputError("month", _("hqclose.bad_month", value=text))
        first = date.fromisoformat(f"{text}-01")
        code = registry.check_code(counter, "counter") if counter else None
        table = schema.table("hq_counter")
        with self.store.read() as conn:
            codes = [code] if code else list(conn.execute(
                sa.select(table.c.code).order_by(table.c.code)).scalars())
            found = [stock_row_view(r) for c in codes for r in parts_stock.rows(
                conn, c, at(first), at(next_month(first)), today)]
        return [r for r in found if r.slow] if slow else found

    # -- faulty parts back -------------------------------------------------------------

    def part_returns(self, counter: str | None = None,
                     pending: bool = False) -> list[ReturnView]:
        """The faulty parts the counters sent back, one return per waybill (``pending``:
        those HQ has not received)."""
        code = registry.check_code(counter, "counter") if counter else None
        with self.store.read() as conn:
            found = [return_view(r) for r in part_returns.returns(conn, code)]
        return [v for v in found if not v.received] if pending else found

    def receive_return(self, counter: str, ref: str, *, missing: list[int] | None = None,
                       wrong: list[int] | None = None, note: str = "") -> ReturnView:
        """Receive ``counter``'s return sent under waybill ``ref``: each part received but
        those ``missing`` or ``wrong`` (not the part claimed), whose claim lines are held
        again; the received ones leave the counter's exposure."""
        self.require("hq.receive_return")
        code = registry.check_code(counter, "counter")
        now = self.clock()
        with self.store.write() as conn:
            found = part_returns.receive(conn, code, ref, list(missing or []),
                                         list(wrong or []), note, now, self.user)
            view = return_view(found)
            self.record(conn, "hq.receive_return", f"{code}/{view.ref}", {
                "received": [li.old_part for li in view.lines if li.outcome == "received"],
                "missing": list(missing or []), "wrong": list(wrong or [])})
            settle_lines.refresh_all(conn, now, code, record=self._record)
            return view

    def _shipments(self, conn: Any, counter: str | None,
                   shipment: int | None = None) -> list[ShipmentView]:
        shipments, lines = schema.table("hq_shipment"), schema.table("hq_shipment_line")
        query = sa.select(shipments).order_by(shipments.c.id)
        if counter:
            query = query.where(shipments.c.counter == counter)
        if shipment is not None:
            query = query.where(shipments.c.id == shipment)
        found = conn.execute(query).all()
        by_shipment: dict[int, list[Any]] = {}
        for line in conn.execute(sa.select(lines).where(lines.c.shipment_id.in_(
                [s.id for s in found])).order_by(lines.c.shipment_id, lines.c.line)):
            by_shipment.setdefault(line.shipment_id, []).append(line)
        receipts = schema.mirrors()["shipment_receipt"]
        got: dict[tuple[str, int], dict[int, Any]] = {}
        for r in conn.execute(sa.select(receipts).where(
                receipts.c.shipment_id.in_([s.id for s in found]),
                receipts.c[schema.DELETED].is_(False))):
            got.setdefault((r._mapping[schema.COUNTER], int(r.shipment_id)), {})[r.line] = r
        return [shipment_view(s, by_shipment.get(s.id, []), got.get((s.counter, s.id), {}))
                for s in found]
