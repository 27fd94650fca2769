"""Opening the HQ database from a SQLAlchemy URL: a SQLite file or PostgreSQL (psycopg 3).

A plain path is a SQLite file. ``postgresql://`` URLs use psycopg 3. Every write is one
transaction; on SQLite it takes the write lock up front (BEGIN IMMEDIATE) so two imports
queue rather than fail half-way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from repairdesk.errors import InputError, StoreError
from repairdesk.hq import schema
from repairdesk.hq.problems import translated
from repairdesk.i18n import _

#: Seconds a SQLite HQ waits for another writer (an import of another counter queues behind
#: the one running) before it says the database is locked.
BUSY_TIMEOUT_S = 30.0


def hq_url(text: str) -> str:
    """A SQLAlchemy URL from what was typed: a path means a SQLite file."""
    text = text.strip()
    if not text:
        raise InputError("--hq-db", _("core.required"))
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser().resolve()}"
    for plain in ("postgresql://", "postgres://"):
        if text.startswith(plain):
            return "postgresql+psycopg://" + text[len(plain):]
    return text


def _make_engine(url: str) -> Engine:
    try:
        parsed = sa.make_url(url)
        if parsed.get_backend_name() == "sqlite":
            if parsed.database:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

            @sa.event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
                dbapi_conn.isolation_level = None  # BEGIN is issued below
                dbapi_conn.execute("PRAGMA journal_mode=WAL")
                dbapi_conn.execute("PRAGMA synchronous=FULL")

            @sa.event.listens_for(engine, "begin")
            def _begin(conn: Connection) -> None:
                mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
                conn.exec_driver_sql(f"BEGIN {mode}")

            return engine
        return sa.create_engine(url, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise InputError("--hq-db", _("sync.hq_url_invalid", error=str(exc))) from exc


@dataclass
class HqStore:
    url: str
    engine: Engine

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with translated(self.engine.url), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction: committed whole, or rolled back whole on any error."""
        engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        with translated(self.engine.url), engine.begin() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()


def open_hq(url: str, *, check: bool = True) -> HqStore:
    """Open the HQ database; unless ``check`` is False it must be initialised and current."""
    store = HqStore(url, _make_engine(hq_url(url)))
    if check:
        try:
            state = schema_state(store)
        except BaseException:
            store.close()
            raise
        if state != "current":
            store.close()
            raise StoreError(_(f"sync.hq_{state}", url=url))
    return store


def schema_state(store: HqStore) -> str:
    """``missing`` (not initialised), ``old`` (run hq init), ``new`` or ``current``."""
    with store.read() as conn:
        if not sa.inspect(conn).has_table("hq_meta"):
            return "missing"
        meta = {k: v for k, v in conn.execute(sa.select(schema.table("hq_meta")))}
    version = int(meta.get("schema_version", "0"))
    if version > schema.SCHEMA_VERSION:
        return "new"
    if version < schema.SCHEMA_VERSION or meta.get("mirror") != schema.fingerprint():
        return "old"
    return "current"


def create_or_upgrade(store: HqStore) -> None:
    """Create every missing table and column (all added columns are nullable)."""
    if schema_state(store) == "new":
        raise StoreError(_("sync.hq_new", url=store.url))
    metadata = schema.hq_metadata()
    with store.write() as conn:
        metadata.create_all(conn)
        inspector = sa.inspect(conn)
        for table in metadata.sorted_tables:
            present = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present:
                    ddl = sa.schema.CreateColumn(column).compile(dialect=conn.dialect)
                    conn.exec_driver_sql(
                        f"ALTER TABLE {conn.dialect.identifier_preparer.quote(table.name)} "
                        f"ADD COLUMN {str(ddl).replace(' NOT NULL', '')}"
                    )
        for table in metadata.sorted_tables:  # create_all adds no index to an older table
            for index in table.indexes:
                index.create(conn, checkfirst=True)
        meta = schema.table("hq_meta")
        conn.execute(sa.delete(meta).where(meta.c.key.in_(["schema_version", "mirror"])))
        conn.execute(sa.insert(meta), [
            {"key": "schema_version", "value": str(schema.SCHEMA_VERSION)},
            {"key": "mirror", "value": schema.fingerprint()},
        ])
