"""``repairdesk print`` and ``repairdesk printed``: where a slip goes, and what is logged."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from repairdesk.desk import Desk

from ...conftest import INTAKE
from .conftest import MASKED_PHONE, PASSCODE, free_port
from .escpos_parse import parse


@pytest.fixture
def number(cli) -> str:
    assert cli("init", "--counter", "SH01", "--name", "徐汇网点", "--address", "上海市徐汇区",
               "--phone", "021 6400 0000").code == 0
    doc = dict(INTAKE, passcode_value=PASSCODE)
    result = cli("intake", "-", "--json", stdin=json.dumps(doc, ensure_ascii=False))
    assert result.code == 0, result.err
    return str(result.json()["ticket"])


def test_without_a_printer_the_text_slip_goes_to_stdout(cli, number: str) -> None:
    result = cli("--lang", "zh", "print", number, "--slip", "intake", "--width", "58")
    assert result.code == 0, result.err
    assert "维修受理单" in result.out and number in result.out and MASKED_PHONE in result.out
    assert PASSCODE not in result.out
    printed = cli("printed", number, "--json").json()
    assert [(p["slip"], p["fmt"], p["printer"], p["ok"]) for p in printed] == [
        ("intake", "text", "stdout", True)]


def test_all_four_slips_in_all_formats_to_files(cli, number: str, tmp_path: Path) -> None:
    for slip in ("intake", "label", "pickup", "record"):
        for fmt, suffix in (("text", "txt"), ("escpos", "bin"), ("pdf", "pdf")):
            out = tmp_path / f"{slip}.{suffix}"
            result = cli("print", number, "--slip", slip, "--format", fmt, "--out", str(out))
            assert result.code == 0, result.err
            assert str(out) in result.out
            data = out.read_bytes()
            assert data.startswith({"text": b" ", "escpos": b"\x1b@", "pdf": b"%PDF"}[fmt])
    assert len(cli("printed", number, "--json").json()) == 12


def test_out_suffix_picks_the_format(cli, number: str, tmp_path: Path) -> None:
    assert cli("print", number, "--slip", "record", "--out", str(tmp_path / "r.pdf")).code == 0
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert cli("print", number, "--slip", "label", "--out", str(tmp_path / "l.bin")).code == 0
    assert parse((tmp_path / "l.bin").read_bytes()).qr_native == [number]


def test_default_printer_comes_from_the_settings(cli, number: str, tmp_path: Path,
                                                 fake_printer) -> None:
    printer = fake_printer()
    Path(os.environ["REPAIRDESK_CONFIG"]).write_text(
        f'printer = "tcp://127.0.0.1:{printer.port}"\nprint_width = 58\n', encoding="utf-8")
    result = cli("print", number, "--slip", "label")
    assert result.code == 0, result.err
    assert f"tcp://127.0.0.1:{printer.port}" in result.out
    assert printer.done.wait(5)
    job = parse(bytes(printer.received[6:-6]))
    assert job.qr_native == [number]
    assert max(len(line) * scale for line, scale in job.lines) <= 32  # 58 mm paper


def test_printer_failure_exits_1_with_the_reason(cli, number: str) -> None:
    result = cli("print", number, "--slip", "intake", "--printer",
                 f"tcp://127.0.0.1:{free_port()}?timeout=1")
    assert result.code == 1
    assert "refused the connection" in result.err and "Traceback" not in result.err
    log = cli("printed", number)
    assert "failed" in log.out and "refused" in log.out


@pytest.mark.parametrize(("args", "field"), [
    (["--slip", "invoice"], "Slip"),
    (["--slip", "intake", "--format", "docx"], "Format"),
    (["--slip", "intake", "--width", "76"], "Width"),
    (["--slip", "intake", "--printer", "lpt1"], "Printer"),
])
def test_bad_options_exit_2_and_log_nothing(cli, number: str, args: list[str],
                                            field: str) -> None:
    result = cli("print", number, *args)
    assert result.code == 2 and result.err.startswith(f"Error: {field}:")
    assert cli("printed", number, "--json").json() == []


def test_unknown_ticket_exits_1(cli, number: str) -> None:
    result = cli("print", "SH01-20261121-0999", "--slip", "intake")
    assert result.code == 1 and "SH01-20261121-0999" in result.err


def test_printed_lists_nothing_yet(cli, number: str) -> None:
    assert "No slip of" in cli("printed", number).out


def test_facade_print_result(desk: Desk, ticket: str, tmp_path: Path) -> None:
    result = desk.printing.print_slip(ticket, "intake", out=tmp_path / "x.txt")
    assert (result.fmt, result.width, result.printer) == ("text", 80, f"file:{tmp_path}/x.txt")
    assert result.data is None and result.to_dict()["size"] == result.size
    shown = desk.printing.print_slip(ticket, "label")
    assert shown.printer == "stdout" and isinstance(shown.data, str) and ticket in shown.data
    log = desk.printing.printed_slips(ticket)
    assert [(e.slip, e.user, e.ok) for e in log] == [("intake", "tester", True),
                                                      ("label", "tester", True)]
