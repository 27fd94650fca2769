"""The batch file: ``<COUNTER>-<SEQ:06d>-<YYYYMMDD>.rdbatch``, a zip of

- ``manifest.json``: format and version, counter, sequence number, the previous batch file's
  SHA-256, the time range, and per member its table, columns, key, row count and SHA-256;
- one JSON Lines member per table (``<table>.jsonl``): one row a line, keys sorted; a deleted
  row is a line with its key columns and ``"$deleted": true``;
- ``manifest.sig``: the Ed25519 signature of ``manifest.json``'s bytes by the counter's key.

The signature covers the manifest and the manifest covers each member by its hashes, and
the zip container is written one way only (:mod:`.container`), so no byte of the file can
change unnoticed. The counter keeps the bytes it wrote: a batch is rewritten identically.

:func:`read_batch` checks a file in the order HQ must (nothing is used before it is checked)
and names the check that failed.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from repairdesk.errors import InputError
from repairdesk.fields import label
from repairdesk.i18n import _
from repairdesk.sync import container, keys, limits

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

FORMAT = "repairdesk.batch"
VERSION = 1
UNDERSTOOD_VERSIONS = frozenset({1})
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
SUFFIX = ".rdbatch"
#: Every check a batch can fail, in the order HQ runs them.
CHECKS = ("readable", "size", "layout", "format", "counter", "signature", "members", "hash",
          "rows", "tables", "sequence", "chain", "evidence", "values")


def check_name(check: str) -> str:
    """A check as a person reads it, in their language (its code is for ``--json``)."""
    return _(f"sync.checkname_{check}")


def refusal(file: str, check: str, detail: str) -> str:
    """Why a file was refused, the file and the check named."""
    return _("sync.refused", file=file, check=check_name(check), detail=detail)


class BatchRefused(InputError):
    """A batch (or pack) file failed one check, named as the error's field; nothing changed."""

    def __init__(self, check: str, file: str, detail: str) -> None:
        super().__init__(check, refusal(file, check, detail), label=label("file"))
        self.check, self.file, self.detail = check, file, detail


def file_name(counter: str, seq: int, day: date) -> str:
    return f"{counter}-{seq:06d}-{day:%Y%m%d}{SUFFIX}"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def json_line(row: dict[str, Any]) -> bytes:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8") + b"\n"


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode(
        "utf-8") + b"\n"


