"""PostgreSQL's load of one batch: every member COPYed into a staging table, then merged.

A day's batch is a few hundred rows over a dozen tables, and a network sends tens of
thousands of them: what a batch costs is its round trips and catalog work, not its rows. So:

- one staging table per mirror and connection, created on first use and kept (a
  rolled-back transaction may have created it, so after any rollback the next use creates
  it again if it is not there), emptied by a DELETE with the merge and truncated every
  :data:`TRUNCATE_EVERY` batches: ``ON COMMIT DELETE ROWS`` truncated every staging table at
  every commit, some 4 ms a table (37 of a day's batch's 105 ms on the server), and a DELETE
  alone would leave its staging table growing by every batch's dead rows;
- the member's rows streamed into it with ``COPY`` (one round trip per member);
- a day's member is merged by index probes into the mirror: its merge runs with hash and
  merge joins off: with a staging table of no statistics and a mirror whose statistics lag
  behind its growth, the planner hashed the whole mirror for every batch (9 ms for 127 rows
  into 6,700, growing with the mirror); a large member (a first batch of years of work) has
  its staging table analysed and the planner free to hash;
- every member's merge (an UPDATE of the keys HQ has, an INSERT of the others) sent at
  :meth:`Staging.finish` as one string: one round trip for the whole batch.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Iterable
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk.hq import problems
from repairdesk.hq.schema import BATCH_SEQ, COUNTER, DELETED
from repairdesk.sync.tables import DELETED as DELETED_MARK
from repairdesk.sync.tables import base_type, json_decoder

#: A member of more rows than this has its staging table analysed before the merge.
ANALYZE_FROM = 5000
#: Batches between two truncations of a connection's staging tables (see above).
TRUNCATE_EVERY = 16
_STAGES = "hq_staging_tables"  # the connection's info: the staging tables it holds
_BATCHES = "hq_staged_batches"  # and how many batches it has merged
_PROBED = "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; "
_FREE = "; RESET enable_hashjoin; RESET enable_mergejoin"


def _copy_encoder(type_: Any) -> Any:
    base = base_type(type_)
    if isinstance(base, sa.JSON):
        return json.JSONEncoder(ensure_ascii=False).encode
    if isinstance(base, sa.LargeBinary):
        return json_decoder(type_)
    return None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _forget(conn: Connection) -> None:
    try:
        conn.connection.info.pop(_STAGES, None)
    except sa.exc.SQLAlchemyError:  # the connection is gone, and its tables with it
        pass


@cache
def _plan(table: sa.Table) -> tuple[list[str], list[tuple[int, Any]], str, str, str, str, str]:
    """The member's columns as staged (after the counter), their encoders, and the SQL of
    the staging table, the COPY, the ANALYZE, the merge and the emptying."""
    from psycopg import sql

    ident = sql.Identifier
    key = [c.name for c in table.primary_key.columns]
    columns = [c.name for c in table.columns if c.name not in (BATCH_SEQ, DELETED)]
    data = [c for c in columns if c not in key]
    assert columns[0] == COUNTER  # the key's first column: values below start with it
    plain = columns[1:]
    names = [*columns, BATCH_SEQ, DELETED]
    encoders = [(i, _copy_encoder(table.c[c].type)) for i, c in enumerate(plain, 1)]
    target, stage = ident(table.name), ident(f"hq_stage_{table.name}")
    create = sql.SQL("CREATE TEMP TABLE IF NOT EXISTS {} (LIKE {} INCLUDING DEFAULTS)").format(
        stage, target)
    copy = sql.SQL("COPY {} ({}) FROM STDIN").format(stage, sql.SQL(", ").join(map(ident, names)))
    same_key = sql.SQL(" AND ").join(sql.SQL("t.{0} = s.{0}").format(ident(k)) for k in key)
    # A row replaces the same or an older batch's row only; a deletion keeps the columns.
    updates = [sql.SQL("{0} = CASE WHEN s.{1} THEN t.{0} ELSE s.{0} END").format(
        ident(c), ident(DELETED)) for c in data]
    updates += [sql.SQL("{0} = s.{0}").format(ident(c)) for c in (BATCH_SEQ, DELETED)]
    # An UPDATE of the keys HQ has, then a plain INSERT of the others, rather than one
    # INSERT ... ON CONFLICT, whose speculative insertion of every row made the merge of a
    # large first batch twice as slow. Safe: the import holds its counter's row lock
    # (importer._load) and every key starts with the counter.
    merge = sql.SQL(
        "UPDATE {target} AS t SET {updates} FROM {stage} AS s "
        "WHERE {same_key} AND t.{batch_seq} <= s.{batch_seq}; "
        "INSERT INTO {target} ({names}) SELECT {names} FROM {stage} AS s "
        "WHERE NOT EXISTS (SELECT FROM {target} AS t WHERE {same_key})").format(
            target=target, stage=stage, updates=sql.SQL(", ").join(updates),
            same_key=same_key, batch_seq=ident(BATCH_SEQ),
            names=sql.SQL(", ").join(map(ident, names)))
    analyze = sql.SQL("ANALYZE {}").format(stage)
    empty = sql.SQL("DELETE FROM {}").format(stage)
    create_text, copy_text, analyze_text, merge_text, empty_text = (
        statement.as_string(None) for statement in (create, copy, analyze, merge, empty))
    return (plain, [(i, e) for i, e in encoders if e is not None], create_text, copy_text,
            analyze_text, merge_text, empty_text)


class Staging:
    """One batch's members on PostgreSQL, inside the import's transaction."""

    def __init__(self, conn: Connection, counter: str, seq: int) -> None:
        self.conn, self.counter, self.seq = conn, counter, seq
        self.merges: list[str] = []
        if not sa.event.contains(conn.engine, "rollback", _forget):
            sa.event.listen(conn.engine, "rollback", _forget)
        self.stages: set[str] = conn.connection.info.setdefault(_STAGES, set())

    def member(self, table: sa.Table, rows: Iterable[dict[str, Any]],
               unstorable: Any) -> int:
        """COPY ``rows`` into ``table``'s staging table; ``unstorable(table, row, detail)``
        names a row psycopg refuses."""
        from psycopg import DataError

        plain, encoders, create, copy_sql, analyze, merge, empty = _plan(table)
        raw = self.conn.connection.driver_connection
        assert raw is not None
        counter, seq = self.counter, self.seq
        # A counter's row has every column: one C call takes them all; a deletion (its key
        # only) or an older counter's row (fewer columns) takes the slow way.
        every = operator.itemgetter(*plain, *plain[:1])  # always a tuple, even of one
        count = 0
        with raw.cursor() as cur:
            if table.name not in self.stages:
                cur.execute(create)
                self.stages.add(table.name)
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
                            # psycopg's own check (a NUL in text), or bytes not base64
                            raise unstorable(table, row, problems.words(exc)) from exc
                        count += 1
            except DataError as exc:  # the server's, for a line of the COPY
                line, column = problems.copy_context(exc)
                raise problems.Unstorable(table.name, column, None, problems.words(exc),
                                          line=line) from exc
            if count > ANALYZE_FROM:
                cur.execute(analyze)
        self.merges.append(merge if count > ANALYZE_FROM else _PROBED + merge + _FREE)
        self.merges.append(empty)
        return count

    def finish(self) -> None:
        """Merge every staged member; through SQLAlchemy, so that a failing merge is
        reported like any other database error."""
        if not self.merges:
            return
        info = self.conn.connection.info
        info[_BATCHES] = info.get(_BATCHES, 0) + 1
        if info[_BATCHES] % TRUNCATE_EVERY == 0:
            self.merges.append("TRUNCATE " + ", ".join(
                _quote(f"hq_stage_{name}") for name in sorted(self.stages)))
        self.conn.exec_driver_sql("; ".join(self.merges))
