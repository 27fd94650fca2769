"""Warranty settlement at the counter: the repair grade on the repair record (HQ's rate card
pays by it), the counter's disputes of HQ's claim lines, and what HQ's packs bring back (the
rate card's versions, the claim lines, the statements, the answers to disputes).

Revision ID: 0011
Revises: 0010, 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0011"
# It alters sync_pack (0005's): it merges the sync branch in, as 0009 merges two. A mere
# depends_on would leave 0005 a head of the scripts while the store records 0011 alone.
down_revision = ("0010", "0005")
branch_labels = None
depends_on = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.add_column("repair_record", sa.Column("grade", _TEXT(), nullable=True))
    op.add_column("sync_pack", sa.Column("level", _TEXT(), nullable=True))
    op.create_table(
        "settlement_dispute",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("ticket_number", _TEXT(), nullable=False),
        sa.Column("reason", _TEXT(), nullable=False),
        sa.Column("at", _TIME(), nullable=False),
        sa.Column("user", _TEXT(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_settlement_dispute_line_id", "settlement_dispute", ["line_id"])
    op.create_table(
        "sync_rate_card",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("card", _TEXT(), nullable=False),
        sa.Column("pack_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("version"),
    )
    op.create_table(
        "sync_claim_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_number", _TEXT(), nullable=False),
        sa.Column("kind", _TEXT(), nullable=False),
        sa.Column("month", _TEXT(), nullable=False),
        sa.Column("status", _TEXT(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=True),
        sa.Column("line", sa.JSON(), nullable=False),
        sa.Column("pack_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sync_claim_line_ticket_number", "sync_claim_line", ["ticket_number"])
    op.create_table(
        "sync_statement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", _TEXT(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("sha256", _TEXT(length=64), nullable=False),
        sa.Column("signature", _TEXT(), nullable=False),
        sa.Column("pack_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sync_statement_month", "sync_statement", ["month"])
    op.create_table(
        "sync_dispute_answer",
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("outcome", _TEXT(), nullable=False),
        sa.Column("reason", _TEXT(), nullable=False),
        sa.Column("adjustment_line", sa.Integer(), nullable=True),
        sa.Column("amount_fen", sa.Integer(), nullable=True),
        sa.Column("at", _TIME(), nullable=False),
        sa.Column("pack_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("dispute_id"),
    )


def downgrade() -> None:
    op.drop_table("sync_dispute_answer")
    op.drop_index("ix_sync_statement_month", table_name="sync_statement")
    op.drop_table("sync_statement")
    op.drop_index("ix_sync_claim_line_ticket_number", table_name="sync_claim_line")
    op.drop_table("sync_claim_line")
    op.drop_table("sync_rate_card")
    op.drop_index("ix_settlement_dispute_line_id", table_name="settlement_dispute")
    op.drop_table("settlement_dispute")
    with op.batch_alter_table("sync_pack") as batch:
        batch.drop_column("level")
    with op.batch_alter_table("repair_record") as batch:
        batch.drop_column("grade")
