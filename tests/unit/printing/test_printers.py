"""Printers: the job arrives byte for byte, and a printer that fails says why, in time.

Network printers are loopback servers the tests start; a serial printer is a pseudo-terminal;
CUPS is a stand-in ``lp`` on PATH. Timeouts are given small in the URIs so the suite stays
fast; what is asserted is the message, never the time taken.
"""

from __future__ import annotations

import os
import pty
import stat
import threading
from pathlib import Path

import pytest

from repairdesk import i18n
from repairdesk.desk import Desk
from repairdesk.errors import InputError, RepairDeskError
from repairdesk.printing.printers import (
    STATUS_PAPER,
    STATUS_PRINTER,
    PrinterError,
    parse_printer,
    send,
)

from .conftest import free_port

QUERIES = STATUS_PRINTER + STATUS_PAPER


def test_printer_uris() -> None:
    tcp = parse_printer("tcp://192.168.1.50:9100?timeout=2.5")
    assert (tcp.kind, tcp.target, tcp.port, tcp.timeout, tcp.status) == (
        "tcp", "192.168.1.50", 9100, 2.5, True)
    assert parse_printer("tcp://printer.local").port == 9100
    serial = parse_printer("serial:/dev/ttyUSB0?baudrate=19200&qr=image")
    assert (serial.target, serial.baudrate, serial.qr) == ("/dev/ttyUSB0", 19200, "image")
    assert parse_printer("file:///dev/usb/lp0").target == "/dev/usb/lp0"
    assert parse_printer("file:/dev/usb/lp0").status is False
    assert parse_printer("cups:A5_Laser").target == "A5_Laser"


@pytest.mark.parametrize("uri", ["lpt1", "http://x", "tcp:", "tcp://", "tcp://h:99999",
                                 "serial:/dev/ttyS0?baudrate=fast", "tcp://h?timeout=0",
                                 "tcp://h?colour=red", "file:", "cups:"])
def test_bad_printer_uris_name_the_field(uri: str) -> None:
    with pytest.raises(InputError) as err:
        parse_printer(uri)
    assert err.value.field == "printer"


def test_network_printer_receives_exactly_the_slip(desk: Desk, ticket: str,
                                                   fake_printer) -> None:
    printer = fake_printer()
    result = desk.printing.print_slip(ticket, "intake", printer=f"tcp://127.0.0.1:{printer.port}")
    assert printer.done.wait(5)
    expected = desk.printing.render_slip(ticket, "intake", "escpos", 80)
    # Asked whether it is ready before the job, and whether it took it all after.
    assert bytes(printer.received) == QUERIES + expected + QUERIES
    assert (result.fmt, result.printer, result.size) == (
        "escpos", f"tcp://127.0.0.1:{printer.port}", len(expected))
    log = desk.printing.printed_slips(ticket)
    assert [(r.slip, r.fmt, r.ok) for r in log] == [("intake", "escpos", True)]


def test_status_off_sends_only_the_slip(desk: Desk, ticket: str, fake_printer) -> None:
    printer = fake_printer(answer=False)
    desk.printing.print_slip(ticket, "label", printer=f"tcp://127.0.0.1:{printer.port}?status=off")
    assert printer.done.wait(5)
    assert bytes(printer.received) == desk.printing.render_slip(ticket, "label", "escpos", 80)


def test_refused_connection_is_a_clear_error_and_the_ticket_is_untouched(
        desk: Desk, ticket: str) -> None:
    before = desk.tickets.ticket(ticket)
    uri = f"tcp://127.0.0.1:{free_port()}?timeout=1"
    with pytest.raises(RepairDeskError) as err:
        desk.printing.print_slip(ticket, "intake", printer=uri)
    assert "refused the connection" in err.value.message
    assert "The ticket is saved" in err.value.message
    assert desk.tickets.ticket(ticket) == before
    [entry] = desk.printing.printed_slips(ticket)
    assert (entry.ok, entry.printer) == (False, uri) and "refused" in entry.error


def test_printer_that_never_answers(desk: Desk, ticket: str, fake_printer) -> None:
    printer = fake_printer(answer=False)
    with pytest.raises(RepairDeskError) as err:
        desk.printing.print_slip(ticket, "intake", printer=f"tcp://127.0.0.1:{printer.port}?timeout=0.3")
    assert "did not answer within 0.3 s" in err.value.message
    assert "status=off" in err.value.message  # the way out for printers that never report


def test_printer_that_stops_reading_mid_job(desk: Desk, ticket: str, fake_printer) -> None:
    printer = fake_printer(stop_after=len(QUERIES) + 200)
    with pytest.raises(RepairDeskError) as err:
        desk.printing.print_slip(ticket, "intake", printer=f"tcp://127.0.0.1:{printer.port}?timeout=0.3")
    assert "stopped taking data" in err.value.message and "paper" in err.value.message
    assert not desk.printing.printed_slips(ticket)[-1].ok


@pytest.mark.parametrize(("options", "message"), [
    ({"status": 0x1A, "offline_cause": 0x32}, "out of paper"),  # offline, paper-end stop
    ({"status": 0x1A, "offline_cause": 0x16}, "cover open"),
    ({"status": 0x1A, "offline_cause": 0x52}, "reports an error"),
    ({"status": 0x1A, "offline_cause": 0x12}, "is offline"),
    ({"paper": 0x72}, "out of paper"),  # online, but the paper sensor says empty
])
def test_printer_status_is_reported(desk: Desk, ticket: str, fake_printer, options: dict,
                                    message: str) -> None:
    printer = fake_printer(**options)
    with pytest.raises(RepairDeskError) as err:
        desk.printing.print_slip(ticket, "label", printer=f"tcp://127.0.0.1:{printer.port}")
    assert message in err.value.message
    assert printer.received.startswith(STATUS_PRINTER)
    assert b"\x1b@" not in printer.received  # nothing of the job was sent


