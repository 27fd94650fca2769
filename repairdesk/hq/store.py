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
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from repairdesk.db import script_heads
from repairdesk.errors import InputError, StoreError
from repairdesk.hq import schema
from repairdesk.hq.problems import translated
from repairdesk.i18n import _

if TYPE_CHECKING:
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).parent / "migrations"
#: Alembic's version table, named apart from any counter's (``alembic_version``).
VERSION_TABLE = "hq_alembic_version"
#: The PostgreSQL advisory lock two upgrades of the same database queue on.
_UPGRADE_LOCK = 0x52444851  # "RDHQ"

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
    """Open the HQ database. Unless ``check`` is False it must be initialised (``hq init``);
    one made by an older RepairDesk is upgraded first (one transaction: all or nothing), one
    made by a newer RepairDesk is refused."""
    store = HqStore(url, _make_engine(hq_url(url)))
    if check:
        try:
            state = schema_state(store)
            if state == "old":
                create_or_upgrade(store)
            elif state != "current":
                raise StoreError(_(f"sync.hq_{state}", url=url))
        except BaseException:
            store.close()
            raise
    return store


def _script() -> ScriptDirectory:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg)


def head_revision() -> str:
    """HQ's one head revision, read off the scripts' source (no Alembic import: a fifth of
    a second of every ``hq`` command)."""
    (head,) = script_heads(MIGRATIONS)
    return head


def _state(conn: Connection) -> str:
    inspector = sa.inspect(conn)
    if not inspector.has_table("hq_meta"):
        return "missing"
    table = schema.table("hq_meta")
    meta = {key: value for key, value in conn.execute(sa.select(table.c.key, table.c.value))}
    if not inspector.has_table(VERSION_TABLE):
        # Made before HQ had migrations: the baseline takes it over, unless it is newer.
        legacy = int(meta.get("schema_version", "0"))
        return "new" if legacy > schema.LEGACY_SCHEMA_VERSION else "old"
    revision = conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    if revision == head_revision():
        return "current" if meta.get("mirror") == schema.fingerprint() else "old"
    try:
        known = revision is not None and _script().get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown revision
        known = False
    return "old" if known or revision is None else "new"


def schema_state(store: HqStore) -> str:
    """``missing`` (not initialised), ``old`` (upgraded when opened), ``new`` (made by a
    newer RepairDesk: refused) or ``current``."""
    with store.read() as conn:
        return _state(conn)


def create_or_upgrade(store: HqStore) -> None:
    """Run HQ's migrations, then bring the copies of the counter tables up to date (every
    missing table, column and index; all added columns are nullable): one transaction, so an
    upgrade that fails leaves the database as it was. Two processes upgrading at once queue:
    the second finds the work done."""
    with store.write() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
        state = _state(conn)
        if state == "new":
            raise StoreError(_("sync.hq_new", url=store.url))
        if state == "current":
            return
        _migrate(conn)
        _sync_mirrors(conn)
        meta = schema.table("hq_meta")
        conn.execute(sa.delete(meta).where(meta.c.key == "mirror"))
        conn.execute(sa.insert(meta).values(key="mirror", value=schema.fingerprint()))


def _migrate(conn: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


def _sync_mirrors(conn: Connection) -> None:
    mirrors = list(schema.mirrors().values())
    metadata = schema.hq_metadata()
    metadata.create_all(conn, tables=mirrors)
    inspector = sa.inspect(conn)
    quote = conn.dialect.identifier_preparer.quote
    for table in mirrors:
        present = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                ddl = sa.schema.CreateColumn(column).compile(dialect=conn.dialect)
                conn.exec_driver_sql(f"ALTER TABLE {quote(table.name)} "
                                     f"ADD COLUMN {str(ddl).replace(' NOT NULL', '')}")
        for index in table.indexes:  # create_all adds no index to an older table
            index.create(conn, checkfirst=True)
