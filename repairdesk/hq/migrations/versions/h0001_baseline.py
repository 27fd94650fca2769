"""HQ's tables as they were before HQ had migrations (schema version 2).

A database made by that version already holds some or all of them: each is created only
where it is missing, so the baseline brings such a database under Alembic as it stands.

Revision ID: h0001_baseline
Revises:
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import UTCDateTime

revision = "h0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def _tables() -> list[tuple[str, list[sa.Column[Any]]]]:
    return [
        ("hq_meta", [
            sa.Column("key", sa.String(40), primary_key=True),
            sa.Column("value", sa.Text, nullable=False),
        ]),
        ("hq_counter", [
            sa.Column("code", sa.String(8), primary_key=True),
            sa.Column("public_key", sa.Text, nullable=False),
            sa.Column("trusted_at", UTCDateTime(), nullable=False),
        ]),
        ("hq_batch", [
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
        ]),
        ("hq_pack", [
            sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("sha256", sa.String(64), nullable=False),
            sa.Column("file_name", sa.Text, nullable=False),
            sa.Column("issued_at", UTCDateTime(), nullable=False),
            sa.Column("prices", sa.Integer, nullable=False),
            sa.Column("blacklisted", sa.Integer, nullable=True),
            sa.Column("policy", sa.Text, nullable=True),
        ]),
        ("hq_chain_head", [
            sa.Column("counter", sa.String(8), primary_key=True),
            sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("event_id", sa.BigInteger, nullable=False),
            sa.Column("hash", sa.String(64), nullable=False),
            sa.Column("seen_at", UTCDateTime(), nullable=False),
        ]),
        ("hq_chain_conflict", [
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("counter", sa.String(8), nullable=False),
            sa.Column("seq", sa.Integer, nullable=False),
            sa.Column("file_name", sa.Text, nullable=False),
            sa.Column("kind", sa.String(40), nullable=False),
            sa.Column("event_id", sa.BigInteger, nullable=True),
            sa.Column("table_name", sa.Text, nullable=True),
            sa.Column("row_key", sa.Text, nullable=True),
            sa.Column("refused_at", UTCDateTime(), nullable=False),
        ]),
    ]


def upgrade() -> None:
    present = set(sa.inspect(op.get_bind()).get_table_names())
    for name, columns in _tables():
        if name not in present:
            op.create_table(name, *columns)
    if "hq_chain_conflict" not in present:
        op.create_index("ix_hq_chain_conflict_counter", "hq_chain_conflict", ["counter"])
    # The version now lives in the migrations' own table.
    op.execute(sa.text("DELETE FROM hq_meta WHERE key = 'schema_version'"))


def downgrade() -> None:
    raise NotImplementedError("HQ databases are never downgraded")
