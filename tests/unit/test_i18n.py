"""One translation function; Simplified Chinese and English both complete."""

from __future__ import annotations

import re
import string
from pathlib import Path

from repairdesk.i18n import LANGUAGES, _, catalog, detect_language
from repairdesk.tickets.codes import ACCESSORIES, MARKS
from repairdesk.tickets.workflow import STATUSES
from repairdesk.vocabulary import vocabulary

ROOT = Path(__file__).resolve().parents[2]
KEY_LITERAL = re.compile(r"""\b_\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")
KEY_PREFIX = re.compile(r"""\b_\(\s*f["']([a-z_]+(?:\.[a-z0-9_]+)*\.)\{""")


def _fields(text: str | dict[str, str]) -> set[str]:
    forms = [v for k, v in text.items() if k != "by"] if isinstance(text, dict) else [text]
    found = [{name for _, name, _, _ in string.Formatter().parse(form) if name}
             for form in forms]
    assert all(f == found[0] for f in found), text  # every plural form fills the same values
    return found[0]


def test_every_language_has_every_key_with_the_same_placeholders() -> None:
    en, zh = catalog("en"), catalog("zh")
    assert set(en) == set(zh), set(en) ^ set(zh)
    for key, text in en.items():
        assert _fields(text) == _fields(zh[key]), key
        if isinstance(text, dict):  # English needs both forms, Chinese has only "other"
            # The form is chosen by "count", or by the value the table names with "by".
            assert set(text) - {"by"} == {"one", "other"}, key
            assert text.get("by", "count") in _fields(text), key
        assert isinstance(zh[key], dict) or zh[key].strip(), key


def test_plural_forms_follow_the_count() -> None:
    assert _("tui.lookup_found", lang="en", count=1) == "1 ticket"
    assert _("tui.lookup_found", lang="en", count=2) == "2 tickets"
    assert _("tui.lookup_found", lang="en", count=0) == "0 tickets"
    assert _("tui.lookup_found", lang="zh", count=1) == _("tui.lookup_found", lang="zh", count=3).replace("3", "1")


def test_every_key_used_in_the_code_exists() -> None:
    sources = [*ROOT.joinpath("repairdesk").rglob("*.py"), *ROOT.joinpath("screens").rglob("*.py")]
    used = {key for path in sources for key in KEY_LITERAL.findall(path.read_text("utf-8"))}
    prefixes = {p for path in sources for p in KEY_PREFIX.findall(path.read_text("utf-8"))}
    assert len(used) > 50
    for lang in LANGUAGES:
        missing = sorted(used - set(catalog(lang)))
        assert not missing, (lang, missing)
        for prefix in prefixes:
            assert any(k.startswith(prefix) for k in catalog(lang)), (lang, prefix)


def test_every_code_has_a_name_in_both_languages() -> None:
    keys = (
        [f"status.{s}" for s in STATUSES]
        + [f"fault.{f}" for f in vocabulary().faults]
        + [f"part.{p}" for p in vocabulary().parts]
        + [f"exclusion.{e}" for e in vocabulary().exclusions]
        + [f"accessory.{a}" for a in ACCESSORIES]
        + [f"mark.{m}" for m in MARKS]
    )
    for lang in LANGUAGES:
        for key in keys:
            assert key in catalog(lang), (lang, key)
    assert _("fault.display", lang="zh").startswith("屏幕无显示")
    assert _("status.awaiting_parts", lang="zh") == "待料"


def test_language_choice_order(monkeypatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert detect_language() == "zh"
    assert detect_language(configured="en") == "en"
    assert detect_language("zh-CN", configured="en") == "zh"
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert detect_language() == "en"


def test_a_plural_table_may_be_chosen_by_another_value() -> None:
    """"extended by 1 days" on the ticket screen: the period's days choose the form."""
    from repairdesk.i18n import _

    one = _("policy.reason.period_extended", lang="en", days=1, date="2027-01-23")
    many = _("policy.reason.period_extended", lang="en", days=5, date="2027-01-23")
    assert "by the 1 day spent" in one and "by the 5 days spent" in many
    assert "1天" in _("policy.reason.period_extended", lang="zh", days=1, date="2027-01-23")
