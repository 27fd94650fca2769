"""End to end: the real ``repairdesk`` console script in a terminal driven by tmux.

The app starts and shows the board, takes an intake typed as a person types it, quits; then
``repairdesk lookup IMEI --json`` finds that ticket. Skipped only where tmux is missing (CI
installs it).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

SCRIPT = Path(sys.executable).parent / "repairdesk"
IMEI = "352099001761481"


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """A private tmux server (its own socket): never the developer's sessions."""
    socket = tmp_path / f"tmux-{uuid.uuid4().hex[:8]}.sock"

    def tmux(*args: str) -> str:
        result = subprocess.run(["tmux", "-S", str(socket), *args], capture_output=True,
                                text=True, timeout=20)
        return result.stdout

    yield tmux
    tmux("kill-server")


def wait_for(tmux: Callable[..., str], text: str, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", "app")
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared on the screen:\n{screen}")


def type_like_a_person(tmux: Callable[..., str], text: str) -> None:
    for char in text:
        tmux("send-keys", "-t", "app", "-l", char)
        time.sleep(0.03)


def test_the_app_takes_an_intake_that_the_cli_then_finds(tmp_path: Path, terminal) -> None:
    store = tmp_path / "store.sqlite3"
    env = {
        **os.environ,
        "REPAIRDESK_CONFIG": str(tmp_path / "settings.toml"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "LANG": "en_US.UTF-8",
    }
    subprocess.run([str(SCRIPT), "init", "--counter", "SH01", "--name", "Xuhui", "--db",
                    str(store)], env=env, check=True, capture_output=True, timeout=60)
    variables = " ".join(f"{k}={shlex.quote(env[k])}" for k in
                         ("REPAIRDESK_CONFIG", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "LANG"))
    command = f"env TERM=xterm-256color {variables} {SCRIPT} --db {shlex.quote(str(store))}"
    terminal("new-session", "-d", "-s", "app", "-x", "100", "-y", "30", command)

    board = wait_for(terminal, "Showing 0 of 0")
    assert "Xuhui" in board and "F3 New intake" in board
    terminal("send-keys", "-t", "app", "F3")
    wait_for(terminal, "Customer phone")
    type_like_a_person(terminal, IMEI)
    terminal("send-keys", "-t", "app", "Enter")
    wait_for(terminal, "TAC: Alcatel One Touch 332")
    for text in ("13800138000", "Zhang Wei", "screen"):
        type_like_a_person(terminal, text)
        terminal("send-keys", "-t", "app", "Enter")
    terminal("send-keys", "-t", "app", "C-s")
    saved = wait_for(terminal, "Intake saved")
    assert "SH01-" in saved
    terminal("send-keys", "-t", "app", "Enter")  # new intake
    terminal("send-keys", "-t", "app", "C-q")
    deadline = time.monotonic() + 20
    while terminal("list-sessions") and time.monotonic() < deadline:
        time.sleep(0.2)

    found = subprocess.run([str(SCRIPT), "lookup", IMEI, "--json", "--db", str(store)],
                           env=env, capture_output=True, text=True, timeout=60)
    assert found.returncode == 0, found.stderr
    tickets = json.loads(found.stdout)["tickets"]
    assert len(tickets) == 1
    assert tickets[0]["customer"] == "Zhang Wei" and tickets[0]["faults"] == ["display"]
    assert tickets[0]["ticket"] in saved
