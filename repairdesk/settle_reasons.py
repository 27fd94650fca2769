"""Why a claim line was rejected, held, flagged or cut, in words: one rendering of a check
(``{code, outcome, params}``, repairdesk/hq/settle_checks.py) for HQ's screens, the
statements and the counter's settlement screen alike (catalogs ``locales/*/settlecheck.toml``).

A utility (no store): the counter renders the checks its packs brought with it too.
"""

from __future__ import annotations

from typing import Any

from repairdesk.i18n import _


def reason(check: dict[str, Any], lang: str | None = None) -> str:
    """``check``'s reason in the current (or given) language. A check stored by an older HQ
    that lacks a parameter its message names shows its code rather than failing."""
    params = {k: _text(v) for k, v in dict(check.get("params") or {}).items()}
    code = str(check.get("code") or "")
    try:
        return _(f"settlecheck.{code}", lang=lang, **params)
    except (KeyError, IndexError, ValueError):
        return code


def _text(value: Any) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if value is None:
        return "-"
    return value
