"""Set-based loading of a batch member into its HQ table, inside the import's transaction.

PostgreSQL: the rows are streamed with COPY into a temporary staging table, then merged with
an UPDATE of the rows HQ has and an INSERT of the others (rows and deletions alike). SQLite:
an executemany of INSERT … ON CONFLICT. Either way a row only replaces a row of the same or an
older batch, so a late batch never rolls a ticket back to an older state. A value the database
cannot store raises :class:`.problems.Unstorable` naming its table, column and row.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError

from repairdesk.hq import problems
from repairdesk.hq.schema import BATCH_SEQ, COUNTER, DELETED
from repairdesk.sync.tables import DELETED as DELETED_MARK
from repairdesk.sync.tables import base_type, json_decoder

CHUNK = 5000


def load(conn: Connection, table: sa.Table, counter: str, seq: int,
         rows: Iterable[dict[str, Any]]) -> int:
    """Upsert ``rows`` (decoded JSON lines) of one member; returns how many were loaded."""
    key = [c.name for c in table.primary_key.columns]
    columns = [c.name for c in table.columns if c.name not in (BATCH_SEQ, DELETED)]
    data = [c for c in columns if c not in key]
    decode = [(c, table.c[c].type) for c in columns if c != COUNTER]
    if conn.dialect.name == "postgresql":
        return _load_postgresql(conn, table, counter, seq, rows, columns, key, data)
    return _load_sqlite(conn, table, counter, seq, rows, key, data, decode)


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


def _copy_encoder(type_: Any) -> Any:
    base = base_type(type_)
    if isinstance(base, sa.JSON):
        return json.JSONEncoder(ensure_ascii=False).encode
    if isinstance(base, sa.LargeBinary):
        return json_decoder(type_)
    return None


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


def _load_postgresql(conn: Connection, table: sa.Table, counter: str, seq: int,
                     rows: Iterable[dict[str, Any]], columns: list[str], key: list[str],
                     data: list[str]) -> int:
    from psycopg import DataError, sql

    raw = conn.connection.driver_connection
    assert raw is not None
    ident = sql.Identifier
    target = ident(table.name)
    stage = ident(f"hq_stage_{table.name}")
    names = [*columns, BATCH_SEQ, DELETED]
    # COPY's text format lets PostgreSQL parse dates, times and numbers from the JSON's own
    # text, so only JSON documents and bytes are converted here (most of the import's time).
    assert columns[0] == COUNTER  # the key's first column: values below start with it
    plain = columns[1:]
    encoders = [(i, _copy_encoder(table.c[c].type)) for i, c in enumerate(plain, 1)]
    encoders = [(i, encode) for i, encode in encoders if encode is not None]
    count = 0
    with raw.cursor() as cur:
        cur.execute(sql.SQL(
            "CREATE TEMP TABLE IF NOT EXISTS {} (LIKE {} INCLUDING DEFAULTS) ON COMMIT DROP"
        ).format(stage, target))
        cur.execute(sql.SQL("TRUNCATE {}").format(stage))
        copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
            stage, sql.SQL(", ").join(map(ident, names)))
        # A counter's row has every column: one C call takes them all; a deletion (its key
        # only) or an older counter's row (fewer columns) takes the slow way.
        every = operator.itemgetter(*plain, *plain[:1])  # always a tuple, even of one
        try:
            with cur.copy(copy_sql) as copy:
                write_row = copy.write_row
                for row in rows:
                    try:
                        if DELETED_MARK in row:
                            raise KeyError(DELETED_MARK)
                        values = [counter, *every(row)[:-1], seq, False]
                    except KeyError:
                        get = row.get
                        values = [counter, *[get(c) for c in plain], seq,
                                  bool(get(DELETED_MARK, False))]
                    try:
                        for i, encode in encoders:
                            if values[i] is not None:
                                values[i] = encode(values[i])
                        write_row(values)
                    except (DataError, ValueError, TypeError) as exc:
                        # psycopg's own check (a NUL in text), or bytes that are not base64
                        raise _unstorable(table, row, problems.words(exc)) from exc
                    count += 1
        except DataError as exc:  # the server's, for a line of the COPY
            line, column = problems.copy_context(exc)
            raise problems.Unstorable(table.name, column, None, problems.words(exc),
                                      line=line) from exc
        # The planner's row counts for the merge below: index probes for a day's batch
        # into a large HQ table, a hash join for a first batch into an empty one.
        cur.execute(sql.SQL("ANALYZE {}").format(stage))
        # An UPDATE of the keys HQ has, then a plain INSERT of the others, rather than one
        # INSERT ... ON CONFLICT, whose speculative insertion of every row made the merge of
        # a large first batch twice as slow. Safe: the import holds its counter's row lock
        # (importer._load) and every key starts with the counter.
        same_key = sql.SQL(" AND ").join(sql.SQL("t.{0} = s.{0}").format(ident(k)) for k in key)
        # A row replaces the same or an older batch's row only; a deletion keeps the columns.
        updates = [sql.SQL("{0} = CASE WHEN s.{1} THEN t.{0} ELSE s.{0} END").format(
            ident(c), ident(DELETED)) for c in data]
        updates += [sql.SQL("{0} = s.{0}").format(ident(c)) for c in (BATCH_SEQ, DELETED)]
        merge = [sql.SQL(
            "UPDATE {target} AS t SET {updates} FROM {stage} AS s "
            "WHERE {same_key} AND t.{batch_seq} <= s.{batch_seq}").format(
                target=target, stage=stage, updates=sql.SQL(", ").join(updates),
                same_key=same_key, batch_seq=ident(BATCH_SEQ)), sql.SQL(
            "INSERT INTO {target} ({names}) SELECT {names} FROM {stage} AS s "
            "WHERE NOT EXISTS (SELECT FROM {target} AS t WHERE {same_key})").format(
                target=target, stage=stage, names=sql.SQL(", ").join(map(ident, names)),
                same_key=same_key)]
        texts = [statement.as_string(raw) for statement in merge]
    # Through SQLAlchemy, so that a failing merge is reported like any other database error.
    for text in texts:
        conn.exec_driver_sql(text)
    return count
