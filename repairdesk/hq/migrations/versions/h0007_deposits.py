"""The deposit ledger (repairdesk/hq/parts_schema.py): a deposit set on a counter before it
existed becomes the counter's first entry, so the deposit stays the sum of its entries.

Revision ID: h0007_deposits
Revises: h0006_settlement
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import UTCDateTime

revision = "h0007_deposits"
down_revision = "h0006_settlement"
branch_labels = None
depends_on = None


def upgrade() -> None:
    entries = op.create_table(
        "hq_deposit_entry",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("counter", sa.String(8), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("balance_fen", sa.BigInteger, nullable=False),
        sa.Column("ref", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("by_user", sa.Text, nullable=True),
    )
    op.create_index("ix_hq_deposit_entry_counter", "hq_deposit_entry", ["counter"])
    counters = sa.table("hq_counter", sa.column("code"), sa.column("deposit_fen"))
    bind = op.get_bind()
    opening = [{"counter": code, "kind": "pay", "amount_fen": fen, "balance_fen": fen,
                "ref": "registry", "note": "", "at": datetime.now(UTC),
                "by_user": None}
               for code, fen in bind.execute(sa.select(counters.c.code, counters.c.deposit_fen)
                                             .where(counters.c.deposit_fen > 0))]
    if opening:
        op.bulk_insert(entries, opening)


def downgrade() -> None:
    raise NotImplementedError("HQ databases are never downgraded")
