"""Printers by URI, and sending one job to one within a bounded time.

``file:/dev/usb/lp0`` (or any path), ``tcp://HOST:9100``, ``serial:/dev/ttyUSB0?baudrate=9600``,
``cups:QUEUE`` (through the system's ``lp``). Options in the query string:
``timeout=SECONDS`` (default 3), ``qr=native|image`` (the printer lacks the QR command),
``status=on|off`` (ask an ESC/POS printer whether it is ready, before and after the job;
on by default for tcp and serial, whose printers answer on the same line).

Every step has a deadline, so an offline, unplugged or paperless printer is reported within
seconds instead of hanging the counter. python-escpos's own printer classes are not used for
sending: their status query sleeps a fixed second and their writes have no deadline.
"""

from __future__ import annotations

import errno
import os
import select
import shutil
import socket
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, urlsplit

from repairdesk.errors import InputError, RepairDeskError
from repairdesk.i18n import _

Kind = Literal["file", "tcp", "serial", "cups"]
DEFAULT_TIMEOUT = 3.0
DEFAULT_PORT = 9100
DEFAULT_BAUDRATE = 9600

# ESC/POS real-time status (DLE EOT n): answered at once, even while the printer is offline.
STATUS_PRINTER = b"\x10\x04\x01"  # bit 3: offline
STATUS_OFFLINE_CAUSE = b"\x10\x04\x02"  # bit 2: cover open, bit 5: paper out, bit 6: error
STATUS_PAPER = b"\x10\x04\x04"  # bits 5-6: paper end
STATUS_QUERIES = (STATUS_PRINTER, STATUS_PAPER)


class PrinterError(RepairDeskError):
    """The printer could not take the job; the message says why and what to check."""


@dataclass(frozen=True)
class Printer:
    uri: str
    kind: Kind
    target: str  # path, host, serial device or CUPS queue
    port: int = DEFAULT_PORT
    baudrate: int = DEFAULT_BAUDRATE
    timeout: float = DEFAULT_TIMEOUT
    qr: Literal["native", "image"] = "native"
    status: bool = False


def parse_printer(uri: str) -> Printer:
    """A printer URI, checked; InputError naming ``printer`` when it cannot be used."""
    text = uri.strip()
    scheme, _sep, rest = text.partition(":")
    scheme = scheme.lower()
    if not _sep or scheme not in ("file", "tcp", "serial", "cups") or not rest:
        raise InputError("printer", _("print.err_bad_uri", uri=text))
    body, _q, query = rest.partition("?")
    options = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
    unknown = set(options) - {"timeout", "qr", "status", "baudrate"}
    if unknown:
        name = sorted(unknown)[0]
        raise InputError("printer", _("print.err_bad_option", option=name, value=options[name]))
    timeout = _number(options, "timeout", DEFAULT_TIMEOUT, 0.05, 120.0)
    qr = options.get("qr", "native")
    if qr not in ("native", "image"):
        raise InputError("printer", _("print.err_bad_option", option="qr", value=qr))
    status_default = scheme in ("tcp", "serial")
    status = options.get("status", "on" if status_default else "off")
    if status not in ("on", "off"):
        raise InputError("printer", _("print.err_bad_option", option="status", value=status))
    common = {"uri": text, "timeout": timeout, "qr": qr, "status": status == "on"}
    if scheme == "tcp":
        parts = urlsplit(f"tcp:{body}")
        try:
            host, port = parts.hostname, parts.port or DEFAULT_PORT
        except ValueError:
            host, port = None, 0
        if not host or not body.startswith("//"):
            raise InputError("printer", _("print.err_bad_uri", uri=text))
        return Printer(kind="tcp", target=host, port=port, **common)  # type: ignore[arg-type]  # common's values checked above
    target = body[2:] if body.startswith("///") else body
    if not target:
        raise InputError("printer", _("print.err_bad_uri", uri=text))
    if scheme == "serial":
        baudrate = int(_number(options, "baudrate", DEFAULT_BAUDRATE, 300, 4_000_000))
        return Printer(kind="serial", target=target, baudrate=baudrate,
                       **common)  # type: ignore[arg-type]  # common's values checked above
    return Printer(kind=scheme, target=target, **common)  # type: ignore[arg-type]  # scheme and common checked above


def _number(options: dict[str, str], name: str, default: float, low: float,
            high: float) -> float:
    if name not in options:
        return default
    try:
        value = float(options[name])
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        raise InputError("printer", _("print.err_bad_option", option=name, value=options[name]))
    return value


