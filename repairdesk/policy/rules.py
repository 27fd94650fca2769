"""The 三包 rules as data: ``data/sanbao/rules.toml``, optionally extended by a vendor policy.

The regulation is a floor (第四条): a vendor may promise more, never less. So a vendor policy
is merged key by key, and every key knows which direction is "more" for the customer; a value
in the other direction is refused, naming the key, rather than silently applied.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from repairdesk.errors import InputError
from repairdesk.i18n import _
from repairdesk.paths import data_dir
from repairdesk.vocabulary import vocabulary

__all__ = ["ARTICLE_KEYS", "PartRule", "Rules", "Settings", "VendorPolicy", "load_rules"]

HOST = "host"
ACCESSORY = "accessory"
TWO_REPAIRS_COUNTS = ("same_fault", "any")  # narrow to broad

#: Every rule the engine may cite; rules.toml must give each one (possibly empty).
ARTICLE_KEYS = (
    "period",
    "period_last_day",
    "lost_proof",
    "free_repair",
    "refund_window",
    "exchange_window",
    "two_repairs",
    "accessory",
    "loaner",
    "parts_delay",
    "repairer_delay",
    "exchange_impossible",
    "refund_depreciated",
    "fault_table",
    "exclusion",
    "remote_sale",
    "costs",
    "deliberate_delay",
)


# How a vendor policy may change a setting (metadata "broader"): "higher"/"lower" is what is
# better for the customer, a tuple ranks the choices narrow to broad, "any" is a counter
# setting with no effect on rights.
_HIGHER: dict[str, object] = {"broader": "higher"}
_LOWER: dict[str, object] = {"broader": "lower"}
_ANY: dict[str, object] = {"broader": "any"}


@dataclass(frozen=True)
class Settings:
    refund_window_days: int = field(metadata=_HIGHER)
    exchange_window_days: int = field(metadata=_HIGHER)
    loaner_after_days: int = field(metadata=_LOWER)
    repairer_delay_days: int = field(metadata=_LOWER)
    parts_delay_days: int = field(metadata=_LOWER)
    remote_return_days: int = field(metadata=_HIGHER)
    deliberate_delay_days: int = field(metadata=_LOWER)
    deliberate_delay_warn_day: int = field(metadata=_ANY)
    repairs_before_exchange: int = field(metadata=_LOWER)
    accessory_exchanges_before_refund: int = field(metadata=_LOWER)
    depreciation_daily_rate: Decimal = field(metadata=_LOWER)
    two_repairs_count: str = field(metadata={"broader": TWO_REPAIRS_COUNTS})
    exchange_restarts_period: bool = field(metadata=_HIGHER)
    production_start_offset_days: int = field(metadata=_HIGHER)
    battery_capacity_threshold_percent: int = field(metadata=_HIGHER)


@dataclass(frozen=True)
class PartRule:
    code: str
    kind: str  # host | accessory
    covered: bool
    period_months: int | None
    faults: frozenset[str]  # the faults that open the remedies (附录3, plus a vendor's)
    article: str = ""  # cited when the part is not covered
    vendor: str | None = None  # the vendor reference, when a vendor policy extended this part
    #: The regulation's own rule for this part when a vendor policy changed it, so that a
    #: decision can tell whether the regulation or the vendor's promise decided it.
    regulation: PartRule | None = None


@dataclass(frozen=True)
class VendorPolicy:
    name: str
    reference: str


@dataclass(frozen=True)
class Rules:
    settings: Settings
    parts: Mapping[str, PartRule]
    articles: Mapping[str, str]
    vendor: VendorPolicy | None = None

    def article(self, rule: str) -> str:
        return self.articles[rule]


def load_rules(policy_path: Path | None = None, *, rules_path: Path | None = None) -> Rules:
    """The rules of ``rules_path`` (default: shipped), extended by the vendor ``policy_path``.

    Raises :class:`InputError` naming the key when a file is unreadable, malformed, or when
    the vendor policy would narrow the rules.
    """
    rules_path = rules_path or data_dir() / "sanbao" / "rules.toml"
    return _load_cached(rules_path, _mtime(rules_path), policy_path, _mtime(policy_path))


def load_rules_with(policy: str | None) -> Rules:
    """The shipped rules extended by the vendor policy ``policy`` (TOML text, as an HQ pack
    stores it), so that a rule checked inside a transaction uses the policy that transaction
    sees. Raises :class:`InputError` as :func:`load_rules` does."""
    rules_path = data_dir() / "sanbao" / "rules.toml"
    return _with_text(rules_path, _mtime(rules_path), policy)


@cache
def _with_text(rules_path: Path, rules_mtime: int | None, policy: str | None) -> Rules:
    base = _load_cached(rules_path, rules_mtime, None, None)
    if policy is None:
        return base
    name = Path("vendor-policy.toml")  # how messages name a policy that came in a pack
    try:
        table = tomllib.loads(policy)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(name.name, _("policy.error.unreadable", error=exc)) from exc
    return _extend(base, name, table)


def _mtime(path: Path | None) -> int | None:
    # Part of the cache key, so that an edited policy is seen without a restart.
    try:
        return path.stat().st_mtime_ns if path else None
    except OSError:
        return None


@cache
def _load_cached(
    rules_path: Path, _rules_mtime: int | None, policy_path: Path | None, _policy_mtime: int | None
) -> Rules:
    rules = _parse_rules(rules_path, _read(rules_path))
    if policy_path is not None:
        rules = _extend(rules, policy_path, _read(policy_path))
    return rules


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(str(path), _("policy.error.unreadable", error=exc)) from exc


def _fail(path: Path, key: str, message_key: str, **values: object) -> InputError:
    return InputError(
        key, _("policy.error.in_file", file=path.name, message=_(message_key, lang=None, **values))
    )


def _check_keys(path: Path, prefix: str, table: Any, allowed: set[str], required: set[str]) -> None:
    """``table`` is a TOML table with only ``allowed`` keys and all ``required`` ones; a key
    is named by its dotted path in the file (``prefix`` "" for the top level)."""
    if not isinstance(table, dict):
        raise _fail(path, prefix, "policy.error.not_a_table")
    for key in table:
        if key not in allowed:
            raise _fail(path, f"{prefix}.{key}".lstrip("."), "policy.error.unknown_field", name=key)
    for key in sorted(required - set(table)):
        raise _fail(path, f"{prefix}.{key}".lstrip("."), "policy.error.missing")


def _convert_setting(path: Path, name: str, raw: object, broader: object) -> object:
    key = f"settings.{name}"
    if isinstance(broader, tuple):
        if raw not in broader:
            raise _fail(
                path, key, "policy.error.unknown_code", value=raw, choices=", ".join(broader)
            )
        return raw
    if name == "depreciation_daily_rate":
        try:
            rate = Decimal(str(raw)) if not isinstance(raw, bool) else None
        except InvalidOperation:
            rate = None
        if rate is None or not rate.is_finite() or rate < 0:
            raise _fail(path, key, "policy.error.not_a_number")
        return rate
    if name == "exchange_restarts_period":
        if not isinstance(raw, bool):
            raise _fail(path, key, "policy.error.not_a_bool")
        return raw
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
        raise _fail(path, key, "policy.error.not_a_count")
    return raw


def _parse_settings(path: Path, table: Any, *, partial: bool) -> dict[str, object]:
    meta = {f.name: f.metadata["broader"] for f in fields(Settings)}
    _check_keys(path, "settings", table, set(meta), set() if partial else set(meta))
    return {name: _convert_setting(path, name, raw, meta[name]) for name, raw in table.items()}


def _parse_months(path: Path, key: str, raw: object) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool) or raw <= 0:
        raise _fail(path, key, "policy.error.not_a_count")
    return raw


def _parse_rules(path: Path, raw: dict[str, Any]) -> Rules:
    sections = {"settings", "parts", "articles"}
    _check_keys(path, "", raw, sections, sections)
    settings = Settings(**_parse_settings(path, raw["settings"], partial=False))  # type: ignore[arg-type]  # each value converted to its field's type by _convert_setting
    vocab = vocabulary()
    _check_keys(path, "parts", raw["parts"], set(vocab.parts), set(vocab.parts))
    parts: dict[str, PartRule] = {}
    for code, entry in raw["parts"].items():
        prefix = f"parts.{code}"
        _check_keys(path, prefix, entry, {"kind", "covered", "period_months", "article"}, {"kind"})
        kind, covered = entry["kind"], entry.get("covered", True)
        if kind not in (HOST, ACCESSORY):
            raise _fail(
                path,
                f"{prefix}.kind",
                "policy.error.unknown_code",
                value=kind,
                choices=f"{HOST}, {ACCESSORY}",
            )
        if not isinstance(covered, bool):
            raise _fail(path, f"{prefix}.covered", "policy.error.not_a_bool")
        months = entry.get("period_months")
        if covered or months is not None:
            months = _parse_months(path, f"{prefix}.period_months", months)
        listed = frozenset(f.code for f in vocab.performance_faults(code))
        parts[code] = PartRule(code, kind, covered, months, listed, str(entry.get("article", "")))
    articles = raw["articles"]
    _check_keys(path, "articles", articles, set(ARTICLE_KEYS), set(ARTICLE_KEYS))
    for key, text in articles.items():
        if not isinstance(text, str):
            raise _fail(path, f"articles.{key}", "policy.error.not_a_string")
    return Rules(settings, MappingProxyType(parts), MappingProxyType(dict(articles)))


def _is_narrower(old: object, new: object, broader: object) -> bool:
    if broader == "any":
        return False
    if isinstance(broader, tuple):
        return broader.index(str(new)) < broader.index(str(old))
    # Counts, the Decimal rate and the one flag (a bool is an int): _convert_setting made them.
    assert isinstance(old, int | Decimal) and isinstance(new, int | Decimal)
    if broader == "higher":
        return new < old
    return new > old


def _extend(rules: Rules, path: Path, raw: dict[str, Any]) -> Rules:
    """``rules`` with the vendor policy ``raw`` applied; refuses anything that narrows them."""
    _check_keys(path, "", raw, {"policy", "settings", "parts"}, {"policy"})
    _check_keys(path, "policy", raw["policy"], {"name", "reference"}, {"name"})
    name = str(raw["policy"]["name"])
    vendor = VendorPolicy(name, str(raw["policy"].get("reference", name)))

    changes = _parse_settings(path, raw.get("settings", {}), partial=True)
    meta = {f.name: f.metadata["broader"] for f in fields(Settings)}
    for key, new in changes.items():
        old = getattr(rules.settings, key)
        if _is_narrower(old, new, meta[key]):
            raise _fail(path, f"settings.{key}", "policy.error.narrows", value=new, base=old)

    parts = dict(rules.parts)
    vocab = vocabulary()
    _check_keys(path, "parts", raw.get("parts", {}), set(parts), set())
    for code, entry in raw.get("parts", {}).items():
        prefix, base = f"parts.{code}", parts[code]
        _check_keys(path, prefix, entry, {"covered", "period_months", "faults"}, set())
        covered = entry.get("covered", base.covered)
        if not isinstance(covered, bool):
            raise _fail(path, f"{prefix}.covered", "policy.error.not_a_bool")
        if base.covered and not covered:
            raise _fail(path, f"{prefix}.covered", "policy.error.narrows", value=covered, base=True)
        months = base.period_months
        if "period_months" in entry or (covered and months is None):
            months = _parse_months(path, f"{prefix}.period_months", entry.get("period_months"))
            if base.period_months is not None and months < base.period_months:
                raise _fail(
                    path,
                    f"{prefix}.period_months",
                    "policy.error.narrows",
                    value=months,
                    base=base.period_months,
                )
        extra = entry.get("faults", [])
        if not isinstance(extra, list):
            raise _fail(path, f"{prefix}.faults", "policy.error.not_a_list")
        for fault in extra:
            if fault not in vocab.faults:
                raise _fail(
                    path,
                    f"{prefix}.faults",
                    "policy.error.unknown_code",
                    value=fault,
                    choices=", ".join(vocab.faults),
                )
        parts[code] = replace(
            base,
            covered=covered,
            period_months=months,
            faults=base.faults | frozenset(extra),
            vendor=vendor.reference,
            regulation=base.regulation or base,
        )
    return replace(
        rules,
        settings=replace(rules.settings, **changes),  # type: ignore[arg-type]  # values converted by _convert_setting
        parts=MappingProxyType(parts),
        vendor=vendor,
    )
