"""A power cut never loses a saved ticket nor leaves a half-written one.

The real CLI takes a burst of intakes (JSON Lines, each saved before its number is printed)
in a subprocess that is killed with SIGKILL at random moments, again and again.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ...conftest import INTAKE

KILLS = 20


def _burst(store: Path, count: int) -> str:
    lines = []
    for i in range(count):
        doc = json.loads(json.dumps(INTAKE))
        doc["customer"]["name"] = f"客户{i}"
        doc["customer"]["name_change"] = "new"  # one phone, 3,000 people: none is refused
        doc["description"] = f"burst {i}"
        lines.append(json.dumps(doc, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def _check_store(store: Path, confirmed: set[str]) -> int:
    with sqlite3.connect(store) as raw:
        assert raw.execute("pragma integrity_check").fetchone() == ("ok",)
        numbers = {r[0] for r in raw.execute("select number from ticket")}
        assert confirmed <= numbers, sorted(confirmed - numbers)[:5]
        # No half-written intake: every ticket has its first move, its repair record, and
        # existing customer and device rows.
        orphans = raw.execute(
            "select count(*) from ticket t"
            " left join status_move m on m.ticket_id = t.id and m.to_status = 'received'"
            " left join repair_record r on r.ticket_id = t.id"
            " left join customer c on c.id = t.customer_id"
            " left join device d on d.id = t.device_id"
            " where m.id is null or r.id is null or c.id is null or d.id is null"
        ).fetchone()[0]
        assert orphans == 0
        sequence = raw.execute("select coalesce(max(last), 0) from ticket_sequence").fetchone()[0]
        assert sequence >= len(numbers)
        return len(numbers)


@pytest.mark.slow
def test_sigkill_during_a_burst_of_intakes(tmp_path: Path) -> None:
    store = tmp_path / "kill.sqlite3"
    env = {**os.environ, "REPAIRDESK_DB": str(store),
           "REPAIRDESK_CONFIG": str(tmp_path / "none.toml"), "XDG_DATA_HOME": str(tmp_path)}
    exe = Path(sys.executable).parent / "repairdesk"
    init = subprocess.run([str(exe), "init", "--counter", "SH01", "--name", "断电测试"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert init.returncode == 0, init.stderr
    rng = random.Random(20261121)
    confirmed: set[str] = set()
    attempted = mid_burst = 0
    for _ in range(KILLS):
        proc = subprocess.Popen([str(exe), "intake", "-", "--lines", "--each",
                                 "--allow-open"], env=env,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        printed: list[str] = []
        reader = threading.Thread(target=printed.extend, args=(proc.stdout,), daemon=True)
        reader.start()
        batch = 3000
        attempted += batch
        assert proc.stdin is not None
        proc.stdin.write(_burst(store, batch))
        proc.stdin.close()
        # Kill at a random moment of the burst (start-up takes about half a second).
        time.sleep(rng.uniform(0.6, 1.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        reader.join(timeout=10)
        saved_now = {line.strip() for line in printed if line.strip()}
        mid_burst += len(saved_now) < batch
        confirmed |= saved_now
        _check_store(store, confirmed)
    found = _check_store(store, confirmed)
    print(f"kill test: {KILLS} kills ({mid_burst} mid-burst), {attempted} intakes sent, "
          f"{len(confirmed)} confirmed, {found} found")
    assert confirmed, "the kills came too early to test anything"
    assert mid_burst >= KILLS - 2, "the kills must land while intakes are being written"
    assert found >= len(confirmed)
