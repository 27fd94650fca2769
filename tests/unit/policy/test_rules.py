"""The rules are data; a vendor policy may extend them and is refused when it narrows them."""

from __future__ import annotations

import ast
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from repairdesk import i18n
from repairdesk.errors import InputError
from repairdesk.policy import Rules, load_rules
from repairdesk.policy.rules import ARTICLE_KEYS
from repairdesk.vocabulary import vocabulary
from tests.unit.policy.conftest import DATA

ROOT = DATA.parents[1]


def test_shipped_rules(rules: Rules) -> None:
    s = rules.settings
    assert s.depreciation_daily_rate == Decimal("0.005")
    assert (s.refund_window_days, s.exchange_window_days, s.loaner_after_days) == (7, 15, 7)
    assert (s.repairer_delay_days, s.parts_delay_days, s.remote_return_days) == (30, 60, 7)
    assert (s.two_repairs_count, s.exchange_restarts_period) == ("any", True)
    assert (s.production_start_offset_days, s.battery_capacity_threshold_percent) == (90, 80)
    months = {code: part.period_months for code, part in rules.parts.items()}
    assert months == {
        "host": 12,
        "battery": 6,
        "charger": 12,
        "headset": 3,
        "data_if_card": 12,
        "terminal_card": 12,
        "data_cable": None,
        "sim_card": None,
    }
    assert not rules.parts["data_cable"].covered and not rules.parts["sim_card"].covered
    assert rules.parts["host"].faults == {f.code for f in vocabulary().performance_faults("host")}
    assert "network" not in rules.parts["host"].faults
    assert set(rules.articles) == set(ARTICLE_KEYS)
    assert rules.vendor is None


def test_every_part_of_the_vocabulary_has_a_rule(rules: Rules) -> None:
    assert set(rules.parts) == set(vocabulary().parts)


