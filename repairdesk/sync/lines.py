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

Each column's SQL value is :func:`repairdesk.row_state.column_sql`: the row's state (what the
audit trail binds) is written from the same values.

Where the bytes could differ: a real number stored in an integer or text column (SQLite
prints 15 significant digits), and a number in a document that no Python writer would have
written so (``1.50``, ``1E5``); the store's writers never do either.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import cache

from repairdesk import row_state
from repairdesk.row_state import Fallback, column_sql, quote
from repairdesk.sync.tables import ExportTable, export_tables


@dataclass(frozen=True)
class LinePlan:
    """How one table's changed rows become lines: the SELECT and the functions it calls."""

    select: str  # parameters: table name, low seq (excluded), high seq (included); each
    # row is one line, newline included, as UTF-8 bytes
    fallbacks: tuple[Fallback, ...]


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
            value, fallback = column_sql(t.table, name, f"repairdesk_line_{number}")
            values.append(f"'{name}', {value}")
            if fallback:
                fallbacks.append(fallback)
        key = ", ".join(quote(c) for c in t.key)
        # The line with its newline, as bytes: the text is not decoded into Python strings
        # only to be encoded back. The bytes are UTF-8: SQLite's text encoding for a file
        # created through sqlite3_open, as every RepairDesk store is.
        select = (f"SELECT CAST(json_object({', '.join(values)}) || char(10) AS BLOB) "
                  f"FROM {quote(t.name)} WHERE ({key}) IN ({key_subquery(t)}) ORDER BY {key}")
        found[t.name] = LinePlan(select, tuple(fallbacks))
    return found


def register(raw: sqlite3.Connection, plan: LinePlan) -> None:
    """Define ``plan``'s fallback functions on this connection (fresh memos every export)."""
    row_state.register(raw, plan.fallbacks)
