"""The counter's tables of the parts loop with HQ (migration 0012), registered by
:mod:`repairdesk.models`: the parts the counter asks HQ for (they travel to HQ in its
batches; HQ's answers come back in its packs)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class PartRequest(SQLModel, table=True):
    """The counter asks HQ for parts: for stock (charged against its credit) or for a
    ticket (free when the ticket is a 三包 or warranty repair)."""

    __tablename__ = "part_request"

    id: int | None = Field(default=None, primary_key=True)
    part_id: int = Field(foreign_key="part.id", index=True)
    qty: int
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id", index=True)
    reason: str  # stock | ticket
    free: bool = False  # a warranty repair's part: not charged against the credit
    note: str = ""
    at: datetime
    user: str
