"""The network's registry: every service point HQ works with, its level, region, who
authorised it, its agreement and its state (active, suspended, retired), each change of
state with its day and reason.

The levels and their names come from HQ's network policy (``data/hq/network.toml``); a
region is a GB/T 2260 code (:mod:`repairdesk.hq.regions`). Every check names its field and
refuses before anything is written.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk.amounts import fen_to_yuan, yuan_to_fen
from repairdesk.counter import COUNTER_CODE
from repairdesk.dates import parse_date
from repairdesk.errors import InputError, NotFound
from repairdesk.freetext import check_optional, check_text
from repairdesk.hq import regions, schema
from repairdesk.i18n import _, get_language
from repairdesk.paths import data_dir
from repairdesk.phones import parse_phone
from repairdesk.sync import keys

STATES = ("active", "suspended", "retired")
#: The fields a counter has besides its code, as ``hq counter add|edit`` and the Network
#: screen name them (the field codes of messages: ``field.counter.<name>``).
FIELDS = ("name", "level", "region", "parent", "agent", "person", "phone", "address",
          "agreement_start", "agreement_end", "credit_multiple")
_MAX_MULTIPLE = Decimal("100")


@dataclass(frozen=True)
class Level:
    code: str
    names: dict[str, str]

    @property
    def name(self) -> str:
        return self.names.get(get_language()) or self.names.get("en") or self.code


@dataclass(frozen=True)
class NetworkPolicy:
    levels: tuple[Level, ...]
    renewal_notice_days: int
    # One part request's limits: beyond either, an approval needs a second user.
    parts_max_qty: int = 10
    parts_max_fen: int = 300_000

    def level(self, code: str | None) -> Level | None:
        return next((lv for lv in self.levels if lv.code == code), None)


@cache
def load_policy(path: Path | None = None) -> NetworkPolicy:
    source = path or data_dir() / "hq" / "network.toml"
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
        levels = tuple(Level(str(lv["code"]), {k: str(v) for k, v in lv.items() if k != "code"})
                       for lv in data.get("level", []))
        days = int(data.get("renewal_notice_days", 30))
        parts = data.get("parts", {})
        max_qty = int(parts.get("max_qty_per_request", 10))
        largest = str(parts.get("max_amount_per_request", "3000.00"))
        max_fen = yuan_to_fen(largest, "max_amount_per_request", positive=True)
        if max_qty < 1:
            raise ValueError(f"max_qty_per_request = {max_qty}")
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError,
            InputError) as exc:
        raise InputError(str(source), _("hqnet.policy_invalid", path=str(source),
                                        error=str(exc))) from exc
    return NetworkPolicy(levels, days, max_qty, max_fen)


@dataclass(frozen=True)
class CounterView:
    code: str
    name: str
    level: str | None
    level_name: str | None
    region: str | None
    region_name: str | None
    region_short: str | None
    parent: str | None
    agent: str | None
    person: str | None
    phone: str | None
    address: str | None
    agreement_start: date | None
    agreement_end: date | None
    deposit: Decimal
    credit_multiple: Decimal
    state: str
    state_since: date | None
    trusted: bool
    fingerprint: str | None
    created_at: datetime | None
    history: list[dict[str, Any]] = field(default_factory=list)

    def days_left(self, today: date) -> int | None:
        return (self.agreement_end - today).days if self.agreement_end else None

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        for key in ("agreement_start", "agreement_end", "state_since"):
            data[key] = data[key].isoformat() if data[key] else None
        data["created_at"] = self.created_at.isoformat() if self.created_at else None
        data["deposit"] = str(self.deposit)
        data["credit_multiple"] = str(self.credit_multiple)
        return data


def check_code(code: str, field: str = "counter.code") -> str:
    text = code.strip().upper()
    if not COUNTER_CODE.match(text):
        raise InputError(field, _("core.counter_code_invalid", code=code.strip()))
    return text


def _day(value: Any, name: str, today: date) -> date | None:
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return parse_date(text, today, past=False)
    except ValueError as exc:
        raise InputError(f"counter.{name}", str(exc)) from None


def _multiple(value: Any) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InputError("counter.credit_multiple",
                         _("hqnet.multiple_invalid", value=str(value))) from None
    if not number.is_finite() or number <= 0 or number > _MAX_MULTIPLE:
        raise InputError("counter.credit_multiple", _("hqnet.multiple_invalid", value=str(value)))
    return number.quantize(Decimal("0.01"))


def checked(conn: Connection, code: str, values: dict[str, Any], *, policy: NetworkPolicy,
            today: date, current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The row values for ``values`` (a new counter's, or changes to ``current``), checked:
    InputError naming the first field that is wrong."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise InputError(sorted(unknown)[0], _("hqnet.field_unknown", field=sorted(unknown)[0]))
    row: dict[str, Any] = {}
    for name, value in values.items():
        if value is None and name not in ("parent", "agent"):
            continue
        if name == "name":
            row["name"] = check_text("counter.name", str(value), rule="customer.name")
            if not row["name"]:
                raise InputError("counter.name", _("core.required"))
        elif name == "level":
            text = str(value).strip().lower()
            if policy.level(text) is None:
                raise InputError("counter.level", _("core.bad_code", value=text, allowed=", ".join(
                    lv.code for lv in policy.levels)))
            row["level"] = text
        elif name == "region":
            row["region"] = regions.region(str(value), "counter.region").code if str(
                value).strip() else None
        elif name == "parent":
            row["parent"] = _parent(conn, code, value)
        elif name in ("agent", "person", "address"):
            rule = "customer.name" if name != "address" else None
            row[name] = check_optional(f"counter.{name}", None if value is None else str(value),
                                       rule=rule) or None
        elif name == "phone":
            row["phone"] = parse_phone(str(value), field="counter.phone") if str(
                value).strip() else None
        elif name in ("agreement_start", "agreement_end"):
            row[name] = _day(value, name, today)
        elif name == "credit_multiple":
            row["credit_multiple"] = _multiple(value)
    merged = {**(current or {}), **row}
    start, end = merged.get("agreement_start"), merged.get("agreement_end")
    if start and end and end < start:
        raise InputError("counter.agreement_end", _("hqnet.agreement_ends_before",
                                                    end=end.isoformat(), start=start.isoformat()))
    if merged.get("parent") and merged.get("agent"):
        raise InputError("counter.agent", _("hqnet.parent_or_agent"))
    return row


def _parent(conn: Connection, code: str, value: Any) -> str | None:
    if value is None or not str(value).strip():
        return None
    parent = check_code(str(value), "counter.parent")
    if parent == code:
        raise InputError("counter.parent", _("hqnet.parent_self"))
    table = schema.table("hq_counter")
    seen = {code}
    step: str | None = parent
    while step is not None:  # the authorising chain must end at HQ, not loop back
        if step in seen:
            raise InputError("counter.parent", _("hqnet.parent_loop", parent=parent))
        seen.add(step)
        found = conn.execute(sa.select(table.c.code, table.c.parent)
                             .where(table.c.code == step)).first()
        if found is None:
            raise InputError("counter.parent", _("hqnet.no_counter", code=step))
        step = found.parent
    return parent


def row_of(conn: Connection, code: str) -> Any:
    table = schema.table("hq_counter")
    row = conn.execute(sa.select(table).where(table.c.code == code)).first()
    if row is None:
        raise NotFound(_("hqnet.no_counter", code=code))
    return row


def view(conn: Connection, row: Any, policy: NetworkPolicy, *, history: bool = False
         ) -> CounterView:
    level = policy.level(row.level)
    region_name = region_short = None
    if row.region:
        try:
            found = regions.region(row.region)
            region_name, region_short = found.name, found.short
        except InputError:  # a code a later revision of the standard dropped
            pass
    events: list[dict[str, Any]] = []
    if history:
        states = schema.table("hq_counter_state")
        events = [{"state": e.state, "on": e.on_day.isoformat(), "reason": e.reason,
                   "by": e.by_user, "at": e.at.isoformat()}
                  for e in conn.execute(sa.select(states).where(states.c.counter == row.code)
                                        .order_by(states.c.id))]
    return CounterView(
        row.code, row.name, row.level, level.name if level else row.level, row.region,
        region_name, region_short, row.parent, row.agent, row.person, row.phone, row.address,
        row.agreement_start, row.agreement_end, fen_to_yuan(int(row.deposit_fen or 0)),
        Decimal(row.credit_multiple or 1).quantize(Decimal("0.01")), row.state,
        row.state_since, row.public_key is not None,
        keys.fingerprint(row.public_key) if row.public_key else None, row.created_at, events)


def select(*, level: str | None = None, region: str | None = None, state: str | None = None,
           expiring: int | None = None, today: date) -> sa.Select[Any]:
    """The registry's rows, filtered: ``region`` a division and everything in it;
    ``expiring`` agreements of active counters ending within that many days (or ended)."""
    table = schema.table("hq_counter")
    query = sa.select(table).order_by(table.c.code)
    if level:
        query = query.where(table.c.level == level.strip().lower())
    if region:
        code = regions.region(region, "--region").code
        query = query.where(table.c.region.like(regions.prefix(code) + "%"))
    if state:
        if state not in STATES:
            raise InputError("--state", _("core.bad_code", value=state, allowed=", ".join(STATES)))
        query = query.where(table.c.state == state)
    if expiring is not None:
        if expiring < 0:
            raise InputError("--expiring", _("hqnet.expiring_negative"))
        query = query.where(table.c.state == "active", table.c.agreement_end.is_not(None),
                            table.c.agreement_end <= today + timedelta(days=expiring))
        query = query.order_by(None).order_by(table.c.agreement_end, table.c.code)
    return query


def change_state(conn: Connection, code: str, state: str, reason: str, *, today: date,
                 now: datetime, user: str | None) -> None:
    """Move a counter to ``state``: active ⇄ suspended, either → retired (for good)."""
    row = row_of(conn, code)
    reason = check_text("counter.reason", reason)
    if not reason:
        raise InputError("counter.reason", _("core.reason_required"))
    allowed = {"suspended": ("active",), "active": ("suspended",),
               "retired": ("active", "suspended")}[state]
    if row.state not in allowed:
        raise InputError("counter.state", _("hqnet.state_not_from", code=code,
                                            state=_(f"hqnet.state_{row.state}"),
                                            target=_(f"hqnet.state_{state}")))
    table, states = schema.table("hq_counter"), schema.table("hq_counter_state")
    conn.execute(sa.update(table).where(table.c.code == code)
                 .values(state=state, state_since=today))
    conn.execute(sa.insert(states).values(counter=code, state=state, on_day=today,
                                          reason=reason, by_user=user, at=now))
