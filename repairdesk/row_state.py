"""A row's state: what the audit trail binds to each event, and what HQ checks a row against.

The state of a row is the canonical JSON of its exported columns exactly as a batch line
carries them (:mod:`repairdesk.sync.lines`), null columns left out: keys sorted, compact,
UTF-8 unescaped, values as :func:`to_json` writes them (times in UTC with ``+00:00``). Null
columns are left out so that a nullable column added by a later migration does not change
the state of every row written before it. :func:`state_text` is the definition; a batch line
is turned into it by HQ, and :func:`state_sql` has SQLite write the same text for the
counter's own rows (tests/unit/trust/test_tampering.py compares the two).

Also here, once for the whole product: which columns are secret (never in the trail, a
batch or a state) and how a stored value is written as JSON, in Python and in SQL.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel.sql.sqltypes import UTCDateTime

#: Secrets that stay at the counter: the screen-lock passcode (erased at collection) and the
#: hashes of the staff's PINs.
SECRET_COLUMNS = frozenset({("ticket", "passcode_value"), ("user", "pin_hash")})
#: Safety net: a column of a future table named like one of these stays at the counter too.
SECRET_NAME = re.compile(r"passcode_value|passw(or)?d|secret|private_key|(^|_)pin(_|$)", re.I)
#: A batch line's "this row was deleted" mark (it carries the key columns only).
DELETED = "$deleted"


def is_secret(table: str, column: str) -> bool:
    return (table, column) in SECRET_COLUMNS or bool(SECRET_NAME.search(column))


def state_columns(table: sa.Table) -> tuple[str, ...]:
    """The columns a row's state (and a batch line) carries, in table order."""
    return tuple(c.name for c in table.columns if not is_secret(table.name, c.name))


def base_type(type_: sa.types.TypeEngine[Any]) -> sa.types.TypeEngine[Any]:
    """The storage type under a TypeDecorator (AutoString is a String, UTCDateTime a DateTime)."""
    while isinstance(type_, TypeDecorator):
        type_ = type_.impl_instance
    return type_


