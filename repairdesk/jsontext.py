"""The one reader of a JSON document a person hands in (an intake, a checklist, a quote, a
claim): within sane bounds of nesting and number size, or InputError naming the document
(CLI exit 2), never a RecursionError or Python's 4,300-digit limit as "something went
wrong"."""

from __future__ import annotations

import json
from typing import Any

from repairdesk.errors import InputError
from repairdesk.i18n import _

#: No document of ours nests deeper than a few levels (a quote's lines in a list in an
#: object): 32 leaves room for what a script wraps around it.
MAX_DEPTH = 32
#: Characters of one number literal: a price to the fen, a count, a year, with room over.
MAX_NUMBER = 40


def _number(kind: type[int] | type[float]) -> Any:
    def parse(literal: str) -> int | float:
        if len(literal) > MAX_NUMBER:
            raise _TooLong(len(literal))
        return kind(literal)

    return parse


class _TooLong(Exception):
    def __init__(self, length: int) -> None:
        super().__init__(length)
        self.length = length


def depth(data: Any) -> int:
    """How deep lists and objects nest in ``data`` (a number or a string: 0)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if isinstance(value, (dict, list)):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in children
                         if isinstance(child, (dict, list)))
    return deepest


def read_json(text: str | bytes, field: str = "json") -> Any:
    """The value of a JSON document; InputError (``field``) for one that is not JSON, nests
    deeper than MAX_DEPTH or holds a number longer than MAX_NUMBER characters."""
    try:
        data = json.loads(text, parse_int=_number(int), parse_float=_number(float))
    except _TooLong as exc:
        raise InputError(field, _("input.number_too_long", length=exc.length,
                                  limit=MAX_NUMBER)) from None
    except RecursionError:
        raise InputError(field, _("input.too_deep", limit=MAX_DEPTH)) from None
    except ValueError as exc:  # JSONDecodeError, and bytes that are not UTF-8
        raise InputError(field, _("core.bad_json", error=str(exc))) from exc
    if depth(data) > MAX_DEPTH:
        raise InputError(field, _("input.too_deep", limit=MAX_DEPTH))
    return data
