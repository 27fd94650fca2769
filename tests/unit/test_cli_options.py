"""Root options (--db, --lang, --demo) work before and after the command; help shows flags
as flags; a command that reads a store never creates one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..conftest import INTAKE


@pytest.fixture
def demo_store(cli, tmp_path: Path) -> Path:
    assert cli("demo", "--tickets", "5", db=False).code == 0
    return tmp_path / "xdg-data" / "repairdesk" / "demo.sqlite3"


def test_help_shows_flags_without_a_type(cli) -> None:
    shown = cli("--help", db=False)
    assert shown.code == 0
    assert "<bool>" not in shown.out
    assert "--demo" in shown.out and "--db" in shown.out
    assert "<bool>" not in cli("lookup", "--help", db=False).out


@pytest.mark.parametrize("where", ["before", "after"])
def test_demo_before_or_after_the_command(cli, demo_store: Path, where: str) -> None:
    args = ["--demo", "lookup", "13800138000", "--json"] if where == "before" \
        else ["lookup", "13800138000", "--json", "--demo"]
    result = cli(*args, db=False)
    assert "No such option" not in result.err
    assert result.code == 0, result.err
    assert result.json()["kind"] == "phone"


def test_every_root_option_after_the_command(cli, store_path: Path) -> None:
    assert cli("init", "--counter", "SH01", "--name", "徐汇网点", "--json").code == 0
    cli("intake", "-", stdin=json.dumps(INTAKE))
    after = cli("lookup", "352099001761481", "--lang", "zh", "--db", str(store_path),
                db=False)
    assert after.code == 0 and "有效" in after.out
    before = cli("--db", str(store_path), "--lang", "zh", "lookup", "352099001761481",
                 db=False)
    assert before.out == after.out


@pytest.mark.parametrize("command", [
    ["lookup", "13800138000"], ["ticket", "show", "SH01-20261121-0001"],
    ["report", "day"], ["parts", "list"], ["printed", "SH01-20261121-0001"],
])
def test_a_read_on_a_missing_store_says_so_and_creates_nothing(cli, tmp_path: Path,
                                                             command: list[str]) -> None:
    result = cli(*command, db=False)
    assert result.code == 1
    assert "no store" in result.err
    assert not (tmp_path / "xdg-data" / "repairdesk" / "store.sqlite3").exists()
    demo = cli(*command, "--demo", db=False)
    assert demo.code == 1 and "demo.sqlite3" in demo.err and "repairdesk demo" in demo.err
    assert not (tmp_path / "xdg-data" / "repairdesk" / "demo.sqlite3").exists()


def test_init_and_demo_still_create(cli, tmp_path: Path) -> None:
    assert cli("init", "--counter", "SH01", "--name", "x", db=False).code == 0
    assert (tmp_path / "xdg-data" / "repairdesk" / "store.sqlite3").exists()
    assert cli("demo", "--tickets", "3", db=False).code == 0
    assert (tmp_path / "xdg-data" / "repairdesk" / "demo.sqlite3").exists()


def test_equals_forms_and_a_double_dash(cli, store_path: Path) -> None:
    from repairdesk.cli import hoist_root_options

    assert hoist_root_options(["lookup", "x", "--db=s.db", "--lang", "zh", "--demo"]) == [
        "--db=s.db", "--lang", "zh", "--demo", "lookup", "x"]
    # After "--" everything is the command's own, even a word that looks like an option.
    assert hoist_root_options(["ticket", "move", "N", "x", "--", "--demo"]) == [
        "ticket", "move", "N", "x", "--", "--demo"]
    assert cli("init", "--counter", "SH01", "--name", "x").code == 0
    assert cli("lookup", "13800138000", f"--db={store_path}", db=False).code == 0