class MemberWriter:
    """One JSON Lines member being written: hashed and deflated as it goes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rows = 0
        self.deleted = 0
        self._hash = hashlib.sha256()
        self._deflater = container.Deflater(name)

    def write(self, row: dict[str, Any], *, deleted: bool = False) -> None:
        self.write_lines(json_line(row), 1)
        self.deleted += deleted

    def write_lines(self, data: bytes, rows: int) -> None:
        """``rows`` complete lines already encoded (see :mod:`.lines`)."""
        self._hash.update(data)
        self._deflater.write(data)
        self.rows += rows

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def entry(self) -> container.Entry:
        return self._deflater.finish()


def build_file(manifest: dict[str, Any], members: list[tuple[str, IO[bytes]]],
               key: Ed25519PrivateKey) -> bytes:
    """The signed file of ``members`` given as their text (see :func:`signed_file`)."""
    return signed_file(manifest, [container.deflated(name, content)
                                  for name, content in members], key)


def signed_file(manifest: dict[str, Any], entries: list[container.Entry],
                key: Ed25519PrivateKey) -> bytes:
    """The signed file: ``manifest`` (its members listed in the order given, each gets the
    hash of its compressed bytes), the members, the signature (see :mod:`.container`)."""
    for listed, entry in zip(manifest["members"], entries, strict=True):
        listed["zip_sha256"] = entry.zip_sha256
    raw = manifest_bytes(manifest)
    return container.assemble([container.stored(MANIFEST, raw), *entries,
                               container.stored(SIGNATURE, keys.sign(key, raw))])


@dataclass
class SignedFile:
    """A checked batch or pack: its hash and manifest; members read on demand from the open
    file (usable while the file given to :func:`open_signed` is open)."""

    name: str
    sha256: str
    manifest: dict[str, Any]
    zip: zipfile.ZipFile

    def member_bytes(self, name: str) -> bytes:
        return self.zip.read(name)

    def lines(self, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """The rows of a member with their line numbers; a line that is not a JSON object
        is refused by the ``rows`` check."""
        decoder = json.JSONDecoder()
        decode, scan = decoder.decode, decoder.scan_once  # type: ignore[attr-defined]  # set by JSONDecoder.__init__, not declared
        number = 0
        with self.zip.open(name) as fh:
            # Blocks of whole lines decoded at once: a line at a time through the zip
            # reader and json.loads' encoding detection cost more than the parsing.
            for block in _member_blocks(self.name, name, fh):
                try:
                    texts: list[Any] = block.decode("utf-8").split("\n")
                except UnicodeDecodeError:
                    texts = block.split(b"\n")  # json.loads names the line that is not UTF-8
                for text in texts[:-1]:
                    number += 1
                    try:
                        # The scanner alone when the line is one bare value, as the counter
                        # writes it; json's own checks (spaces, extra data) otherwise.
                        row, end = scan(text, 0)
                        if end != len(text):
                            raise ValueError(end)
                    except (StopIteration, ValueError, TypeError, RecursionError):
                        try:
                            row = decode(text) if isinstance(text, str) else json.loads(text)
                        except (ValueError, RecursionError):  # nested beyond the stack
                            row = None
                    if type(row) is not dict:
                        raise BatchRefused("rows", self.name,
                                           _("sync.check_line", member=name, line=number))
                    yield number, row


def line_blocks(stream: IO[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    """The text of ``stream`` in blocks of whole lines, each ending with a newline; a line
    longer than :data:`.limits.MAX_LINE` raises :class:`LineTooLong` (never held whole)."""
    rest = b""
    while chunk := stream.read(size):
        cut = chunk.rfind(b"\n") + 1
        # Only a line begun in an earlier read can be longer than one read.
        if len(rest) + (chunk.find(b"\n") if cut else len(chunk)) > limits.MAX_LINE:
            raise LineTooLong(len(rest))
        if cut:
            yield rest + chunk[:cut]
            rest = chunk[cut:]
        else:
            rest += chunk
    if rest:
        yield rest + b"\n"


class LineTooLong(ValueError):
    """A line of a member runs past :data:`.limits.MAX_LINE` without its newline."""


def _member_blocks(file: str, member: str, fh: IO[bytes]) -> Iterator[bytes]:
    """:func:`line_blocks` of a member; a line too long refuses the file at its number."""
    lines = 0
    try:
        for block in line_blocks(fh):
            yield block
            lines += block.count(b"\n")
    except LineTooLong as exc:
        raise BatchRefused("rows", file, _("hqin.line_too_long", member=member, line=lines + 1,
                                           limit=limits.size_text(limits.MAX_LINE))) from exc


def open_signed(
    name: str,
    source: bytes | IO[bytes],
    *,
    fmt: str,
    versions: frozenset[int],
    signer_key: Callable[[dict[str, Any]], str],
) -> SignedFile:
    """Check size, structure, format, signer and signature, then every member's hash and
    row count, reading ``source`` (the bytes, or a seekable file kept open while the result
    is used) as a stream within :mod:`.limits`.

    ``signer_key`` returns the public key that must have signed this manifest, or raises
    :class:`BatchRefused` (the ``counter`` check) when the signer is not trusted.
    """
    fh = io.BytesIO(source) if isinstance(source, bytes) else source
    zf, entries, sha256 = _open_zip(name, fh)
    manifest_entry, signature_entry = entries.get(MANIFEST), entries.get(SIGNATURE)
    if manifest_entry is None or signature_entry is None:
        raise BatchRefused("readable", name, _("sync.check_no_manifest"))
    if {manifest_entry.method, signature_entry.method} != {zipfile.ZIP_STORED}:
        raise BatchRefused("layout", name, _("sync.check_layout", where=MANIFEST))
    # Stored uncompressed: the signed bytes are the bytes in the file.
    manifest_raw, signature = manifest_entry.data or b"", signature_entry.data or b""
    manifest = _parse_manifest(name, manifest_raw, fmt, versions)
    public_key = signer_key(manifest)
    if not keys.verify(public_key, signature, manifest_raw):
        raise BatchRefused("signature", name,
                           _("sync.check_signature", fingerprint=keys.fingerprint(public_key)))
    members = manifest["members"]
    listed = [m["name"] for m in members]
    if sorted(zf.namelist()) != sorted([MANIFEST, SIGNATURE, *listed]) or len(set(listed)) != len(listed):
        raise BatchRefused("members", name, _("sync.check_members"))
    for member in members:
        if entries[member["name"]].zip_sha256 != member.get("zip_sha256"):
            raise BatchRefused("hash", name, _("sync.check_hash", member=member["name"]))
        digest, lines = _hash_and_count(name, zf, member["name"])
        if digest != member["sha256"]:
            raise BatchRefused("hash", name, _("sync.check_hash", member=member["name"]))
        if lines != member["rows"]:
            raise BatchRefused("rows", name, _("sync.check_rows", member=member["name"],
                                               manifest=member["rows"], found=lines))
    if manifest.get("rows", 0) != sum(m["rows"] for m in members):
        raise BatchRefused("rows", name, _("sync.check_total_rows"))
    return SignedFile(name, sha256, manifest, zf)


def peek_manifest(name: str, fh: IO[bytes]) -> Any:
    """The manifest's JSON as written (unchecked, unsigned: for ordering files only), read
    from the zip's end record, directory and manifest alone, within :mod:`.limits`;
    :class:`BatchRefused` when the file does not open as a complete zip with a manifest
    (the end record is written last: a file still being written has none)."""
    try:
        size = _size_within_limits(name, fh)
        container.check_end(fh, size)
        zf = zipfile.ZipFile(fh)
        container.check_declared(zf, frozenset({MANIFEST, SIGNATURE}))
        return json.loads(zf.read(MANIFEST))
    except BatchRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - hostile or half-written bytes: not readable
        raise BatchRefused("readable", name, _("sync.check_readable",
                                               error=str(exc) or type(exc).__name__)) from exc


def _size_within_limits(name: str, fh: IO[bytes]) -> int:
    """The file's size; refused by ``size`` beyond :data:`.limits.MAX_FILE`, before any of
    it is read."""
    size = fh.seek(0, io.SEEK_END)
    if size > limits.MAX_FILE:
        raise BatchRefused("size", name, _("hqin.file_too_large", size=limits.size_text(size),
                                           limit=limits.size_text(limits.MAX_FILE)))
    return size


def file_sha256(fh: IO[bytes]) -> str:
    """The SHA-256 of a whole file, read as a stream (a batch's ``sha256`` at HQ)."""
    digest = hashlib.sha256()
    fh.seek(0)
    while chunk := fh.read(limits.MiB):
        digest.update(chunk)
    return digest.hexdigest()


def _open_zip(name: str, fh: IO[bytes]) -> tuple[zipfile.ZipFile, dict[str, container.Placed],
                                                 str]:
    """The zip's members as placed and the file's SHA-256, each size checked against
    :mod:`.limits` before what it measures is read: the file's, then the declared ones."""
    try:
        size = _size_within_limits(name, fh)
        fh.seek(0)
        if fh.read(4) != b"PK\x03\x04":
            raise BatchRefused("readable", name, _("sync.check_readable",
                                                   error=_("hqin.not_a_batch")))
        container.check_end(fh, size)
        zf = zipfile.ZipFile(fh)
        container.check_declared(zf, frozenset({MANIFEST, SIGNATURE}))
        return (zf, *container.check_file(fh, zf, frozenset({MANIFEST, SIGNATURE})))
    except BatchRefused:
        raise
    except container.TooLarge as exc:
        raise BatchRefused("size", name, _("hqin.declares_too_much", what=exc.what,
                                           size=limits.size_text(exc.size),
                                           limit=limits.size_text(exc.limit))) from exc
    except container.NotZip as exc:
        raise BatchRefused("readable", name, _("sync.check_readable",
                                               error=_("hqin.no_end_record"))) from exc
    except container.LayoutError as exc:
        raise BatchRefused("layout", name, _("sync.check_layout", where=str(exc))) from exc
    except OSError as exc:
        raise BatchRefused("readable", name, _("sync.check_readable",
                                               error=exc.strerror or str(exc))) from exc
    except Exception as exc:  # noqa: BLE001 - the parser meets hostile bytes: any error is
        # a file that cannot be read (zipfile raises NotImplementedError, struct.error, ...).
        raise BatchRefused("readable", name, _("sync.check_readable",
                                               error=str(exc) or type(exc).__name__)) from exc


def _parse_manifest(name: str, raw: bytes, fmt: str, versions: frozenset[int]) -> dict[str, Any]:
    try:
        manifest = json.loads(raw)
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != fmt:
        raise BatchRefused("format", name, _("sync.check_format", format=fmt))
    if manifest.get("version") not in versions:
        raise BatchRefused("format", name, _("sync.check_version",
                                             version=manifest.get("version"),
                                             known=", ".join(map(str, sorted(versions)))))
    members = manifest.get("members")
    shape_ok = (
        isinstance(manifest.get("seq"), int) and manifest["seq"] >= 1
        and isinstance(members, list)
        and all(isinstance(m, dict) and isinstance(m.get("name"), str)
                and isinstance(m.get("sha256"), str) and isinstance(m.get("rows"), int)
                for m in members)
    )
    if not shape_ok:
        raise BatchRefused("format", name, _("sync.check_format", format=fmt))
    return manifest


def _hash_and_count(name: str, zf: zipfile.ZipFile, member: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    lines = 0
    try:
        with zf.open(member) as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
                lines += chunk.count(b"\n")
    except Exception as exc:  # noqa: BLE001 - as above: hostile bytes, any error
        # The zip's own CRC (or its parser) caught a changed byte before our hash could.
        raise BatchRefused("hash", name, _("sync.check_damaged", member=member,
                                           error=str(exc))) from exc
    return digest.hexdigest(), lines
