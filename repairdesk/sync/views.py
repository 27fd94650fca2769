"""Plain read models of the sync use cases (counter side and HQ side)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from repairdesk.tickets.views import _View


@dataclass(frozen=True)
class KeyInfo(_View):
    public_key: str
    fingerprint: str
    path: str | None = None


@dataclass(frozen=True)
class ExportResult(_View):
    """What ``export`` did: ``written`` is False when there was nothing to export."""

    written: bool
    seq: int | None = None
    path: str | None = None
    sha256: str | None = None
    rows: int = 0
    tables: dict[str, int] = field(default_factory=dict)
    again: bool = False


@dataclass(frozen=True)
class BatchInfo(_View):
    seq: int
    file_name: str
    sha256: str
    created: datetime
    rows: int


@dataclass(frozen=True)
class BlacklistEntry(_View):
    """An IMEI HQ reported lost or stolen."""

    imei: str
    reason: str
    reported: date | None
    pack: int


@dataclass(frozen=True)
class PackResult(_View):
    """What ``apply`` did with a reference pack (``applied`` or ``already_applied``)."""

    seq: int
    status: str
    prices: int
    blacklisted: int
    policy: str | None  # the vendor policy's name, when the pack carries one
    issued: datetime


@dataclass(frozen=True)
class OrdsResult(_View):
    path: str
    rows: int
    repair_status: dict[str, int]


@dataclass(frozen=True)
class ImportOutcome(_View):
    """One file of ``hq import``: imported, already_imported, refused (with the check),
    failed or not_tried (the database failed)."""

    file: str
    status: str
    counter: str | None = None
    seq: int | None = None
    rows: int = 0
    check: str | None = None
    message: str | None = None
    flag: str | None = None  # imported while the counter was suspended or retired


@dataclass(frozen=True)
class CounterStatus(_View):
    counter: str
    fingerprint: str
    last_seq: int | None
    missing: list[int]
    batches: int
    last_import: datetime | None
    pack: int | None = None  # the reference pack the counter had applied at its last batch


@dataclass(frozen=True)
class PackIssued(_View):
    seq: int
    path: str
    sha256: str
    prices: int
    blacklisted: int
    policy: str | None
