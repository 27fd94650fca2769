"""The HQ database's tables: plain SQLAlchemy Core in a MetaData of their own.

The HQ database is not a counter store (SQLModel's metadata and the counter's migrations
never see it): its hand-written tables have Alembic migrations of their own
(``repairdesk/hq/migrations``, version table ``hq_alembic_version``); the copies of the counter
tables follow the counter's metadata and are brought up to date after them
(:mod:`repairdesk.hq.store`). It holds:

- ``hq_meta``: HQ's public key and a fingerprint of the copied counter tables;
- ``hq_counter``: the network's registry (every counter, its level, region, agreement and
  state), with the public key HQ trusts once the counter is registered;
- ``hq_counter_state``: every change of a counter's state, with its day and reason;
- ``hq_user`` and ``hq_event``: HQ's people and the trail of every change they make;
- ``hq_batch``: every batch imported (counter, sequence, file hash, the previous file's hash);
- ``hq_pack``: every reference pack HQ issued;
- ``hq_chain_head`` and ``hq_chain_conflict``: every audit-chain head a counter's batches
  named, and every batch the chain check refused (:mod:`repairdesk.hq.chain`);
- settlement's tables (:mod:`repairdesk.hq.settle_schema`);
- one copy of each exported counter table, derived from the counter's own metadata, keyed by
  ``hq_counter`` + the counter's primary key, with ``hq_batch_seq`` (the batch the row came
  from: an older batch imported late never overwrites a newer row) and ``hq_deleted``.
  Constraints other than the key are not copied: HQ keeps what the counters signed.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlmodel.sql.sqltypes import UTCDateTime

from repairdesk.hq.parts_schema import add_parts_tables
from repairdesk.hq.settle_schema import add_settlement_tables
from repairdesk.sync.tables import ExportTable, base_type, export_tables

#: The schema version HQ databases carried before HQ had migrations (a database at it, or
#: below, is brought under Alembic by the baseline migration).
LEGACY_SCHEMA_VERSION = 2
COUNTER = "hq_counter"
BATCH_SEQ = "hq_batch_seq"
DELETED = "hq_deleted"


@cache
def hq_metadata() -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table(
        "hq_meta", metadata,
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    # The registry. Money is in fen, as at the counters; the credit multiple sets how much
    # stock the deposit covers (the parts issue reads both).
    sa.Table(
        "hq_counter", metadata,
        sa.Column("code", sa.String(8), primary_key=True),
        sa.Column("public_key", sa.Text, nullable=True),
        sa.Column("trusted_at", UTCDateTime(), nullable=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("level", sa.String(20), nullable=True),
        sa.Column("region", sa.String(6), nullable=True),
        sa.Column("parent", sa.String(8), nullable=True),
        sa.Column("agent", sa.Text, nullable=True),
        sa.Column("person", sa.Text, nullable=True),
        sa.Column("phone", sa.Text, nullable=True),
        sa.Column("address", sa.Text, nullable=True),
        sa.Column("agreement_start", sa.Date, nullable=True),
        sa.Column("agreement_end", sa.Date, nullable=True),
        sa.Column("deposit_fen", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("credit_multiple", sa.Numeric(8, 2), nullable=False, server_default="1"),
        sa.Column("state", sa.String(12), nullable=False, server_default="active"),
        sa.Column("state_since", sa.Date, nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=True),
    )
    sa.Table(
        "hq_counter_state", metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("counter", sa.String(8), nullable=False, index=True),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("on_day", sa.Date, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("by_user", sa.Text, nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
    )
    sa.Table(
        "hq_user", metadata,
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("pin_hash", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("failed_pins", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    # Every change made at HQ, by whom: written in the same transaction as the change.
    sa.Table(
        "hq_event", metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("user", sa.Text, nullable=True),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("subject", sa.Text, nullable=True),
        sa.Column("detail", sa.JSON, nullable=True),
    )
    sa.Table(
        "hq_batch", metadata,
        sa.Column("counter", sa.String(8), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("previous_sha256", sa.String(64), nullable=True),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("since", UTCDateTime(), nullable=True),
        sa.Column("until", UTCDateTime(), nullable=True),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("pack", sa.Integer, nullable=True),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        # The counter's state when the batch came in: past work of a suspended or retired
        # counter is imported, and marked.
        sa.Column("flag", sa.String(20), nullable=True),
    )
    sa.Table(
        "hq_pack", metadata,
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("prices", sa.Integer, nullable=False),
        sa.Column("blacklisted", sa.Integer, nullable=True),
        sa.Column("policy", sa.Text, nullable=True),
    )
    # Every chain head a counter's batches named (repairdesk/hq/chain.py), and every batch
    # the chain check refused, with the first conflict it found.
    sa.Table(
        "hq_chain_head", metadata,
        sa.Column("counter", sa.String(8), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("event_id", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
    )
    sa.Table(
        "hq_chain_conflict", metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("counter", sa.String(8), nullable=False, index=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("event_id", sa.BigInteger, nullable=True),
        sa.Column("table_name", sa.Text, nullable=True),
        sa.Column("row_key", sa.Text, nullable=True),
        sa.Column("refused_at", UTCDateTime(), nullable=False),
    )
    add_settlement_tables(metadata)
    add_parts_tables(metadata)
    for t in export_tables():
        _mirror(metadata, t)
    _report_indexes(metadata)
    return metadata


#: The tables the migrations own (everything else in the metadata is a counter table's copy).
def own_tables() -> list[sa.Table]:
    names = {t.name for t in export_tables()}
    return [t for t in hq_metadata().sorted_tables if t.name not in names]


#: The monthly report's lookups across every counter (repairdesk/hq/report_*.py: a month of
#: a large network is a million tickets), which the counters' own indexes, led by
#: ``hq_counter``, cannot serve: the month's ranges, a ticket's repair record, a device by
#: IMEI at any counter. Migration h0005_reports adds them to an existing database.
REPORT_INDEXES = (
    ("ticket", ("created_at",)),
    ("repair_record", (COUNTER, "ticket_id")),
    ("repair_record", ("handed_back",)),
    ("device", ("imei",)),
    ("status_move", ("to_status", "at")),
    ("payment", ("at",)),
    ("stock_move", ("at",)),
)


def _report_indexes(metadata: sa.MetaData) -> None:
    for name, columns in REPORT_INDEXES:
        table = metadata.tables[name]
        sa.Index(f"hq_rx_{name}_{'_'.join(columns)}", *(table.c[c] for c in columns))


def hq_type(type_: sa.types.TypeEngine[Any]) -> sa.types.TypeEngine[Any]:
    """The HQ column type for a counter column type (wide: HQ stores what counters sent)."""
    if isinstance(type_, UTCDateTime):
        return UTCDateTime()
    base = base_type(type_)
    if isinstance(base, sa.JSON):
        return sa.JSON(none_as_null=True)
    if isinstance(base, sa.DateTime):
        return sa.DateTime(timezone=base.timezone)
    for kind in (sa.Date, sa.Boolean, sa.Numeric, sa.LargeBinary):
        if isinstance(base, kind):
            return kind()
    if isinstance(base, sa.Integer):
        return sa.BigInteger()
    return sa.Text()


def _mirror(metadata: sa.MetaData, t: ExportTable) -> sa.Table:
    source = t.table.c
    table = sa.Table(
        t.name, metadata,
        sa.Column(COUNTER, sa.String(8), primary_key=True),
        *(sa.Column(c, hq_type(source[c].type), primary_key=c in t.key,
                    autoincrement=False, nullable=c not in t.key)
          for c in t.columns),
        sa.Column(BATCH_SEQ, sa.Integer, nullable=False),
        sa.Column(DELETED, sa.Boolean, nullable=False, default=False),
    )
    # The counter's lookups are HQ's report filters too (per counter).
    for index in sorted(t.table.indexes, key=lambda i: i.name or ""):
        cols = [c.name for c in index.columns if c.name in t.columns]
        if cols:
            sa.Index(f"hq_ix_{t.name}_{'_'.join(cols)}", table.c[COUNTER],
                     *(table.c[c] for c in cols))
    return table


def mirrors() -> dict[str, sa.Table]:
    """The copies of the counter tables, by name."""
    names = {t.name for t in export_tables()}
    return {name: table for name, table in hq_metadata().tables.items() if name in names}


def table(name: str) -> sa.Table:
    return hq_metadata().tables[name]


def fingerprint() -> str:
    """Changes whenever a copied table or column is added or changes type."""
    text = "\n".join(
        f"{t.name}:" + ",".join(f"{c.name}={c.type!r}" for c in t.columns)
        for t in sorted(mirrors().values(), key=lambda t: t.name)
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]
