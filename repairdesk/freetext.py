"""What a person may type into a free-text field, and how much: the one table every path
that stores text checks against (the intake, the ticket's changes and repair record, the
money notes, the stock references, the users, the counter itself; the screens through the
same calls, or through ``repairdesk.tickets.intake.check_typed``).

Refused everywhere: NUL and the other C0/C1 control characters (a terminal acts on them:
``ESC [2J`` clears the screen of whoever reads the name, an OSC 52 writes their clipboard),
the bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069: they make a name
read backwards), lone surrogates (not text: no UTF-8 store or HQ database takes them), a
value made of invisible characters only, and a value longer than its field's limit. Tab and
newline are taken in the multi-line notes only. Each refusal names the field by its label.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sized
from dataclasses import dataclass
from functools import cache

from repairdesk.errors import InputError
from repairdesk.i18n import _


@dataclass(frozen=True)
class TextRule:
    """At most ``limit`` characters; ``lines``: tab and newline are part of the text."""

    limit: int
    lines: bool = False


_LINE, _NAME, _CODE, _NOTE = TextRule(100), TextRule(40), TextRule(40), TextRule(500, True)

#: Free-text fields by path (a list index left out: ``lines.2.description`` is
#: ``lines.description``); a path not here is named by its longest tail that is.
RULES: dict[str, TextRule] = {
    # The intake document (repairdesk/tickets/intake.py)
    "customer.name": _LINE,
    "customer.phone": _CODE,
    "device.imei": _CODE,
    "device.imei2": _CODE,
    "device.serial": _CODE,
    "device.brand": _CODE,
    "device.model": TextRule(60),
    "device.colour": _CODE,
    "device.network_label": _CODE,
    "device.invoice_no": _CODE,
    "device.seller": _LINE,
    "condition.notes": TextRule(1000, True),
    "description": TextRule(2000, True),
    "passcode_value": TextRule(64),
    "technician": _NAME,
    "ref": TextRule(64),
    # The ticket after intake: a move's note, the repair record, the checklist
    "note": _NOTE,
    "cause": TextRule(1000, True),
    "action": TextRule(1000, True),
    "notes": TextRule(1000, True),
    "voucher_imei": _CODE,
    # Money and stock: quotes, payments, parts, loaners
    "lines.description": TextRule(200),
    "reason": TextRule(200),
    "loaner.model": TextRule(60),
    "loaner.condition": TextRule(200),
    # People and the counter
    "user.name": _NAME,
    "name": _LINE,
    "address": TextRule(200),
    "phone": _CODE,
}

#: Lists of codes: how many items a document may give (a 100,000-item fault list is not a
#: phone's faults). Each item is checked against its vocabulary where the list is read.
COUNTS: dict[str, int] = {"faults": 20, "accessories": 20, "condition.marks": 20}

# Embedding, override and isolate controls: they reorder what a reader sees.
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Characters that take no room and draw nothing, beyond spaces and format characters: the
#: Hangul fillers and the blank braille pattern, which pass for letters.
BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_BLANK_OR_SPACE = BLANKS | {" "}
_INDEX = re.compile(r"\.\d+(?=\.|$)")


@cache
def rule_or_none(path: str) -> TextRule | None:
    """The rule of a field path (``lines.2.description``), None for a field that is not
    free text (a date, an amount)."""
    parts = _INDEX.sub("", path).split(".")
    for start in range(len(parts)):
        found = RULES.get(".".join(parts[start:]))
        if found is not None:
            return found
    return None


def rule_for(path: str) -> TextRule:
    """The rule of a free-text field; KeyError for a path no rule covers, which is a
    mistake in the code, not in the input."""
    found = rule_or_none(path)
    if found is None:
        raise KeyError(path)
    return found


def _code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def refusal(text: str, rule: TextRule) -> str | None:
    """Why ``text`` cannot be stored under ``rule`` (the reason, translated), or None."""
    if len(text) > rule.limit:
        return _("input.too_long", length=len(text), limit=rule.limit)
    if text.isprintable():  # the common case, in C: no control, format or separator
        return _("input.invisible") if text and _BLANK_OR_SPACE.issuperset(text) else None
    visible = False
    for char in text:
        kind = unicodedata.category(char)
        if kind == "Cc" and not (rule.lines and char in "\t\n"):
            return _("input.control", char=_code_point(char))
        if char in BIDI:
            return _("input.bidi", char=_code_point(char))
        if kind == "Cs":
            return _("input.not_text", char=_code_point(char))
        visible = visible or not (kind in ("Cc", "Cf", "Zs", "Zl", "Zp") or char in BLANKS)
    if not visible:
        return _("input.invisible")
    return None


def check_text(path: str, value: str, *, rule: str | None = None) -> str:
    """``value`` as it is stored (surrounding spaces taken off; a multi-line note's CRLF as
    newlines), or InputError naming ``path``. ``rule``: another field's rule, where the
    path alone is ambiguous (a user's name is ``name`` to the reader)."""
    found = rule_for(rule or path)
    text = value.replace("\r\n", "\n") if found.lines else value
    text = text.strip()
    reason = refusal(text, found)
    if reason is not None:
        raise InputError(path, reason)
    return text


def check_optional(path: str, value: str | None, *, rule: str | None = None) -> str | None:
    """:func:`check_text` of a field that may be left out (None stays None)."""
    return None if value is None else check_text(path, value, rule=rule)


def check_count(path: str, items: Sized) -> None:
    """A list of codes no longer than its field allows (checked before its items are)."""
    limit = COUNTS[path]
    if len(items) > limit:
        raise InputError(path, _("input.too_many", count=len(items), limit=limit))
