"""Which counters a report covers (``--counter``, ``--level``, ``--region``) and how they roll
up: by level (the registry's) and by province (the first two digits of the region code).

The filter is one condition on the mirrors' ``hq_counter`` column, a sub-select of the
registry (a few thousand rows), so every figure's query keeps its own indexes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from repairdesk.hq import schema
from repairdesk.hq.schema import COUNTER

#: The roll-up key of counters the registry gives no level or region (trusted before it).
NONE = "-"


def province_of(region: str | None) -> str:
    return f"{region[:2]}0000" if region and len(region) == 6 else NONE


def region_prefix(code: str) -> str:
    """What every division inside ``code`` starts with: 44 (a province), 4403 (a city),
    440305 (a county)."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


@dataclass(frozen=True)
class Scope:
    counter: str | None = None
    level: str | None = None
    region: str | None = None

    @property
    def filtered(self) -> bool:
        return bool(self.counter or self.level or self.region)

    def registry_condition(self) -> list[Any]:
        reg = schema.table("hq_counter")
        found: list[Any] = []
        if self.level:
            found.append(reg.c.level == self.level)
        if self.region:
            prefix = region_prefix(self.region)
            found.append(reg.c.region == prefix if len(prefix) == 6
                         else reg.c.region.like(f"{prefix}%"))
        if self.counter:
            found.append(reg.c.code == self.counter)
        return found

    def on(self, table: sa.Table) -> list[Any]:
        """The condition on a mirror table's rows (none without a filter)."""
        if self.counter and not (self.level or self.region):
            return [table.c[COUNTER] == self.counter]
        if not self.filtered:
            return []
        reg = schema.table("hq_counter")
        return [table.c[COUNTER].in_(sa.select(reg.c.code).where(*self.registry_condition()))]


@dataclass(frozen=True)
class CounterInfo:
    code: str
    name: str | None
    level: str | None
    region: str | None

    @property
    def province(self) -> str:
        return province_of(self.region)


def registry(conn: sa.Connection, scope: Scope) -> dict[str, CounterInfo]:
    """The registered counters the scope covers, by code."""
    reg = schema.table("hq_counter")
    rows = conn.execute(sa.select(reg.c.code, reg.c.name, reg.c.level, reg.c.region)
                        .where(*scope.registry_condition()).order_by(reg.c.code))
    return {r.code: CounterInfo(r.code, r.name, r.level, r.region) for r in rows}
