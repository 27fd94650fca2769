"""Opening the counter store: one SQLite file, WAL, full sync, foreign keys, migrations.

Nothing here runs at import time: :func:`open_store` creates the engine when asked. Nor is
SQLAlchemy imported with this module (the app's first screen reads the store without it,
see :mod:`repairdesk.opening`): it is imported by the functions that use it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from repairdesk import owner_only
from repairdesk.acting import Acting
from repairdesk.errors import StoreError
from repairdesk.i18n import _
from repairdesk.store_files import head_path, refuse_if_lost
from repairdesk.store_lock import FileLock, open_lock

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import Connection, Engine
    from sqlalchemy.exc import DatabaseError
    from sqlmodel import Session

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 5000


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def make_engine(path: Path) -> Engine:
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself, so writes can take the lock
        # up front (BEGIN IMMEDIATE) instead of failing half-way on a busy store.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


@dataclass
class Store:
    """An open counter store: read sessions and write sessions (one transaction each).

    ``acting`` (who and when, :mod:`repairdesk.acting`) attributes the audit events of every
    write: the facade hands the store the same ``Acting`` all its areas read.
    """

    path: Path
    engine: Engine
    acting: Acting = field(default_factory=Acting)
    #: Held until :meth:`close`: a restore waits for no one and is refused while it is held.
    lock: FileLock | None = None

    @contextmanager
    def read(self) -> Iterator[Session]:
        from sqlmodel import Session

        with Session(self.engine) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One use case, one transaction: committed whole or not at all."""
        from sqlalchemy.exc import OperationalError
        from sqlmodel import Session

        from repairdesk import audit

        engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        with Session(engine) as session:
            audit.track(session, self.acting.user, self.acting.clock())
            try:
                yield session
                session.flush()
                # The trail's new end, read inside the transaction: the head file names it
                # once it is committed (see audit.write_head).
                head = (audit.last_event(session.connection())
                        if session.info.get("appended") else None)
                session.commit()
                if head is not None:
                    self._save_head(head)
            except OperationalError as exc:
                session.rollback()
                raise StoreError(store_problem(self.path, exc)) from exc
            except BaseException:
                session.rollback()
                raise

    @property
    def head_path(self) -> Path:
        return head_path(self.path)

    def _save_head(self, head: Any) -> None:
        from repairdesk import audit

        try:
            audit.save_head(self.head_path, head)
        except OSError:
            pass  # committed already; a head left behind only lets the tail check see less

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()


def store_problem(path: Path, exc: DatabaseError) -> str:
    """What went wrong with the file, in words a technician can act on."""
    text = str(exc.orig).lower()
    if "readonly" in text or "read-only" in text:
        return _("core.store_read_only", path=str(path))
    if "full" in text:
        return _("core.store_full", path=str(path))
    if "locked" in text or "busy" in text:
        return _("core.store_busy", path=str(path))
    return _("core.store_unreadable", path=str(path), error=str(exc.orig))


@cache
def heads() -> frozenset[str]:
    """The head revisions of the migration scripts, read from their source.

    Alembic loads (imports) every script to learn this: with its own import, a fifth of a
    second of every start, for an answer that only changes with the software. Here each
    file's ``revision`` and ``down_revision`` are read with :mod:`ast`; a store at exactly
    these heads opens without Alembic, anything else goes through Alembic as before.
    """
    return script_heads(MIGRATIONS)


@cache
def script_heads(migrations: Path) -> frozenset[str]:
    """The head revisions of the Alembic scripts in ``migrations`` (read as :func:`heads`
    says; HQ's migrations are read the same way)."""
    revisions, parents = _revision_graph(migrations)
    return frozenset(revisions - parents)


@cache
def known_revisions() -> frozenset[str]:
    """Every revision of the migration scripts (read as :func:`heads` reads them): a store
    at one of them was written by this version of RepairDesk or an older one."""
    return frozenset(_revision_graph(MIGRATIONS)[0])


def _revision_graph(migrations: Path) -> tuple[set[str], set[str]]:
    """The ``revision`` and the ``down_revision`` values of the migration scripts: read off
    their top-level assignment lines (a millisecond), with :mod:`ast` for a file whose lines
    do not read plainly (a tuple over several lines, say)."""
    import ast
    import re

    assignment = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.M)
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (migrations / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        try:
            found = {name: ast.literal_eval(value) for name, value in assignment.findall(text)}
        except (ValueError, SyntaxError):
            found = {}
        if not isinstance(found.get("revision"), str):
            found = _assignments(text)
        if "revision" in found:
            revisions.add(found["revision"])
        value = found.get("down_revision")  # None, a revision, or a tuple (a merge)
        parents.update([value] if isinstance(value, str) else value or ())
    return revisions, parents


def _assignments(text: str) -> dict[str, object]:
    """The literal ``revision`` and ``down_revision`` of a migration script, through ast."""
    import ast

    found: dict[str, object] = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
            found[target.id] = ast.literal_eval(value)
    return found


def _at_heads(engine: Engine) -> bool:
    """True for a RepairDesk store already at every head (the usual open)."""
    with engine.connect() as conn:
        has_version = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).first()
        if not has_version:
            return False
        current = {r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")}
    return current == heads()


def _check_revision(engine: Engine, script: ScriptDirectory) -> set[str]:
    """The store's current revisions; refuses a foreign file or a newer RepairDesk's store."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import inspect

    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        current = set(MigrationContext.configure(conn).get_current_heads())
    if not current and tables:
        raise StoreError(_("core.store_not_repairdesk"))
    for revision in current:
        try:
            script.get_revision(revision)
        except Exception as exc:  # alembic raises several kinds for an unknown revision
            raise StoreError(_("core.store_too_new", revision=revision)) from exc
    return current


def open_store(path: Path, *, create: bool = True, lock: bool = True) -> Store:
    """Open (and create or upgrade) the store at ``path``.

    A store written by a newer RepairDesk is refused; an older one is upgraded in place. A
    missing store is created only where none was before (:func:`.store_files.refuse_if_lost`).
    The store is open under its lock (:mod:`.store_lock`) unless ``lock`` is False: a restore
    opens the file it is preparing, holding the lock itself.
    """
    from sqlalchemy.exc import DatabaseError, OperationalError

    path = Path(path)
    if not path.exists():
        if not create:
            raise StoreError(_("core.store_missing", path=str(path)))
        refuse_if_lost(path)
        owner_only.make_dir(path.parent)
        owner_only.touch(path)  # SQLite gives the -wal and -shm the store file's mode
    else:
        owner_only.tighten_store(path)  # PIN hashes and customers: never world-readable
    held = open_lock(path) if lock else None
    try:
        engine = make_engine(path)
    except BaseException:
        if held is not None:
            held.release()
        raise
    try:
        if not _at_heads(engine):
            from alembic.script import ScriptDirectory

            script = ScriptDirectory.from_config(alembic_config())
            # Areas of the product add their tables on branches of their own; "heads" takes
            # all.
            if _check_revision(engine, script) != set(script.get_heads()):
                upgrade(engine)
    except (DatabaseError, OperationalError) as exc:
        engine.dispose()
        if held is not None:
            held.release()
        raise StoreError(store_problem(path, exc)) from exc
    except BaseException:
        engine.dispose()
        if held is not None:
            held.release()
        raise
    return Store(path, engine, lock=held)


def upgrade(engine: Engine, revision: str = "heads") -> None:
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
