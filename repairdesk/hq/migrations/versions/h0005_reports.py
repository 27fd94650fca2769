"""The monthly report's indexes on the mirrors of the counter tables: the month's ranges
across every counter, a ticket's repair record, a device by IMEI at any counter
(repairdesk/hq/schema.py REPORT_INDEXES, created with the mirrors in a new database).

Revision ID: h0005_reports
Revises: h0002_workspace
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "h0005_reports"
down_revision = "h0002_workspace"
branch_labels = None
depends_on = None

#: As they stood at this revision (the schema module may add more later).
INDEXES = (
    ("ticket", ("created_at",)),
    ("repair_record", ("hq_counter", "ticket_id")),
    ("repair_record", ("handed_back",)),
    ("device", ("imei",)),
    ("status_move", ("to_status", "at")),
    ("payment", ("at",)),
    ("stock_move", ("at",)),
)


def upgrade() -> None:
    # A new database gets its mirrors (and these indexes) after the migrations have run.
    present = set(sa.inspect(op.get_bind()).get_table_names())
    for table, columns in INDEXES:
        if table in present:
            op.create_index(f"hq_rx_{table}_{'_'.join(columns)}", table, list(columns),
                            if_not_exists=True)


def downgrade() -> None:
    raise NotImplementedError("HQ databases are never downgraded")
