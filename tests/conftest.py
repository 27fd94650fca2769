"""Shared fixtures: a store in a temporary directory, a frozen counter clock, the CLI."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from repairdesk import i18n
from repairdesk.desk import Desk

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 21, 10, 30, tzinfo=CST)

INTAKE: dict[str, Any] = {
    "customer": {"name": "张伟", "phone": "138 0013 8000"},
    "device": {
        "imei": "35-209900-176148-1", "imei2": None, "serial": None, "brand": None,
        "model": None, "colour": "黑色", "sale_date": "2026-11-18",
        "invoice_date": "2026-11-18", "invoice_no": "No.0012345", "price": 2999.00,
        "channel": "store", "proof": "full",
    },
    "accessories": ["battery", "back_cover", "sim_tray"],
    "condition": {"marks": ["scratches"], "liquid_indicator": "clean", "opened_before": False,
                  "notes": "边框轻微划痕"},
    "faults": ["display"],
    "description": "屏幕闪烁后黑屏",
    "passcode": "given",
    "deposit": 0,
}


class FrozenClock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reads the developer's settings or writes to their data directory."""
    monkeypatch.setenv("REPAIRDESK_CONFIG", str(tmp_path / "settings.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("REPAIRDESK_DB", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def intake_doc() -> dict[str, Any]:
    return copy.deepcopy(INTAKE)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store.sqlite3"


@pytest.fixture
def desk(store_path: Path, clock: FrozenClock) -> Iterator[Desk]:
    desk = Desk.open(store_path, clock=clock, user="tester")
    desk.init_counter("SH01", "徐汇网点", "上海市徐汇区", "021 6400 0000")
    yield desk
    desk.close()


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        store_path: Path):
    """Run the CLI in-process on the test store; returns exit code and output."""
    from repairdesk.cli import main

    def run(*args: str, stdin: str | None = None, db: bool = True) -> CliResult:
        if stdin is not None:
            import io

            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        argv = [*args, "--db", str(store_path)] if db and args else list(args)
        capsys.readouterr()
        umask = os.umask(0o022)  # main() sets the process's (0o077): given back after
        os.umask(umask)
        try:
            main(argv)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            os.umask(umask)
        out, err = capsys.readouterr()
        i18n.set_language("en")
        return CliResult(code, out, err)

    return run


