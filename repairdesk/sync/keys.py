"""Ed25519 keys (``cryptography``): the counter signs its batches, HQ signs its packs.

A private key is a PEM (PKCS #8) file readable by its owner only. A public key travels as
text: the 32 raw bytes in base64, short enough to read out over the phone; its fingerprint
(the first 16 hex digits of its SHA-256) is what people compare.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from repairdesk import owner_only
from repairdesk.errors import InputError, StoreError
from repairdesk.i18n import _

# cryptography is imported by the functions that sign or check (its Rust core is some 6 MiB
# of the app's memory): the counter app loads this module with the facade on every start,
# and signs or checks something only when it exports a batch or applies a pack.
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

__all__ = [
    "create_private_key",
    "fingerprint",
    "load_private_key",
    "parse_public_key",
    "public_key_text",
    "sign",
    "verify",
]


def create_private_key(path: Path) -> Ed25519PrivateKey:
    """A new key written to ``path`` (owner read/write only); an existing file is kept."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if path.exists():
        return load_private_key(path)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    owner_only.make_dir(path.parent)
    # Exclusive and owner-only: never wider permissions, not even for a moment.
    with owner_only.open_write(path, exclusive=True) as fh:
        fh.write(pem)
        fh.flush()
        os.fsync(fh.fileno())
    return key


def load_private_key(path: Path) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise StoreError(_("sync.key_missing", path=str(path))) from None
    except (OSError, ValueError, TypeError) as exc:
        raise StoreError(_("sync.key_unreadable", path=str(path), error=str(exc))) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise StoreError(_("sync.key_unreadable", path=str(path), error="not an Ed25519 key"))
    return key


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def parse_public_key(text: str, field: str = "public_key") -> Ed25519PublicKey:
    """A public key as :func:`public_key_text` writes it (surrounding spaces ignored)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        raw = base64.b64decode("".join(text.split()), validate=True)
        if len(raw) != 32:
            raise ValueError(len(raw))
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        raise InputError(field, _("sync.public_key_invalid")) from None


def fingerprint(public_key: str) -> str:
    raw = base64.b64decode(public_key)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    return key.sign(data)


def verify(public_key: str, signature: bytes, data: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        parse_public_key(public_key).verify(signature, data)
    except (InvalidSignature, InputError):
        return False
    return True
