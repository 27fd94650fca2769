"""Lookup as you type (``desk.tickets.search``) over a store of a million tickets.

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

A query of digits (an IMEI or a phone being typed) is first looked for in memory
(:class:`RecentTickets`): the IMEI and the phone of the newest ``RECENT`` tickets, searched
newest first with ``rfind``, which finds the newest matches of a common prefix ("3536") in
microseconds where the indexes list thousands of devices. A digit query never matches a
ticket number (they start with the counter's letter), and IMEIs and phones never change
(a device's second IMEI can: that one is asked of its index).

Either way the final query checks the exact conditions, so the result is the one query
over the whole store would give (tests/unit/test_counter_facade.py holds the meaning,
tests/unit/perf/test_search.py the ways agreeing). The index way takes each index's
newest candidates by ticket id (or number), which grow in the order tickets are taken in.
"""

from __future__ import annotations

import threading
import time
from array import array
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from repairdesk.tickets.rows import NEWEST_FIRST, SUMMARY, SUMMARY_COLUMNS, summary
from repairdesk.tickets.views import TicketSummary

#: Newest tickets checked row by row before the indexes are used.
WINDOW = 2000
#: Candidates taken from each index beyond ``limit`` (see ``search``).
MARGIN = 50
#: Above this many candidates from one source, that source is checked row by row instead.
MAX_CANDIDATES = 20_000
#: A text query that names at most this many customers (and no model) goes straight to the
#: indexes: checking the newest tickets row by row costs more than looking those up.
FEW_NAMES = 1000
#: A digit query found this far back (a share of ``RECENT``) prefetches the phones that
#: contain it, ``PREFETCH_DELAY`` seconds later (once its rows are drawn), in pieces of
#: ``SHARED_PIECE`` bytes.
PREFETCH_REACH = 0.05
PREFETCH_DELAY = 0.01
SHARED_PIECE = 1 << 18
#: Newest tickets whose IMEI and phone are kept in memory for digit queries (0: none). About
#: 4 MB; a digit query with fewer matches among them goes to the indexes.
RECENT = 100_000

#: The summary columns for the tickets of a CTE ``found(id)``; CROSS JOIN keeps SQLite's
#: join order (candidates first) instead of walking every ticket in date order for ORDER BY.
FROM_FOUND = f"""
SELECT {SUMMARY_COLUMNS}
FROM found CROSS JOIN ticket t ON t.id = found.id CROSS JOIN device d ON d.id = t.device_id
CROSS JOIN customer c ON c.id = t.customer_id
"""
ORDER = NEWEST_FIRST
#: The conditions of ``desk.tickets.search``, as SQLite evaluates them row by row (LIKE ignores the
#: case of ASCII letters; '/' escapes the wildcards of what was typed).
DIGIT_MATCH = ("(t.number LIKE :number ESCAPE '/' OR d.imei LIKE :prefix OR d.imei2 LIKE :prefix"
               " OR c.phone LIKE :inside)")
TEXT_MATCH = ("(t.number LIKE :number ESCAPE '/' OR c.name LIKE :inside ESCAPE '/'"
              " OR lower(d.model) LIKE lower(:inside) ESCAPE '/')")

def _escape(text: str) -> str:
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


