"""HQ's side of the evidence: a batch may extend a counter's audit chain, never change it.

Inside the import's transaction, before anything of the batch is loaded (:func:`check`):

- every event HQ already holds must come again with the same hash (an event whose hash is
  not HQ's has been changed, or the trail re-numbered: deleted and written again from 1);
- no event HQ holds may arrive as a deletion;
- each event must link to the one before it (in the batch, with no hole in the ids, or held
  by HQ when HQ holds the batch before) and hash to what it states; the event HQ holds right
  after the batch's last must link to it;
- the manifest's chain head must be such an event, and not behind a head an earlier batch of
  the same counter named;
- every row of an audited table must match its last event's state (the batch's own events,
  else HQ's), and a deletion must follow a delete event.

The first conflict refuses the batch (the ``evidence`` check) naming the counter and the
event or row; the refusal is recorded (:func:`record_refusal`) for ``hq audit``. Every head
of an imported batch is kept (``hq_chain_head``). A counter's PC can recompute every hash of
its own trail; it cannot make HQ forget the hashes HQ has already seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from itertools import islice
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk import audit, row_state
from repairdesk.audit import GENESIS, ROW_ACTIONS
from repairdesk.hq import schema
from repairdesk.hq.store import HqStore
from repairdesk.i18n import _
from repairdesk.sync.batch import FORMAT, BatchRefused, SignedFile

CHECK = "evidence"
CHUNK = 2000
_EVENT = ("id", "at", "user", "entity", "entity_id", "action", "before", "after", "prev_hash",
          "hash", "state")


class ChainConflict(BatchRefused):
    """A batch that would change a counter's chain as HQ holds it (or a row it does not
    prove): the first conflict, by event id or by table and key."""

    def __init__(self, signed: SignedFile, kind: str, *, event_id: int | None = None,
                 table: str | None = None, key: str | None = None) -> None:
        counter, seq = signed.manifest["counter"], signed.manifest["seq"]
        what = (_("evidence.what_event", id=event_id) if event_id is not None
                else _("evidence.what_row", table=table, key=key))
        super().__init__(CHECK, signed.name, _("evidence.hq_conflict", counter=counter,
                                                kind=_(f"evidence.kind_{kind}"), what=what))
        self.counter, self.seq, self.kind = counter, seq, kind
        self.event_id, self.table, self.key = event_id, table, key


def check(conn: Connection, signed: SignedFile, now: datetime,
          lines: Callable[[str], Iterator[tuple[int, dict[str, Any]]]] | None = None) -> None:
    """Refuse ``signed`` (:class:`ChainConflict`) if it conflicts with HQ's copy of its
    counter's chain; otherwise record its chain head. ``lines``: the members' rows by member
    name (default: ``signed.lines``, decoded at each reading)."""
    lines = lines or signed.lines
    manifest = signed.manifest
    code = manifest["counter"]
    head = manifest.get("chain_head")
    members = {m["table"]: m for m in manifest["members"]}
    last_of_row: dict[tuple[str, str], tuple[str, str | None]] = {}
    held = _Held(conn, code)
    member = members.get("audit_event")
    if member and member["rows"]:
        _check_events(held, signed, lines(member["name"]), head, last_of_row)
    for table, entry in members.items():
        if entry["rows"] and table in row_state.state_plans():
            _check_rows(conn, signed, code, table, entry, lines(entry["name"]), last_of_row)
    if head is not None:
        if not (isinstance(head, dict) and type(head.get("id")) is int
                and isinstance(head.get("hash"), str)):
            raise BatchRefused("format", signed.name, _("sync.check_format", format=FORMAT))
        _check_head(held, signed, head, now)


class _Held:
    """HQ's events of one counter by id, (hash, prev_hash), read by id range; a range read
    before is not asked again (the check asks for the events around the batch's, then for
    the one after its last and for its head, which are mostly among them)."""

    def __init__(self, conn: Connection, code: str) -> None:
        self.conn, self.code = conn, code
        self.read: list[tuple[int, int]] = []
        self.found: dict[int, tuple[str, str]] = {}

    def __call__(self, low: int, high: int) -> dict[int, tuple[str, str]]:
        """The events with ids in [low, high]."""
        if not any(a <= low and high <= b for a, b in self.read):
            events = schema.table("audit_event")
            self.found.update((row.id, (row.hash, row.prev_hash)) for row in self.conn.execute(
                sa.select(events.c.id, events.c.hash, events.c.prev_hash)
                .where(events.c[schema.COUNTER] == self.code,
                       events.c.id.between(low, high))))
            self.read.append((low, high))
        return self.found  # what else it holds is HQ's too


def _chunks(lines: Iterator[tuple[int, dict[str, Any]]]) -> Iterator[list[dict[str, Any]]]:
    while chunk := [row for _number, row in islice(lines, CHUNK)]:
        yield chunk


def _check_events(held_events: _Held, signed: SignedFile,
                  lines: Iterator[tuple[int, dict[str, Any]]], head: dict[str, Any] | None,
                  last_of_row: dict[tuple[str, str], tuple[str, str | None]]) -> None:
    conn, code = held_events.conn, held_events.code
    prev: tuple[int, str] | None = None  # the batch's previous event: id, whole hash
    allowed = {*_EVENT, row_state.DELETED}
    for chunk in _chunks(lines):
        # A line that is not an event (no id, a column not listed) is the ``rows`` check's
        # to refuse, by line, once loading starts.
        chunk = [line for line in chunk if type(line.get("id")) is int
                 and allowed.issuperset(line)]
        if not chunk:
            continue
        ids = [line["id"] for line in chunk]
        held = held_events(min(ids) - 1, max(ids) + 1)
        for line in chunk:
            event = SimpleNamespace(**{c: line.get(c) for c in _EVENT})
            known = held.get(event.id)
            if line.get(row_state.DELETED):
                raise ChainConflict(signed, "event_deleted", event_id=event.id)
            if known and known[0] != event.hash:
                raise ChainConflict(signed, "event_changed", event_id=event.id)
            if prev and prev[0] != event.id - 1:
                # A batch carries every event since the last one: ids without a hole.
                raise ChainConflict(signed, "not_linked", event_id=event.id)
            before = (prev[1] if prev
                      else held[event.id - 1][0] if event.id - 1 in held
                      else GENESIS if event.id == 1 else None)
            if before is None and prev is None and _follows_held(conn, signed, code):
                # The batch before this one is here: its events end where these begin.
                raise ChainConflict(signed, "not_linked", event_id=event.id)
            if before is not None:  # None: a gap a batch not imported yet fills
                try:
                    linked = audit.links(before, event)
                    same = linked and audit.row_hash(event, before) == event.hash
                except (TypeError, ValueError, AttributeError):  # not an event's fields
                    linked = same = False
                if not linked:
                    raise ChainConflict(signed, "not_linked", event_id=event.id)
                if not same:
                    raise ChainConflict(signed, "event_edited", event_id=event.id)
            if event.action in ROW_ACTIONS and isinstance(event.entity, str) and isinstance(
                    event.entity_id, str):
                last_of_row[(event.entity, event.entity_id)] = (event.action, event.state)
            prev = (event.id, event.hash)
    if prev is None:
        return
    after = held_events(prev[0] + 1, prev[0] + 1).get(prev[0] + 1)
    if after and not audit.links(prev[1], SimpleNamespace(prev_hash=after[1])):
        raise ChainConflict(signed, "not_linked", event_id=prev[0] + 1)


def _follows_held(conn: Connection, signed: SignedFile, code: str) -> bool:
    """Whether HQ holds the batch just before ``signed`` (or it is the first)."""
    seq = signed.manifest["seq"]
    batches = schema.table("hq_batch")
    return seq == 1 or conn.execute(sa.select(batches.c.seq).where(
        batches.c.counter == code, batches.c.seq == seq - 1)).first() is not None


def _check_rows(conn: Connection, signed: SignedFile, code: str, table: str,
                member: dict[str, Any], lines: Iterator[tuple[int, dict[str, Any]]],
                last_of_row: dict[tuple[str, str], tuple[str, str | None]]) -> None:
    """Each row (or deletion) of ``table`` against its last event: the batch's, else HQ's."""
    key = row_state.state_plans()[table].key
    allowed = {*member["columns"], row_state.DELETED}
    asked: list[tuple[str, str | None]] = []  # rows with no event in the batch
    for _number, line in lines:
        if line.get(key) is None or not allowed.issuperset(line):
            continue  # not a row: the import's ``rows`` check refuses it, by line
        row_key = str(line[key])
        state = None if line.get(row_state.DELETED) else row_state.line_state(line)
        last = last_of_row.get((table, row_key))
        if last is None:
            asked.append((row_key, state))
        elif not _proves(last, state):
            raise ChainConflict(signed, "row_unproven", table=table, key=row_key)
    events = schema.table("audit_event")
    for start in range(0, len(asked), CHUNK):
        part = dict(asked[start:start + CHUNK])
        found: dict[str, tuple[int, str, str | None]] = {}
        for row in conn.execute(
                sa.select(events.c.entity_id, events.c.id, events.c.action, events.c.state)
                .where(events.c[schema.COUNTER] == code, events.c.entity == table,
                       events.c.entity_id.in_(list(part)), events.c.action.in_(ROW_ACTIONS))):
            if row.entity_id not in found or found[row.entity_id][0] < row.id:
                found[row.entity_id] = (row.id, row.action, row.state)
        for row_key, state in part.items():
            held = found.get(row_key)
            if held is None or not _proves((held[1], held[2]), state):
                raise ChainConflict(signed, "row_unproven", table=table, key=row_key)


def _proves(last: tuple[str, str | None], state: str | None) -> bool:
    """Whether the last event (action, state) proves a row's state (None: a deletion)."""
    action, bound = last
    if state is None:
        return action == "delete"
    if action == "delete":
        return False
    return bound is None or bound == state  # no state: written before the trail bound any