def send(printer: Printer, data: bytes, *, escpos: bool, title: str = "RepairDesk") -> str:
    """Send one job; returns what the printer system said (a CUPS job id) or "".

    Raises :class:`PrinterError` with a message for the counter, never hangs past the
    printer's timeout (plus the time a serial line needs to carry the job).
    """
    if printer.kind == "tcp":
        _send_tcp(printer, data, check=escpos and printer.status)
    elif printer.kind == "serial":
        _send_serial(printer, data, check=escpos and printer.status)
    elif printer.kind == "file":
        _send_file(printer, data)
    else:
        return _send_cups(printer, data, raw=escpos, title=title)
    return ""


# -- status ------------------------------------------------------------------------------


Ask = Callable[[bytes], int | None]  # send a query, return the answer byte or None (no answer)


def _valid(answer: int) -> bool:
    # Every DLE EOT answer has bits 1 and 4 set and bits 0 and 7 clear.
    return answer & 0x93 == 0x12


def check_status(printer: Printer, ask: Ask, *, after: bool) -> None:
    """Ask the printer whether it is ready; raise with the reason when it is not."""
    seconds = f"{printer.timeout:g}"
    state = ask(STATUS_PRINTER)
    if state is None:
        key = "print.err_stalled" if after else "print.err_no_answer"
        raise PrinterError(_(key, printer=printer.uri, seconds=seconds))
    if not _valid(state):
        return  # not an ESC/POS status byte: this printer does not report, print blind
    if state & 0x08:
        cause = ask(STATUS_OFFLINE_CAUSE)
        if cause is not None and _valid(cause):
            if cause & 0x20:
                raise PrinterError(_("print.err_paper_out", printer=printer.uri))
            if cause & 0x04:
                raise PrinterError(_("print.err_cover_open", printer=printer.uri))
            if cause & 0x40:
                raise PrinterError(_("print.err_printer_fault", printer=printer.uri))
        raise PrinterError(_("print.err_offline", printer=printer.uri))
    paper = ask(STATUS_PAPER)
    if paper is not None and _valid(paper) and paper & 0x60:
        raise PrinterError(_("print.err_paper_out", printer=printer.uri))


# -- network (port 9100) -----------------------------------------------------------------


def _send_tcp(printer: Printer, data: bytes, *, check: bool) -> None:
    where = printer.uri
    seconds = f"{printer.timeout:g}"
    try:
        sock = socket.create_connection((printer.target, printer.port), timeout=printer.timeout)
    except ConnectionRefusedError:
        raise PrinterError(_("print.err_refused", printer=where)) from None
    except TimeoutError:
        raise PrinterError(_("print.err_no_answer", printer=where, seconds=seconds)) from None
    except socket.gaierror:
        raise PrinterError(_("print.err_unknown_host", printer=where,
                             host=printer.target)) from None
    except OSError as exc:
        raise PrinterError(_("print.err_unreachable", printer=where,
                             error=exc.strerror or str(exc))) from None

    def ask(query: bytes) -> int | None:
        try:
            _drain_socket(sock)
            sock.settimeout(printer.timeout)
            sock.sendall(query)
            answer = sock.recv(1)
        except (TimeoutError, ConnectionError):
            return None
        return answer[0] if answer else None

    with sock:
        if check:
            check_status(printer, ask, after=False)
        try:
            # The timeout bounds a stall, not the whole job: a long job to a printer that
            # keeps taking data is fine, one that takes nothing for that long is not.
            sock.settimeout(printer.timeout)
            view = memoryview(data)
            while view:
                view = view[sock.send(view):]
        except TimeoutError:
            raise PrinterError(_("print.err_stalled", printer=where, seconds=seconds)) from None
        except OSError as exc:
            raise PrinterError(_("print.err_device", printer=where,
                                 error=exc.strerror or str(exc))) from None
        if check:
            # An answer now means the printer has taken every byte before the question.
            check_status(printer, ask, after=True)


def _drain_socket(sock: socket.socket) -> None:
    """Drop stray bytes (late answers, automatic status) so the next answer is ours."""
    sock.setblocking(False)
    try:
        while sock.recv(256):
            pass
    except (BlockingIOError, InterruptedError):
        pass
    finally:
        sock.setblocking(True)


# -- serial ------------------------------------------------------------------------------


