"""HQ's use cases about the network's registry (:mod:`repairdesk.hq.registry`).

A mixin of :class:`repairdesk.hq.facade.Hq`: every change checks who may make it, checks
every field before writing, and is recorded in HQ's trail in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk.errors import InputError
from repairdesk.hq import registry, schema
from repairdesk.hq.regions import RegionView, region
from repairdesk.hq.registry import CounterView, Level, NetworkPolicy
from repairdesk.hq.store import HqStore
from repairdesk.i18n import _


class NetworkCases:
    store: HqStore
    user: str | None
    network_policy_path: Path | None

    clock: Callable[[], datetime]

    def today(self) -> date:
        raise NotImplementedError

    def require(self, action: str) -> None:
        raise NotImplementedError

    def record(self, conn: Connection, action: str, subject: str | None,
               detail: dict[str, Any] | None = None) -> None:
        raise NotImplementedError

    @property
    def network_policy(self) -> NetworkPolicy:
        return registry.load_policy(self.network_policy_path)

    def levels(self) -> list[Level]:
        return list(self.network_policy.levels)

    def region(self, code: str) -> RegionView:
        return region(code)

    def add_counter(self, code: str, name: str, **fields: Any) -> CounterView:
        self.require("hq.add_counter")
        code = registry.check_code(code)
        table = schema.table("hq_counter")
        with self.store.write() as conn:
            if conn.execute(sa.select(table.c.code).where(table.c.code == code)).first():
                raise InputError("counter.code", _("hqnet.counter_exists", code=code))
            values = registry.checked(conn, code, {"name": name, **fields},
                                      policy=self.network_policy, today=self.today())
            conn.execute(sa.insert(table).values(code=code, state="active",
                                                 state_since=self.today(),
                                                 created_at=self.clock(), **values))
            self.record(conn, "hq.add_counter", code, values)
            return registry.view(conn, registry.row_of(conn, code), self.network_policy)

    def edit_counter(self, code: str, **changes: Any) -> CounterView:
        self.require("hq.edit_counter")
        code = registry.check_code(code)
        with self.store.write() as conn:
            current = registry.row_of(conn, code)
            values = registry.checked(conn, code, changes, policy=self.network_policy,
                                      today=self.today(), current=dict(current._mapping))
            changed = {k: v for k, v in values.items() if current._mapping[k] != v}
            if changed:
                table = schema.table("hq_counter")
                conn.execute(sa.update(table).where(table.c.code == code).values(**changed))
                self.record(conn, "hq.edit_counter", code, {
                    k: {"from": current._mapping[k], "to": v} for k, v in changed.items()})
            return registry.view(conn, registry.row_of(conn, code), self.network_policy,
                                 history=True)

    def counter(self, code: str) -> CounterView:
        with self.store.read() as conn:
            return registry.view(conn, registry.row_of(conn, registry.check_code(code)),
                                 self.network_policy, history=True)

    def counters(self, *, level: str | None = None, region: str | None = None,
                 state: str | None = None, expiring: int | None = None) -> list[CounterView]:
        query = registry.select(level=level, region=region, state=state, expiring=expiring,
                                today=self.today())
        with self.store.read() as conn:
            return [registry.view(conn, row, self.network_policy)
                    for row in conn.execute(query)]

    def expiring_agreements(self) -> list[CounterView]:
        """Active counters whose agreement ends within the policy's notice (30 days)."""
        return self.counters(expiring=self.network_policy.renewal_notice_days)

    def _change_state(self, action: str, code: str, state: str, reason: str) -> CounterView:
        code = registry.check_code(code)
        with self.store.write() as conn:
            registry.change_state(conn, code, state, reason, today=self.today(),
                                  now=self.clock(), user=self.user)
            self.record(conn, action, code, {"state": state, "reason": reason})
            return registry.view(conn, registry.row_of(conn, code), self.network_policy,
                                 history=True)

    def suspend_counter(self, code: str, reason: str) -> CounterView:
        self.require("hq.suspend_counter")
        return self._change_state("hq.suspend_counter", code, "suspended", reason)

    def resume_counter(self, code: str, reason: str) -> CounterView:
        self.require("hq.resume_counter")
        return self._change_state("hq.resume_counter", code, "active", reason)

    def retire_counter(self, code: str, reason: str) -> CounterView:
        self.require("hq.retire_counter")
        return self._change_state("hq.retire_counter", code, "retired", reason)
