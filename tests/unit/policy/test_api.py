"""The package's small API, the JSON contract through check_claim, and the catalogs."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from repairdesk import i18n, policy
from repairdesk.errors import InputError
from repairdesk.policy import check_claim
from tests.unit.policy.conftest import DATA, EXAMPLE, claim_data

LOCALES = Path(policy.__file__).resolve().parents[1] / "locales"


def test_public_api() -> None:
    for name in (
        "check_claim",
        "decide",
        "parse_claim",
        "load_rules",
        "load_calendar",
        "legal_deadlines",
        "Claim",
        "Decision",
    ):
        assert name in policy.__all__ and hasattr(policy, name)


def test_check_claim_gives_the_issue_example_as_json() -> None:
    decision = json.loads(json.dumps(check_claim(EXAMPLE)))
    assert decision["remedies"] == ["exchange", "free_repair", "refund_depreciated"]
    assert decision["amounts"] == {"refund_depreciated": 2849.05}
    assert decision["articles"] == ["第十二条", "第十九条"]
    assert '"refund_depreciated": 2849.05' in json.dumps(decision)


def test_reasons_follow_the_ui_language() -> None:
    english = check_claim(EXAMPLE)
    i18n.set_language("zh")
    chinese = check_claim(EXAMPLE)
    assert [r["code"] for r in english["reasons"]] == [r["code"] for r in chinese["reasons"]]
    assert {k: v for k, v in english.items() if k != "reasons"} == {
        k: v for k, v in chinese.items() if k != "reasons"
    }
    texts = {r["code"]: r["text"] for r in chinese["reasons"]}
    assert "换货" in texts["exchange_window"] and "第十二条" in texts["exchange_window"]
    assert "Day 10" in {r["code"]: r["text"] for r in english["reasons"]}["exchange_window"]


def test_check_claim_with_a_vendor_policy() -> None:
    data = claim_data(part="data_cable", fault="other")
    assert check_claim(data)["remedies"] == ["not_covered"]
    assert check_claim(data, policy_path=DATA / "vendor-example.toml")["remedies"] == ["exchange"]
    text = (DATA / "vendor-example.toml").read_text(encoding="utf-8")
    assert check_claim(data, policy=text) == check_claim(
        data, policy_path=DATA / "vendor-example.toml")


def test_a_policy_text_that_is_not_toml_or_narrows_is_refused() -> None:
    data = claim_data(part="data_cable", fault="other")
    with pytest.raises(InputError, match="vendor-policy.toml"):
        check_claim(data, policy='[policy\nname = "x"')
    with pytest.raises(InputError) as caught:
        check_claim(data, policy='[policy]\nname = "x"\nreference = "y"\n'
                                 '[settings]\nrefund_window_days = 3\n')
    assert caught.value.field == "settings.refund_window_days"


def test_check_claim_raises_input_error() -> None:
    with pytest.raises(InputError) as caught:
        check_claim(claim_data(fault="broken"))
    assert caught.value.field == "fault"


def _keys(lang: str) -> set[str]:
    with (LOCALES / lang / "policy.toml").open("rb") as fh:
        table = tomllib.load(fh)
    # Flat (quoted) keys; a table is a message's plural forms (repairdesk.i18n).
    assert all(isinstance(v, str) or set(v) <= {"one", "other", "by"} for v in table.values()), \
        "keys must be flat (quoted)"
    return set(table)


def test_catalogs_have_the_same_keys() -> None:
    assert _keys("en") == _keys("zh")


def test_every_reason_code_of_the_engine_has_a_message() -> None:
    """The reason keys the engine can use, read from its source, exist in both catalogs."""
    import re

    source = "\n".join(
        p.read_text(encoding="utf-8") for p in (Path(policy.__file__).parent).glob("*.py")
    )
    used = set(re.findall(r'(?:note|grant)\(\s*"([a-z_]+)"', source))
    used |= set(re.findall(r'key\s*=\s*"([a-z_]+)"', source))
    used |= {f"{d}_delay" for d in ("repairer", "parts")}  # built as f"{delay}_delay"
    used |= set(re.findall(r'"(accessory_refund_[a-z_]+|two_repairs_[a-z_]+)"', source))
    used.discard("accessory_refund")  # always worded by key=accessory_refund_with_host/alone
    keys = _keys("en")
    assert len(used) > 20, "the patterns found too little"
    assert {f"reason.{code}" for code in used} <= keys
