"""The senders' references of intakes (``intake_ref``), and no passcode left on a ticket
that has ended: until now it was erased at collection only, and stayed on a cancelled one.

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None

# The terminal statuses as this revision knows them (repairdesk/tickets/workflow.py).
_ENDED = ("collected", "returned_unrepaired", "exchanged", "refunded", "cancelled")


def upgrade() -> None:
    op.create_table(
        "intake_ref",
        sa.Column("ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("ref"),
    )
    op.create_index("ix_intake_ref_ticket_id", "intake_ref", ["ticket_id"], unique=False)
    op.execute(sa.text(
        "update ticket set passcode_value = null where passcode_value is not null"
        f" and status in ({', '.join(repr(s) for s in _ENDED)})"))


def downgrade() -> None:
    op.drop_index("ix_intake_ref_ticket_id", table_name="intake_ref")
    op.drop_table("intake_ref")
