"""Alembic environment of the HQ database: always run on a connection handed in by
repairdesk.hq.store, inside its one transaction (so a failed upgrade leaves nothing done)."""

from __future__ import annotations

from alembic import context

from repairdesk.hq.store import VERSION_TABLE

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=None,
    version_table=VERSION_TABLE,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
)
with context.begin_transaction():
    context.run_migrations()