def search(conn: Connection, query: str, number: str, limit: int,
           customers: CustomerText) -> list[TicketSummary]:
    """The newest ``limit`` tickets matching, as summaries."""
    upper = query.upper()
    params: dict[str, Any] = {"number": _escape(upper) + "%", "limit": limit}
    if number:
        match = DIGIT_MATCH
        params |= {"prefix": number + "%", "inside": "%" + number + "%"}
    else:
        match = TEXT_MATCH
        params |= {"inside": "%" + _escape(query) + "%"}
    checked = 0  # how many of the newest tickets are known to hold fewer than ``limit``
    if number and RECENT:
        recent_ids, checked = customers.recent.newest(conn, number, limit + MARGIN)
        if recent_ids is not None:
            # The second IMEI is the one field of these that changes: its index is asked.
            params |= {"dlo": number, "dhi": number + ":", "n": limit + MARGIN}
            if customers.recent.reach > PREFETCH_REACH and len(number) >= 4:
                # Matches were sparse already: the next digit will likely want the phones
                # of every customer, so they are looked through now, between keystrokes.
                customers.prefetch_phone(number)
            listed = ",".join(map(str, recent_ids)) or "NULL"
            rows = conn.exec_driver_sql(
                f"WITH found(id) AS MATERIALIZED (SELECT id FROM ticket WHERE id IN ({listed})"
                f" UNION SELECT id FROM (SELECT t.id FROM device d CROSS JOIN ticket t"
                f" ON t.device_id = d.id WHERE d.imei2 >= :dlo AND d.imei2 < :dhi"
                f" ORDER BY t.id DESC LIMIT :n)){FROM_FOUND} WHERE {match}{ORDER} LIMIT :limit",
                params).fetchall()
            return [summary(r) for r in rows]
    models: list[str] = []
    names: list[int] = []
    if not number:
        models = _models_containing(conn, query)
        names = customers.with_name(conn, query, most=FEW_NAMES)
        if not models and len(names) <= FEW_NAMES:
            checked = WINDOW  # a ticket number or a rare name: the indexes answer at once
    if checked < WINDOW:
        window = WINDOW
        while True:
            recent = conn.exec_driver_sql(
                f"WITH found(id) AS (SELECT id FROM ticket ORDER BY created_at DESC, id DESC"
                f" LIMIT {window}){FROM_FOUND} WHERE {match}{ORDER} LIMIT :limit",
                params).fetchall()
            if len(recent) >= limit:
                return [summary(r) for r in recent]
            # Matches thinner than that but not rare (a common name): a longer look at the
            # newest finds them sooner than thousands of customers through the indexes.
            wanted = window * limit * 3 // (2 * len(recent)) if recent else 0
            if window > WINDOW or not recent or wanted > 4 * WINDOW:
                break
            window = wanted
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
        if models:
            params |= {f"m{i}": model for i, model in enumerate(models)}
            listed = ",".join(f":m{i}" for i in range(len(models)))
            newest.append("SELECT t.id FROM device d CROSS JOIN ticket t ON t.device_id = d.id"
                          f" WHERE d.model IN ({listed}) ORDER BY t.id DESC LIMIT :n")
        ids = names if len(names) <= FEW_NAMES else customers.with_name(conn, query)
    if len(ids) > MAX_CANDIDATES:
        # Too many customers to list (a short text in many old names): check every row.
        rows = conn.exec_driver_sql(f"{SUMMARY} WHERE {match}{ORDER} LIMIT :limit",
                                    params).fetchall()
        return [summary(r) for r in rows]
    if ids:
        newest.append(f"SELECT id FROM ticket WHERE customer_id IN ({','.join(map(str, ids))})"
                      " ORDER BY id DESC LIMIT :n")
    candidates = " UNION ".join(f"SELECT id FROM ({sql})" for sql in newest)
    rows = conn.exec_driver_sql(
        f"WITH found(id) AS MATERIALIZED ({candidates}){FROM_FOUND}"
        f" WHERE {match}{ORDER} LIMIT :limit", params).fetchall()
    return [summary(r) for r in rows]


def prepare(conn: Connection, customers: CustomerText) -> None:
    # The newest tickets first: the quicker to load, and what a digit query asks first.
    if RECENT:
        customers.recent.newest(conn, "0", 1)
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

    Typing narrows what the last search found: the customers whose phone contains "13800"
    are among those whose phone contains "1380" (a phone never changes; a renamed customer
    is looked at by the new name apart), so the next search checks those and the customers
    added since, not all of them again.
    ``recent`` is the other memory of the search (kept here, where the facade keeps this).
    """

    SLOT = 16

    def __init__(self) -> None:
        self.recent = RecentTickets()
        # needle, the slots whose phone (name) contains it, how far they had been loaded
        self._last_phone: tuple[bytes, list[int], int] | None = None
        self._last_name: tuple[str, list[int], int] | None = None
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

    def with_name(self, conn: Connection, text: str, most: int = MAX_CANDIDATES) -> list[int]:
        """The slots of the customers whose name contains ``text``; when more than
        ``most``, only the first ``most + 1`` found (enough to say there are more)."""
        needle = _ascii_lower(text)
        if "\n" in needle:
            return []
        return self._find(conn, lambda: self._name_slots(needle, most))

    def _find(self, conn: Connection, slots: Callable[[], list[int]]) -> list[int]:
        with self._lock:
            self._refresh(conn)
            return [self._ids[i] for i in slots()]

    def prefetch_phone(self, digits: str) -> None:
        """Find the customers whose phone contains ``digits`` in a thread of its own, for
        the next keystroke to narrow (see ``search``)."""
        threading.Thread(target=self._prefetch, args=(digits.encode("ascii"),), daemon=True,
                         name="search-prefetch").start()

    def _prefetch(self, needle: bytes) -> None:
        time.sleep(PREFETCH_DELAY)
        with self._lock:
            last = self._last_phone
            if self._ids and (last is None or last[0] not in needle):
                self._phone_slots(needle, share=True)

    def _phone_slots(self, needle: bytes, share: bool = False) -> list[int]:
        data, slot, size = self._phones, self.SLOT, len(self._phones)
        last = self._last_phone
        if last is not None and last[0] in needle and len(last[1]) <= MAX_CANDIDATES:
            found = [i for i in last[1] if needle in data[i * slot:(i + 1) * slot]]
            start = last[2]
        else:
            found, start = [], 0
        # ``share``: in pieces, the app's thread let in between (``find`` holds the GIL).
        # Pieces end on slot boundaries, and a match never spans slots (they are padded).
        step = SHARED_PIECE if share else size
        while start < size and len(found) <= MAX_CANDIDATES:
            end = min(size, start + step)
            at = data.find(needle, start, end)
            while at >= 0 and len(found) <= MAX_CANDIDATES:
                found.append(at // slot)
                at = data.find(needle, (at // slot + 1) * slot, end)
            start = end
            if share:
                time.sleep(0)
        self._last_phone = (needle, found, size)
        return found

    def _name_slots(self, needle: str, most: int = MAX_CANDIDATES) -> list[int]:
        text, starts = self._names, self._starts
        last = self._last_name
        if last is not None and last[0] in needle and len(last[1]) <= MAX_CANDIDATES:
            # The names loaded then are the same text now: only check those that matched.
            listed, cut = [], len(starts) - 1
            for i in last[1]:
                if needle in text[starts[i]:starts[i + 1] if i < cut else len(text)]:
                    listed.append(i)
                    if len(listed) > most:
                        break
            at = text.find(needle, last[2]) if len(listed) <= most else -1
        else:
            listed, at = [], text.find(needle)
        while at >= 0 and len(listed) <= most:
            index = bisect_right(starts, at) - 1
            listed.append(index)
            at = text.find(needle, self._end(index))
        if len(listed) <= most or most >= MAX_CANDIDATES:  # all of them (or too many to use)
            self._last_name = (needle, listed, len(text))
        # Customers renamed since loading match by their new name only.
        found = [i for i in listed if self._ids[i] not in self._renamed]
        found += [self._row[c] for c, name in self._renamed.items() if needle in name]
        return found

    def _end(self, index: int) -> int:
        """Where the name of slot ``index`` ends in the names' text."""
        return self._starts[index + 1] - 1 if index + 1 < len(self._starts) else len(self._names)

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


