"""Read an ESC/POS job back: the commands RepairDesk sends, and the text between them.

An independent reader (it shares no code with the renderer), strict on purpose: a byte
sequence it does not know fails the test instead of being skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ESC, GS, FS, LF = 0x1B, 0x1D, 0x1C, 0x0A


@dataclass
class Job:
    commands: list[tuple[str, bytes]] = field(default_factory=list)
    # (text, width multiplier) per printed line, decoded from GB18030
    lines: list[tuple[str, int]] = field(default_factory=list)
    qr_native: list[str] = field(default_factory=list)
    rasters: list[tuple[int, int]] = field(default_factory=list)  # (width dots, height dots)
    chinese_mode_at: int | None = None  # index in commands where FS & came

    def names(self) -> list[str]:
        return [name for name, _ in self.commands]

    @property
    def text(self) -> str:
        return "\n".join(line for line, _ in self.lines)


def parse(data: bytes) -> Job:
    job = Job()
    i = 0
    pending = bytearray()
    scale = 1

    def flush_line() -> None:
        job.lines.append((bytes(pending).decode("gb18030"), scale))
        pending.clear()

    def add(name: str, args: bytes = b"") -> None:
        if pending:
            raise AssertionError(f"command {name} in the middle of a line {bytes(pending)!r}")
        job.commands.append((name, args))

    while i < len(data):
        b = data[i]
        if b == LF:
            flush_line()
            i += 1
        elif b == ESC:
            op = data[i + 1]
            if op == ord("@"):
                add("init")
                i += 2
            elif op in (ord("a"), ord("E"), ord("d"), ord("!")):
                add({ord("a"): "align", ord("E"): "bold", ord("d"): "feed", ord("!"): "mode"}[op],
                    data[i + 2:i + 3])
                i += 3
            else:
                raise AssertionError(f"unknown ESC {op:#x} at {i}")
        elif b == GS:
            op = data[i + 1]
            if op == ord("!"):
                n = data[i + 2]
                scale = (n >> 4) + 1
                add("size", bytes([n]))
                i += 3
            elif op == ord("(") and data[i + 2] in (ord("k"), ord("L")):
                length = data[i + 3] | data[i + 4] << 8
                body = data[i + 5:i + 5 + length]
                add("2d" if data[i + 2] == ord("k") else "graphics", body)
                # cn=49 (QR), fn=80 (store data), m=48, then the data
                if data[i + 2] == ord("k") and body[:2] == b"1P":
                    job.qr_native.append(body[3:].decode("utf-8"))
                i += 5 + length
            elif op == ord("v") and data[i + 2] == ord("0"):
                x = data[i + 4] | data[i + 5] << 8
                y = data[i + 6] | data[i + 7] << 8
                add("raster", data[i + 4:i + 8])
                job.rasters.append((x * 8, y))
                i += 8 + x * y
            elif op == ord("V"):
                m = data[i + 2]
                size = 4 if m in (65, 66) else 3
                add("cut", data[i + 2:i + size])
                i += size
            else:
                raise AssertionError(f"unknown GS {op:#x} at {i}")
        elif b == FS:
            op = data[i + 1]
            if op == ord("&"):
                add("chinese")
                job.chinese_mode_at = len(job.commands) - 1
                i += 2
            else:
                raise AssertionError(f"unknown FS {op:#x} at {i}")
        elif b < 0x20:
            raise AssertionError(f"unexpected control byte {b:#x} at {i}")
        else:
            pending.append(b)
            i += 1
    assert not pending, f"text after the last line feed: {bytes(pending)!r}"
    return job
