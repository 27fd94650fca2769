"""Tickets that stress a slip, fake printers on loopback, and the PDF tools."""

from __future__ import annotations

import copy
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from repairdesk.desk import Desk

from ...conftest import INTAKE

PASSCODE = "975310"
FULL_PHONE = "13800138000"
MASKED_PHONE = "138****8000"
LONG_NAME = "欧阳翀喆·阿卜杜热合曼·买买提明"
LONG_FAULT = (
    "屏幕闪烁后黑屏，右下角触摸失灵，来电时听筒无声，充电到百分之三十左右自动关机；"
    "客户说上周在地铁里摔过一次，之后偶尔提示“无SIM卡”，重启后恢复。IMEI 352099001761481 "
    "与包装盒上的一致，发票号 No.0012345。Customer also reports: the speaker crackles at high "
    "volume and Face ID fails about one time in three since 2026-11-01."
)
ALL_ACCESSORIES = ["battery", "back_cover", "sim_tray", "sim_card", "memory_card", "charger",
                   "cable", "headset", "case", "box", "stylus", "other"]


def long_intake() -> dict[str, Any]:
    doc = copy.deepcopy(INTAKE)
    doc["customer"]["name"] = LONG_NAME
    doc["device"]["colour"] = "远峰蓝（限量版）"
    doc["device"]["imei2"] = "35-209900-176149-9"
    doc["device"]["serial"] = "F2LXK0QJHG7F"
    doc["accessories"] = ALL_ACCESSORIES
    doc["condition"] = {"marks": ["scratches", "dents", "cracked_back", "bent_frame",
                                  "worn_labels"],
                        "liquid_indicator": "triggered", "opened_before": True,
                        "notes": "后盖左下角碎裂约2厘米，中框右侧有明显磕碰，螺丝有拧动痕迹"}
    doc["faults"] = ["display", "audio", "abnormal_shutdown", "sim_contact"]
    doc["description"] = LONG_FAULT
    doc["passcode"] = "given"
    doc["passcode_value"] = PASSCODE
    doc["deposit"] = 1234.5
    doc["promised_date"] = "2026-11-28"
    doc["technician"] = "司马相如"
    return doc


@pytest.fixture
def long_ticket(desk: Desk) -> str:
    desk.init_counter("SH01", "上海市徐汇区漕河泾开发区第一特约维修服务中心（官方授权）",
                      "上海市徐汇区漕溪北路 88 号圣爱大厦 3 楼 301-305 室（近地铁 1 号线）",
                      "021 6400 0000")
    return desk.tickets.intake(long_intake()).ticket


@pytest.fixture
def ticket(desk: Desk, intake_doc: dict[str, Any]) -> str:
    intake_doc["passcode_value"] = PASSCODE
    return desk.tickets.intake(intake_doc).ticket


def need_tool(name: str, package: str) -> str:
    """The tool's path; without it the test skips here and fails in CI (CI=true)."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed (Debian package {package})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}: CI must install it (.ci/run)")
    pytest.skip(message)


# -- a network printer on loopback ---------------------------------------------------------


@dataclass
class FakePrinter:
    """An ESC/POS printer on 127.0.0.1 that answers DLE EOT status queries.

    ``status``: the byte it answers (0x12: online, paper fine). ``stop_after``: it stops
    reading after that many bytes, like a printer whose paper ran out mid-job.
    ``answer``: False for a printer that reads but never reports.
    """

    status: int = 0x12
    offline_cause: int = 0x12
    paper: int = 0x12
    stop_after: int | None = None
    answer: bool = True
    received: bytearray = field(default_factory=bytearray)
    port: int = 0
    done: threading.Event = field(default_factory=threading.Event)

    def serve(self, server: socket.socket) -> None:
        try:
            conn, _ = server.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(10)
            while True:
                if self.stop_after is not None and len(self.received) >= self.stop_after:
                    self.done.wait(10)  # hold the line open, read nothing more
                    return
                limit = 4096 if self.stop_after is None else self.stop_after - len(self.received)
                try:
                    chunk = conn.recv(max(1, min(4096, limit)))
                except OSError:
                    break
                if not chunk:
                    break
                self.received += chunk
                self._answer(conn, chunk)
        self.done.set()

    def _answer(self, conn: socket.socket, chunk: bytes) -> None:
        if not self.answer:
            return
        tail = bytes(self.received[-3:])
        replies = {b"\x10\x04\x01": self.status, b"\x10\x04\x02": self.offline_cause,
                   b"\x10\x04\x04": self.paper}
        if tail in replies:
            conn.sendall(bytes([replies[tail]]))


@pytest.fixture
def fake_printer() -> Iterator[Any]:
    """Start FakePrinter(**options) on a free loopback port; returns it with ``.port`` set."""
    servers: list[tuple[socket.socket, FakePrinter, threading.Thread]] = []

    def start(**options: Any) -> FakePrinter:
        server = socket.create_server(("127.0.0.1", 0))
        printer = FakePrinter(**options)
        printer.port = server.getsockname()[1]
        thread = threading.Thread(target=printer.serve, args=(server,), daemon=True)
        thread.start()
        servers.append((server, printer, thread))
        return printer

    yield start
    for server, printer, thread in servers:
        printer.done.set()
        server.close()
        thread.join(5)


def free_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