class RecentTickets:
    """The IMEI and the customer's phone of the newest tickets (at least ``RECENT``), in
    memory for digit queries.

    Both sit in 16-byte slots in ticket id order, an IMEI behind a newline (so that
    ``"\\n" + digits`` finds a prefix), a phone padded with spaces. ``rfind`` walks them
    from the newest ticket back and stops at the wanted number of matches: a few
    microseconds for a common prefix. Loaded on first use (the newest ``RECENT`` tickets)
    and brought up to date before every search with the tickets taken since; a ticket's
    IMEI and phone never change.
    """

    SLOT = 16

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = array("q")
        self._imeis = bytearray()
        self._phones = bytearray()
        self._max_id = 0
        self._whole = False  # holds every ticket of the store
        self._loaded = False
        self.reach = 0.0  # how far back the last search went, as a share of those kept

    def newest(self, conn: Connection, digits: str, count: int) -> tuple[list[int] | None, int]:
        """The ids of the newest ``count`` tickets whose IMEI starts with or whose phone
        contains ``digits``, newest first, and how many of the newest tickets that looked
        at. None instead of the ids when fewer than ``count`` are among those kept and
        older tickets may hold more."""
        with self._lock:
            self._refresh(conn)
            found = set(self._slots(self._imeis, b"\n" + digits.encode("ascii"), count))
            found.update(self._slots(self._phones, digits.encode("ascii"), count))
            ids = sorted((self._ids[i] for i in found), reverse=True)[:count]
            kept = len(self._ids)
            if len(ids) < count:
                self.reach = 1.0
                return (ids if self._whole else None), kept
            self.reach = (kept - min(found)) / kept if kept else 1.0
            return ids, kept

    def _slots(self, data: bytearray, needle: bytes, count: int) -> list[int]:
        found: list[int] = []
        slot, end = self.SLOT, len(data)
        while len(found) < count:
            at = data.rfind(needle, 0, end)
            if at < 0:
                break
            found.append(at // slot)
            end = at // slot * slot  # a match never spans slots
        return found

    def _refresh(self, conn: Connection) -> None:
        if self._loaded:
            where, order = f"t.id > {self._max_id}", ""
        else:
            # The newest RECENT tickets, listed back in id order.
            where, order = "1", f" ORDER BY t.id DESC LIMIT {RECENT}"
        ids, imeis, phones = conn.exec_driver_sql(
            "SELECT group_concat(id), group_concat(char(10) || substr(imei || '               ',"
            " 1, 15), ''), group_concat(substr(phone || '                ', 1, 16), '')"
            " FROM (SELECT * FROM (SELECT t.id, d.imei, c.phone FROM ticket t"
            " CROSS JOIN device d ON d.id = t.device_id CROSS JOIN customer c"
            f" ON c.id = t.customer_id WHERE {where}{order}) ORDER BY id)").one()
        if not self._loaded:
            self._loaded = True
            self._whole = not ids or len(ids.split(",")) < RECENT
        if ids:
            self._ids.extend(map(int, ids.split(",")))
            self._imeis.extend(imeis.encode("ascii", "replace"))
            self._phones.extend(phones.encode("ascii", "replace"))
            self._max_id = self._ids[-1]
