"""Parts and stock, old parts for the manufacturer, quotes, payments, loaners.

Revision ID: 0007
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0007"
down_revision = "0002"
branch_labels = ("money",)
depends_on = None

_text = sqlmodel.sql.sqltypes.AutoString
_time = sqlmodel.sql.sqltypes.UTCDateTime


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "part",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("part_number", _text(length=40), nullable=False),
        sa.Column("name_zh", _text(), nullable=False),
        sa.Column("name_en", _text(), nullable=False),
        sa.Column("models", sa.JSON(), nullable=False),
        sa.Column("price_fen", sa.Integer(), nullable=False),
        sa.Column("kind", _text(), nullable=False),
        sa.Column("min_stock", sa.Integer(), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("updated_at", _time(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("part_number"),
    )
    op.create_table(
        "stock_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("kind", _text(), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("basis", _text(), nullable=True),
        sa.Column("unit_price_fen", sa.Integer(), nullable=False),
        sa.Column("cost_fen", sa.Integer(), nullable=True),
        sa.Column("ref", _text(), nullable=False),
        sa.Column("at", _time(), nullable=False),
        sa.Column("user", _text(), nullable=False),
        sa.ForeignKeyConstraint(["part_id"], ["part.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("stock_move", "at", "part_id", "ticket_id")
    op.create_table(
        "old_part",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("kept_at", _time(), nullable=False),
        sa.Column("kept_by", _text(), nullable=False),
        sa.Column("sent_at", _time(), nullable=True),
        sa.Column("sent_by", _text(), nullable=True),
        sa.Column("sent_ref", _text(), nullable=False),
        sa.ForeignKeyConstraint(["part_id"], ["part.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("old_part", "part_id", "ticket_id")
    op.create_table(
        "quote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", _text(), nullable=False),
        sa.Column("diagnostic_fee_fen", sa.Integer(), nullable=False),
        sa.Column("total_fen", sa.Integer(), nullable=False),
        sa.Column("note", _text(), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("created_by", _text(), nullable=False),
        sa.Column("decided_at", _time(), nullable=True),
        sa.Column("decided_how", _text(), nullable=True),
        sa.Column("decided_by", _text(), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket_id", "revision"),
    )
    _index("quote", "ticket_id")
    op.create_table(
        "quote_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", _text(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=True),
        sa.Column("description", _text(), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("unit_price_fen", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["part_id"], ["part.id"]),
        sa.ForeignKeyConstraint(["quote_id"], ["quote.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("quote_line", "quote_id")
    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("kind", _text(), nullable=False),
        sa.Column("method", _text(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("reason", _text(), nullable=False),
        sa.Column("note", _text(), nullable=False),
        sa.Column("at_intake", sa.Boolean(), nullable=False),
        sa.Column("at", _time(), nullable=False),
        sa.Column("user", _text(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("payment", "at", "ticket_id")
    op.create_table(
        "loaner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("imei", _text(length=15), nullable=False),
        sa.Column("model", _text(), nullable=False),
        sa.Column("condition", _text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("imei"),
    )
    op.create_table(
        "loaner_issue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loaner_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", _time(), nullable=False),
        sa.Column("issued_by", _text(), nullable=False),
        sa.Column("condition_out", _text(), nullable=False),
        sa.Column("returned_at", _time(), nullable=True),
        sa.Column("returned_by", _text(), nullable=True),
        sa.Column("condition_back", _text(), nullable=True),
        sa.ForeignKeyConstraint(["loaner_id"], ["loaner.id"]),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("loaner_issue", "loaner_id", "ticket_id")


def downgrade() -> None:
    for table in ("loaner_issue", "loaner", "payment", "quote_line", "quote", "old_part",
                  "stock_move", "part"):
        op.drop_table(table)
