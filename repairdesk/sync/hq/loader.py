"""Set-based loading of a batch member into its HQ table, inside the import's transaction.

PostgreSQL: the rows are streamed with COPY into a temporary staging table, then merged with
two INSERT … SELECT … ON CONFLICT statements (rows, then deletions). SQLite: one executemany
of the same upsert. Either way a row only replaces a row of the same or an older batch, so a
late batch never rolls a ticket back to an older state.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from repairdesk.sync.hq.schema import BATCH_SEQ, COUNTER, DELETED
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


def _decoded(rows: Iterable[dict[str, Any]], counter: str, seq: int,
             decode: list[tuple[str, Any]]) -> Iterator[dict[str, Any]]:
    decoders = [(name, json_decoder(type_)) for name, type_ in decode]
    for row in rows:
        values = {}
        for name, convert in decoders:
            value = row.get(name)
            values[name] = value if value is None or convert is None else convert(value)
        values[COUNTER], values[BATCH_SEQ] = counter, seq
        values[DELETED] = bool(row.get(DELETED_MARK, False))
        yield values


def _copy_encoder(type_: Any) -> Any:
    base = base_type(type_)
    if isinstance(base, sa.JSON):
        return lambda value: json.dumps(value, ensure_ascii=False)
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
    for chunk in _chunks(_decoded(rows, counter, seq, decode)):
        alive = [r for r in chunk if not r[DELETED]]
        gone = [r for r in chunk if r[DELETED]]
        if alive:
            conn.execute(upsert, alive)
        if gone:
            conn.execute(tombstone, gone)
        count += len(chunk)
    return count


def _load_postgresql(conn: Connection, table: sa.Table, counter: str, seq: int,
                     rows: Iterable[dict[str, Any]], columns: list[str], key: list[str],
                     data: list[str]) -> int:
    from psycopg import sql

    raw = conn.connection.driver_connection
    assert raw is not None
    target = sql.Identifier(table.name)
    stage = sql.Identifier(f"hq_stage_{table.name}")
    names = [*columns, BATCH_SEQ, DELETED]
    # COPY's text format lets PostgreSQL parse dates, times and numbers from the JSON's own
    # text, so only JSON documents and bytes are converted here (most of the import's time).
    assert columns[0] == COUNTER  # the key's first column: values below start with it
    encoders = [(c, _copy_encoder(table.c[c].type)) for c in columns[1:]]
    count = 0
    with raw.cursor() as cur:
        cur.execute(sql.SQL(
            "CREATE TEMP TABLE IF NOT EXISTS {} (LIKE {} INCLUDING DEFAULTS) ON COMMIT DROP"
        ).format(stage, target))
        cur.execute(sql.SQL("TRUNCATE {}").format(stage))
        copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
            stage, sql.SQL(", ").join(map(sql.Identifier, names)))
        with cur.copy(copy_sql) as copy:
            for row in rows:
                values: list[Any] = [counter]
                for name, encode in encoders:
                    value = row.get(name)
                    values.append(value if value is None or encode is None else encode(value))
                values += [seq, bool(row.get(DELETED_MARK, False))]
                copy.write_row(values)
                count += 1
    # The merge itself through SQLAlchemy, reading the staging table like any other.
    stage_table = sa.Table(f"hq_stage_{table.name}", sa.MetaData(),
                           *(sa.Column(c, table.c[c].type) for c in names))
    source = sa.select(*(stage_table.c[c] for c in names))
    stmt = pg_insert(table).from_select(names, source.where(stage_table.c[DELETED].is_(False)))
    conn.execute(stmt.on_conflict_do_update(
        index_elements=key,
        set_={c: stmt.excluded[c] for c in (*data, BATCH_SEQ, DELETED)},
        where=_newer(table, stmt.excluded),
    ))
    gone = pg_insert(table).from_select(names, source.where(stage_table.c[DELETED].is_(True)))
    conn.execute(gone.on_conflict_do_update(
        index_elements=key,
        set_={BATCH_SEQ: gone.excluded[BATCH_SEQ], DELETED: True},
        where=_newer(table, gone.excluded),
    ))
    return count
