"""Lookup as you type (``Desk.search``) over a store of a million tickets.

The search finds tickets whose number, IMEI or second IMEI starts with what was typed, or
whose customer's phone or name, or whose model, contains it; newest first, at most
``limit``. Two things make that slow on a big store, and each has its answer here:

- Most keystrokes match plenty of recent tickets ("138", "王", "iPhone"). Those are found by
  checking only the newest ``WINDOW`` tickets: when ``limit`` of them match, they are the
  newest matches of the whole store, whatever older tickets match too.
- The rest match few tickets (a whole IMEI, most of a phone number, a full name). Those are
  found through indexes: ticket numbers and IMEIs by range, models by listing the few
  distinct models, and the customers whose phone or name *contains* the text, which no
  B-tree answers, in memory (:class:`CustomerText`): SQLite scans 800,000 phones in ~80 ms,
  ``str.find`` the same text in a few.

Either way the final query checks the exact conditions, so the result is the one query
over the whole store would give (tests/unit/test_counter_facade.py holds the meaning,
tests/unit/perf/test_search.py the two ways agreeing). The index way takes each index's
newest candidates by ticket id (or number), which grow in the order tickets are taken in.
"""

from __future__ import annotations

import json
import threading
from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection

#: Newest tickets checked row by row before the indexes are used.
WINDOW = 2000
#: Candidates taken from each index beyond ``limit`` (see ``search``).
MARGIN = 50
#: Above this many candidates from one source, that source is checked row by row instead.
MAX_CANDIDATES = 20_000

SUMMARY = """
SELECT t.number, t.status, t.created_at, t.faults, d.imei, d.brand, d.model, c.name, c.phone,
       t.promised_date
FROM ticket t JOIN device d ON d.id = t.device_id JOIN customer c ON c.id = t.customer_id
"""
#: The same columns for the tickets of a CTE ``found(id)``; CROSS JOIN keeps SQLite's join
#: order (candidates first) instead of walking every ticket in date order for the ORDER BY.
FROM_FOUND = """
SELECT t.number, t.status, t.created_at, t.faults, d.imei, d.brand, d.model, c.name, c.phone,
       t.promised_date
FROM found CROSS JOIN ticket t ON t.id = found.id CROSS JOIN device d ON d.id = t.device_id
CROSS JOIN customer c ON c.id = t.customer_id
"""
ORDER = " ORDER BY t.created_at DESC, t.id DESC"
#: Every ticket of the device with this first or second IMEI (``Desk.lookup`` of a scan).
IMEI_LOOKUP = f"{SUMMARY} WHERE d.imei = ? OR d.imei2 = ?{ORDER}"
#: The conditions of ``Desk.search``, as SQLite evaluates them row by row (LIKE ignores the
#: case of ASCII letters; '/' escapes the wildcards of what was typed).
DIGIT_MATCH = ("(t.number LIKE :number ESCAPE '/' OR d.imei LIKE :prefix OR d.imei2 LIKE :prefix"
               " OR c.phone LIKE :inside)")
TEXT_MATCH = ("(t.number LIKE :number ESCAPE '/' OR c.name LIKE :inside ESCAPE '/'"
              " OR lower(d.model) LIKE lower(:inside) ESCAPE '/')")

Row = tuple[Any, ...]


def typed_row(row: Sequence[Any]) -> Row:
    """A row of ``SUMMARY`` as SQLAlchemy would type it (UTC datetime, JSON list, date)."""
    created = datetime.fromisoformat(row[2]).replace(tzinfo=UTC)
    promised = date.fromisoformat(row[9]) if row[9] else None
    return (row[0], row[1], created, json.loads(row[3]), *row[4:9], promised)


def _escape(text: str) -> str:
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


