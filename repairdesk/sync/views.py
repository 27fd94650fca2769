"""Plain read models of the sync use cases (counter side and HQ side)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

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
    """One file of ``hq import``: imported, already_imported or refused (with the check)."""

    file: str
    status: str
    counter: str | None = None
    seq: int | None = None
    rows: int = 0
    check: str | None = None
    message: str | None = None


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


@dataclass(frozen=True)
class HqReport(_View):
    """``hq report``: one month (or all time), every counter or one."""

    month: str | None
    due: date | None  # the network wants the monthly summary by the 20th of the next month
    counters: list[dict[str, Any]]
    faults: list[dict[str, Any]]
    remedies: dict[str, int]
    warranty_to_settle: list[dict[str, Any]]
    turnaround_hours: dict[str, float | None]
    overdue: list[dict[str, Any]]
    deadline_breaches: list[dict[str, Any]]
    follow_up_calls: list[dict[str, Any]]
    deposits: Decimal
    pending: list[str]  # figures that wait for records the counters do not keep yet
