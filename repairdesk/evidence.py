"""Whether the audit trail proves the store: every audited row against its last event.

``audit verify`` walks the hash chain (:func:`repairdesk.audit.verify_chain`), then compares
each audited row's state (:mod:`repairdesk.row_state`) with the state its last event bound,
then the chain's end with the heads recorded elsewhere: the head file beside the store and
the chain head of the last batch sent to HQ. What it finds, by kind:

- ``changed``: a row whose state is not its last event's (edited outside the app);
- ``deleted``: an event's row that is gone, the last event not a delete;
- ``unrecorded``: a row with no event (inserted outside the app), or back after its delete;
- ``tail_missing``: the chain ends before a recorded head (events cut off its end);
- ``rewritten``: the event at a recorded head has another hash (history rewritten);
- ``head_missing``: no head file (or an unreadable one) though the trail binds states;
- ``broken``: links that do not hold (an event edited, or missing in the middle).

A row whose last event predates migration 0009 has no state to compare: it is counted as
not yet bound, not as a problem. The row pass is SQL over each table (one index seek per
row for its last event), so a million tickets are checked without an ORM object each.
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk import audit, row_state
from repairdesk.audit import ChainReport, Head, OnChain
from repairdesk.db import Store
from repairdesk.row_state import quote

KINDS = ("changed", "deleted", "unrecorded", "tail_missing", "rewritten", "head_missing",
         "broken")
EXAMPLES = 5
_ACTIONS = "('insert', 'update', 'delete')"


@dataclass
class EvidenceReport(OnChain):
    chain: ChainReport
    rows: int = 0  # audited rows checked
    unbound: int = 0  # rows whose last event has no state (written before migration 0009)
    problems: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.problems

    def add(self, kind: str, count: int = 1, **example: Any) -> None:
        self.problems[kind] = self.problems.get(kind, 0) + count
        shown = self.examples.setdefault(kind, [])
        if example and len(shown) < EXAMPLES:
            shown.append(example)

    def to_dict(self) -> dict[str, Any]:
        return {**self.chain.to_dict(), "ok": self.ok, "rows": self.rows,
                "not_yet_bound": self.unbound,
                "problems": {k: self.problems[k] for k in KINDS if k in self.problems},
                "examples": {k: self.examples.get(k, []) for k in KINDS if k in self.problems},
                "head": self.chain.last.to_dict() if self.chain.last else None}


@dataclass(frozen=True)
class Finding:
    kind: str  # changed | deleted | unrecorded | unbound
    table: str
    key: str


def verify(store: Store) -> EvidenceReport:
    """The whole check, in one read transaction (one snapshot of the store)."""
    with store.read() as s:
        conn = s.connection()
        report = EvidenceReport(audit.verify_chain(s))
        if report.chain.broken:
            report.add("broken", report.chain.broken, id=report.chain.broken_at,
                       reason=report.chain.reason)
        raw = _raw(conn)
        for table in row_state.state_plans():
            for found in row_findings(raw, table):
                if found.kind == "checked":
                    report.rows += 1
                elif found.kind == "unbound":
                    report.rows += 1
                    report.unbound += 1
                else:
                    report.rows += found.kind != "deleted"
                    report.add(found.kind, table=found.table, key=found.key)
        _check_heads(conn, store, report)
    return report


def _raw(conn: Connection) -> sqlite3.Connection:
    fairy = conn.connection
    raw = fairy.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    if not fairy.info.get("row_state"):
        row_state.prepare(raw)
        fairy.info["row_state"] = True
    return raw


def _last_event(table: str, key_text: str) -> str:
    return (f"SELECT max(x.id) FROM audit_event x WHERE x.entity = '{table}' "
            f"AND x.entity_id = {key_text} AND x.action IN {_ACTIONS}")


def _judge(table: str, key: Any, text: str | None, action: str | None,
           state: str | None) -> Finding:
    """What one row (``text`` None: no row) says against its last event."""
    key_text = str(key)
    if text is None:
        return Finding("deleted" if action in ("insert", "update") else
                       "checked" if action == "delete" else "unrecorded", table, key_text)
    if action is None or action == "delete":
        return Finding("unrecorded", table, key_text)
    if state is None:
        return Finding("unbound", table, key_text)
    if row_state.state_hash(text) != state:
        return Finding("changed", table, key_text)
    return Finding("checked", table, key_text)


def row_findings(raw: sqlite3.Connection, table: str) -> Iterator[Finding]:
    """Every row of ``table`` and every row its events name, judged (see :func:`_judge`)."""
    plan = row_state.state_plans()[table]
    t, key = quote(table), quote(plan.key)
    cursor = raw.execute(
        f"SELECT r.k, r.s, e.action, e.state FROM (SELECT {key} AS k, {plan.text} AS s "
        f"FROM {t}) AS r LEFT JOIN audit_event e ON e.id = "
        f"({_last_event(table, 'CAST(r.k AS TEXT)')})")
    while rows := cursor.fetchmany(5000):
        for found in rows:
            yield _judge(table, *found)
    # Events whose row is gone: the last event of each row the trail names, without its row.
    gone = raw.execute(
        f"SELECT m.entity_id, e.action FROM (SELECT entity_id, max(id) AS id FROM audit_event "
        f"WHERE entity = ? AND action IN {_ACTIONS} GROUP BY entity_id) m "
        f"JOIN audit_event e ON e.id = m.id WHERE e.action != 'delete' "
        f"AND NOT EXISTS (SELECT 1 FROM {t} AS r WHERE r.{key} = {_typed(table, 'm.entity_id')})",
        (table,))
    for entity_id, action in gone:
        yield _judge(table, entity_id, None, action, None)


def _typed(table: str, text: str) -> str:
    """``text`` (an event's entity id) as the key column's type, so its index is used."""
    from sqlmodel import SQLModel

    (column,) = SQLModel.metadata.tables[table].primary_key.columns
    return f"CAST({text} AS INTEGER)" if isinstance(column.type, sa.Integer) else text


def keyed_findings(raw: sqlite3.Connection, table: str, keys_sql: str,
                   params: tuple[Any, ...]) -> Iterator[Finding]:
    """The rows of ``table`` whose keys ``keys_sql`` selects (present or not), judged: what
    an export is about to send."""
    plan = row_state.state_plans()[table]
    t, key = quote(table), quote(plan.key)
    cursor = raw.execute(
        f"WITH k(k) AS (SELECT DISTINCT * FROM ({keys_sql})) "
        f"SELECT k.k, r.s, e.action, e.state FROM k "
        f"LEFT JOIN (SELECT {key} AS rk, {plan.text} AS s FROM {t}) AS r "
        f"ON r.rk = k.k "
        f"LEFT JOIN audit_event e ON e.id = ({_last_event(table, 'CAST(k.k AS TEXT)')})",
        params)
    while rows := cursor.fetchmany(5000):
        for found in rows:
            yield _judge(table, *found)


def first_unproven(conn: Connection, table: str, keys_sql: str,
                   params: tuple[Any, ...]) -> Finding | None:
    """The first row of those selected that its last event does not prove (unbound rows,
    written before migration 0009, pass)."""
    if table not in row_state.state_plans():
        return None
    for found in keyed_findings(_raw(conn), table, keys_sql, params):
        if found.kind not in ("checked", "unbound"):
            return found
    return None


def _check_heads(conn: Connection, store: Store, report: EvidenceReport) -> None:
    """The chain's end against the head file and the last batch's chain head."""
    try:
        head = audit.read_head(store.head_path)
    except ValueError:
        report.add("head_missing", file=str(store.head_path))
        head = None
    else:
        if head is None and conn.exec_driver_sql(
                "SELECT 1 FROM audit_event WHERE state IS NOT NULL LIMIT 1").first():
            # Every write that binds a state writes the head file after it.
            report.add("head_missing", file=str(store.head_path))
    recorded = [("head_file", head), ("last_batch", last_batch_head(conn))]
    last = report.chain.last
    for where, expected in recorded:
        if expected is None:
            continue
        if last is None or expected.id > last.id:
            report.add("tail_missing", expected.id - (last.id if last else 0), where=where,
                       id=expected.id)
            continue
        stored = conn.exec_driver_sql("SELECT hash FROM audit_event WHERE id = ?",
                                      (expected.id,)).scalar()
        if stored != expected.hash:
            report.add("rewritten", where=where, id=expected.id)


def last_batch_head(conn: Connection) -> Head | None:
    """The chain head the last exported batch's (signed) manifest names, if it names one."""
    content = conn.exec_driver_sql(
        "SELECT content FROM sync_batch ORDER BY seq DESC LIMIT 1").scalar()
    if not content:
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            found = json.loads(zf.read("manifest.json")).get("chain_head")
        return Head(int(found["id"]), str(found["hash"])) if found else None
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError):
        return None


