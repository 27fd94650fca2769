"""The facade while the counter app opens: :class:`OpeningDesk`.

Loading :class:`repairdesk.desk.Desk` (SQLAlchemy, the ORM models, every area's use cases)
costs several times what a bare Textual app takes to start. The app's first screen needs
three reads: the counter's name, whether anyone must log in, and the board. ``OpeningDesk``
answers those with the standard library's sqlite3 (:mod:`repairdesk.tickets.board`) and loads the
full facade when asked (:meth:`OpeningDesk.load`, which the app runs in a thread once the
board is drawn) or when anything else is first used. From then on every call goes to the
full facade. A store that is missing, foreign or not at this version's schema is opened
through the full facade straight away (:func:`open_desk`), as before.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from repairdesk.acting import Acted, Acting, Clock, local_now
from repairdesk.db import heads
from repairdesk.store_lock import FileLock, open_lock
from repairdesk.tickets.board import read_board
from repairdesk.tickets.views import BoardView, CounterInfo
from repairdesk.users import NO_USER

if TYPE_CHECKING:
    from repairdesk.backup import BackupInfo
    from repairdesk.desk import Desk

BUSY_TIMEOUT_S = 5.0


def open_desk(path: Path, **options: Any) -> Desk:
    """The counter's facade over the store at ``path``: an :class:`OpeningDesk` for a store
    at this version's schema, else the full facade (which creates, upgrades or refuses)."""
    path = Path(path)
    # Taken before the first read: from the first screen on, a restore waits for the app.
    held = open_lock(path) if path.is_file() else None
    conn = _connect_current(path)
    if conn is None:
        if held is not None:
            held.release()
        from repairdesk.desk import Desk

        return Desk.open(path, **options)
    return OpeningDesk(path, conn, lock=held, **options)  # type: ignore[return-value]  # OpeningDesk stands in for the Desk until it is opened


def _connect_current(path: Path) -> sqlite3.Connection | None:
    """A read connection to ``path`` if it is a RepairDesk store at exactly this version's
    migration heads; None for anything else (missing, foreign, older, newer, unreadable)."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA query_only=ON")  # this connection only ever reads
        has_version = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        current = {r[0] for r in conn.execute("SELECT version_num FROM alembic_version")} \
            if has_version else set()
    except sqlite3.Error:
        conn.close()
        return None
    if current != heads():
        conn.close()
        return None
    return conn


class OpeningDesk(Acted):
    """The first screen's reads without the ORM; everything else through the full Desk.

    Not a subclass of ``Desk`` (that would import it): attributes it does not have are the
    full facade's (:meth:`__getattr__`), loaded on first use if :meth:`load` has not run.
    The areas the first screen reads (``tickets.board_view``, ``trust.count_users``) answer
    from sqlite3 until then. Who acts and when is one :class:`Acting`, handed to the full
    facade, so a login before it is loaded holds after.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, *, clock: Clock = local_now,
                 user: str = NO_USER, region: str = "CN", lock: FileLock | None = None) -> None:
        self._path = path
        self._conn: sqlite3.Connection | None = conn
        self._lock = lock
        self.acting = Acting(user, clock, region)
        self._full: Desk | None = None
        # Loading takes its time; the first screen's reads go on meanwhile (their own lock).
        self._loading = threading.Lock()
        self._reading = threading.Lock()
        self.tickets = _OpeningTickets(self)
        self.trust = _OpeningTrust(self)

    # -- the full facade ---------------------------------------------------------------

    def load(self) -> Desk:
        """The full facade, opened on first call (about half a second: run it in a thread)."""
        full = self._full
        if full is not None:
            return full
        with self._loading:
            if self._full is None:
                with self._reading:
                    if self._conn is not None:
                        # Closed once the facade is open. The pages the first screen
                        # read (up to 2 MiB for a big store's board), given back now,
                        # make room for the facade instead of adding to the app's peak.
                        self._conn.execute("PRAGMA shrink_memory")
                from repairdesk.desk import Desk

                opened = Desk.open(self._path, acting=self.acting)
                with self._reading:
                    self._full = opened
                    self.tickets, self.trust = opened.tickets, opened.trust  # type: ignore[assignment]  # the full facade's areas replace the opening ones
                    if self._conn is not None:
                        self._conn.close()
                        self._conn = None
            return self._full

    @property
    def loaded(self) -> bool:
        return self._full is not None

    def __getattr__(self, name: str) -> Any:
        # Only what the facade offers (public names): a private or special name missing
        # here (an object half made, copy's probes) must not load anything.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.load(), name)

    def daily_backup(self, keep: int) -> BackupInfo | None:
        """As ``Desk.daily_backup`` (plain sqlite3: no need to wait for the full facade)."""
        # Loaded when the backup runs, in a worker after the first paint: not before it.
        from repairdesk.backup import daily_backup

        return daily_backup(self._path, keep)

    def close(self) -> None:
        with self._loading, self._reading:
            if self._full is not None:
                self._full.close()
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    # -- the first screen's reads (the full facade's, once it is loaded) ----------------

    def counter(self) -> CounterInfo | None:
        with self._reading:
            if self._conn is not None:
                row = self._conn.execute(
                    "SELECT code, name, address, phone FROM counter ORDER BY id LIMIT 1"
                ).fetchone()
                return CounterInfo(*row) if row else None
        return self.load().counter()


class _OpeningArea:
    """An area while the app opens: what the first screen reads from sqlite3, the rest from
    the full facade's area of the same ``name``."""

    name = ""

    def __init__(self, opening: OpeningDesk) -> None:
        self._opening = opening

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        return getattr(getattr(self._opening.load(), self.name), attribute)


class _OpeningTickets(_OpeningArea):
    """``tickets``: the board from sqlite3."""

    name = "tickets"

    def board_view(self, status: str | None = None, technician: str | None = None,
                   text: str | None = None, limit: int = 500) -> BoardView:
        opening = self._opening
        with opening._reading:
            if opening._conn is not None:
                return read_board(opening._conn, opening.today(), opening.acting.midnight(),
                                  status, technician, text, limit)
        return opening.load().tickets.board_view(status, technician, text, limit)


class _OpeningTrust(_OpeningArea):
    """``trust``: whether anyone must log in, from sqlite3."""

    name = "trust"

    def count_users(self) -> int:
        opening = self._opening
        with opening._reading:
            if opening._conn is not None:
                return int(opening._conn.execute("SELECT count(*) FROM user").fetchone()[0])
        return opening.load().trust.count_users()
