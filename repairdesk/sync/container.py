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
a member or a file of 4 GiB or more is refused. The check reads a file as a stream (HQ never
holds a batch whole) and refuses what it declares beyond :mod:`.limits` before reading it.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from repairdesk.sync import limits

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # 2.0: deflate
_MADE_BY = (3 << 8) | _VERSION  # Unix
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00
_ATTRIBUTES = 0o100644 << 16  # a regular file, rw-r--r--
_LIMIT = 0xFFFFFFFF
#: A member's name in the directory: table names are short; a longer one is not ours, and
#: bounds the directory zipfile reads whole.
_MAX_NAME = 255
LEVEL = 6


class LayoutError(ValueError):
    """The file is not laid out as RepairDesk writes it."""


class NotZip(LayoutError):
    """The file does not end as a zip does (cut short, or not a zip at all)."""


class TooLarge(ValueError):
    """The file declares more than :mod:`.limits` allows: ``what`` of ``size`` bytes."""

    def __init__(self, what: str, size: int, limit: int) -> None:
        super().__init__(what)
        self.what, self.size, self.limit = what, size, limit


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


@dataclass(frozen=True)
class Placed:
    """A member as found in a file being checked: what describes it, the hash of its stored
    bytes, and those bytes only for the members the caller keeps (small, limit-checked)."""

    name: str
    method: int
    crc: int
    size: int
    compress_size: int
    zip_sha256: str
    data: bytes | None


def _local(name: str, method: int, crc: int, stored_size: int, size: int) -> bytes:
    raw = name.encode("ascii")
    return _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, method, _DOS_TIME, _DOS_DATE, crc,
                       stored_size, size, len(raw), 0) + raw


def _central(name: str, method: int, crc: int, stored_size: int, size: int,
             offset: int) -> bytes:
    raw = name.encode("ascii")
    return _CENTRAL.pack(b"PK\x01\x02", _MADE_BY, _VERSION, 0, method, _DOS_TIME, _DOS_DATE,
                         crc, stored_size, size, len(raw), 0, 0, 0, 0, _ATTRIBUTES,
                         offset) + raw


def _end(count: int, directory_size: int, directory_offset: int) -> bytes:
    return _END.pack(b"PK\x05\x06", 0, 0, count, count, directory_size, directory_offset, 0)


def assemble(entries: list[Entry]) -> bytes:
    """The zip file of ``entries``, in order."""
    out = bytearray()
    directory = bytearray()
    for e in entries:
        if e.size >= _LIMIT or len(e.data) >= _LIMIT:
            raise OverflowError(e.name)
        directory += _central(e.name, e.method, e.crc, len(e.data), e.size, len(out))
        out += _local(e.name, e.method, e.crc, len(e.data), e.size) + e.data
    end = _end(len(entries), len(directory), len(out))
    if len(out) + len(directory) >= _LIMIT:
        raise OverflowError("zip")
    return bytes(out + directory + end)


def check_end(fh: IO[bytes], size: int) -> None:
    """The end record, read first: a RepairDesk zip ends with it (no comment), and what it
    declares (members, directory) must fit the file and :mod:`.limits` before zipfile reads
    the directory. Raises :class:`NotZip`, :class:`LayoutError` or :class:`TooLarge`."""
    if size < _END.size:
        raise NotZip("zip")
    fh.seek(size - _END.size)
    fields = _END.unpack(fh.read(_END.size))
    if fields[0] != b"PK\x05\x06":
        raise NotZip("zip")
    _sig, disk, start_disk, count, total, directory_size, directory_offset, comment = fields
    if total > limits.MAX_MEMBERS:
        raise TooLarge("members", total, limits.MAX_MEMBERS)
    if (disk, start_disk, comment, count) != (0, 0, 0, total) or (
            directory_offset + directory_size + _END.size != size) or (
            directory_size > total * (_CENTRAL.size + _MAX_NAME)):
        raise LayoutError("zip")


def check_declared(zf: zipfile.ZipFile, small: frozenset[str]) -> None:
    """Every member's declared size within :mod:`.limits` (``small``: those read whole)."""
    total = 0
    for info in zf.infolist():
        limit = limits.MAX_MANIFEST if info.filename in small else limits.MAX_MEMBER
        for size in (info.file_size, info.compress_size):
            if size > limit:
                raise TooLarge(info.filename, size, limit)
        total += info.file_size
    if total > limits.MAX_CONTENT:
        raise TooLarge("zip", total, limits.MAX_CONTENT)


def check_file(fh: IO[bytes], zf: zipfile.ZipFile, keep: frozenset[str] = frozenset(),
               ) -> tuple[dict[str, Placed], str]:
    """Read the file once from its start and rebuild every header byte from its central
    directory; returns each member as placed (the bytes of those in ``keep``) and the
    SHA-256 of the whole file. Raises :class:`LayoutError`. Call :func:`check_declared`
    first: the sizes read here are those it allowed."""
    whole = hashlib.sha256()
    placed: list[tuple[Placed, int]] = []
    offset = 0
    fh.seek(0)
    for info in zf.infolist():
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise LayoutError(info.filename)
        try:
            info.filename.encode("ascii")
        except UnicodeEncodeError:
            raise LayoutError(info.filename) from None
        header = _local(info.filename, info.compress_type, info.CRC, info.compress_size,
                        info.file_size)
        if info.header_offset != offset or fh.read(len(header)) != header:
            raise LayoutError(info.filename)
        whole.update(header)
        digest, kept = hashlib.sha256(), bytearray()
        left = info.compress_size
        while left:
            chunk = fh.read(min(left, limits.MiB))
            if not chunk:
                raise LayoutError(info.filename)
            left -= len(chunk)
            digest.update(chunk)
            whole.update(chunk)
            if info.filename in keep:
                kept += chunk
        placed.append((Placed(info.filename, info.compress_type, info.CRC, info.file_size,
                              info.compress_size, digest.hexdigest(),
                              bytes(kept) if info.filename in keep else None), offset))
        offset += len(header) + info.compress_size
    directory = b"".join(_central(p.name, p.method, p.crc, p.compress_size, p.size, at)
                         for p, at in placed)
    tail = directory + _end(len(placed), len(directory), offset)
    if fh.read(len(tail) + 1) != tail:
        raise LayoutError("zip")
    whole.update(tail)
    return {p.name: p for p, _at in placed}, whole.hexdigest()


def check_layout(data: bytes, zf: zipfile.ZipFile) -> dict[str, Entry]:
    """:func:`check_file` over bytes held in memory, each member with its stored bytes (for
    tools that rebuild a file from its parts). Raises :class:`LayoutError`."""
    found, _digest = check_file(io.BytesIO(data), zf, frozenset(zf.namelist()))
    return {name: Entry(name, p.method, p.crc, p.size, p.data or b"")
            for name, p in found.items()}
