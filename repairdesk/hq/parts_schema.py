"""HQ's tables of the parts loop (migration h0007_deposits onwards), added to HQ's metadata by
:func:`repairdesk.hq.schema.hq_metadata`:

- ``hq_deposit_entry``: the deposit ledger, one row per payment in, refund or deduction,
  never changed or deleted; a counter's deposit is their sum (``hq_counter.deposit_fen``
  holds it, written in the same transaction as each entry).

Money is in fen, always positive: the kind says which way it goes.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel.sql.sqltypes import UTCDateTime

#: How each kind of entry moves the deposit.
DEPOSIT_SIGNS = {"pay": 1, "refund": -1, "deduct": -1}


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
