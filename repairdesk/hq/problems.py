"""What went wrong with the HQ database, in its real words, on SQLite and PostgreSQL alike.

Every error of either driver passes through :func:`kind_of` (one classification) and leaves
:func:`translated` as an :class:`HqDatabaseError` naming its kind: ``locked`` (another
import or a tool holds the database), ``read_only``, ``full``, ``unreachable``, ``value`` (a
value of one batch the database cannot store: that batch is refused, the run goes on) or
``other``. The counter's store has its own (``repairdesk.db.store_problem``): it speaks of a
file at the counter, this of HQ's database.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from repairdesk.errors import StoreError
from repairdesk.i18n import _

#: PostgreSQL's SQLSTATE codes (and classes, by their first two characters) per kind.
_PG_STATES = {
    "53100": "full",  # disk_full
    "25006": "read_only",  # read_only_sql_transaction (a standby, or default_transaction_read_only)
    "42501": "read_only",  # insufficient_privilege: the role may not write here
    "55P03": "locked",  # lock_not_available (lock_timeout)
    "40P01": "locked",  # deadlock_detected
    "57014": "locked",  # query_canceled (statement_timeout while waiting)
}
_PG_CLASSES = {"22": "value", "23": "value", "08": "unreachable", "57": "unreachable"}
#: SQLite says what happened in its message only (its result codes do not reach Python 3.11).
_SQLITE_WORDS = (("readonly", "read_only"), ("read-only", "read_only"), ("full", "full"),
                 ("locked", "locked"), ("busy", "locked"), ("unable to open", "unreachable"),
                 ("disk i/o error", "unreachable"), ("binding parameter", "value"),
                 ("too large", "value"), ("too big", "value"))
#: PostgreSQL names the COPY line and column of a value it cannot take, in its context.
_COPY_CONTEXT = re.compile(r"COPY \S+, line (\d+)(?:, column (\w+))?")
NUL = "\x00"


class HqDatabaseError(StoreError):
    """The HQ database failed: ``kind`` (see the module) and the database's own words."""

    def __init__(self, kind: str, message: str, detail: str) -> None:
        super().__init__(message)
        self.kind, self.detail = kind, detail


class Unstorable(Exception):  # noqa: N818 - a finding, carried to the importer to name it
    """A row of one member holds a value the database cannot store. ``line`` (the row's line
    in the member, when only that is known) lets the importer name the row by its key."""

    def __init__(self, table: str, column: str | None, key: str | None, detail: str,
                 line: int | None = None) -> None:
        super().__init__(detail)
        self.table, self.column, self.key, self.detail, self.line = (
            table, column, key, detail, line)


def driver_error(exc: BaseException) -> BaseException | None:
    """The driver's own error inside ``exc`` (SQLAlchemy wraps most, not psycopg's COPY)."""
    if isinstance(exc, DBAPIError):
        return exc.orig
    psycopg = sys.modules.get("psycopg")  # only imported when a PostgreSQL HQ is used
    if isinstance(exc, sqlite3.Error) or (psycopg is not None and isinstance(exc, psycopg.Error)):
        return exc
    return None


def kind_of(error: BaseException) -> str:
    """The one classification of a driver error (see the module)."""
    state = getattr(error, "sqlstate", None)
    if isinstance(state, str):
        return _PG_STATES.get(state) or _PG_CLASSES.get(state[:2], "other")
    if type(error).__module__.startswith("psycopg"):  # no SQLSTATE: the client's own
        psycopg = sys.modules["psycopg"]
        if isinstance(error, psycopg.DataError):
            return "value"
        return "unreachable" if isinstance(error, psycopg.OperationalError) else "other"
    if isinstance(error, OverflowError | sqlite3.DataError | sqlite3.IntegrityError):
        return "value"
    text = str(error).lower()
    return next((kind for words, kind in _SQLITE_WORDS if words in text), "other")


def words(error: BaseException) -> str:
    """The database's own message, first line (PostgreSQL adds context lines)."""
    primary = getattr(getattr(error, "diag", None), "message_primary", None)
    text = str(primary or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def where(url: sa.URL) -> str:
    """The database as a technician knows it: a SQLite file's path, or the URL sans password."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


@contextmanager
def translated(url: sa.URL) -> Iterator[None]:
    """Any driver error raised inside, as an :class:`HqDatabaseError` in its real words."""
    try:
        yield
    except HqDatabaseError:
        raise
    except Exception as exc:
        error = driver_error(exc)
        if error is None:
            raise
        kind = kind_of(error)
        raise HqDatabaseError(kind, _(f"hqin.db_{kind}", where=where(url), error=words(error)),
                              words(error)) from exc


def nul_column(row: Mapping[str, Any]) -> str | None:
    """The first column of ``row`` whose text holds a NUL, which PostgreSQL cannot store (and
    so neither HQ database takes: a batch imports alike on both)."""
    return next((c for c, v in row.items() if type(v) is str and NUL in v), None)


def wide_column(row: Mapping[str, Any]) -> str | None:
    """The first column of ``row`` holding an integer beyond 64 bits (SQLite names none)."""
    return next((c for c, v in row.items() if type(v) is int and not -(1 << 63) <= v < 1 << 63),
                None)


def nul_words() -> str:
    return _("hqin.value_nul")


def copy_context(error: BaseException) -> tuple[int | None, str | None]:
    """The COPY line (a member's row number) and column PostgreSQL names in its context."""
    context = getattr(getattr(error, "diag", None), "context", None) or ""
    found = _COPY_CONTEXT.search(context)
    if not found:
        return None, None
    return int(found.group(1)), found.group(2)


def key_text(row: Mapping[str, Any], key: list[str]) -> str:
    return ", ".join(f"{k}={row.get(k)}" for k in key)
