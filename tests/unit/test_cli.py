"""The CLI contract: output, --json, exit codes 0/2/1, messages in the user's language."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import INTAKE


@pytest.fixture
def counter(cli) -> None:
    assert cli("init", "--counter", "SH01", "--name", "徐汇网点").code == 0


def test_intake_from_stdin_prints_the_contract(cli, counter) -> None:
    result = cli("intake", "-", "--json", stdin=json.dumps(INTAKE))
    assert result.code == 0, result.err
    data = result.json()
    assert data["ticket"].startswith("SH01-") and data["ticket"].endswith("-0001")
    assert data["status"] == "received"
    assert data["imei"] == "352099001761481"
    assert (data["brand"], data["model"]) == ("Alcatel", "One Touch 332")


def test_intake_from_file_and_lookup_every_way(cli, counter, tmp_path: Path) -> None:
    doc = tmp_path / "intake.json"
    doc.write_text(json.dumps(INTAKE, ensure_ascii=False), encoding="utf-8")
    number = cli("intake", str(doc), "--json").json()["ticket"]
    for query in ("35-209900-176148-1", "３５２０９９００１７６１４８１", "352099001761481\n"):
        data = cli("lookup", query, "--json").json()
        assert data["imei"] == "352099001761481" and data["valid"] is True
        assert data["tac"] == {"brand": "Alcatel", "model": "One Touch 332", "learned": False}
        assert [t["ticket"] for t in data["tickets"]] == [number]
        assert data["tickets"][0]["faults"] == ["display"]
        assert data["tickets"][0]["status"] == "received"
    assert cli("lookup", number, "--json").json()["tickets"][0]["ticket"] == number
    assert cli("lookup", "138 0013 8000", "--json").json()["tickets"][0]["ticket"] == number
    human = cli("lookup", "352099001761481")
    assert human.code == 0 and number in human.out


def test_lookup_of_an_unknown_or_invalid_imei(cli, counter) -> None:
    data = cli("lookup", "352099001761482", "--json").json()
    assert data["valid"] is False and data["tickets"] == []


def test_bad_intake_exits_2_naming_the_field_and_stores_nothing(cli, counter) -> None:
    bad = json.loads(json.dumps(INTAKE))
    bad["device"]["sale_date"] = "2026-02-30"
    result = cli("intake", "-", "--json", stdin=json.dumps(bad))
    assert result.code == 2
    assert "device.sale_date" in result.err
    assert "Traceback" not in result.err
    assert cli("lookup", "352099001761481", "--json").json()["tickets"] == []


def test_bad_intake_message_in_chinese(cli, counter) -> None:
    bad = json.loads(json.dumps(INTAKE))
    bad["device"]["imei"] = "352099001761482"
    result = cli("--lang", "zh", "intake", "-", stdin=json.dumps(bad))
    assert result.code == 2
    assert "IMEI：" in result.err and "校验位" in result.err and "device" not in result.err


def test_unknown_key_and_not_json(cli, counter) -> None:
    bad = dict(INTAKE, colour="红色")
    result = cli("intake", "-", stdin=json.dumps(bad))
    assert result.code == 2 and "colour" in result.err
    result = cli("intake", "-", stdin="{not json")
    assert result.code == 2 and "JSON" in result.err


def test_ticket_show_and_moves(cli, counter) -> None:
    number = cli("intake", "-", "--json", stdin=json.dumps(INTAKE)).json()["ticket"]
    assert cli("ticket", "move", number, "diagnosing", "--note", "拆机检测").code == 0
    refused = cli("ticket", "move", number, "collected")
    assert refused.code == 2 and "awaiting_approval" in refused.err
    shown = cli("ticket", "show", number, "--json").json()
    assert shown["status"] == "diagnosing"
    assert [m["to_status"] for m in shown["moves"]] == ["received", "diagnosing"]
    assert shown["moves"][1]["note"] == "拆机检测"
    human = cli("ticket", "show", number)
    assert human.code == 0 and "352099001761481" in human.out and "8000" in human.out
    missing = cli("ticket", "show", "SH01-20200101-0001")
    assert missing.code == 1 and "no ticket" in missing.err


def test_intake_without_counter_exits_1(cli) -> None:
    result = cli("intake", "-", stdin=json.dumps(INTAKE))
    assert result.code == 1 and "repairdesk init" in result.err


def test_store_from_environment(cli, counter, store_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_DB", str(store_path))
    cli("intake", "-", stdin=json.dumps(INTAKE))
    data = cli("lookup", "352099001761481", "--json", db=False).json()
    assert len(data["tickets"]) == 1


def test_demo_if_empty_goes_to_the_demo_store(cli, tmp_path: Path) -> None:
    first = cli("demo", "--tickets", "40", "--if-empty", db=False)
    assert first.code == 0, first.err
    demo = tmp_path / "xdg-data" / "repairdesk" / "demo.sqlite3"
    assert demo.exists() and str(demo) in first.out
    second = cli("demo", "--if-empty", db=False)
    assert second.code == 0 and "already" in second.out
    # The counter's own store was never touched.
    assert not (tmp_path / "xdg-data" / "repairdesk" / "store.sqlite3").exists()


def test_console_script_runs(tmp_path: Path) -> None:
    exe = shutil.which("repairdesk", path=str(Path(sys.executable).parent))
    assert exe, "the console script is installed into the environment"
    env = {**os.environ, "REPAIRDESK_DB": str(tmp_path / "s.sqlite3"),
           "REPAIRDESK_CONFIG": str(tmp_path / "none.toml")}
    run = subprocess.run([exe, "init", "--counter", "GZ03", "--name", "天河网点", "--json"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["code"] == "GZ03"
    bad = subprocess.run([exe, "init", "--counter", "3X", "--name", "x"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert bad.returncode == 2 and "counter" in bad.stderr and "Traceback" not in bad.stderr


def test_unexpected_error_shows_a_message_and_logs_the_traceback(
    cli, counter, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from repairdesk.tickets.facade import TicketDesk

    def broken(self, query):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(TicketDesk, "lookup", broken)
    result = cli("lookup", "352099001761481")
    assert result.code == 1
    assert "RuntimeError" in result.err and "Traceback" not in result.err
    log = tmp_path / "xdg-data" / "repairdesk" / "repairdesk.log"
    assert "disk on fire" in log.read_text(encoding="utf-8")
