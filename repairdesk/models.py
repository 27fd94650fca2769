"""The counter store's tables (SQLModel). The schema itself is owned by the Alembic
migrations in ``repairdesk/migrations``; a test checks that the two agree. Every table is in
this module, grouped by area below (settlement's in :mod:`repairdesk.models_settlement`,
imported at the end), so that importing it registers the whole schema.

Money is stored as integer fen, never floats. Timestamps are UTC; dates are local dates.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class Counter(SQLModel, table=True):
    """The one counter this store belongs to (a single row)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=8)
    name: str
    address: str = ""
    phone: str = ""
    created_at: datetime


class Customer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    phone: str = Field(index=True)  # E.164
    created_at: datetime
    updated_at: datetime


class Device(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    imei: str = Field(unique=True, index=True, max_length=15)
    imei2: str | None = Field(default=None, index=True, max_length=15)
    serial: str | None = None
    brand: str | None = None
    model: str | None = None
    colour: str | None = None
    network_label: str | None = None  # 进网标志扰码号
    sale_date: date | None = None
    invoice_date: date | None = None
    invoice_no: str | None = None
    price_fen: int | None = None
    seller: str | None = None
    channel: str = "store"  # store | remote
    received_date: date | None = None  # remote sales: when the buyer received it
    proof: str = "full"  # full | copy | imei_date | none
    production_date: date | None = None
    created_at: datetime
    updated_at: datetime


class Ticket(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True, max_length=24)
    counter_code: str = Field(max_length=8)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    device_id: int = Field(foreign_key="device.id", index=True)
    status: str = Field(index=True)
    accessories: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    condition: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    faults: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    description: str = ""
    passcode_mode: str = "none"  # given | removed | none
    # Held only until the phone is handed back (erased by the move, repairdesk/tickets/records.py);
    # never printed or exported.
    passcode_value: str | None = None
    deposit_fen: int = 0
    promised_date: date | None = None
    technician: str | None = None
    created_at: datetime = Field(index=True)
    updated_at: datetime
    # Bumped on every change so that a save over another instance's newer change is refused.
    version: int = 1


class StatusMove(SQLModel, table=True):
    __tablename__ = "status_move"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    from_status: str | None = None
    to_status: str
    at: datetime
    user: str
    note: str = ""


class RepairRecord(SQLModel, table=True):
    """The statutory repair record (维修记录) of one ticket."""

    __tablename__ = "repair_record"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", unique=True)
    handed_in: date
    handed_back: date | None = None
    cause: str = ""
    action: str = ""
    warranty: bool = False  # a 三包/warranty repair (free) rather than a paid one
    fault_code: str | None = None
    delay_cause: str | None = None  # repairer | parts
    technician: str | None = None
    grade: str | None = None  # the repair grade HQ's rate card pays (repairdesk/ratecard.py)


class IntakeRef(SQLModel, table=True):
    """The sender's reference of an intake (migration 0010): one ticket per reference at
    this counter, so a rerun of a script skips the intakes that landed already. Kept at
    the counter (repairdesk/sync/tables.py): it means nothing to HQ."""

    __tablename__ = "intake_ref"

    ref: str = Field(primary_key=True, max_length=64)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)


