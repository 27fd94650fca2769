"""Plain read models the facade returns to the screens and the CLI (no ORM objects leak)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any


def _jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def device_name(brand: str | None, model: str | None) -> str:
    """'Samsung SM-G930A', not 'Samsung Samsung SM-G930A' (TAC models often repeat the brand)."""
    if brand and model and model.lower().startswith(brand.lower()):
        return model
    return " ".join(filter(None, (brand, model)))


class _View:
    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))  # type: ignore[call-overload, no-any-return]  # a mixin: every _View is a dataclass; _jsonable returns Any


@dataclass(frozen=True)
class CounterInfo(_View):
    code: str
    name: str
    address: str
    phone: str


@dataclass(frozen=True)
class TacView(_View):
    brand: str
    model: str
    learned: bool = False


@dataclass(frozen=True)
class IntakeResult(_View):
    ticket: str
    status: str
    imei: str
    brand: str | None
    model: str | None
    tac_known: bool
    customer: str
    created: datetime
    # HQ reported this IMEI lost or stolen (the reason), from the newest reference pack.
    blacklisted: str | None = None


@dataclass(frozen=True)
class TicketSummary(_View):
    ticket: str
    status: str
    created: datetime
    faults: list[str]
    imei: str
    brand: str | None
    model: str | None
    customer: str
    phone_masked: str
    promised_date: date | None = None

    @property
    def device(self) -> str:
        return device_name(self.brand, self.model) or self.imei


@dataclass(frozen=True)
class LookupResult(_View):
    query: str
    kind: str  # imei | ticket | phone
    imei: str | None
    valid: bool | None
    tac: TacView | None
    tickets: list[TicketSummary] = field(default_factory=list)
    blacklisted: str | None = None  # HQ reported this IMEI lost or stolen (the reason)


@dataclass(frozen=True)
class MoveView(_View):
    from_status: str | None
    to_status: str
    at: datetime
    user: str
    note: str


@dataclass(frozen=True)
class RepairRecordView(_View):
    handed_in: date
    handed_back: date | None
    cause: str
    action: str
    warranty: bool
    fault_code: str | None
    delay_cause: str | None
    technician: str | None
    grade: str | None = None  # the repair grade HQ's rate card pays


@dataclass(frozen=True)
class TicketView(_View):
    ticket: str
    status: str
    created: datetime
    updated: datetime
    version: int
    customer: dict[str, Any]
    device: dict[str, Any]
    accessories: list[str]
    condition: dict[str, Any]
    faults: list[str]
    description: str
    passcode: str  # the mode only: the passcode itself never leaves the store this way
    deposit: Decimal | None
    promised_date: date | None
    technician: str | None
    moves: list[MoveView]
    repair: RepairRecordView | None
    allowed_moves: list[str]


# -- the counter app: 三包 decision, deadlines, board, lookups, checklist --------------------


@dataclass(frozen=True)
class DecisionView(_View):
    """The 三包 decision on a ticket as the screens show it; ``undecided`` says, in the UI
    language, which fact is missing when no decision can be made (e.g. no sale date)."""

    covered: bool
    remedies: list[str]
    amounts: dict[str, float]
    loaner: bool
    period_end: str | None
    days_since_sale: int | None
    articles: list[str]
    reasons: list[str]
    undecided: str | None = None

    @classmethod
    def from_decision(cls, decision: dict[str, Any]) -> DecisionView:
        return cls(
            covered=decision["covered"], remedies=list(decision["remedies"]),
            amounts=dict(decision["amounts"]), loaner=decision["loaner"],
            period_end=decision["period_end"], days_since_sale=decision["days_since_sale"],
            articles=list(decision["articles"]),
            reasons=[reason["text"] for reason in decision["reasons"]],
        )

    @classmethod
    def missing(cls, why: str) -> DecisionView:
        return cls(False, [], {}, False, None, None, [], [], undecided=why)


@dataclass(frozen=True)
class DeadlineView(_View):
    """A legal deadline of an open 三包 repair (repairdesk.policy.legal_deadlines)."""

    code: str
    article: str
    days: int
    last_day: date
    owed_from: date
    warn_from: date
    state: str  # upcoming | due | overdue
    label: str


@dataclass(frozen=True)
class BoardRow(TicketSummary):
    technician: str | None = None
    sanbao: bool | None = None  # None: no decision possible (purchase facts missing)
    deadlines: list[DeadlineView] = field(default_factory=list)
    promised_overdue: bool = False
    loaner_imei: str | None = None  # the loaner (备用机) this ticket's customer holds
    loaner_model: str | None = None

    @property
    def overdue(self) -> bool:
        return self.promised_overdue or any(d.state == "overdue" for d in self.deadlines)

    @property
    def pressing(self) -> DeadlineView | None:
        """The deadline the board shows: the first overdue one, else the first due one."""
        for state in ("overdue", "due"):
            for deadline in self.deadlines:
                if deadline.state == state:
                    return deadline
        return None


@dataclass(frozen=True)
class BoardView(_View):
    rows: list[BoardRow]
    technicians: list[str]  # every technician on the unfiltered board, for the filter
    total: int  # rows before filtering


@dataclass(frozen=True)
class CustomerView(_View):
    name: str
    phone: str  # E.164
    phone_masked: str
    tickets: list[TicketSummary]


@dataclass(frozen=True)
class DeviceHistory(_View):
    """What the store knows of one IMEI: the device's purchase facts and every ticket."""

    imei: str
    known: bool  # in the store already
    tac: TacView | None
    device: dict[str, Any]
    tickets: list[TicketSummary]
    open_ticket: TicketSummary | None


@dataclass(frozen=True)
class ChecklistItemView(_View):
    code: str
    kind: str  # fault | bench
    fault: str
    part: str
    measure: str
    name: str


@dataclass(frozen=True)
class ChecklistView(_View):
    """A ticket's checklist: its items, the last saved results (if any) and the evidence the
    intake already holds (liquid indicator, opened before)."""

    ticket: str
    status: str
    imei: str
    reported_faults: list[str]
    items: list[ChecklistItemView]
    results: dict[str, str]
    battery_health: int | None
    battery_threshold: int
    exclusions: list[str]
    intake_exclusions: list[str]
    voucher_imei: str | None
    notes: str
    recorded_at: datetime | None
    user: str | None


@dataclass(frozen=True)
class ChecklistOutcome(_View):
    """What saving a checklist recorded and what the 三包 engine decided on it."""

    ticket: str
    status: str
    fault_code: str | None
    confirmed: list[str]
    exclusions: list[str]
    decision: DecisionView
    allowed_moves: list[str]
    suggested_move: str | None
