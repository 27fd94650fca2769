"""Indexes for lookups over a million tickets.

- ``device.model``: the lookup finds tickets by part of a model name; the few distinct
  models are listed by seeking through this index, then their devices found through it.
- ``customer.updated_at``: the lookup keeps customers' phones and names in memory
  (repairdesk/tickets/search.py); this index finds the customers changed since it last looked.

Plain CREATE INDEX, not batch mode: rebuilding a table would drop the sync change-log
triggers on it (repairdesk/sync/tracking.py).

Revision ID: 0008
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0002"
branch_labels = ("perf",)
depends_on = None


def upgrade() -> None:
    op.create_index("ix_device_model", "device", ["model"], unique=False)
    op.create_index("ix_customer_updated_at", "customer", ["updated_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_customer_updated_at", table_name="customer")
    op.drop_index("ix_device_model", table_name="device")
