"""Shipments from HQ at the counter (repairdesk/models_parts.py): what HQ's packs bring
(its answers to the counter's part requests and its shipments) and what the counter
received of each shipment, line by line (it travels to HQ in the batches).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "shipment_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("shipped", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("damaged", sa.Integer(), nullable=False),
        sa.Column("reason", _TEXT(), nullable=False),
        sa.Column("at", _TIME(), nullable=False),
        sa.Column("user", _TEXT(), nullable=False),
        sa.ForeignKeyConstraint(["part_id"], ["part.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_shipment_receipt_shipment_id", "shipment_receipt", ["shipment_id"])
    op.create_table(
        "sync_shipment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("waybill", _TEXT(), nullable=False),
        sa.Column("shipped_at", _TIME(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("pack_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "sync_part_answer",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("outcome", _TEXT(), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("reason", _TEXT(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=True),
        sa.Column("pack_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("request_id"),
    )


def downgrade() -> None:
    op.drop_table("sync_part_answer")
    op.drop_table("sync_shipment")
    op.drop_index("ix_shipment_receipt_shipment_id", table_name="shipment_receipt")
    op.drop_table("shipment_receipt")
