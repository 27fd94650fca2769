"""HQ's workspace: the network's registry, HQ's users and the trail of their changes.

``hq_counter`` was the list of trusted keys; it becomes the registry. A counter trusted
before keeps its key, and its code stands in for its name until someone edits it.

Revision ID: h0002_workspace
Revises: h0001_baseline
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import UTCDateTime

revision = "h0002_workspace"
down_revision = "h0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hq_counter") as table:
        table.alter_column("public_key", existing_type=sa.Text, nullable=True)
        table.alter_column("trusted_at", existing_type=UTCDateTime(), nullable=True)
        table.add_column(sa.Column("name", sa.Text, nullable=True))
        table.add_column(sa.Column("level", sa.String(20), nullable=True))
        table.add_column(sa.Column("region", sa.String(6), nullable=True))
        table.add_column(sa.Column("parent", sa.String(8), nullable=True))
        table.add_column(sa.Column("agent", sa.Text, nullable=True))
        table.add_column(sa.Column("person", sa.Text, nullable=True))
        table.add_column(sa.Column("phone", sa.Text, nullable=True))
        table.add_column(sa.Column("address", sa.Text, nullable=True))
        table.add_column(sa.Column("agreement_start", sa.Date, nullable=True))
        table.add_column(sa.Column("agreement_end", sa.Date, nullable=True))
        table.add_column(sa.Column("deposit_fen", sa.BigInteger, nullable=False,
                                   server_default="0"))
        table.add_column(sa.Column("credit_multiple", sa.Numeric(8, 2), nullable=False,
                                   server_default="1"))
        table.add_column(sa.Column("state", sa.String(12), nullable=False,
                                   server_default="active"))
        table.add_column(sa.Column("state_since", sa.Date, nullable=True))
        table.add_column(sa.Column("created_at", UTCDateTime(), nullable=True))
    op.execute(sa.text("UPDATE hq_counter SET name = code, created_at = trusted_at"))
    with op.batch_alter_table("hq_counter") as table:
        table.alter_column("name", existing_type=sa.Text, nullable=False)
    with op.batch_alter_table("hq_batch") as table:
        table.add_column(sa.Column("flag", sa.String(20), nullable=True))
    op.create_table(
        "hq_counter_state",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("counter", sa.String(8), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("on_day", sa.Date, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("by_user", sa.Text, nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_hq_counter_state_counter", "hq_counter_state", ["counter"])
    op.create_table(
        "hq_user",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("pin_hash", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("failed_pins", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "hq_event",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("user", sa.Text, nullable=True),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("subject", sa.Text, nullable=True),
        sa.Column("detail", sa.JSON, nullable=True),
    )


def downgrade() -> None:
    raise NotImplementedError("HQ databases are never downgraded")
