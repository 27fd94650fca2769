"""The zip container of batches and packs, written one way only, so that no byte of a file
can change unnoticed.

A zip reader ignores much of what a zip holds (dates, attributes, the local copies of the
sizes, the padding bits after a deflate stream). So RepairDesk writes its zips itself, with
constant headers, and :func:`check_layout` rebuilds every header byte from what the central
directory says and compares: a changed header byte is a different layout. ``manifest.json``
and ``manifest.sig`` are stored uncompressed, so the signature covers their bytes as they
lie in the file; each member's compressed bytes are covered by a hash in the manifest
(``zip_sha256``), besides the hash of its content. Any zip tool can still open the files.

Reading uses :mod:`zipfile`; only the writing and the layout check are done here. No ZIP64:
a member or a file of 4 GiB or more is refused.
"""

from __future__ import annotations

import hashlib
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # 2.0: deflate
_MADE_BY = (3 << 8) | _VERSION  # Unix
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00
_ATTRIBUTES = 0o100644 << 16  # a regular file, rw-r--r--
_LIMIT = 0xFFFFFFFF
LEVEL = 6


class LayoutError(ValueError):
    """The file is not laid out as RepairDesk writes it."""


@dataclass(frozen=True)
class Entry:
    """One member ready to be placed: its bytes as stored in the zip and what describes them."""

    name: str
    method: int  # zipfile.ZIP_STORED or zipfile.ZIP_DEFLATED
    crc: int
    size: int
    data: bytes

    @property
    def zip_sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def stored(name: str, data: bytes) -> Entry:
    return Entry(name, zipfile.ZIP_STORED, zlib.crc32(data), len(data), data)


class Deflater:
    """A member deflated as it is written, so its text is never held whole. Deflate's
    output does not depend on how the input is cut into writes: the bytes are those of
    :func:`deflated` over the whole text."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        self._crc, self._size = 0, 0
        self._parts: list[bytes] = []

    def write(self, chunk: bytes) -> None:
        self._crc = zlib.crc32(chunk, self._crc)
        self._size += len(chunk)
        self._parts.append(self._packer.compress(chunk))

    def finish(self) -> Entry:
        self._parts.append(self._packer.flush())
        return Entry(self.name, zipfile.ZIP_DEFLATED, self._crc, self._size,
                     b"".join(self._parts))


def deflated(name: str, content: IO[bytes]) -> Entry:
    packer = Deflater(name)
    while chunk := content.read(1 << 20):
        packer.write(chunk)
    return packer.finish()


def _local(e: Entry) -> bytes:
    name = e.name.encode("ascii")
    return _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, e.method, _DOS_TIME, _DOS_DATE, e.crc,
                       len(e.data), e.size, len(name), 0) + name


def _central(e: Entry, offset: int) -> bytes:
    name = e.name.encode("ascii")
    return _CENTRAL.pack(b"PK\x01\x02", _MADE_BY, _VERSION, 0, e.method, _DOS_TIME, _DOS_DATE,
                         e.crc, len(e.data), e.size, len(name), 0, 0, 0, 0, _ATTRIBUTES,
                         offset) + name


def assemble(entries: list[Entry]) -> bytes:
    """The zip file of ``entries``, in order."""
    out = bytearray()
    directory = bytearray()
    for e in entries:
        if e.size >= _LIMIT or len(e.data) >= _LIMIT:
            raise OverflowError(e.name)
        directory += _central(e, len(out))
        out += _local(e) + e.data
    end = _END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), len(out), 0)
    if len(out) + len(directory) >= _LIMIT:
        raise OverflowError("zip")
    return bytes(out + directory + end)


def check_layout(data: bytes, zf: zipfile.ZipFile) -> dict[str, Entry]:
    """Rebuild the file from its central directory and compare every byte; returns each
    member's entry (its stored bytes taken from the file). Raises :class:`LayoutError`."""
    entries: list[Entry] = []
    offset = 0
    for info in zf.infolist():
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise LayoutError(info.filename)
        try:
            name_length = len(info.filename.encode("ascii"))
        except UnicodeEncodeError:
            raise LayoutError(info.filename) from None
        start = offset + _LOCAL.size + name_length
        entry = Entry(info.filename, info.compress_type, info.CRC, info.file_size,
                      data[start:start + info.compress_size])
        if info.header_offset != offset or len(entry.data) != info.compress_size:
            raise LayoutError(info.filename)
        entries.append(entry)
        offset = start + info.compress_size
    if assemble(entries) != data:
        raise LayoutError("zip")
    return {e.name: e for e in entries}