class TicketSequence(SQLModel, table=True):
    """Last ticket number handed out per counter per local day; never goes back."""

    __tablename__ = "ticket_sequence"
    __table_args__ = (UniqueConstraint("counter_code", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    counter_code: str
    day: str  # YYYYMMDD
    last: int


class LearnedTac(SQLModel, table=True):
    """Brand/model typed at the counter for a TAC the shipped table does not know.

    Kept apart from data/tac.csv, whose CC BY-SA licence covers only that file."""

    __tablename__ = "learned_tac"

    tac: str = Field(primary_key=True, max_length=8)
    brand: str
    model: str
    learned_at: datetime


# -- checklist (migration 0003): the diagnosis of a ticket ----------------------------------------


class ChecklistResult(SQLModel, table=True):
    """One saved diagnosis checklist of a ticket. Every save adds a row (the latest counts), so
    an earlier diagnosis is never overwritten silently."""

    __tablename__ = "checklist_result"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    # item code (fault.<fault> | bench.<test>) -> pass | fail | untested
    results: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    battery_health: int | None = None  # % of rated capacity
    # Exclusion codes the technician found (the intake's own evidence stays on the ticket).
    exclusions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    voucher_imei: str | None = Field(default=None, max_length=15)
    notes: str = ""
    fault_code: str | None = None  # the performance fault the checklist confirmed
    covered: bool | None = None  # the 三包 decision right after the save (None: undecidable)
    recorded_at: datetime
    user: str


# -- trust (migration 0006): people, roles and the audit trail ------------------------------------


class User(SQLModel, table=True):
    """A person at the counter. The PIN is kept only as a salted scrypt hash."""

    __tablename__ = "user"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=40)
    role: str  # front_desk | technician | manager
    pin_hash: str
    active: bool = True
    failed_pins: int = 0
    locked_until: datetime | None = None
    created_at: datetime


class AuditEvent(SQLModel, table=True):
    """Append-only: who changed what, before and after, chained by hashes.

    Each event's hash covers its content and the previous event's hash, so an edited or a
    deleted event breaks the chain at that point (``repairdesk audit verify``)."""

    __tablename__ = "audit_event"
    # The last event that changed each row (migration 0009): notes are left out.
    __table_args__ = (Index("ix_audit_event_last", "entity", "entity_id", "id",
                            sqlite_where=text("action IN ('insert', 'update', 'delete')")),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    user: str
    entity: str = Field(index=True)  # table name
    entity_id: str
    action: str  # insert | update | delete
    before: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    prev_hash: str
    hash: str = Field(unique=True)
    # The row's state after an insert or update (repairdesk/row_state.py): NULL for a delete,
    # a note, and every event written before migration 0009.
    state: str | None = None


# -- sync (migration 0005): what this counter exported to HQ, and what HQ sent back ---------------


class SyncChange(SQLModel, table=True):
    """One changed row of a counter table, written by triggers (repairdesk/sync/tracking.py).

    ``seq`` only grows (AUTOINCREMENT) and SQLite has one writer at a time, so sequence order
    is commit order: a batch takes every change up to the highest ``seq`` its snapshot saw,
    and a change committed later always lands above that line, in the next batch."""

    __tablename__ = "sync_change"
    __table_args__ = {"sqlite_autoincrement": True}

    seq: int | None = Field(default=None, primary_key=True)
    table_name: str
    row_key: str  # JSON array of the row's primary-key values


class SyncBatch(SQLModel, table=True):
    """A batch this counter exported, kept whole: ``export --again`` rewrites it byte for byte."""

    __tablename__ = "sync_batch"

    seq: int = Field(primary_key=True)
    file_name: str
    sha256: str = Field(max_length=64)
    created_at: datetime
    since: datetime | None = None
    until: datetime
    change_from: int  # exclusive
    change_to: int  # inclusive
    rows: int
    content: bytes


class SyncHqKey(SQLModel, table=True):
    """HQ's public key: reference packs must be signed with it (a single row)."""

    __tablename__ = "sync_hq_key"

    id: int | None = Field(default=None, primary_key=True)
    public_key: str
    trusted_at: datetime


class SyncPack(SQLModel, table=True):
    """A reference pack from HQ that was applied here; the newest row is in force."""

    __tablename__ = "sync_pack"

    seq: int = Field(primary_key=True)
    sha256: str = Field(max_length=64)
    issued_at: datetime
    applied_at: datetime
    prices: int
    blacklisted: int
    policy: str | None = None  # the vendor policy extension in force (TOML), if any
    level: str | None = None  # this counter's level at HQ, as the pack's settlement says


class SyncBlacklist(SQLModel, table=True):
    """IMEIs HQ reports lost or stolen: flagged at intake and lookup."""

    __tablename__ = "sync_blacklist"

    imei: str = Field(primary_key=True, max_length=15)
    reason: str = ""
    reported: date | None = None
    pack_seq: int


# -- printing (migration 0004): which slips of a ticket were printed ------------------------------


class PrintLog(SQLModel, table=True):
    """One attempt to print one slip of a ticket: when, in which format, where, and whether the
    printer took it (a failed attempt is kept too, so the counter sees what still needs a print)."""

    __tablename__ = "print_log"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    slip: str  # intake | label | pickup | record
    fmt: str  # text | escpos | pdf
    printer: str  # the printer URI, file:<path> for --out, or stdout
    at: datetime
    user: str
    ok: bool
    error: str = ""


# -- money (migration 0007): parts and stock, quotes, payments, loaners ---------------------------


class Part(SQLModel, table=True):
    """A part of the published price list (统一价格表); the price is what the customer pays."""

    __tablename__ = "part"

    id: int | None = Field(default=None, primary_key=True)
    part_number: str = Field(unique=True, max_length=40)
    name_zh: str
    name_en: str = ""
    models: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    price_fen: int
    kind: str = "original"  # original | compatible
    min_stock: int = 0
    created_at: datetime
    updated_at: datetime


class StockMove(SQLModel, table=True):
    """One movement of usable stock. Stock on hand is the sum of the moves (never negative):
    received (from HQ against a deposit) and bought and returned add, drawn and written off
    take away."""

    __tablename__ = "stock_move"

    id: int | None = Field(default=None, primary_key=True)
    part_id: int = Field(foreign_key="part.id", index=True)
    kind: str  # received | bought | drawn | returned | written_off
    qty: int  # always positive: the kind says which way the stock goes
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id", index=True)
    basis: str | None = None  # drawn/returned: warranty | guarantee | paid
    unit_price_fen: int  # the price list's price then: the value of a warranty draw
    cost_fen: int | None = None  # what the counter paid or deposited with HQ, if known
    ref: str = ""  # HQ delivery note, supplier invoice, why it was written off
    at: datetime = Field(index=True)
    user: str


class OldPart(SQLModel, table=True):
    """A faulty part taken out of a phone and kept for the manufacturer, until it is sent."""

    __tablename__ = "old_part"

    id: int | None = Field(default=None, primary_key=True)
    part_id: int = Field(foreign_key="part.id", index=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    qty: int
    kept_at: datetime
    kept_by: str
    sent_at: datetime | None = None
    sent_by: str | None = None
    sent_ref: str = ""


class Quote(SQLModel, table=True):
    """One revision of a ticket's quote. A changed quote is a new revision that needs the
    customer's approval again; the earlier one is kept, marked superseded."""

    __tablename__ = "quote"
    __table_args__ = (UniqueConstraint("ticket_id", "revision"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    revision: int
    status: str  # pending | approved | declined | superseded
    diagnostic_fee_fen: int
    total_fen: int
    note: str = ""
    created_at: datetime
    created_by: str
    decided_at: datetime | None = None
    decided_how: str | None = None  # in_person | phone
    decided_by: str | None = None  # who at the counter recorded the customer's answer


class QuoteLine(SQLModel, table=True):
    __tablename__ = "quote_line"

    id: int | None = Field(default=None, primary_key=True)
    quote_id: int = Field(foreign_key="quote.id", index=True)
    position: int
    kind: str  # labour | part
    part_id: int | None = Field(default=None, foreign_key="part.id")
    description: str
    qty: int
    unit_price_fen: int
    amount_fen: int


class Payment(SQLModel, table=True):
    """Money recorded (not processed) at the counter, or a balance a manager waived."""

    __tablename__ = "payment"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    kind: str  # deposit | payment | refund | waiver
    method: str  # cash | wechat | alipay | card | other ("" for a waiver)
    amount_fen: int  # always positive: the kind says which way the money went
    reason: str = ""  # refund: sanbao | overpaid
    note: str = ""
    at_intake: bool = False  # the deposit the intake document stated
    at: datetime = Field(index=True)
    user: str


class Loaner(SQLModel, table=True):
    """A phone of the counter's loaner pool (备用机)."""

    __tablename__ = "loaner"

    id: int | None = Field(default=None, primary_key=True)
    imei: str = Field(unique=True, max_length=15)
    model: str
    condition: str = ""
    active: bool = True
    created_at: datetime


class LoanerIssue(SQLModel, table=True):
    """A loaner handed to the customer of a ticket, until it comes back."""

    __tablename__ = "loaner_issue"

    id: int | None = Field(default=None, primary_key=True)
    loaner_id: int = Field(foreign_key="loaner.id", index=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    issued_at: datetime
    issued_by: str
    condition_out: str = ""
    returned_at: datetime | None = None
    returned_by: str | None = None
    condition_back: str | None = None


# -- perf (migration 0008): indexes for lookups over a million tickets ----------------------------

# SQLModel sets __table__ on a table model without declaring it: hence the two ignores.
Index("ix_device_model", Device.__table__.c.model)  # type: ignore[attr-defined]  # see above
Index("ix_customer_updated_at", Customer.__table__.c.updated_at)  # type: ignore[attr-defined]  # see above

# -- settlement (migration 0011): in a module of its own, registered with the rest ---------------

# -- the parts loop with HQ (migrations 0012-0014) ----------------------------------------------------
from repairdesk.models_parts import (  # noqa: E402,F401  (registers the tables)
    PartRequest,
    ShipmentReceipt,
    StockCount,
    SyncPartAnswer,
    SyncShipment,
)
from repairdesk.models_settlement import (  # noqa: E402,F401  (registers the tables)
    SettlementDispute,
    SyncClaimLine,
    SyncDisputeAnswer,
    SyncRateCard,
    SyncStatement,
)
