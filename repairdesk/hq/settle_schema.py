"""HQ's tables of warranty settlement (migration h0006_settlement), added to HQ's metadata
by :func:`repairdesk.hq.schema.hq_metadata`:

- ``hq_rate_card``: every version of the rate card HQ loaded (repairdesk/ratecard.py), with
  the day it takes effect;
- ``hq_price`` and ``hq_blacklist``: the price list of every pack HQ issued (a part's
  standard cost on a day is the newest pack's issued by then) and the blacklist in force;
- ``hq_claim_line``: one line per ticket handed back on a warranty basis, and the
  adjustment lines; its facts (as read from the counter's rows), the checks' findings, the
  amount by the card, the review, and the statement that froze it;
- ``hq_statement``: a counter's month, frozen and signed by HQ;
- ``hq_dispute_answer``: HQ's answer to a counter's dispute (the disputes themselves are the
  counter's ``settlement_dispute`` rows, copied as any counter table).

Money is in fen. A line in a statement never changes: a correction is a new line.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel.sql.sqltypes import UTCDateTime

#: ``claim``: a ticket's own line; ``adjustment``: a correction (``adjusts`` names the line).
LINE_KINDS = ("claim", "adjustment")


def add_settlement_tables(metadata: sa.MetaData) -> None:
    sa.Table(
        "hq_rate_card", metadata,
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("effective", sa.Date, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("card", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("loaded_at", UTCDateTime(), nullable=False),
        sa.Column("loaded_by", sa.Text, nullable=True),
    )
    sa.Table(
        "hq_price", metadata,
        sa.Column("pack", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("part_number", sa.String(40), primary_key=True),
        sa.Column("price_fen", sa.BigInteger, nullable=False),
    )
    sa.Table(
        "hq_blacklist", metadata,
        sa.Column("imei", sa.String(15), primary_key=True),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("reported", sa.Date, nullable=True),
        sa.Column("pack", sa.Integer, nullable=False),
    )
    sa.Table(
        "hq_claim_line", metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("counter", sa.String(8), nullable=False),
        sa.Column("ticket_id", sa.BigInteger, nullable=False),  # the counter's ticket id
        sa.Column("ticket_number", sa.Text, nullable=False),
        sa.Column("kind", sa.String(12), nullable=False, server_default="claim"),
        sa.Column("adjusts", sa.Integer, nullable=True),
        sa.Column("imei", sa.String(15), nullable=True),
        sa.Column("brand", sa.Text, nullable=True),
        sa.Column("model", sa.Text, nullable=True),
        sa.Column("fault", sa.Text, nullable=True),
        sa.Column("remedy", sa.String(12), nullable=False),  # repair | exchange | refund
        sa.Column("grade", sa.String(12), nullable=True),
        sa.Column("handed_in", sa.Date, nullable=True),
        sa.Column("handed_back", sa.Date, nullable=True),
        sa.Column("level", sa.String(20), nullable=True),  # the counter's, when priced
        sa.Column("card_version", sa.Integer, nullable=True),
        # [{part_number, name, qty, claimed_fen, cost_fen, old_part}] (unit amounts)
        sa.Column("parts", sa.JSON, nullable=False),
        sa.Column("labour_fen", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("parts_fen", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("amount_fen", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("approved_fen", sa.BigInteger, nullable=True),
        # [{code, outcome (reject|hold|flag|cut), params}]: what the checks found
        sa.Column("checks", sa.JSON, nullable=False),
        sa.Column("status", sa.String(12), nullable=False, server_default="pending"),
        sa.Column("review", sa.String(12), nullable=True),  # approved | rejected | adjusted
        sa.Column("review_reason", sa.Text, nullable=True),
        sa.Column("reviewed_by", sa.Text, nullable=True),
        sa.Column("reviewed_at", UTCDateTime(), nullable=True),
        sa.Column("facts", sa.JSON, nullable=False),  # what the line was computed from
        sa.Column("facts_sha256", sa.String(64), nullable=False),
        sa.Column("source_seq", sa.Integer, nullable=True),  # the newest batch it read
        sa.Column("month", sa.String(7), nullable=False),  # YYYY-MM of the hand-back
        sa.Column("statement_id", sa.Integer, nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Index("ix_hq_claim_line_counter_ticket", "counter", "ticket_id"),
        sa.Index("ix_hq_claim_line_imei", "imei"),
        sa.Index("ix_hq_claim_line_statement", "statement_id"),
    )
    sa.Table(
        "hq_statement", metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("counter", sa.String(8), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=False),
        sa.Column("closed_by", sa.Text, nullable=True),
        sa.Column("labour_fen", sa.BigInteger, nullable=False),
        sa.Column("parts_fen", sa.BigInteger, nullable=False),
        sa.Column("total_fen", sa.BigInteger, nullable=False),
        sa.Column("lines", sa.Integer, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),  # the statement as signed
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("signature", sa.Text, nullable=False),  # HQ's Ed25519, base64
        sa.UniqueConstraint("counter", "month", name="uq_hq_statement_counter_month"),
    )
    sa.Table(
        "hq_dispute_answer", metadata,
        sa.Column("counter", sa.String(8), primary_key=True),
        sa.Column("dispute_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("line_id", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(12), nullable=False),  # accepted | refused
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("adjustment_line", sa.Integer, nullable=True),
        sa.Column("amount_fen", sa.BigInteger, nullable=True),
        sa.Column("by_user", sa.Text, nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
    )