def test_error_messages_are_translated(desk: Desk, ticket: str) -> None:
    i18n.set_language("zh")
    with pytest.raises(RepairDeskError) as err:
        desk.printing.print_slip(ticket, "intake", printer=f"tcp://127.0.0.1:{free_port()}?timeout=1")
    assert "拒绝连接" in err.value.message and "工单已保存" in err.value.message


def test_serial_printer(desk: Desk, ticket: str) -> None:
    master, slave = pty.openpty()
    received = bytearray()
    done = threading.Event()

    def printer() -> None:  # answers status queries like an ESC/POS printer on RS-232
        while not done.is_set():
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return
            received.extend(chunk)
            if bytes(received[-3:]) in (STATUS_PRINTER, STATUS_PAPER):
                os.write(master, b"\x12")
            if received.endswith(QUERIES) and len(received) > 2 * len(QUERIES):
                done.set()

    thread = threading.Thread(target=printer, daemon=True)
    thread.start()
    try:
        desk.printing.print_slip(ticket, "label", printer=f"serial:{os.ttyname(slave)}?baudrate=115200")
        assert done.wait(5)
        assert bytes(received) == QUERIES + desk.printing.render_slip(ticket, "label", "escpos",
                                                             80) + QUERIES
    finally:
        done.set()
        os.close(slave)
        os.close(master)
        thread.join(5)


def test_serial_printer_that_is_not_plugged_in(desk: Desk, ticket: str, tmp_path: Path) -> None:
    with pytest.raises(RepairDeskError) as err:
        desk.printing.print_slip(ticket, "label", printer="serial:/dev/ttyUSB-nothing-here?timeout=0.5")
    assert "No printer at serial:/dev/ttyUSB-nothing-here" in err.value.message


def test_device_file_printer_that_is_unplugged(desk: Desk, ticket: str) -> None:
    with pytest.raises(RepairDeskError) as err:
        desk.printing.print_slip(ticket, "label", printer="file:/dev/usb/lp-nothing-here")
    assert "plugged in" in err.value.message
    assert not Path("/dev/usb/lp-nothing-here").exists()  # a device file is never created


def test_file_printer_that_stops_taking_data(desk: Desk, ticket: str, tmp_path: Path) -> None:
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # opened, never read: a full pipe
    try:
        os.set_blocking(reader, False)
        big = "x" * 200_000
        with pytest.raises(PrinterError) as err:
            send(parse_printer(f"file:{fifo}?timeout=0.3"), big.encode(), escpos=True)
        assert "stopped taking data" in err.value.message
    finally:
        os.close(reader)


def _fake_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, lpstat: str = "",
             lp_exit: int = 0) -> Path:
    """A stand-in ``lp``/``lpstat`` pair on PATH that records what it was given."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    job = tmp_path / "job"
    (bin_dir / "lp").write_text(
        "#!/bin/sh\n"
        f'echo "$@" > "{job}.args"\ncat > "{job}.data"\n'
        + ('echo "request id is A5-7 (1 file(s))"\n' if lp_exit == 0 else
           'echo "lp: The printer or class does not exist." >&2\n')
        + f"exit {lp_exit}\n")
    (bin_dir / "lpstat").write_text(
        "#!/bin/sh\n" + (lpstat or 'echo "printer $2 is idle.  enabled since today"') + "\n")
    for tool in ("lp", "lpstat"):
        (bin_dir / tool).chmod(stat.S_IRWXU)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return job


def test_cups_queue_gets_the_pdf(desk: Desk, ticket: str, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    job = _fake_lp(tmp_path, monkeypatch)
    result = desk.printing.print_slip(ticket, "record", printer="cups:A5")
    assert result.fmt == "pdf" and result.detail == "request id is A5-7 (1 file(s))"
    assert Path(f"{job}.data").read_bytes().startswith(b"%PDF")
    args = Path(f"{job}.args").read_text()
    assert args.startswith("-d A5 -t") and "-o raw" not in args


def test_cups_raw_queue_for_a_thermal_printer(desk: Desk, ticket: str, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    job = _fake_lp(tmp_path, monkeypatch)
    desk.printing.print_slip(ticket, "label", fmt="escpos", printer="cups:Thermal")
    assert "-o raw" in Path(f"{job}.args").read_text()
    assert Path(f"{job}.data").read_bytes() == desk.printing.render_slip(ticket, "label", "escpos", 80)


def test_cups_paused_or_unknown_queue(desk: Desk, ticket: str, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_lp(tmp_path, monkeypatch,
             lpstat='echo "printer A5 disabled since today -\n\tPaused"')
    with pytest.raises(RepairDeskError) as err:
        desk.printing.print_slip(ticket, "record", printer="cups:A5")
    assert "The print queue A5 is paused" in err.value.message


def test_cups_without_lp(desk: Desk, ticket: str, tmp_path: Path,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RepairDeskError) as err:
        desk.printing.print_slip(ticket, "record", printer="cups:A5")
    assert "cups-client" in err.value.message
