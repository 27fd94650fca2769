"""The parts the counter asks HQ for (repairdesk/models_parts.py): for stock or for a
ticket, free for a warranty repair; they travel to HQ in the counter's batches.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "part_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("reason", _TEXT(), nullable=False),
        sa.Column("free", sa.Boolean(), nullable=False),
        sa.Column("note", _TEXT(), nullable=False),
        sa.Column("at", _TIME(), nullable=False),
        sa.Column("user", _TEXT(), nullable=False),
        sa.ForeignKeyConstraint(["part_id"], ["part.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_part_request_part_id", "part_request", ["part_id"])
    op.create_index("ix_part_request_ticket_id", "part_request", ["ticket_id"])


def downgrade() -> None:
    op.drop_index("ix_part_request_ticket_id", table_name="part_request")
    op.drop_index("ix_part_request_part_id", table_name="part_request")
    op.drop_table("part_request")
