"""Checklist results: the technician's diagnosis of a ticket.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = ("checklist",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checklist_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("battery_health", sa.Integer(), nullable=True),
        sa.Column("exclusions", sa.JSON(), nullable=False),
        sa.Column("voucher_imei", sqlmodel.sql.sqltypes.AutoString(length=15), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("fault_code", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("covered", sa.Boolean(), nullable=True),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("user", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("checklist_result", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_checklist_result_ticket_id"), ["ticket_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("checklist_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklist_result_ticket_id"))
    op.drop_table("checklist_result")
