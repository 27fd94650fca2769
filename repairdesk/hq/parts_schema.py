"""HQ's tables of the parts loop (migration h0007_deposits onwards), added to HQ's metadata by
:func:`repairdesk.hq.schema.hq_metadata`:

- ``hq_deposit_entry``: the deposit ledger, one row per payment in, refund or deduction,
  never changed or deleted; a counter's deposit is their sum (``hq_counter.deposit_fen``
  holds it, written in the same transaction as each entry);
- ``hq_part_answer``: HQ's answer to a counter's part request (the requests themselves are
  the counter's ``part_request`` rows, copied as any counter table): approved (all or part),
  rejected with a reason, or waiting for a second user's approval (over a limit);
- ``hq_shipment`` and ``hq_shipment_line``: what HQ sent a counter, at HQ's standard cost,
  to go in its next pack (h0008_part_orders);
- ``hq_return_line``: what HQ found of each faulty part a counter sent back (the counter's
  ``old_part`` rows, sent under one waybill, are the return): received, missing, or not the
  part claimed (h0009_returns).

Money is in fen, always positive: the kind says which way it goes.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel.sql.sqltypes import UTCDateTime

#: How each kind of entry moves the deposit.
DEPOSIT_SIGNS = {"pay": 1, "refund": -1, "deduct": -1}
#: HQ's answers to a part request; ``second`` waits for a second user of the parts role.
ANSWERS = ("approved", "rejected", "second")
#: What HQ finds of a faulty part sent back.
RETURN_OUTCOMES = ("received", "missing", "wrong")


def add_parts_tables(metadata: sa.MetaData) -> None:
    sa.Table(
        "hq_deposit_entry", metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("counter", sa.String(8), nullable=False, index=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("balance_fen", sa.BigInteger, nullable=False),  # the deposit after it
        sa.Column("ref", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("by_user", sa.Text, nullable=True),
    )
    sa.Table(
        "hq_part_answer", metadata,
        sa.Column("counter", sa.String(8), primary_key=True),
        sa.Column("request_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("qty", sa.Integer, nullable=False),  # approved (0 when rejected)
        sa.Column("value_fen", sa.BigInteger, nullable=False),  # charged against the credit
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("by_user", sa.Text, nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("second_user", sa.Text, nullable=True),
        sa.Column("second_at", UTCDateTime(), nullable=True),
        sa.Column("shipment_id", sa.Integer, nullable=True),
    )
    sa.Table(
        "hq_shipment", metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("counter", sa.String(8), nullable=False, index=True),
        sa.Column("waybill", sa.Text, nullable=False),
        sa.Column("shipped_at", UTCDateTime(), nullable=False),
        sa.Column("by_user", sa.Text, nullable=True),
    )
    sa.Table(
        "hq_shipment_line", metadata,
        sa.Column("shipment_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("line", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("part_number", sa.String(40), nullable=False),
        sa.Column("qty", sa.Integer, nullable=False),
        sa.Column("cost_fen", sa.BigInteger, nullable=False),  # each, HQ's standard cost
        sa.Column("request_id", sa.BigInteger, nullable=True),
        sa.Column("free", sa.Boolean, nullable=False),
    )
    sa.Table(
        "hq_return_line", metadata,
        sa.Column("counter", sa.String(8), primary_key=True),
        sa.Column("old_part_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("return_ref", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("by_user", sa.Text, nullable=True),
    )