def _code_strings(tree: ast.AST) -> list[str]:
    """String constants of a module, docstrings left out (they may name articles)."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_article_and_no_clock_in_the_engine_code() -> None:
    """Articles are uncertain (docs/domain/sanbao.md marks some (?)): they must be data, never code."""
    for path in (ROOT / "repairdesk" / "policy").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for literal in _code_strings(ast.parse(text)):
            assert "第" not in literal and "附录" not in literal and "法" not in literal, path
        assert "today()" not in text and ".now(" not in text, path


def test_rules_are_read_only(rules: Rules) -> None:
    with pytest.raises(TypeError):
        rules.parts["data_cable"] = rules.parts["host"]  # type: ignore[index]


def test_vendor_example_extends(rules: Rules) -> None:
    vendor = load_rules(DATA / "vendor-example.toml")
    cable = vendor.parts["data_cable"]
    assert (cable.covered, cable.period_months, cable.faults) == (True, 6, {"other"})
    assert vendor.vendor is not None and cable.vendor == vendor.vendor.reference
    assert cable.regulation == rules.parts["data_cable"]
    assert vendor.parts["host"] == rules.parts["host"]
    assert vendor.settings == rules.settings


def _policy(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "vendor.toml"
    path.write_text('[policy]\nname = "Test vendor"\n' + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "body",
    [
        "[parts.host]\nperiod_months = 24\n",
        '[parts.sim_card]\ncovered = true\nperiod_months = 1\nfaults = ["sim_data"]\n',
        '[parts.host]\nfaults = ["network"]\n',
        "[settings]\nrefund_window_days = 14\nexchange_window_days = 30\n",
        "[settings]\nloaner_after_days = 3\nrepairer_delay_days = 20\nparts_delay_days = 30\n",
        '[settings]\ndepreciation_daily_rate = "0.003"\n',
        "[settings]\nbattery_capacity_threshold_percent = 85\n",
        "[settings]\ndeliberate_delay_warn_day = 10\n",
        "[settings]\nrepairs_before_exchange = 1\naccessory_exchanges_before_refund = 1\n",
        '[settings]\ntwo_repairs_count = "any"\nexchange_restarts_period = true\n',
        "[settings]\nproduction_start_offset_days = 120\n",
        "[parts.host]\nperiod_months = 12\n",  # equal is not narrower
    ],
)
def test_vendor_may_extend(tmp_path: Path, body: str) -> None:
    load_rules(_policy(tmp_path, body))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("[parts.host]\nperiod_months = 6\n", "parts.host.period_months"),
        ("[parts.battery]\ncovered = false\n", "parts.battery.covered"),
        ("[settings]\nrefund_window_days = 3\n", "settings.refund_window_days"),
        ("[settings]\nexchange_window_days = 10\n", "settings.exchange_window_days"),
        ("[settings]\nloaner_after_days = 10\n", "settings.loaner_after_days"),
        ("[settings]\nrepairer_delay_days = 45\n", "settings.repairer_delay_days"),
        ("[settings]\nparts_delay_days = 90\n", "settings.parts_delay_days"),
        ("[settings]\nremote_return_days = 3\n", "settings.remote_return_days"),
        ('[settings]\ndepreciation_daily_rate = "0.01"\n', "settings.depreciation_daily_rate"),
        ('[settings]\ntwo_repairs_count = "same_fault"\n', "settings.two_repairs_count"),
        ("[settings]\nexchange_restarts_period = false\n", "settings.exchange_restarts_period"),
        ("[settings]\nrepairs_before_exchange = 3\n", "settings.repairs_before_exchange"),
        (
            "[settings]\nproduction_start_offset_days = 30\n",
            "settings.production_start_offset_days",
        ),
        (
            "[settings]\nbattery_capacity_threshold_percent = 60\n",
            "settings.battery_capacity_threshold_percent",
        ),
    ],
)
def test_vendor_may_not_narrow(tmp_path: Path, body: str, field: str) -> None:
    with pytest.raises(InputError) as caught:
        load_rules(_policy(tmp_path, body))
    assert caught.value.field == field
    assert "vendor.toml" in caught.value.reason and "narrower" in caught.value.reason


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('[articles]\nrefund_window = "第一条"\n', "articles"),
        ("[parts.phone]\nperiod_months = 12\n", "parts.phone"),
        ('[parts.host]\nkind = "accessory"\n', "parts.host.kind"),
        ('[parts.host]\nperiod_months = "one year"\n', "parts.host.period_months"),
        ("[parts.data_cable]\ncovered = true\n", "parts.data_cable.period_months"),
        (
            '[parts.data_cable]\ncovered = true\nperiod_months = 6\nfaults = ["frayed"]\n',
            "parts.data_cable.faults",
        ),
        ("[settings]\nrefund_days = 10\n", "settings.refund_days"),
        ('[settings]\ntwo_repairs_count = "all"\n', "settings.two_repairs_count"),
        ("[settings]\nexchange_window_days = -1\n", "settings.exchange_window_days"),
        ('[settings]\ndepreciation_daily_rate = "half"\n', "settings.depreciation_daily_rate"),
    ],
)
def test_vendor_policy_errors_name_the_key(tmp_path: Path, body: str, field: str) -> None:
    with pytest.raises(InputError) as caught:
        load_rules(_policy(tmp_path, body))
    assert caught.value.field == field


def test_vendor_policy_needs_a_name(tmp_path: Path) -> None:
    path = tmp_path / "anon.toml"
    path.write_text("[parts.host]\nperiod_months = 24\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rules(path)
    assert caught.value.field == "policy"


def test_unreadable_policy(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[policy\n", encoding="utf-8")
    for path in (broken, tmp_path / "missing.toml"):
        with pytest.raises(InputError) as caught:
            load_rules(path)
        assert caught.value.field == str(path)


def test_narrowing_error_is_translated(tmp_path: Path) -> None:
    i18n.set_language("zh")
    with pytest.raises(InputError) as caught:
        load_rules(_policy(tmp_path, "[parts.host]\nperiod_months = 6\n"))
    assert "更窄" in caught.value.reason


def test_an_edited_policy_is_reloaded(tmp_path: Path) -> None:
    path = _policy(tmp_path, "[parts.host]\nperiod_months = 24\n")
    assert load_rules(path).parts["host"].period_months == 24
    path.write_text('[policy]\nname = "T"\n[parts.host]\nperiod_months = 36\n', encoding="utf-8")
    import os

    os.utime(path, ns=(1, 1))  # a different mtime whatever the file system's resolution
    assert load_rules(path).parts["host"].period_months == 36


def test_rules_file_errors(tmp_path: Path) -> None:
    raw = (DATA / "rules.toml").read_text(encoding="utf-8")
    path = tmp_path / "rules.toml"
    path.write_text(raw.replace('exclusion = ""', ""), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rules(rules_path=path)
    assert caught.value.field == "articles.exclusion"


def test_rules_toml_marks_the_uncertain_articles() -> None:
    """The (?) articles of docs/domain/sanbao.md carry a (?) comment in the data, so a counter finds them."""
    lines = (DATA / "rules.toml").read_text(encoding="utf-8").splitlines()
    articles = tomllib.loads((DATA / "rules.toml").read_text(encoding="utf-8"))["articles"]
    for key in ("period", "lost_proof", "free_repair", "accessory"):
        line = next(x for x in lines if x.startswith(f"{key} ="))
        assert "(?)" in line and articles[key] in line
