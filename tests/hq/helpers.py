"""What the HQ tests share: the two-counter scenario, HQ snapshots, forged batches."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from repairdesk import audit, row_state
from repairdesk.hq import schema
from repairdesk.hq.facade import Hq
from repairdesk.sync import batch, container, keys
from tests.conftest import CST

HQ_NOW = datetime(2026, 11, 21, 20, 0, tzinfo=CST)
FIRST_DAY = datetime(2026, 11, 19, 9, 0, tzinfo=CST)
COUNTERS = (("SH01", "徐汇网点", 1), ("BJ02", "海淀网点", 2))
DAYS = 3


@dataclass
class Scenario:
    """Two demo counters, three days of work each, one batch a day."""

    root: Path
    stores: dict[str, Path] = field(default_factory=dict)
    public_keys: dict[str, str] = field(default_factory=dict)
    batches: dict[str, list[Path]] = field(default_factory=dict)

    def day(self, index: int) -> list[Path]:
        return [self.batches[code][index] for code, _name, _seed in COUNTERS]

    def tickets(self) -> dict[tuple[str, str], tuple[str, int]]:
        """What every counter holds now: (counter, number) -> (status, version)."""
        found = {}
        for code, path in self.stores.items():
            with sqlite3.connect(path) as raw:
                for number, status, version in raw.execute(
                        "select number, status, version from ticket"):
                    found[(code, number)] = (status, version)
        return found

    def month_counts(self, month: str) -> dict[str, tuple[int, int]]:
        """Per counter: tickets received in ``month`` and handed back in it (local dates)."""
        counts = {}
        for code, path in self.stores.items():
            with sqlite3.connect(path) as raw:
                received = sum(1 for (n,) in raw.execute("select number from ticket")
                               if n.split("-")[1][:6] == month.replace("-", ""))
                back = raw.execute("select count(*) from repair_record where "
                                   "strftime('%Y-%m', handed_back) = ?", (month,)).fetchone()[0]
            counts[code] = (received, back)
        return counts


def snapshot(hq: Hq) -> dict[str, list[tuple]]:
    """Every row of every HQ table, for "nothing changed" assertions."""
    tables = {}
    with hq.store.read() as conn:
        for table in schema.hq_metadata().sorted_tables:
            rows = conn.execute(sa.select(table)).all()
            tables[table.name] = sorted(map(tuple, rows), key=repr)
    return tables


def hq_tickets(hq: Hq) -> list[tuple[str, str, str, int]]:
    ticket = schema.table("ticket")
    with hq.store.read() as conn:
        return [tuple(r) for r in conn.execute(
            sa.select(ticket.c.hq_counter, ticket.c.number, ticket.c.status, ticket.c.version)
            .where(ticket.c.hq_deleted.is_(False)))]




def forge(source: Path, target: Path, key: Ed25519PrivateKey,
          change: Callable[[dict[str, Any]], None]) -> Path:
    """``source`` with its manifest changed by ``change`` and signed again with ``key``."""
    data = source.read_bytes()
    entries = container.check_layout(data, zipfile.ZipFile(io.BytesIO(data)))
    manifest = json.loads(entries[batch.MANIFEST].data)
    change(manifest)
    raw = batch.manifest_bytes(manifest)
    members = [entries[m["name"]] for m in manifest["members"]]
    target.write_bytes(container.assemble([container.stored(batch.MANIFEST, raw), *members,
                                           container.stored(batch.SIGNATURE,
                                                            keys.sign(key, raw))]))
    return target


def forge_member(source: Path, target: Path, key: Ed25519PrivateKey, member: str,
                 change: Callable[[list[bytes]], list[bytes]]) -> Path:
    """``source`` with the lines of ``member`` changed by ``change``, its manifest entry
    made to agree (rows, hashes) and signed again with ``key``: only the lines are wrong."""
    data = source.read_bytes()
    entries = container.check_layout(data, zipfile.ZipFile(io.BytesIO(data)))
    manifest = json.loads(entries[batch.MANIFEST].data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        text = b"".join(line + b"\n" for line in change(zf.read(member).splitlines()))
    listed = next(m for m in manifest["members"] if m["name"] == member)
    manifest["rows"] += text.count(b"\n") - listed["rows"]
    listed["rows"], listed["sha256"] = text.count(b"\n"), batch.sha256_hex(text)
    members = [container.deflated(m["name"], io.BytesIO(text)) if m["name"] == member
               else entries[m["name"]] for m in manifest["members"]]
    target.write_bytes(batch.signed_file(manifest, members, key))
    return target


def with_events(entity: str, action: str,
                entity_ids: list[int]) -> Callable[[list[bytes]], list[bytes]]:
    """A change for :func:`forge_member` of ``audit_event.jsonl``: events of ``action`` on
    ``entity_ids`` appended, chained and hashed as the counter would have (an attacker with
    the counter's code can do the same)."""
    def change(lines: list[bytes]) -> list[bytes]:
        last = json.loads(lines[-1])
        prev, number = last["hash"], last["id"]
        at = datetime.fromisoformat(last["at"])
        added = []
        for entity_id in entity_ids:
            number += 1
            fields = audit._fields(at, "tester", entity, str(entity_id), action, {}, None, prev)
            link = audit.event_hash(fields)
            added.append(batch.json_line({**fields, "id": number, "hash": link, "state": None,
                                          "prev_hash": prev[:audit.PREV_KEPT]})[:-1])
            prev = link
        return [*lines, *added]

    return change


def rebound(path: Path, key: Ed25519PrivateKey, table: str) -> Path:
    """The batch at ``path`` with its trail made to prove the (forged) rows of ``table``: each
    row's last event given the row's state, the chain re-hashed from there and the head
    moved, signed again with ``key``, as a counter that wrote those rows itself would have
    sent them (only other checks than the evidence may then refuse it)."""
    data = path.read_bytes()
    entries = container.check_layout(data, zipfile.ZipFile(io.BytesIO(data)))
    manifest = json.loads(entries[batch.MANIFEST].data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        rows = [json.loads(line) for line in zf.read(f"{table}.jsonl").splitlines()]
        events = [json.loads(line) for line in zf.read("audit_event.jsonl").splitlines()]
    (key_column,) = next(m["key"] for m in manifest["members"] if m["table"] == table)
    states = {str(r[key_column]): row_state.line_state(r) for r in rows}
    last = {(e["entity"], e["entity_id"]): i for i, e in enumerate(events)
            if e["action"] in audit.ROW_ACTIONS}
    prev = audit.GENESIS
    for i, event in enumerate(events):
        if last.get((table, event["entity_id"])) == i and event["entity_id"] in states:
            event["state"] = states[event["entity_id"]]
        event["prev_hash"] = prev[:audit.PREV_KEPT]
        event["hash"] = prev = audit.row_hash(SimpleNamespace(**event), prev)
    manifest["chain_head"] = {"id": events[-1]["id"], "hash": prev}
    text = b"".join(batch.json_line(e) for e in events)
    listed = next(m for m in manifest["members"] if m["name"] == "audit_event.jsonl")
    listed["sha256"] = batch.sha256_hex(text)
    members = [container.deflated(m["name"], io.BytesIO(text)) if m["name"] == listed["name"]
               else entries[m["name"]] for m in manifest["members"]]
    path.write_bytes(batch.signed_file(manifest, members, key))
    return path


# What h0006_settlement creates: a database "as it stood" before it lacks them.
SETTLEMENT_TABLES = ("hq_rate_card", "hq_price", "hq_blacklist", "hq_claim_line",
                     "hq_statement", "hq_dispute_answer")
# What h0007_deposits and later parts migrations create.
PARTS_TABLES = ("hq_deposit_entry", "hq_part_answer", "hq_shipment", "hq_shipment_line",
                "hq_return_line")


def make_legacy(url: str, *, schema_version: int = 2) -> None:
    """Turn a current HQ database (SQLite or PostgreSQL) into one made before HQ had
    migrations (schema ``schema_version``): no Alembic version, no registry, users or trail;
    ``hq_counter`` the list of trusted keys it was."""
    from repairdesk.hq.store import hq_url

    engine = sa.create_engine(hq_url(url))
    with engine.begin() as conn:
        for table in ("hq_alembic_version", "hq_user", "hq_event", "hq_counter_state",
                      *SETTLEMENT_TABLES, *PARTS_TABLES):
            conn.exec_driver_sql(f"DROP TABLE {table}")
        conn.exec_driver_sql("ALTER TABLE hq_batch DROP COLUMN flag")
        conn.exec_driver_sql("DELETE FROM hq_counter WHERE public_key IS NULL")
        for column in ("name", "level", "region", "parent", "agent", "person", "phone",
                       "address", "agreement_start", "agreement_end", "deposit_fen",
                       "credit_multiple", "state", "state_since", "created_at"):
            conn.exec_driver_sql(f"ALTER TABLE hq_counter DROP COLUMN {column}")
        conn.execute(sa.text("INSERT INTO hq_meta VALUES ('schema_version', :v)"),
                     {"v": str(schema_version)})
    engine.dispose()
