"""Plain read models the facade returns to the screens and the CLI (no ORM objects leak)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any


def fen_to_yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else (Decimal(fen) / 100).quantize(Decimal("0.01"))


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
        return _jsonable(asdict(self))  # type: ignore[call-overload, no-any-return]


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