def search(conn: Connection, query: str, number: str, limit: int,
           customers: CustomerText) -> list[Row]:
    """The rows (``SUMMARY`` columns, typed) of the newest ``limit`` tickets matching."""
    upper = query.upper()
    params: dict[str, Any] = {"number": _escape(upper) + "%", "limit": limit}
    if number:
        match = DIGIT_MATCH
        params |= {"prefix": number + "%", "inside": "%" + number + "%"}
    else:
        match = TEXT_MATCH
        params |= {"inside": "%" + _escape(query) + "%"}
    recent = conn.exec_driver_sql(
        f"WITH found(id) AS (SELECT id FROM ticket ORDER BY created_at DESC, id DESC"
        f" LIMIT {WINDOW}){FROM_FOUND} WHERE {match}{ORDER} LIMIT :limit", params).fetchall()
    if len(recent) >= limit:
        return [typed_row(r) for r in recent]
    # Few matches among the newest: each index gives its newest candidates, the newest of
    # those are checked and sorted as one query would. Newest by ticket id, or by number for
    # the number index: both grow in the order tickets are taken in (numbering.py, SQLite's
    # rowid), and the margin leaves room for a clock set back.
    params |= {"lo": upper, "hi": upper + "\U0010ffff", "n": limit + MARGIN}
    newest = ["SELECT id FROM ticket WHERE number >= :lo AND number < :hi"
              " ORDER BY number DESC LIMIT :n"]
    if number:
        params |= {"dlo": number, "dhi": number + ":"}  # ':' follows '9'
        newest += [f"SELECT t.id FROM device d CROSS JOIN ticket t ON t.device_id = d.id"
                   f" WHERE d.{column} >= :dlo AND d.{column} < :dhi ORDER BY t.id DESC LIMIT :n"
                   for column in ("imei", "imei2")]
        ids = customers.with_phone(conn, number)
    else:
        models = _models_containing(conn, query)
        if models:
            params |= {f"m{i}": model for i, model in enumerate(models)}
            listed = ",".join(f":m{i}" for i in range(len(models)))
            newest.append("SELECT t.id FROM device d CROSS JOIN ticket t ON t.device_id = d.id"
                          f" WHERE d.model IN ({listed}) ORDER BY t.id DESC LIMIT :n")
        ids = customers.with_name(conn, query)
    if len(ids) > MAX_CANDIDATES:
        # Too many customers to list (a short text in many old names): check every row.
        rows = conn.exec_driver_sql(f"{SUMMARY} WHERE {match}{ORDER} LIMIT :limit",
                                    params).fetchall()
        return [typed_row(r) for r in rows]
    if ids:
        newest.append(f"SELECT id FROM ticket WHERE customer_id IN ({','.join(map(str, ids))})"
                      " ORDER BY id DESC LIMIT :n")
    candidates = " UNION ".join(f"SELECT id FROM ({sql})" for sql in newest)
    rows = conn.exec_driver_sql(
        f"WITH found(id) AS MATERIALIZED ({candidates}){FROM_FOUND}"
        f" WHERE {match}{ORDER} LIMIT :limit", params).fetchall()
    return [typed_row(r) for r in rows]


def prepare(conn: Connection, customers: CustomerText) -> None:
    customers.with_phone(conn, "0")


def _models_containing(conn: Connection, query: str) -> list[str]:
    """The distinct models containing ``query`` (ASCII case ignored, as LIKE does), listed
    by seeking through the model index: one seek per distinct model, not one row per
    device."""
    models = conn.exec_driver_sql(
        "WITH RECURSIVE m(model) AS (SELECT min(model) FROM device UNION ALL"
        " SELECT (SELECT min(model) FROM device WHERE model > m.model) FROM m"
        " WHERE m.model IS NOT NULL) SELECT model FROM m WHERE model IS NOT NULL"
    ).scalars().all()
    needle = _ascii_lower(query)
    return [m for m in models if needle in _ascii_lower(m)]


def _ascii_lower(text: str) -> str:
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


