"""One translation function for every user-visible string.

Catalogs are TOML files under ``repairdesk/locales/<lang>/``; each file is one area of the
product (``core.toml``, ``policy.toml``, ...) so that areas can grow without touching each
other. Keys are ``<file>.<key>``; a test checks that every language has every key and that
every key used in the code exists.
"""

from __future__ import annotations

import locale
import marshal
import os
import tomllib
from functools import cache
from pathlib import Path

LANGUAGES = ("zh", "en")
_LOCALES = Path(__file__).parent / "locales"
_current = "en"


@cache
def catalog(lang: str) -> dict[str, str | dict[str, str]]:
    """All messages of one language, keyed ``<area>.<key>``."""
    messages = _locale_messages(lang)
    # Names of parts, faults and exclusions live with the rules in data/faults.toml.
    from repairdesk.vocabulary import vocabulary

    messages.update(vocabulary().names.get(lang, {}))
    return messages


def _locale_messages(lang: str) -> dict[str, str | dict[str, str]]:
    """The messages of ``locales/<lang>/*.toml``. Parsing them is a few hundredths of a
    second of every start (tomllib is pure Python): the result is kept in the user's cache
    directory, used while every file has the size and modification time it had then."""
    paths = sorted((_LOCALES / lang).glob("*.toml"))
    stamp = []
    for path in paths:
        info = path.stat()
        stamp.append((path.name, info.st_mtime_ns, info.st_size))
    kept = _cache_file(lang)
    try:
        with kept.open("rb") as fh:
            saved, messages = marshal.load(fh)
        if saved == stamp and isinstance(messages, dict):
            return messages
    except (OSError, ValueError, EOFError, TypeError):
        pass  # none yet, or unreadable: read the catalogs themselves
    messages = {}
    for path in paths:
        with path.open("rb") as fh:
            for key, text in tomllib.load(fh).items():
                messages[f"{path.stem}.{key}"] = text
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_name(f"{kept.name}.{os.getpid()}")
        partial.write_bytes(marshal.dumps((stamp, messages)))
        partial.replace(kept)
    except OSError:
        pass  # a read-only home: read the catalogs each time
    return messages


def _cache_file(lang: str) -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("repairdesk")) / f"catalog-{lang}.marshal"


def detect_language(explicit: str | None = None, configured: str | None = None) -> str:
    """``--lang`` first, then the settings file, then the system locale; English otherwise."""
    for candidate in (explicit, configured):
        if candidate:
            return normalise_language(candidate)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    system = locale.getlocale()[0] or ""
    return "zh" if system.lower().startswith("zh") else "en"


def normalise_language(lang: str) -> str:
    code = lang.strip().lower().replace("_", "-")
    if code.startswith("zh"):
        return "zh"
    if code.startswith("en"):
        return "en"
    raise ValueError(f"unsupported language: {lang!r} (choose zh or en)")


def set_language(lang: str) -> None:
    global _current
    _current = normalise_language(lang)


def get_language() -> str:
    return _current


def zh_or_en(zh: str, en: str | None) -> str:
    """A name stored in both languages (a part's), in the reader's: English falls back to the
    Chinese name when there is none."""
    return (en or zh) if _current == "en" else zh


def plural_category(lang: str, count: int) -> str:
    """The CLDR plural category of ``count``: Chinese has one form ("other"), English two."""
    if lang == "en" and abs(count) == 1:
        return "one"
    return "other"


def _(key: str, /, lang: str | None = None, **values: object) -> str:
    """The message ``key`` in the current (or given) language, with ``{name}`` values filled.

    A message that depends on a number is a table of plural forms in its catalog
    (``key = { one = "…", other = "…" }``); the form is chosen by the ``count`` value, or
    by the value the table names with ``by`` (``{ by = "days", one = "…", other = "…" }``).
    A key missing from a catalog falls back to English, then to the key itself, so a gap
    shows up as a readable key rather than a crash at the counter.
    """
    lang = lang or _current
    text: object = catalog(lang).get(key) or catalog("en").get(key) or key
    if isinstance(text, dict):
        count = values.get(str(text.get("by", "count")), 0)
        form = plural_category(lang, count if isinstance(count, int) else 0)
        text = text.get(form) or text["other"]
    assert isinstance(text, str)
    return text.format(**values) if values else text
