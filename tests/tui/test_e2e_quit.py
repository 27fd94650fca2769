"""End to end, in a real terminal (tmux): the path that once crashed on quit.

F4, a ticket number, Enter (the ticket opens), Esc, Ctrl+Q: the app quits at once, prints
no traceback and exits 0. With a half-typed intake it asks once, Enter keeps it open, and
a crash would have shown as a non-zero exit status.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from pathlib import Path

import pytest

from tests.tui.test_e2e_tmux import SCRIPT, pytestmark, terminal, type_like_a_person, wait_for

__all__ = ["pytestmark", "terminal"]


def _start(tmp_path: Path, terminal, size: tuple[int, int]) -> tuple[Path, str]:
    env = {
        **os.environ,
        "REPAIRDESK_CONFIG": str(tmp_path / "settings.toml"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "LANG": "en_US.UTF-8",
    }
    store = tmp_path / "store.sqlite3"
    doc = Path(__file__).with_name("intake_e2e.json")
    subprocess.run([str(SCRIPT), "init", "--counter", "SH01", "--name", "Xuhui", "--db",
                    str(store)], env=env, check=True, capture_output=True, timeout=60)
    made = subprocess.run([str(SCRIPT), "intake", str(doc), "--json", "--db", str(store)],
                          env=env, check=True, capture_output=True, text=True, timeout=60)
    number = __import__("json").loads(made.stdout)["ticket"]
    status = tmp_path / "exit-status"
    variables = " ".join(f"{k}={shlex.quote(env[k])}" for k in
                         ("REPAIRDESK_CONFIG", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "LANG"))
    # Textual draws on stderr: a traceback after the app ends stays in the pane to be read.
    command = (f"env TERM=xterm-256color {variables} {SCRIPT} --db {shlex.quote(str(store))}"
               f"; echo $? > {shlex.quote(str(status))}; sleep 30")
    terminal("new-session", "-d", "-s", "app", "-x", str(size[0]), "-y", str(size[1]), command)
    wait_for(terminal, "F3")
    return status, number


def _exit_status(status: Path) -> int:
    deadline = time.monotonic() + 20
    while not status.exists() or not status.read_text().strip():
        assert time.monotonic() < deadline, "the app did not quit"
        time.sleep(0.2)
    return int(status.read_text())


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
def test_quit_after_leaving_a_ticket_exits_cleanly(tmp_path: Path, terminal, size) -> None:
    status, number = _start(tmp_path, terminal, size)
    terminal("send-keys", "-t", "app", "F4")
    wait_for(terminal, "Lookup")
    type_like_a_person(terminal, number)
    terminal("send-keys", "-t", "app", "Enter")
    wait_for(terminal, "F7")  # the ticket's own keys: it is open
    terminal("send-keys", "-t", "app", "Escape")
    time.sleep(0.5)
    terminal("send-keys", "-t", "app", "C-q")
    assert _exit_status(status) == 0
    after = terminal("capture-pane", "-p", "-S", "-200", "-t", "app")
    assert "Traceback" not in after and "Error" not in after, after


def test_quit_with_an_unsaved_intake_asks_and_enter_stays(tmp_path: Path, terminal) -> None:
    status, _number = _start(tmp_path, terminal, (100, 30))
    terminal("send-keys", "-t", "app", "F3")
    wait_for(terminal, "Customer phone")
    type_like_a_person(terminal, "3520990017")
    terminal("send-keys", "-t", "app", "C-q")
    wait_for(terminal, "not saved")
    terminal("send-keys", "-t", "app", "Enter")  # the safe answer: stay
    time.sleep(1.0)
    screen = terminal("capture-pane", "-p", "-t", "app")
    assert "3520990017" in screen and not status.exists()
    terminal("send-keys", "-t", "app", "C-q")
    wait_for(terminal, "not saved")
    terminal("send-keys", "-t", "app", "BTab", "Enter")  # Quit, chosen on purpose
    assert _exit_status(status) == 0
