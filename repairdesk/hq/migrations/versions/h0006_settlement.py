"""Warranty settlement: the rate card's versions, the packs' price lists and blacklist, the
claim lines, the statements and the answers to the counters' disputes
(repairdesk/hq/settle_schema.py).

Revision ID: h0006_settlement
Revises: h0005_reports
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import UTCDateTime

revision = "h0006_settlement"
down_revision = "h0005_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hq_rate_card",
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("effective", sa.Date, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("card", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("loaded_at", UTCDateTime(), nullable=False),
        sa.Column("loaded_by", sa.Text, nullable=True),
    )
    op.create_table(
        "hq_price",
        sa.Column("pack", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("part_number", sa.String(40), primary_key=True),
        sa.Column("price_fen", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "hq_blacklist",
        sa.Column("imei", sa.String(15), primary_key=True),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("reported", sa.Date, nullable=True),
        sa.Column("pack", sa.Integer, nullable=False),
    )
    op.create_table(
        "hq_claim_line",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("counter", sa.String(8), nullable=False),
        sa.Column("ticket_id", sa.BigInteger, nullable=False),
        sa.Column("ticket_number", sa.Text, nullable=False),
        sa.Column("kind", sa.String(12), nullable=False, server_default="claim"),
        sa.Column("adjusts", sa.Integer, nullable=True),
        sa.Column("imei", sa.String(15), nullable=True),
        sa.Column("brand", sa.Text, nullable=True),
        sa.Column("model", sa.Text, nullable=True),
        sa.Column("fault", sa.Text, nullable=True),
        sa.Column("remedy", sa.String(12), nullable=False),
        sa.Column("grade", sa.String(12), nullable=True),
        sa.Column("handed_in", sa.Date, nullable=True),
        sa.Column("handed_back", sa.Date, nullable=True),
        sa.Column("level", sa.String(20), nullable=True),
        sa.Column("card_version", sa.Integer, nullable=True),
        sa.Column("parts", sa.JSON, nullable=False),
        sa.Column("labour_fen", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("parts_fen", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("amount_fen", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("approved_fen", sa.BigInteger, nullable=True),
        sa.Column("checks", sa.JSON, nullable=False),
        sa.Column("status", sa.String(12), nullable=False, server_default="pending"),
        sa.Column("review", sa.String(12), nullable=True),
        sa.Column("review_reason", sa.Text, nullable=True),
        sa.Column("reviewed_by", sa.Text, nullable=True),
        sa.Column("reviewed_at", UTCDateTime(), nullable=True),
        sa.Column("facts", sa.JSON, nullable=False),
        sa.Column("facts_sha256", sa.String(64), nullable=False),
        sa.Column("source_seq", sa.Integer, nullable=True),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("statement_id", sa.Integer, nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_hq_claim_line_counter_ticket", "hq_claim_line", ["counter", "ticket_id"])
    op.create_index("ix_hq_claim_line_imei", "hq_claim_line", ["imei"])
    op.create_index("ix_hq_claim_line_statement", "hq_claim_line", ["statement_id"])
    op.create_table(
        "hq_statement",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("counter", sa.String(8), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=False),
        sa.Column("closed_by", sa.Text, nullable=True),
        sa.Column("labour_fen", sa.BigInteger, nullable=False),
        sa.Column("parts_fen", sa.BigInteger, nullable=False),
        sa.Column("total_fen", sa.BigInteger, nullable=False),
        sa.Column("lines", sa.Integer, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("signature", sa.Text, nullable=False),
        sa.UniqueConstraint("counter", "month", name="uq_hq_statement_counter_month"),
    )
    op.create_table(
        "hq_dispute_answer",
        sa.Column("counter", sa.String(8), primary_key=True),
        sa.Column("dispute_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("line_id", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("adjustment_line", sa.Integer, nullable=True),
        sa.Column("amount_fen", sa.BigInteger, nullable=True),
        sa.Column("by_user", sa.Text, nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    for name in ("hq_dispute_answer", "hq_statement"):
        op.drop_table(name)
    for index in ("ix_hq_claim_line_statement", "ix_hq_claim_line_imei",
                  "ix_hq_claim_line_counter_ticket"):
        op.drop_index(index, table_name="hq_claim_line")
    for name in ("hq_claim_line", "hq_blacklist", "hq_price", "hq_rate_card"):
        op.drop_table(name)
