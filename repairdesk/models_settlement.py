"""The counter's tables of warranty settlement (migration 0011), registered by
:mod:`repairdesk.models`: the disputes the counter raises (they travel to HQ in its batches)
and what HQ's packs brought back (``sync_*``: the rate card versions, HQ's claim lines of this
counter's tickets, its frozen statements and the answers to its disputes; never sent back).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class SettlementDispute(SQLModel, table=True):
    """The counter disputes one of HQ's claim lines, with its reason."""

    __tablename__ = "settlement_dispute"

    id: int | None = Field(default=None, primary_key=True)
    line_id: int = Field(index=True)  # HQ's number of the claim line
    ticket_number: str
    reason: str
    at: datetime
    user: str


class SyncRateCard(SQLModel, table=True):
    """A version of HQ's rate card (TOML, repairdesk/ratecard.py), from a pack."""

    __tablename__ = "sync_rate_card"

    version: int = Field(primary_key=True)
    effective: date
    card: str
    pack_seq: int


class SyncClaimLine(SQLModel, table=True):
    """HQ's claim line of one of this counter's tickets, as the newest pack stated it."""

    __tablename__ = "sync_claim_line"

    id: int = Field(primary_key=True)  # HQ's line number
    ticket_number: str = Field(index=True)
    kind: str  # claim | adjustment
    month: str  # YYYY-MM: the statement it belongs to, or will
    status: str  # pending | held | rejected | approved
    amount_fen: int
    checks: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    statement_id: int | None = None
    line: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    pack_seq: int


class SyncStatement(SQLModel, table=True):
    """A month's statement HQ froze for this counter (its document as HQ signed it)."""

    __tablename__ = "sync_statement"

    id: int = Field(primary_key=True)  # HQ's number of the statement
    month: str = Field(index=True)
    document: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    sha256: str = Field(max_length=64)
    signature: str
    pack_seq: int


class SyncDisputeAnswer(SQLModel, table=True):
    """HQ's answer to one of this counter's disputes."""

    __tablename__ = "sync_dispute_answer"

    dispute_id: int = Field(primary_key=True)  # the counter's settlement_dispute.id
    line_id: int
    outcome: str  # accepted | refused
    reason: str
    adjustment_line: int | None = None  # the line an accepted dispute added
    amount_fen: int | None = None
    at: datetime
    pack_seq: int
