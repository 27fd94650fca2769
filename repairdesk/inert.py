"""Stored text made harmless for a terminal: the one function every place that shows a
customer's name, a note or a model to a person goes through (the CLI's console and JSON,
the counter app's screens by their line filter).

New input is refused these characters (repairdesk/freetext.py), but a store written before
that, or by sqlite3 at the counter, may hold anything: what is shown is made inert here,
whatever the store says.
"""

from __future__ import annotations

import re

from repairdesk.freetext import BIDI

# C0 but tab and newline, DEL and C1, the bidi controls, lone surrogates.
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{''.join(sorted(BIDI))}\ud800-\udfff]")
# The same with tab and newline: a line of a screen has neither.
_UNSAFE_IN_A_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{''.join(sorted(BIDI))}\ud800-\udfff]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str) -> str:
    """``text`` with every character a terminal would act on written as its escape
    (``\\x1b``, ``\\u202e``); tab and newline kept."""
    return text if text.isprintable() else _UNSAFE.sub(_escaped, text)


def json_inert(text: str) -> str:
    """JSON text with the same characters as JSON escapes (``\\u001b``): the same JSON
    value, and nothing for the terminal it is printed on to act on (json.dumps escapes C0
    itself, not C1 nor the bidi controls)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def removed(text: str) -> str:
    """``text`` without those characters, tab and newline included: for a line already laid
    out, where each of them took no cell (the screens' line filter)."""
    return text if text.isprintable() else _UNSAFE_IN_A_LINE.sub("", text)
