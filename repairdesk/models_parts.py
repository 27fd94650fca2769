"""The counter's tables of the parts loop with HQ (migrations 0012 to 0014), registered by
:mod:`repairdesk.models`: the parts the counter asks HQ for, the shipments it received and
its stock counts (they travel to HQ in its batches), and what HQ's packs brought back
(``sync_*``: HQ's answers to its requests and HQ's shipments; never sent back)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
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


class ShipmentReceipt(SQLModel, table=True):
    """One line of a shipment from HQ as the counter received it: what came in good (it went
    into stock), what came damaged, and why, when either is short of what HQ shipped. They
    travel to HQ in the counter's batches; a shipment is received once."""

    __tablename__ = "shipment_receipt"

    id: int | None = Field(default=None, primary_key=True)
    shipment_id: int = Field(index=True)  # HQ's number of the shipment
    line: int
    part_id: int = Field(foreign_key="part.id")
    shipped: int
    received: int  # good, into stock
    damaged: int = 0
    reason: str = ""
    at: datetime
    user: str


class SyncShipment(SQLModel, table=True):
    """A shipment HQ sent this counter, as a pack brought it (never sent back)."""

    __tablename__ = "sync_shipment"

    id: int = Field(primary_key=True)  # HQ's number
    waybill: str
    shipped_at: datetime
    lines: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON,
                                                                              nullable=False))
    pack_seq: int


class SyncPartAnswer(SQLModel, table=True):
    """HQ's answer to one of this counter's part requests, as a pack brought it."""

    __tablename__ = "sync_part_answer"

    request_id: int = Field(primary_key=True)
    outcome: str  # approved | rejected | second
    qty: int
    reason: str = ""
    shipment_id: int | None = None
    pack_seq: int


class StockCount(SQLModel, table=True):
    """A count of the shelf: each part counted, what the stock moves said, and the
    adjustment moves its differences made (``count_found`` / ``count_lost``)."""

    __tablename__ = "stock_count"

    id: int | None = Field(default=None, primary_key=True)
    lines: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON,
                                                                              nullable=False))
    note: str = ""
    at: datetime
    user: str
