"""Set-based loading of a batch's members into their HQ tables, inside the import's
transaction (:class:`Load`).

PostgreSQL: each member's rows are streamed with COPY into a staging table, and every member
is merged at the end with an UPDATE of the rows HQ has and an INSERT of the others (rows and
deletions alike): :mod:`.staging`. SQLite: an executemany of INSERT … ON CONFLICT. Either way a row only replaces a row of the same or an
older batch, so a late batch never rolls a ticket back to an older state. A value the database
cannot store raises :class:`.problems.Unstorable` naming its table, column and row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError

from repairdesk.hq import problems, staging
from repairdesk.hq.schema import BATCH_SEQ, COUNTER, DELETED
from repairdesk.sync.batch import SignedFile
from repairdesk.sync.tables import DELETED as DELETED_MARK
from repairdesk.sync.tables import json_decoder

CHUNK = 5000
#: Rows of a member kept decoded between the checks and the load (see :class:`Lines`).
KEEP = 20_000


class Lines:
    """A batch's members decoded once for the checks and the load: a member of at most
    ``keep`` rows is kept as decoded the first time it is read; a larger one (a first batch
    of years of work) is decoded again at each reading rather than held in memory."""

    def __init__(self, signed: SignedFile, keep: int = KEEP) -> None:
        self.signed = signed
        self.small = {m["name"] for m in signed.manifest["members"] if m["rows"] <= keep}
        self.kept: dict[str, list[tuple[int, dict[str, Any]]]] = {}

    def __call__(self, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
        if name not in self.small:
            return self.signed.lines(name)
        if name not in self.kept:
            self.kept[name] = list(self.signed.lines(name))
        return iter(self.kept[name])


class Load:
    """The members of batch ``seq`` of ``counter``: :meth:`member` for each, then
    :meth:`finish` (on PostgreSQL the merge of them all)."""

    def __init__(self, conn: Connection, counter: str, seq: int) -> None:
        self.conn, self.counter, self.seq = conn, counter, seq
        self.staging = (staging.Staging(conn, counter, seq)
                        if conn.dialect.name == "postgresql" else None)

    def member(self, table: sa.Table, rows: Iterable[dict[str, Any]]) -> int:
        """Upsert ``rows`` (decoded JSON lines) of one member; returns how many there were."""
        if self.staging is not None:
            return self.staging.member(table, rows, _unstorable)
        key = [c.name for c in table.primary_key.columns]
        columns = [c.name for c in table.columns if c.name not in (BATCH_SEQ, DELETED)]
        data = [c for c in columns if c not in key]
        decode = [(c, table.c[c].type) for c in columns if c != COUNTER]
        return _load_sqlite(self.conn, table, self.counter, self.seq, rows, key, data, decode)

    def finish(self) -> None:
        if self.staging is not None:
            self.staging.finish()


def load(conn: Connection, table: sa.Table, counter: str, seq: int,
         rows: Iterable[dict[str, Any]]) -> int:
    """One member loaded on its own (and merged at once)."""
    found = Load(conn, counter, seq)
    count = found.member(table, rows)
    found.finish()
    return count


def _unstorable(table: sa.Table, row: dict[str, Any], detail: str,
                column: str | None = None) -> problems.Unstorable:
    """The finding for ``row``: a NUL in its text is named as such whichever engine met it."""
    key = [c.name for c in table.primary_key.columns if c.name != COUNTER]
    nul = problems.nul_column(row)
    return problems.Unstorable(table.name, nul or column or problems.wide_column(row),
                               problems.key_text(row, key),
                               problems.nul_words() if nul else detail)


def _decoded(table: sa.Table, rows: Iterable[dict[str, Any]], counter: str, seq: int,
             decode: list[tuple[str, Any]]) -> Iterator[dict[str, Any]]:
    decoders = [(name, json_decoder(type_)) for name, type_ in decode]
    for row in rows:
        values = {}
        for name, convert in decoders:
            value = row.get(name)
            if convert is not None and value is not None:
                try:
                    value = convert(value)
                except (ValueError, TypeError, OverflowError) as exc:
                    raise _unstorable(table, row, str(exc), name) from exc
            if type(value) is str and problems.NUL in value:
                # SQLite would keep it; PostgreSQL cannot: refused on both, alike.
                raise _unstorable(table, row, "")
            values[name] = value
        values[COUNTER], values[BATCH_SEQ] = counter, seq
        values[DELETED] = bool(row.get(DELETED_MARK, False))
        yield values


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    while chunk := list(islice(rows, CHUNK)):
        yield chunk


def _newer(table: sa.Table, excluded: Any) -> Any:
    return table.c[BATCH_SEQ] <= excluded[BATCH_SEQ]


def _load_sqlite(conn: Connection, table: sa.Table, counter: str, seq: int,
                 rows: Iterable[dict[str, Any]], key: list[str], data: list[str],
                 decode: list[tuple[str, Any]]) -> int:
    stmt = sqlite_insert(table)
    upsert = stmt.on_conflict_do_update(
        index_elements=key,
        set_={c: stmt.excluded[c] for c in (*data, BATCH_SEQ, DELETED)},
        where=_newer(table, stmt.excluded),
    )
    tombstone = stmt.on_conflict_do_update(
        index_elements=key,
        set_={BATCH_SEQ: stmt.excluded[BATCH_SEQ], DELETED: True},
        where=_newer(table, stmt.excluded),
    )
    count = 0
    for chunk in _chunks(_decoded(table, rows, counter, seq, decode)):
        alive = [r for r in chunk if not r[DELETED]]
        gone = [r for r in chunk if r[DELETED]]
        for statement, part in ((upsert, alive), (tombstone, gone)):
            if part:
                _execute_many(conn, table, statement, part)
        count += len(chunk)
    return count


def _execute_many(conn: Connection, table: sa.Table, statement: Any,
                  rows: list[dict[str, Any]]) -> None:
    """``statement`` for ``rows``; a value SQLite cannot take is found by running the rows
    one by one (the batch is refused: its transaction is rolled back either way)."""
    try:
        conn.execute(statement, rows)
    except (DBAPIError, OverflowError) as exc:
        if problems.kind_of(problems.driver_error(exc) or exc) != "value":
            raise
        for row in rows:
            try:
                conn.execute(statement, [row])
            except (DBAPIError, OverflowError) as single:
                raise _unstorable(table, row, problems.words(
                    problems.driver_error(single) or single)) from single
        raise  # no single row fails: the database's words as they are