class CustomerText:
    """Every customer's phone and name in memory, for "contains" searches.

    Phones sit in fixed 16-byte slots of one bytes buffer (E.164 has at most 15 digits and
    a '+'), names joined by newlines in one string with ASCII letters lowered (LIKE ignores
    their case, and only theirs); the search is ``find`` over
    these, a match's position leads to its customer. Loaded on first use and brought up to
    date before every search: customers added since (a higher id) and changed since (their
    ``updated_at``, which has an index) are read again. About 30 MB for 800,000 customers.
    """

    SLOT = 16

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = array("q")
        self._phones = bytearray()
        self._names = ""
        self._starts = array("q")  # where each name starts in ``_names``
        self._renamed: dict[int, str] = {}  # customers whose name changed since loading
        self._row: dict[int, int] = {}  # customer id -> slot, for the renamed only
        self._max_id = 0
        self._seen_update = ""

    def with_phone(self, conn: Connection, digits: str) -> list[int]:
        needle = digits.encode("ascii")
        return self._find(conn, lambda: self._phone_slots(needle))

    def with_name(self, conn: Connection, text: str) -> list[int]:
        needle = _ascii_lower(text)
        if "\n" in needle:
            return []
        return self._find(conn, lambda: self._name_slots(needle))

    def _find(self, conn: Connection, slots: Callable[[], list[int]]) -> list[int]:
        with self._lock:
            self._refresh(conn)
            return [self._ids[i] for i in slots()]

    def _phone_slots(self, needle: bytes) -> list[int]:
        found: list[int] = []
        data, slot, at = self._phones, self.SLOT, self._phones.find(needle)
        while at >= 0 and len(found) <= MAX_CANDIDATES:
            found.append(at // slot)
            # On from the next slot: a match never spans slots (they are padded with spaces).
            at = data.find(needle, (at // slot + 1) * slot)
        return found

    def _name_slots(self, needle: str) -> list[int]:
        found: list[int] = []
        text, starts, at = self._names, self._starts, self._names.find(needle)
        while at >= 0 and len(found) <= MAX_CANDIDATES:
            index = bisect_right(starts, at) - 1
            if self._ids[index] not in self._renamed:
                found.append(index)
            following = starts[index + 1] if index + 1 < len(starts) else len(text)
            at = text.find(needle, following)
        found += [self._row[c] for c, name in self._renamed.items() if needle in name]
        return found

    def _refresh(self, conn: Connection) -> None:
        # Only the updated_at index can answer this: a condition on the id as well would let
        # SQLite walk the table instead.
        changed = [row for row in conn.exec_driver_sql(
            "SELECT id, name, updated_at FROM customer WHERE updated_at >= ?",
            (self._seen_update,)).fetchall() if row[0] <= self._max_id] if self._max_id else []
        # New customers, concatenated by SQLite: a million rows one by one through Python
        # take seconds. SQLite's lower() lowers ASCII letters only, as LIKE folds them.
        ids, phones, names, latest = conn.exec_driver_sql(
            "SELECT group_concat(id), group_concat(substr(phone || '                ', 1, 16),"
            " ''), group_concat(replace(lower(name), char(10), ' '), char(10)), max(updated_at)"
            " FROM (SELECT id, phone, name, updated_at FROM customer WHERE id > ? ORDER BY id)",
            (self._max_id,)).one()
        if ids:
            offset = len(self._names) + 1 if self._names else 0
            starts = [offset]
            for length in map(len, names.split("\n")):
                offset += length + 1
                starts.append(offset)
            self._starts.extend(starts[:-1])
            self._names = f"{self._names}\n{names}" if self._names else names
            self._phones.extend(phones.encode("ascii", "replace"))
            self._ids.extend(map(int, ids.split(",")))
            self._max_id = self._ids[-1]
        for customer_id, name, _updated in changed:
            slot = self._slot_of(customer_id)
            if slot is not None:
                self._renamed[customer_id] = _ascii_lower(name)
                self._row[customer_id] = slot
        stamps = [row[2] for row in changed] + ([latest] if latest else [])
        if stamps:
            self._seen_update = max(self._seen_update, *stamps)

    def _slot_of(self, customer_id: int) -> int | None:
        # Ids only grow, so the slots are in id order.
        ids = self._ids
        lo, hi = 0, len(ids)
        while lo < hi:
            mid = (lo + hi) // 2
            if ids[mid] < customer_id:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < len(ids) and ids[lo] == customer_id else None