#: What ``audit bind`` binds again: rows whose state no event proves, and rows gone.
BINDABLE = ("changed", "unrecorded", "deleted")


def bind(store: Store, reason: str) -> dict[str, int]:
    """Bind the store's current rows to the trail, after a manager has looked into why they
    differ (rows written before the trail existed, a repair made with sqlite3): each row
    changed or unrecorded gets an update event with its whole state, each row gone a delete
    event, and one ``bound`` note holds the reason and the counts. Attributable, in the
    next batch, and seen by HQ; nothing is hidden, only made to agree again."""
    counts: dict[str, int] = {}
    with store.write() as s:
        raw = _raw(s.connection())
        found: dict[str, dict[str, list[Any]]] = {}
        for table in row_state.state_plans():
            for finding in row_findings(raw, table):
                if finding.kind in BINDABLE:
                    found.setdefault(table, {}).setdefault(finding.kind, []).append(
                        _key_value(table, finding.key))
        for table, kinds in found.items():
            present = kinds.get("changed", []) + kinds.get("unrecorded", [])
            if present:
                audit.record_inserted(s, table, present, "update")
            for key in kinds.get("deleted", []):
                audit.record_deleted(s, table, str(key))
            counts[table] = len(present) + len(kinds.get("deleted", []))
        if counts:
            audit.note(s, "audit_event", "bind", "bound", {"reason": reason, "rows": counts})
    return counts


def _key_value(table: str, key: str) -> Any:
    from sqlmodel import SQLModel

    (column,) = SQLModel.metadata.tables[table].primary_key.columns
    return int(key) if isinstance(column.type, sa.Integer) else key
