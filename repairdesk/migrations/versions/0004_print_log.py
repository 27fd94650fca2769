"""Print log: which slips of a ticket were printed, when, where, and whether it worked.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = ("printing",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "print_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("slip", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("fmt", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("printer", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("user", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("print_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_print_log_ticket_id"), ["ticket_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("print_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_print_log_ticket_id"))
    op.drop_table("print_log")
