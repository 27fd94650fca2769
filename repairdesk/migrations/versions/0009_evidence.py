"""The audit trail binds each row's state: ``audit_event.state``, and the index that finds
the last event of each row.

``state`` is the SHA-256 of the row's state after an insert or update (repairdesk/row_state.py),
NULL for deletes, notes and every event written before this migration. The index holds the
events that change a row (notes left out), so "the last event of each row" is one seek.

Plain ALTER and CREATE INDEX, not batch mode: rebuilding the table would drop its
append-only and change-log triggers.

It needs the trail's table (0006) as well as 0008: both are its parents, so Alembic never
runs it before the table exists, and the store's version table names the heads as before.

Revision ID: 0009
Revises: 0008, 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0009"
down_revision = ("0008", "0006")
branch_labels = ("evidence",)
depends_on = None


def upgrade() -> None:
    op.add_column("audit_event", sa.Column("state", sqlmodel.sql.sqltypes.AutoString(),
                                           nullable=True))
    op.execute("CREATE INDEX ix_audit_event_last ON audit_event (entity, entity_id, id) "
               "WHERE action IN ('insert', 'update', 'delete')")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_audit_event_last")
    op.drop_column("audit_event", "state")