def to_json(value: Any) -> Any:
    """A value read from the store as JSON (dates ISO 8601, bytes base64, Decimal text)."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


_DUMPS = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def state_text(line: Mapping[str, Any]) -> str:
    """The state of a row given as a batch line carries it (JSON values, by column)."""
    return _DUMPS({k: v for k, v in line.items() if v is not None and k != DELETED})


def state_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def line_state(line: Mapping[str, Any]) -> str:
    """The state hash of a batch line (HQ's side of the check)."""
    return state_hash(state_text(line))


# -- the same text written by SQLite, for every row of a table at once ----------------------

#: SQLAlchemy's SQLite DATETIME storage form, ``YYYY-MM-DD HH:MM:SS.ffffff``, and DATE's.
#: ``?`` rather than ``[0-9]``: a character class costs a microsecond a value, and a value
#: of this shape that is not a time made the Python export fail anyway.
_STORED_TIME = "????-??-?? ??:??:??.??????"
_STORED_DATE = "????-??-??"
_DIALECT = sqlite_dialect.dialect()


@dataclass(frozen=True)
class Fallback:
    """A column whose unusual values (or all, for JSON) are encoded in Python."""

    function: str  # the SQL function's name
    type_: sa.types.TypeEngine[Any]
    memo: bool  # remember results: JSON documents repeat, times and dates rarely do


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def column_sql(table: sa.Table, name: str, function: str) -> tuple[str, Fallback | None]:
    """The SQL JSON value of one column as a batch line writes it (see
    :mod:`repairdesk.sync.lines`), and its Python fallback if it has one."""
    type_ = table.c[name].type
    base = base_type(type_)
    col = quote(name)
    fallback = f"json({function}({col}))"
    if isinstance(base, sa.JSON):
        # Stored as json.dumps wrote it: with no backslash (no escape at all) and no object
        # (no key order to fix), json() only has spaces to drop to give Python's bytes.
        plain = f"instr({col}, char(92)) = 0 AND instr({col}, '{{') = 0 AND json_valid({col})"
        return (f"CASE WHEN {col} IS NULL THEN NULL WHEN {plain} THEN json({col}) "
                f"ELSE {fallback} END", Fallback(function, type_, memo=True))
    if isinstance(type_, UTCDateTime):
        # UTC, naive in the store; Python's isoformat leaves out a zero fraction.
        fast = (f"replace(iif(substr({col}, 21) = '000000', substr({col}, 1, 19), {col}), "
                f"' ', 'T') || '+00:00'")
        return (f"CASE WHEN {col} GLOB '{_STORED_TIME}' THEN {fast} "
                f"WHEN {col} IS NULL THEN NULL ELSE {fallback} END",
                Fallback(function, type_, memo=False))
    if isinstance(base, sa.DateTime):
        return fallback, Fallback(function, type_, memo=False)
    if isinstance(base, sa.Date):
        return (f"CASE WHEN {col} GLOB '{_STORED_DATE}' THEN {col} "
                f"WHEN {col} IS NULL THEN NULL ELSE {fallback} END",
                Fallback(function, type_, memo=False))
    if isinstance(base, sa.Boolean):
        return (f"CASE {col} WHEN 1 THEN json('true') WHEN 0 THEN json('false') "
                f"ELSE {fallback} END", Fallback(function, type_, memo=False))
    if isinstance(base, (sa.Integer, sa.String)) and not isinstance(base, sa.Enum):
        return col, None
    return fallback, Fallback(function, type_, memo=False)


def encode_value(type_: sa.types.TypeEngine[Any]) -> Callable[[Any], str]:
    """A stored value as the batch's JSON text, the way the Python export wrote it."""
    process = type_.dialect_impl(_DIALECT).result_processor(_DIALECT, None)
    if isinstance(base_type(type_), sa.JSON):
        # SQLAlchemy's JSON processor is json.loads for text, and to_json leaves what
        # json.loads returns as it is: the same result without two layers of calls.
        loads = json.JSONDecoder().decode

        def encode_document(value: Any) -> str:
            if isinstance(value, str):
                return _DUMPS(loads(value))
            return _DUMPS(to_json(process(value) if process else value))

        return encode_document

    def encode(value: Any) -> str:
        return _DUMPS(to_json(process(value) if process else value))

    return encode


def register(raw: sqlite3.Connection, fallbacks: Sequence[Fallback]) -> None:
    """Define the fallback functions on this connection (fresh memos at every call)."""
    for fallback in fallbacks:
        encode = encode_value(fallback.type_)
        if fallback.memo:
            encode = _memoised(encode)
        raw.create_function(fallback.function, 1, encode, deterministic=True)


def _memoised(encode: Callable[[Any], str]) -> Callable[[Any], str]:
    seen: dict[Any, str] = {}

    def remembered(value: Any) -> str:
        try:
            return seen[value]
        except KeyError:
            seen[value] = found = encode(value)
            return found

    return remembered


@dataclass(frozen=True)
class StatePlan:
    """How SQLite writes the state text of a table's rows."""

    table: str
    key: str  # the one key column (every audited table has a single-column key)
    text: str  # the SQL expression of the state text
    fallbacks: tuple[Fallback, ...]


@cache
def state_plans() -> dict[str, StatePlan]:
    """Every audited table's plan, by table name: the tables a batch carries, but the trail."""
    from sqlmodel import SQLModel

    import repairdesk.models  # noqa: F401  (registers every table in the metadata)

    found: dict[str, StatePlan] = {}
    number = 0
    for table in sorted(SQLModel.metadata.tables.values(), key=lambda t: t.name):
        if table.name in UNBOUND_TABLES or table.name.startswith("sync_"):
            continue
        parts, fallbacks = [], []
        for name in sorted(state_columns(table)):  # json.dumps sorts keys by code point too
            number += 1
            value, fallback = column_sql(table, name, f"repairdesk_state_{number}")
            col = quote(name)
            empty = f"{col} IS NULL"
            if isinstance(base_type(table.c[name].type), sa.JSON):
                empty += f" OR {col} = 'null'"  # a JSON null is a null column in the line
            parts.append(f"CASE WHEN {empty} THEN '' ELSE "
                         f"',' || json_quote('{name}') || ':' || json_quote({value}) END")
            if fallback:
                fallbacks.append(fallback)
        (key,) = [c.name for c in table.primary_key.columns]
        text = "'{' || substr(" + " || ".join(parts) + ", 2) || '}'"
        found[table.name] = StatePlan(table.name, key, text, tuple(fallbacks))
    return found


#: Tables whose rows carry no state: the trail itself, and counter bookkeeping that never
#: leaves the counter (``sync_*`` too, see :func:`state_plans`).
UNBOUND_TABLES = frozenset({"audit_event", "ticket_sequence", "alembic_version"})


def prepare(raw: sqlite3.Connection) -> None:
    """Define every plan's fallback functions on ``raw`` (once per connection is enough)."""
    register(raw, [f for plan in state_plans().values() for f in plan.fallbacks])


def states(raw: sqlite3.Connection, table: str, keys: Sequence[Any] | None = None,
           chunk: int = 500) -> Iterator[tuple[str, str]]:
    """(key as the trail writes it, state hash) of the rows of ``table`` (all, or ``keys``);
    :func:`prepare` must have run on ``raw``."""
    plan = state_plans()[table]
    head = f"SELECT {quote(plan.key)}, {plan.text} FROM {quote(table)}"
    if keys is None:
        cursor = raw.execute(head)
        while rows := cursor.fetchmany(5000):
            for key, text in rows:
                yield str(key), state_hash(text)
        return
    for start in range(0, len(keys), chunk):
        part = keys[start:start + chunk]
        marks = ", ".join("?" * len(part))
        for key, text in raw.execute(f"{head} WHERE {quote(plan.key)} IN ({marks})", part):
            yield str(key), state_hash(text)
