"""Keys typed right after Tab, in a real terminal under CPU load (they once reached the wrong field).

The console script runs in tmux while two busy processes load the CPU; two intakes are typed
with Tab between every field, one as a person types (80 ms a key) and one at a scanner's
speed (10 ms a key). Every key must land in the field that has focus after the keys before
it: what is stored says where they went. Skipped only where tmux is missing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest

from repairdesk.desk import Desk
from tests.tui.test_e2e_tmux import SCRIPT, terminal, wait_for

pytestmark = pytest.mark.slow
__all__ = ["terminal"]  # the fixture, used by name

INVOICED = date.today() - timedelta(days=1)  # after the sale date typed (-6)
KEYS = {"Tab", "Enter", "BTab", "C-s", "Escape", "C-q", "F3"}


def intake(imei: str, phone: str, name: str) -> list[str]:
    """A whole intake with Tab after every field (the faults' Enter adds the match)."""
    return [imei, "Tab", phone, "Tab", name, "Tab", "scr", "Enter", "Tab", "Tab", "words",
            "Tab", "-6", "Tab", "Tab", "13", "Tab", "2", "Tab", "Tab", "Tab", "notes", "Tab",
            INVOICED.isoformat(), "C-s"]


def send(tmux, parts: list[str], seconds_per_key: float) -> None:
    for part in parts:
        for key in [part] if part in KEYS else list(part):
            tmux("send-keys", "-t", "app", *([key] if part in KEYS else ["-l", key]))
            time.sleep(seconds_per_key)


@contextmanager
def cpu_load() -> Iterator[None]:
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _core in range(os.cpu_count() or 2)]
    try:
        yield
    finally:
        for process in busy:
            process.kill()
            process.wait()


def test_keys_after_tab_land_in_the_next_field_under_load(tmp_path: Path, terminal) -> None:
    store = tmp_path / "store.sqlite3"
    env = {**os.environ, "REPAIRDESK_CONFIG": str(tmp_path / "settings.toml"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
           "LANG": "en_US.UTF-8"}
    subprocess.run([str(SCRIPT), "init", "--counter", "SH01", "--name", "Xuhui", "--db",
                    str(store)], env=env, check=True, capture_output=True, timeout=60)
    variables = " ".join(f"{k}={env[k]}" for k in
                         ("REPAIRDESK_CONFIG", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "LANG"))
    terminal("new-session", "-d", "-s", "app", "-x", "100", "-y", "30",
             f"env TERM=xterm-256color {variables} {SCRIPT} --db {store}")
    wait_for(terminal, "F3 New intake", timeout=60)
    taken = [("352099001761507", "13912345678", "Li Na", 0.08),
             ("490154203237518", "13912345679", "Wang Fang", 0.01)]
    for imei, phone, name, seconds in taken:
        send(terminal, ["F3"], 0)
        wait_for(terminal, "Customer phone", timeout=30)
        with cpu_load():
            send(terminal, intake(imei, phone, name), seconds)
            wait_for(terminal, "Intake saved", timeout=30)
        send(terminal, ["Escape"], 0)
        time.sleep(1)
    send(terminal, ["C-q"], 0)
    deadline = time.monotonic() + 30
    while terminal("list-sessions") and time.monotonic() < deadline:
        time.sleep(0.2)

    desk = Desk.open(store)
    try:
        for imei, phone, name, _seconds in taken:
            (found,) = desk.tickets.lookup(imei).tickets
            view = desk.tickets.ticket(found.ticket)
            assert view.customer == {"name": name, "phone": f"+86{phone}"}
            assert (view.faults, view.description) == (["display"], "words")
            assert view.accessories == ["battery", "sim_tray"]
            assert (view.condition["marks"], view.condition["notes"]) == (["dents"], "notes")
            assert str(view.device["invoice_date"]) == INVOICED.isoformat()
            assert str(view.device["sale_date"]) == str(date.today() - timedelta(days=6))
    finally:
        desk.close()
