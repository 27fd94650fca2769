"""The JSON line of each exported row, written by SQLite itself (JSON1's ``json_object``).

The batch format is what Python's encoder made of the values SQLAlchemy reads
(:func:`.batch.json_line` over :func:`.tables.to_json`): keys sorted, UTF-8 unescaped,
compact. Doing that in Python cost ~40 µs a row, most of an export, so SQLite writes the same
bytes in C (tests/unit/sync/test_lines.py compares them with the Python encoder's):

- ``json_object`` with the columns in sorted order escapes text exactly as ``json.dumps(...,
  ensure_ascii=False)`` does (``"``, ``\\`` and the controls below 0x20 only, with the same
  short forms and lowercase ``\\u00xx``), and writes integers the same way;
- times and dates in SQLAlchemy's storage form are rewritten with ``substr``, and a JSON
  document with no escape and no object in it only loses its spaces (``json()``);
- any other value goes through a Python function applying SQLAlchemy's own result processor
  and ``json.dumps``, as the export always did: a time of another form, a boolean that is not
  0 or 1, and most documents with objects (their keys must be sorted, which JSON1 cannot
  do). Documents repeat a lot, so that function remembers each distinct text of one export.

Where the bytes could differ: a real number stored in an integer or text column (SQLite
prints 15 significant digits), and a number in a document that no Python writer would have
written so (``1.50``, ``1E5``); the store's writers never do either.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlmodel.sql.sqltypes import UTCDateTime

from repairdesk.sync.tables import ExportTable, base_type, export_tables, to_json

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


@dataclass(frozen=True)
class LinePlan:
    """How one table's changed rows become lines: the SELECT and the functions it calls."""

    select: str  # parameters: table name, low seq (excluded), high seq (included); each
    # row is one line, newline included, as UTF-8 bytes
    fallbacks: tuple[Fallback, ...]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _column(t: ExportTable, name: str, function: str) -> tuple[str, Fallback | None]:
    """The SQL value of one column in the line, and its Python fallback if it has one."""
    type_ = t.table.c[name].type
    base = base_type(type_)
    col = _quote(name)
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


def key_subquery(t: ExportTable) -> str:
    """The keys of ``t`` logged in (low, high]: parameters table name, low, high."""
    parts = ", ".join(f"json_extract(row_key, '$[{i}]')" for i in range(len(t.key)))
    return f"SELECT {parts} FROM sync_change WHERE table_name = ? AND seq > ? AND seq <= ?"


@cache
def plans() -> dict[str, LinePlan]:
    """Every exported table's plan, by table name (fallback functions numbered across all)."""
    found: dict[str, LinePlan] = {}
    number = 0
    for t in export_tables():
        values, fallbacks = [], []
        for name in sorted(t.columns):  # json.dumps(sort_keys=True) sorts by code point too
            number += 1
            value, fallback = _column(t, name, f"repairdesk_line_{number}")
            values.append(f"'{name}', {value}")
            if fallback:
                fallbacks.append(fallback)
        key = ", ".join(_quote(c) for c in t.key)
        # The line with its newline, as bytes: the text is not decoded into Python strings
        # only to be encoded back. The bytes are UTF-8: SQLite's text encoding for a file
        # created through sqlite3_open, as every RepairDesk store is.
        select = (f"SELECT CAST(json_object({', '.join(values)}) || char(10) AS BLOB) "
                  f"FROM {_quote(t.name)} WHERE ({key}) IN ({key_subquery(t)}) ORDER BY {key}")
        found[t.name] = LinePlan(select, tuple(fallbacks))
    return found


_DUMPS = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


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


def register(raw: sqlite3.Connection, plan: LinePlan) -> None:
    """Define ``plan``'s fallback functions on this connection (fresh memos every export)."""
    for fallback in plan.fallbacks:
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
