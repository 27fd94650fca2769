"""How a message names a field and a coded value: by the label the reader sees on the
screens, in their language (``field.<path>`` in the catalogs), never by its code.

One place for both, so that the CLI, the screens and every check word them alike.
"""

from __future__ import annotations

from collections.abc import Iterable

from repairdesk.i18n import _, catalog, get_language

# The catalog prefix of each coded field's value names ("proof": "imei_date" reads
# "production date only"). Keys are the last named part of a field's path.
VALUE_NAMES = {
    "proof": "code.proof_",
    "channel": "code.channel_",
    "liquid_indicator": "code.liquid_",
    "passcode": "code.passcode_",
    "accessories": "accessory.",
    "marks": "mark.",
    "deposit_method": "money.method_",
    "method": "money.method_",
    "faults": "fault.",
    "fault": "fault.",
    "fault_code": "fault.",
    "delay_cause": "tui.delay_",
    "delay": "tui.delay_",
    "status": "status.",
    "part": "part.",
    "results": "checklist.result.",
    "exclusions": "exclusion.",
}


def _known(key: str, lang: str) -> bool:
    return key in catalog(lang) or key in catalog("en")


def _named_parts(code: str) -> tuple[list[str], int | None]:
    """The path's named parts and the (last) list index in it, counted from 1."""
    parts, index = [], None
    for part in code.split("."):
        if part.isdigit():
            index = int(part) + 1
        elif part:
            parts.append(part)
    return parts, index


def has_label(code: str, lang: str | None = None) -> bool:
    parts, _index = _named_parts(code)
    lang = lang or get_language()
    return any(_known(f"field.{'.'.join(parts[i:])}", lang) for i in range(len(parts)))


def label(code: str, lang: str | None = None) -> str:
    """The label of a field path (``device.sale_date``: "Sale date"/"购买日期"); a list item
    says which (``faults.1``: "Faults (item 2)"). Anything that is not a field code (an
    option the user typed, a file name) is returned as it is."""
    lang = lang or get_language()
    parts, index = _named_parts(code)
    # The longest known tail, else the longest known head ("results.bench.x": "Results").
    tails = [parts[start:] for start in range(len(parts))]
    heads = [parts[:end] for end in range(len(parts) - 1, 0, -1)]
    for named in (*tails, *heads):
        key = f"field.{'.'.join(named)}"
        if _known(key, lang):
            text = _(key, lang=lang)
            return _("field.item", lang=lang, label=text, number=index) if index else text
    return code


def value_name(code: str, value: object, lang: str | None = None) -> str:
    """The name of a coded value of a field (``device.proof``, ``imei_date``); the value
    itself, quoted, when it is not one of the field's codes (it is what the user typed)."""
    parts, _index = _named_parts(code)
    prefix = next((VALUE_NAMES[p] for p in reversed(parts) if p in VALUE_NAMES), None)
    key = f"{prefix}{value}" if prefix else ""
    if key and _known(key, lang or get_language()):
        return _(key, lang=lang)
    return f"“{value}”"


def value_names(code: str, values: Iterable[object], lang: str | None = None) -> str:
    """The names of a field's allowed codes, for "is not one of: …"."""
    return _("field.list_separator", lang=lang).join(
        value_name(code, v, lang) for v in values
    )
