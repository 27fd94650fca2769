"""Sync to HQ: change log, exported batches, HQ's key, applied packs, blacklist.

The triggers that fill ``sync_change`` are not created here but by the export itself
(repairdesk/sync/tracking.py): tables of other areas are created by their own branches, before
or after this one, and a batch-mode ALTER rebuilds a table without its triggers. The export
installs what is missing and logs every existing row of such a table, so nothing is missed.

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0005"
down_revision = "0002"
branch_labels = ("sync",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_change",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("table_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("row_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "sync_batch",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("since", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("change_from", sa.Integer(), nullable=False),
        sa.Column("change_to", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_table(
        "sync_hq_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("trusted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "sync_pack",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("issued_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("applied_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("prices", sa.Integer(), nullable=False),
        sa.Column("blacklisted", sa.Integer(), nullable=False),
        sa.Column("policy", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_table(
        "sync_blacklist",
        sa.Column("imei", sqlmodel.sql.sqltypes.AutoString(length=15), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reported", sa.Date(), nullable=True),
        sa.Column("pack_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("imei"),
    )


def downgrade() -> None:
    bind = op.get_bind()
    for (name,) in bind.exec_driver_sql(
        "select name from sqlite_master where type = 'trigger' and name like 'sync_track_%'"
    ).fetchall():
        bind.exec_driver_sql(f'drop trigger "{name}"')
    for table in ("sync_blacklist", "sync_pack", "sync_hq_key", "sync_batch", "sync_change"):
        op.drop_table(table)
