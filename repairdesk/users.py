"""People at the counter: roles, names, PINs as salted scrypt hashes, the wait after a
wrong PIN."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta

from repairdesk.errors import InputError
from repairdesk.freetext import BLANKS, check_text
from repairdesk.i18n import _

ROLES = ("front_desk", "technician", "manager")
PIN = re.compile(r"^\d{4,8}$")
#: A manager's PIN opens refunds, prices and users: 6 digits at least (a 4-digit PIN fell
#: to an offline attack on the store's hashes in minutes).
MANAGER_PIN = re.compile(r"^\d{6,8}$")
#: After n wrong PINs in a row the next try waits 2**(n-1) s, at most this: slow enough
#: against guessing at the keyboard, never a lock-out someone else's typing could cause.
MAX_WAIT_SECONDS = 60
#: Who acts when nobody has logged in (a counter without users): never a user's name.
NO_USER = "counter"
#: Names a user may not take: the no-user actor and words the app or a reader could take
#: for the system itself or a role.
RESERVED_NAMES = frozenset({NO_USER, "system", "admin", "administrator", "root", "hq",
                            "demo", "nobody", "anonymous", "unknown", "-", *ROLES,
                            "front desk"})
# scrypt cost: about 50 ms on a small counter PC, a few MiB of memory.
_N, _R, _P = 2**14, 8, 1


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    encode = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${encode(salt).decode()}${encode(digest).decode()}"


def check_pin(pin: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if kind != "scrypt":
        return False
    expected = base64.b64decode(digest)
    actual = hashlib.scrypt(pin.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r),
                            p=int(p), dklen=len(expected))
    return hmac.compare_digest(actual, expected)


def pin_pattern(role: str) -> re.Pattern[str]:
    return MANAGER_PIN if role == "manager" else PIN


def locked(locked_until: datetime | None, now: datetime) -> bool:
    """True while a user must wait before the next try (``locked_until``: not before)."""
    return locked_until is not None and locked_until > now


def next_try(failed_pins: int, now: datetime) -> datetime:
    """When the next try may come after ``failed_pins`` wrong PINs in a row (1, 2, 4 … s)."""
    return now + timedelta(seconds=min(2 ** min(failed_pins - 1, 16), MAX_WAIT_SECONDS))


def seconds_until(moment: datetime, now: datetime) -> int:
    """Whole seconds from ``now`` to ``moment``, rounded up (never 0 while still waiting)."""
    return max(1, -int((now - moment).total_seconds() // 1))


# Cyrillic and Greek letters, digits and Latin letters that read as another on a screen or
# a slip (after casefolding): each maps to the one it is taken for. i, l, 1 and | are one:
# a capital I and a small l look the same in most fonts.
_LOOK_ALIKES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s",
    "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ɡ": "g",
    "α": "a", "β": "b", "ε": "e", "η": "n", "κ": "k", "μ": "m", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ζ": "z", "γ": "y", "ω": "w",
    "ϲ": "c", "ϳ": "j", "i": "l", "1": "l", "|": "l", "0": "o", "ı": "l", "ι": "l",
    "і": "l", "ї": "l", "ӏ": "l",
})
# What draws nothing in free text, and in a name also the grapheme joiner and the Mongolian
# vowel separator: each joins or separates without a mark, so two names differ unseen.
_BLANKS = BLANKS | frozenset("\u034f\u180e")


def hidden(char: str) -> bool:
    """A control, format (zero-width, bidi) or blank character: unseen in a name."""
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") or char in _BLANKS


def skeleton(name: str) -> str:
    """What ``name`` looks like: compatibility forms folded, accents, spaces and hidden
    characters dropped, case folded, look-alike letters taken for the one they mimic.
    Two names with the same skeleton can be mistaken for each other."""
    decomposed = unicodedata.normalize("NFKD", name)
    kept = "".join(c for c in decomposed if not hidden(c) and not c.isspace()
                   and unicodedata.category(c) not in ("Mn", "Me"))
    return kept.casefold().translate(_LOOK_ALIKES)


def check_new_name(name: str, existing: Iterable[str]) -> str:
    """``name`` stripped, or InputError: too long, hidden characters, a reserved name, or
    one that can be mistaken for one of ``existing`` (the counter's users, or HQ's)."""
    name = check_text("name", name, rule="user.name")
    if not name:
        raise InputError("name", _("core.bad_length"))
    if any(hidden(c) for c in name):
        raise InputError("name", _("access.name_hidden"))
    look = skeleton(name)
    if not look or look in {skeleton(r) for r in RESERVED_NAMES}:
        raise InputError("name", _("access.name_reserved", name=name))
    for other in existing:
        if other == name:
            raise InputError("name", _("trust.user_exists", name=name))
        if skeleton(other) == look:
            raise InputError("name", _("access.name_confusable", name=name, other=other))
    return name