def _send_serial(printer: Printer, data: bytes, *, check: bool) -> None:
    import serial  # pyserial: only counters with a serial printer pay for its import

    where = printer.uri
    seconds = f"{printer.timeout:g}"
    # Ten bits a byte on the line, and half as much again for the printer's own pauses.
    carry = len(data) * 10 / printer.baudrate * 1.5
    try:
        port = serial.Serial(printer.target, baudrate=printer.baudrate, timeout=printer.timeout,
                             write_timeout=printer.timeout + carry)
    except serial.SerialException as exc:
        raise _device_error(printer, exc.errno, str(exc)) from None

    def ask(query: bytes) -> int | None:
        port.reset_input_buffer()
        port.write(query)
        answer = port.read(1)
        return answer[0] if answer else None

    try:
        if check:
            check_status(printer, ask, after=False)
        port.write(data)
        if check:
            check_status(printer, ask, after=True)
    except serial.SerialTimeoutException:
        port.reset_output_buffer()  # so closing does not wait for a printer that stopped
        raise PrinterError(_("print.err_stalled", printer=where, seconds=seconds)) from None
    except serial.SerialException as exc:
        raise _device_error(printer, getattr(exc, "errno", None), str(exc)) from None
    except PrinterError:
        port.reset_output_buffer()
        raise
    finally:
        port.close()


# -- a device file or a plain file -------------------------------------------------------


def _send_file(printer: Printer, data: bytes) -> None:
    path = Path(printer.target)
    device = str(path).startswith("/dev/")
    # A printer's device file is never created: a missing one means it is unplugged.
    # Non-blocking, so a device or pipe that stops taking data cannot hold a write forever.
    flags = os.O_WRONLY | os.O_NONBLOCK | (0 if device else os.O_CREAT | os.O_TRUNC)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        raise _device_error(printer, exc.errno, exc.strerror or str(exc), device=device) from None
    view = memoryview(data)
    try:
        while view:
            # As for the network: an error when nothing was taken for `timeout` seconds.
            _r, writable, _x = select.select([], [fd], [], printer.timeout)
            if not writable:
                raise PrinterError(_("print.err_stalled", printer=printer.uri,
                                     seconds=f"{printer.timeout:g}"))
            try:
                view = view[os.write(fd, view):]
            except BlockingIOError:
                continue
    except OSError as exc:
        raise _device_error(printer, exc.errno, exc.strerror or str(exc), device=device) from None
    finally:
        os.close(fd)


def _device_error(printer: Printer, code: int | None, error: str, *,
                  device: bool = True) -> PrinterError:
    if code in (errno.ENOENT, errno.ENODEV, errno.ENXIO) and device:
        return PrinterError(_("print.err_not_found", printer=printer.uri))
    if code in (errno.EACCES, errno.EPERM):
        return PrinterError(_("print.err_permission", printer=printer.uri))
    if code == errno.EBUSY:
        return PrinterError(_("print.err_busy", printer=printer.uri))
    if code == errno.ENOSPC and device:
        return PrinterError(_("print.err_paper_out", printer=printer.uri))
    return PrinterError(_("print.err_device", printer=printer.uri, error=error))


# -- CUPS --------------------------------------------------------------------------------


def _send_cups(printer: Printer, data: bytes, *, raw: bool, title: str) -> str:
    queue = printer.target
    lp = shutil.which("lp")
    if lp is None:
        raise PrinterError(_("print.err_lp_missing"))
    lpstat = shutil.which("lpstat")
    if lpstat:
        state = _run([lpstat, "-p", queue], b"", printer)
        if state.returncode != 0:
            raise PrinterError(_("print.err_queue", queue=queue, error=_said(state)))
        if "disabled" in state.stdout.decode(errors="replace"):
            raise PrinterError(_("print.err_queue_disabled", queue=queue, error=_said(state)))
    args = [lp, "-d", queue, "-t", title, *(["-o", "raw"] if raw else [])]
    job = _run(args, data, printer)
    if job.returncode != 0:
        raise PrinterError(_("print.err_queue", queue=queue, error=_said(job)))
    return job.stdout.decode(errors="replace").strip()


def _run(args: list[str], data: bytes, printer: Printer) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(args, input=data, capture_output=True,
                              timeout=printer.timeout + 5, check=False)
    except subprocess.TimeoutExpired:
        raise PrinterError(_("print.err_no_answer", printer=printer.uri,
                             seconds=f"{printer.timeout + 5:g}")) from None
    except OSError as exc:
        raise PrinterError(_("print.err_device", printer=printer.uri,
                             error=exc.strerror or str(exc))) from None


def _said(result: subprocess.CompletedProcess[bytes]) -> str:
    text = (result.stderr or result.stdout).decode(errors="replace").strip()
    return " ".join(text.split()) or f"exit {result.returncode}"
