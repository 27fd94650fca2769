"""What a restore needs to know of a store file, read with sqlite3 and never changing it.

The store a restore replaces may be damaged (that is often why one restores): every read
here is allowed to fail, and a fact that cannot be read is None (or empty).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repairdesk.tickets.numbering import TICKET_NUMBER


@dataclass
class StoreFacts:
    counter: str | None = None
    last_batch: int = 0
    last_sha256: str | None = None
    #: changes logged since the last export (in no batch: a replay cannot bring them back)
    pending: int = 0
    #: batch seq -> (file name, bytes): the batches this store exported, as it kept them
    batches: dict[int, tuple[str, bytes]] = field(default_factory=dict)
    #: (counter code, YYYYMMDD) -> the last ticket number handed out that day
    numbers: dict[tuple[str, str], int] = field(default_factory=dict)


def read_facts(path: Path, *, after: int | None = None, at_rest: bool = False) -> StoreFacts:
    """The facts of the store at ``path``; the bytes of its batches above ``after`` (none
    when ``after`` is None). ``at_rest``: a file no one writes (a verified backup), read as
    :func:`repairdesk.backup.verify` reads it."""
    facts = StoreFacts()
    if not path.is_file():
        return facts
    try:
        # A store in use is not immutable: its WAL holds its latest commits. Read-only all
        # the same: nothing is written to it.
        conn = sqlite3.connect(f"file:{path}?mode=ro{'&immutable=1' if at_rest else ''}",
                               uri=True)
    except sqlite3.Error:
        return facts
    try:
        code = _one(conn, "SELECT code FROM counter ORDER BY id LIMIT 1")
        facts.counter = str(code) if code is not None else None
        facts.last_batch = int(_one(conn, "SELECT max(seq) FROM sync_batch") or 0)
        facts.last_sha256 = _one(conn, "SELECT sha256 FROM sync_batch ORDER BY seq DESC LIMIT 1")
        facts.pending = int(_one(conn, "SELECT count(DISTINCT table_name || row_key) "
                                       "FROM sync_change") or 0)
        if after is not None:
            facts.batches = {seq: (name, bytes(content)) for seq, name, content in _all(
                conn, "SELECT seq, file_name, content FROM sync_batch WHERE seq > ?", (after,))}
        facts.numbers = issued_numbers(conn)
    finally:
        conn.close()
    return facts


def issued_numbers(conn: sqlite3.Connection) -> dict[tuple[str, str], int]:
    """The highest ticket number issued per counter and day: the sequence rows and the
    tickets themselves (a ticket replayed from a batch has no sequence row of its own)."""
    found: dict[tuple[str, str], int] = {}
    for code, day, last in _all(conn, "SELECT counter_code, day, last FROM ticket_sequence"):
        found[(code, day)] = max(found.get((code, day), 0), int(last))
    for (number,) in _all(conn, "SELECT number FROM ticket"):
        match = TICKET_NUMBER.match(str(number))
        if match:
            key = (match[1], match[2])
            found[key] = max(found.get(key, 0), int(match[3]))
    return found


def _one(conn: sqlite3.Connection, sql: str) -> Any:
    rows = _all(conn, sql)
    return rows[0][0] if rows else None


def _all(conn: sqlite3.Connection, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
    try:
        return conn.execute(sql, args).fetchall()
    except sqlite3.Error:
        return []
