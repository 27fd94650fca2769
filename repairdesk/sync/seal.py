"""A document HQ signs on its own, apart from the file it travels in: a settlement statement.

The pack that carries a statement is signed as a whole, but the statement is kept and shown
long after the pack is gone; its own seal (the SHA-256 of its canonical JSON, signed with
HQ's key) lets HQ's ``settle verify`` and the counter that received it check it alone.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import TYPE_CHECKING, Any

from repairdesk.sync import keys

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def digest(document: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(document)).hexdigest()


def seal(key: Ed25519PrivateKey, document: dict[str, Any]) -> tuple[str, str]:
    """The document's digest and HQ's signature of it (base64)."""
    sha = digest(document)
    return sha, base64.b64encode(keys.sign(key, sha.encode("ascii"))).decode("ascii")


def signature_valid(public_key: str, sha: str, signature: str) -> bool:
    try:
        raw = base64.b64decode(signature, validate=True)
    except ValueError:
        return False
    return keys.verify(public_key, raw, sha.encode("ascii"))


def sealed(public_key: str, document: dict[str, Any], sha: str, signature: str) -> bool:
    """The document is the one HQ signed: its digest is ``sha`` and ``signature`` is HQ's."""
    return digest(document) == sha and signature_valid(public_key, sha, signature)
