"""HQ's answers to the counters' part requests and the shipments that follow
(repairdesk/hq/parts_schema.py).

Revision ID: h0008_part_orders
Revises: h0007_deposits
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import UTCDateTime

revision = "h0008_part_orders"
down_revision = "h0007_deposits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hq_part_answer",
        sa.Column("counter", sa.String(8), primary_key=True),
        sa.Column("request_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("qty", sa.Integer, nullable=False),
        sa.Column("value_fen", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("by_user", sa.Text, nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("second_user", sa.Text, nullable=True),
        sa.Column("second_at", UTCDateTime(), nullable=True),
        sa.Column("shipment_id", sa.Integer, nullable=True),
    )
    op.create_table(
        "hq_shipment",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("counter", sa.String(8), nullable=False),
        sa.Column("waybill", sa.Text, nullable=False),
        sa.Column("shipped_at", UTCDateTime(), nullable=False),
        sa.Column("by_user", sa.Text, nullable=True),
    )
    op.create_index("ix_hq_shipment_counter", "hq_shipment", ["counter"])
    op.create_table(
        "hq_shipment_line",
        sa.Column("shipment_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("line", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("part_number", sa.String(40), nullable=False),
        sa.Column("qty", sa.Integer, nullable=False),
        sa.Column("cost_fen", sa.BigInteger, nullable=False),
        sa.Column("request_id", sa.BigInteger, nullable=True),
        sa.Column("free", sa.Boolean, nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("HQ databases are never downgraded")
