"""A network run from its command lines alone, on one clock the test moves: three counters
and HQ, their CLIs run in-process (the ``cli`` fixture), every file a real one.

Only the clock is the test's: ``Desk.open`` and ``Hq.open`` are patched to read it, so a
month's work and its close happen on the days the test names.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from stdnum import luhn

from repairdesk.db import open_store
from repairdesk.desk import Desk
from repairdesk.hq.facade import Hq
from repairdesk.hq.store import open_hq
from tests.conftest import CST, INTAKE, FrozenClock

ROOT = Path(__file__).resolve().parents[2]
PRICE_LIST = ROOT / "data" / "price-list-example.csv"
CARD = ROOT / "data" / "hq" / "settlement.toml"


def imei(serial: int) -> str:
    body = f"35209900{serial:06d}"
    return body + luhn.calc_check_digit(body)


def day(text: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(text).replace(hour=hour, tzinfo=CST)


@dataclass
class Network:
    root: Path
    hq_db: str
    run: Any  # the cli fixture
    clock: FrozenClock
    stores: dict[str, Path] = field(default_factory=dict)
    sent: dict[str, list[Path]] = field(default_factory=dict)

    def at(self, when: str, hour: int = 10) -> None:
        self.clock.now = day(when, hour)

    def counter(self, code: str, *args: str, ok: bool = True, stdin: str | None = None) -> Any:
        result = self.run(*args, "--db", str(self.stores[code]), stdin=stdin, db=False)
        if ok:
            assert result.code == 0, (args, result.err)
        return result

    def hq(self, *args: str, ok: bool = True) -> Any:
        result = self.run("hq", *args, "--hq-db", self.hq_db, db=False)
        if ok:
            assert result.code == 0, (args, result.err)
        return result

    def open_counter(self, code: str, name: str, level: str, start: str, end: str) -> None:
        self.stores[code] = self.root / f"{code}.sqlite3"
        self.counter(code, "init", "--counter", code, "--name", name)
        public = self.counter(code, "key", "show", "--json").json()["public_key"]
        self.hq("counter", "add", code, "--name", name, "--level", level,
                "--agreement-start", start, "--agreement-end", end)
        self.hq("trust", code, public)
        self.counter(code, "key", "trust-hq", self.hq_public())
        self.counter(code, "parts", "import", str(PRICE_LIST))
        for part in ("AL-OT332-LCD", "AL-OT332-BAT"):
            self.counter(code, "parts", "receive", part, "10", "--ref", "HQ-DN-1001")

    def hq_public(self) -> str:
        from repairdesk.sync import keys

        return keys.public_key_text(keys.load_private_key(self.root / "hq.key"))

    def intake(self, code: str, serial: int, sold: str, fault: str = "display",
               **condition: Any) -> str:
        doc = copy.deepcopy(INTAKE)
        doc["device"].update(imei=imei(serial), sale_date=sold, invoice_date=sold)
        doc["faults"] = [fault]
        doc["customer"]["phone"] = f"139{serial:08d}"
        doc["condition"].update(condition)
        return self.counter(code, "intake", "-", "--json",
                            stdin=json.dumps(doc)).json()["ticket"]

    def record(self, code: str, number: str, *args: str) -> None:
        self.counter(code, "ticket", "record", number, *args)

    def hand_back(self, code: str, number: str) -> None:
        status = self.counter(code, "ticket", "show", number, "--json").json()["status"]
        path = ("diagnosing", "repairing", "qc", "ready", "collected")
        for target in path[path.index(status) + 1 if status in path else 0:]:
            self.counter(code, "ticket", "move", number, target)

    def export(self, code: str) -> Path:
        out = self.root / f"{code}-stick"
        out.mkdir(exist_ok=True)
        before = set(out.iterdir())
        self.counter(code, "export", "--out", str(out))
        (made,) = set(out.iterdir()) - before
        self.sent.setdefault(code, []).append(made)
        return made

    def pack(self, code: str, name: str, *extra: str) -> Path:
        out = self.root / name
        self.hq("pack", "--out", str(out), "--price-list", str(PRICE_LIST),
                "--hq-key", str(self.root / "hq.key"), "--counter", code, *extra)
        return out

    def lines(self, *args: str) -> list[dict[str, Any]]:
        return self.hq("settle", "lines", *args, "--json").json()


def patch_clocks(monkeypatch: pytest.MonkeyPatch, clock: FrozenClock) -> None:
    """Every desk and HQ the CLI opens runs on ``clock``."""

    def desk_opened(cls: type[Desk], path: Path, **options: Any) -> Desk:
        options.setdefault("clock", clock)
        return cls(open_store(path), **options)

    def hq_opened(cls: type[Hq], url: str, *, check: bool = True, **options: Any) -> Hq:
        options.setdefault("clock", clock)
        return cls(open_hq(url, check=check), **options)

    monkeypatch.setattr(Desk, "open", classmethod(desk_opened))
    monkeypatch.setattr(Hq, "open", classmethod(hq_opened))
