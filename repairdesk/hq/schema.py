"""The HQ database's tables: plain SQLAlchemy Core in a MetaData of their own.

The HQ database is not a counter store (SQLModel's metadata and the counter's migrations
never see it). It holds:

- ``hq_meta``: the schema version and a fingerprint of the copied counter tables;
- ``hq_counter``: the counters HQ trusts, with their public keys;
- ``hq_batch``: every batch imported (counter, sequence, file hash, the previous file's hash);
- ``hq_pack``: every reference pack HQ issued;
- ``hq_chain_head`` and ``hq_chain_conflict``: every audit-chain head a counter's batches
  named, and every batch the chain check refused (:mod:`repairdesk.hq.chain`);
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

from repairdesk.sync.tables import ExportTable, base_type, export_tables

#: Bump when the hand-written HQ tables change (``hq init`` upgrades an older database).
SCHEMA_VERSION = 2  # 2: the chain heads and conflicts (and audit_event.state)
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
    sa.Table(
        "hq_counter", metadata,
        sa.Column("code", sa.String(8), primary_key=True),
        sa.Column("public_key", sa.Text, nullable=False),
        sa.Column("trusted_at", UTCDateTime(), nullable=False),
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
    for t in export_tables():
        _mirror(metadata, t)
    return metadata


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
    return hashlib.sha256(f"{SCHEMA_VERSION}\n{text}".encode()).hexdigest()[:16]
