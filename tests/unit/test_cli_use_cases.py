"""Every use case the screens offer has a command-line twin (repairdesk/use_cases.py, repairdesk/cli/twins.py)."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from repairdesk.cli.app import build_app
from repairdesk.cli.twins import TWINS
from repairdesk.money.facade import MoneyDesk
from repairdesk.money.parts_desk import PartsDesk
from repairdesk.money.stock_desk import StockDesk
from repairdesk.printing.facade import PrintingDesk
from repairdesk.sync.facade import SyncDesk
from repairdesk.sync.settlement_desk import SettlementDesk
from repairdesk.tickets.facade import TicketDesk
from repairdesk.trust import TrustDesk
from repairdesk.use_cases import SUPPORT, USE_CASES

SCREENS = Path(__file__).resolve().parents[2] / "screens"


def _screen_calls() -> set[str]:
    calls = set()
    for path in SCREENS.rglob("*.py"):
        calls |= set(re.findall(r"(?<![\w.])(?:self\.|self\.app\.|app\.)?desk\.(\w+(?:\.\w+)?)",
                                path.read_text(encoding="utf-8")))
    return calls


def _commands() -> set[str]:
    root = typer.main.get_command(build_app())
    found: set[str] = set()

    def walk(group: object, prefix: str) -> None:
        for name, command in getattr(group, "commands", {}).items():  # a group's commands
            path = f"{prefix} {name}".strip()
            found.add(path)
            walk(command, path)

    walk(root, "")
    return found


def test_every_facade_call_of_the_screens_is_a_declared_use_case() -> None:
    calls = _screen_calls()
    assert calls, "the screens call the facade"
    assert calls - USE_CASES - SUPPORT == set()


def test_every_use_case_is_a_facade_method_with_a_command() -> None:
    areas = {"tickets": TicketDesk, "money": MoneyDesk, "stock": StockDesk,
             "printing": PrintingDesk, "sync": SyncDesk, "trust": TrustDesk,
             "settlement": SettlementDesk, "parts": PartsDesk}
    assert {name for name in USE_CASES
            if not callable(getattr(areas[name.split(".")[0]], name.split(".")[1], None))
            } == set()
    assert USE_CASES - set(TWINS) == set()
    commands = _commands()
    assert {case: TWINS[case] for case in USE_CASES if TWINS[case] not in commands} == {}