def _check_head(held_events: _Held, signed: SignedFile, head: dict[str, Any],
                now: datetime) -> None:
    conn, code = held_events.conn, held_events.code
    event_id, digest = int(head["id"]), str(head["hash"])
    held = held_events(event_id, event_id).get(event_id)
    if held and held[0] != digest:
        raise ChainConflict(signed, "event_changed", event_id=event_id)
    heads = schema.table("hq_chain_head")
    seq = signed.manifest["seq"]
    # The heads named before and after this batch, in one query.
    earlier, later = conn.execute(sa.select(
        sa.func.max(sa.case((heads.c.seq < seq, heads.c.event_id))),
        sa.func.min(sa.case((heads.c.seq > seq, heads.c.event_id))),
    ).where(heads.c.counter == code, heads.c.seq != seq)).one()
    if (earlier is not None and earlier > event_id) or (later is not None and later < event_id):
        raise ChainConflict(signed, "head_behind", event_id=event_id)
    conn.execute(sa.insert(heads).values(counter=code, seq=seq, event_id=event_id,
                                         hash=digest, seen_at=now))


def record_refusal(hq: HqStore, refused: BatchRefused, now: datetime) -> None:
    """Keep a chain conflict for ``hq audit`` (its batch itself left nothing behind)."""
    if not isinstance(refused, ChainConflict):
        return
    with hq.write() as conn:
        conn.execute(sa.insert(schema.table("hq_chain_conflict")).values(
            counter=refused.counter, seq=refused.seq, file_name=refused.file,
            kind=refused.kind, event_id=refused.event_id, table_name=refused.table,
            row_key=refused.key, refused_at=now))


def conflicts(conn: Connection, counter: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """The recorded refusals, by counter, oldest first."""
    table = schema.table("hq_chain_conflict")
    query = sa.select(table).order_by(table.c.counter, table.c.id)
    if counter:
        query = query.where(table.c.counter == counter)
    found: dict[str, list[dict[str, Any]]] = {}
    for row in conn.execute(query):
        found.setdefault(row.counter, []).append({
            "file": row.file_name, "seq": row.seq, "kind": row.kind, "event_id": row.event_id,
            "table": row.table_name, "key": row.row_key})
    return found


class CounterAudit(audit.OnChain):
    """``hq audit`` for one counter: its chain as HQ holds it, and the refusals recorded."""

    def __init__(self, chain: audit.ChainReport, refused: list[dict[str, Any]]) -> None:
        self.chain, self.refused = chain, refused

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.refused

    def to_dict(self) -> dict[str, Any]:
        return {**self.chain.to_dict(), "ok": self.ok, "broken": self.chain.broken,
                "refused": self.refused}
