"""Alembic environment: always run on a connection handed in by repairdesk.db."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import repairdesk.models  # noqa: F401  (registers the tables for autogenerate)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
)
with context.begin_transaction():
    context.run_migrations()
