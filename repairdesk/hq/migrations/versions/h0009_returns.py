"""What HQ found of the faulty parts the counters sent back (repairdesk/hq/parts_schema.py).

Revision ID: h0009_returns
Revises: h0008_part_orders
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import UTCDateTime

revision = "h0009_returns"
down_revision = "h0008_part_orders"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hq_return_line",
        sa.Column("counter", sa.String(8), primary_key=True),
        sa.Column("old_part_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("return_ref", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("by_user", sa.Text, nullable=True),
    )


def downgrade() -> None:
    raise NotImplementedError("HQ databases are never downgraded")
