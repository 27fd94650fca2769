"""The 三包 decisions, rule by rule and edge by edge, written from docs/domain/sanbao.md (the
rule numbers below are that page's).

Each row is the example claim of that page ("The claim and the decision as JSON",
:data:`conftest.EXAMPLE`) with a few fields changed, and the fields of the
decision it must give. ``codes`` lists reasons that must be among the decision's reasons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from repairdesk.policy import Decision, Rules, load_rules
from tests.unit.policy.conftest import DATA, EXAMPLE

Run = Callable[..., Decision]
FULL_3 = ["refund", "exchange", "free_repair"]
EXCH_2 = ["exchange", "free_repair"]
EXCH_DEP = ["exchange", "free_repair", "refund_depreciated"]
PAID = ["paid_repair"]
LATE = {"sale_date": "2025-03-10", "claim_date": "2025-06-09"}  # day 91, period to 2026-03-10


def check(decision: Decision, expected: dict[str, Any]) -> None:
    got = decision.to_dict()
    for key, value in expected.items():
        if key == "codes":
            missing = set(value) - set(decision.codes)
            assert not missing, (missing, decision.codes)
        elif key == "no_codes":
            assert not set(value) & set(decision.codes), decision.codes
        else:
            assert got[key] == value, (key, got[key], value)


def test_the_example_of_issue_3(run: Run) -> None:
    got = run().to_dict()
    assert {k: v for k, v in got.items() if k != "reasons"} == {
        "covered": True,
        "remedies": ["exchange", "free_repair", "refund_depreciated"],
        "amounts": {"refund_depreciated": 2849.05},
        "loaner": False,
        "period_end": "2027-11-15",
        "days_since_sale": 10,
        "articles": ["第十二条", "第十九条"],
    }
    codes = [r["code"] for r in got["reasons"]]
    assert "exchange_window" in codes and "refund_depreciated" in codes
    assert "calendar_missing" in codes  # 2027 has no rest-day data yet


# --- rules 5-7, 10, 11: the day windows, in stock or not, with full proof ------------------
WINDOWS = [
    pytest.param(
        {"claim_date": "2026-11-15"},
        {
            "remedies": FULL_3,
            "amounts": {"refund": 2999.0},
            "articles": ["第十一条"],
            "days_since_sale": 0,
        },
        id="day-0",
    ),
    pytest.param(
        {"claim_date": "2026-11-22"},
        {
            "remedies": FULL_3,
            "amounts": {"refund": 2999.0},
            "articles": ["第十一条"],
            "days_since_sale": 7,
        },
        id="day-7-refund",
    ),
    pytest.param(
        {"claim_date": "2026-11-23"},
        {
            "remedies": EXCH_DEP,
            "amounts": {"refund_depreciated": 2879.04},
            "articles": ["第十二条", "第十九条"],
            "days_since_sale": 8,
        },
        id="day-8-no-refund",
    ),
    # 2999 × 0.005 × 15 = 224.925 off: 2774.075 rounds half up to the fen.
    pytest.param(
        {"claim_date": "2026-11-30"},
        {"remedies": EXCH_DEP, "amounts": {"refund_depreciated": 2774.08}, "days_since_sale": 15},
        id="day-15-exchange",
    ),
    pytest.param(
        {"claim_date": "2026-12-01"},
        {
            "remedies": ["free_repair"],
            "amounts": {},
            "articles": ["第十条"],
            "days_since_sale": 16,
            "codes": ["free_repair"],
        },
        id="day-16-repair-only",
    ),
    pytest.param(
        {"claim_date": "2026-11-25", "in_stock": False},
        {
            "remedies": FULL_3,
            "amounts": {"refund": 2999.0},
            "articles": ["第十二条", "第十八条"],
            "codes": ["exchange_impossible"],
        },
        id="no-stock-full-refund",
    ),
    pytest.param(
        {"claim_date": "2026-11-18", "in_stock": False},
        {"remedies": FULL_3, "amounts": {"refund": 2999.0}, "articles": ["第十一条", "第十八条"]},
        id="no-stock-day-3",
    ),
    pytest.param(
        {"claim_date": "2026-12-20", "in_stock": False},
        {"remedies": ["free_repair"], "amounts": {}, "no_codes": ["exchange_impossible"]},
        id="no-stock-no-exchange",
    ),
    pytest.param({"price": None}, {"remedies": EXCH_DEP, "amounts": {}}, id="no-price-no-amount"),
    pytest.param({"price": 1003}, {"amounts": {"refund_depreciated": 952.85}}, id="price-int"),
    # Depreciation from the invoice date (8 days), windows from the sale date (10 days).
    pytest.param(
        {"invoice_date": "2026-11-17"},
        {
            "remedies": EXCH_DEP,
            "days_since_sale": 10,
            "amounts": {"refund_depreciated": 2879.04},
            "period_end": "2027-11-17",
        },
        id="invoice-after-sale",
    ),
]


# --- rule 15: out of period, exclusions, proof none, faults that are not performance faults
REFUSED = [
    pytest.param(
        {"sale_date": "2025-03-10", "claim_date": "2026-03-10"},
        {
            "covered": True,
            "remedies": ["free_repair"],
            "articles": ["第十条"],
            "period_end": "2026-03-10",
        },
        id="last-day-of-period",
    ),
    pytest.param(
        {"sale_date": "2025-03-10", "claim_date": "2026-03-11"},
        {"covered": False, "remedies": PAID, "articles": ["第八条"], "codes": ["out_of_period"]},
        id="day-after-period",
    ),
    pytest.param(
        {"claim_date": "2026-11-18", "proof": "none"},
        {"covered": False, "remedies": PAID, "codes": ["no_proof"]},
        id="proof-none",
    ),
    *[
        pytest.param(
            {"claim_date": "2026-11-18", "exclusions": [code]},
            {
                "covered": False,
                "remedies": PAID,
                "amounts": {},
                "loaner": False,
                "codes": ["exclusion"],
                "articles": [],
            },
            id=f"exclusion-day-3-{code}",
        )
        for code in (
            "misuse",
            "liquid",
            "impact",
            "unauthorized_repair",
            "no_proof",
            "voucher_mismatch",
            "force_majeure",
        )
    ],
    *[
        pytest.param(
            {"claim_date": "2026-11-18", "fault": fault},
            {
                "covered": False,
                "remedies": PAID,
                "articles": ["附录3"],
                "codes": ["not_performance_fault"],
            },
            id=f"not-listed-{fault}",
        )
        for fault in ("network", "cosmetic", "other", "sim_data", "battery_fault", "headset_fault")
    ],
    pytest.param(
        {"claim_date": "2026-11-18", "exclusions": ["liquid", "impact"], "fault": "other"},
        {"remedies": PAID, "codes": ["exclusion", "not_performance_fault"]},
        id="every-reason-is-given",
    ),
    pytest.param(
        {
            "claim_date": "2026-11-18",
            "exclusions": ["liquid"],
            "open_repair": {"handed_in": "2026-11-16", "delay": "repairer"},
        },
        {"remedies": PAID, "loaner": False},
        id="no-loaner-without-cover",
    ),
]


# --- rules 1-4 and 14: the period, its extension, its last day, its start -----------------
PERIODS = [
    pytest.param(
        {
            "sale_date": "2025-03-10",
            "claim_date": "2026-03-20",
            "repairs": [
                {"fault": "display", "handed_in": "2025-05-01", "handed_back": "2025-05-11"}
            ],
        },
        {
            "covered": True,
            "period_end": "2026-03-20",
            "articles": ["第八条", "第十条"],
            "codes": ["period_extended"],
        },
        id="extended-by-repair-days",
    ),
    pytest.param(
        {
            "sale_date": "2025-03-10",
            "claim_date": "2026-03-21",
            "repairs": [
                {"fault": "display", "handed_in": "2025-05-01", "handed_back": "2025-05-11"}
            ],
        },
        {"covered": False, "remedies": PAID},
        id="extension-plus-one",
    ),
    # 2024-10-03 + 1 year = 2025-10-03, in the 国庆 holidays (10-01..10-08): ends 10-09.
    pytest.param(
        {"sale_date": "2024-10-03", "claim_date": "2025-10-09"},
        {
            "covered": True,
            "period_end": "2025-10-09",
            "articles": ["民法典第二百零三条", "第十条"],
            "codes": ["period_rest_day"],
            "no_codes": ["calendar_missing"],
        },
        id="holiday-roll-over",
    ),
    pytest.param(
        {"sale_date": "2024-10-03", "claim_date": "2025-10-03"},
        {"covered": True, "articles": ["第十条"]},
        id="holiday-nominal-day",
    ),
    pytest.param(
        {"sale_date": "2024-10-03", "claim_date": "2025-10-10"},
        {"covered": False, "remedies": PAID},
        id="holiday-roll-over-plus-one",
    ),
    pytest.param(
        {"sale_date": "2025-10-05", "claim_date": "2026-01-05"},
        {"period_end": "2026-10-08", "codes": ["period_rest_day"]},
        id="guoqing-2026",
    ),
    pytest.param(
        {"sale_date": "2024-02-29", "claim_date": "2025-02-28"},
        {"covered": True, "period_end": "2025-02-28"},
        id="leap-day-sale",
    ),
    pytest.param(
        {"sale_date": "2024-02-29", "claim_date": "2025-03-01"},
        {"covered": False},
        id="leap-day-sale-plus-one",
    ),
    # 2027 has no calendar data: 2027-11-13 is a Saturday, so weekends-only moves it to Monday.
    pytest.param(
        {"sale_date": "2026-11-13", "claim_date": "2026-12-01"},
        {"period_end": "2027-11-15", "codes": ["calendar_missing", "period_rest_day"]},
        id="year-without-calendar",
    ),
    pytest.param(
        {
            "proof": "imei_date",
            "sale_date": None,
            "invoice_date": None,
            "production_date": "2025-01-10",
            "claim_date": "2026-04-10",
        },
        {
            "covered": True,
            "remedies": ["free_repair"],
            "period_end": "2026-04-10",
            "days_since_sale": None,
            "articles": ["第九条"],
            "codes": ["period_start_production", "proof_imei_date"],
        },
        id="production-date-plus-90",
    ),
    pytest.param(
        {
            "proof": "imei_date",
            "sale_date": None,
            "invoice_date": None,
            "production_date": "2025-01-10",
            "claim_date": "2026-04-11",
        },
        {"covered": False, "remedies": PAID},
        id="production-date-plus-90-plus-one",
    ),
    pytest.param(
        {"sale_date": "2024-06-01", "exchange_date": "2025-05-20", "claim_date": "2026-01-10"},
        {"covered": True, "period_end": "2026-05-20", "codes": ["period_start_exchange"]},
        id="exchange-restarts-period",
    ),
]


# --- rules 8, 9, 18, 19: two repairs, delays, loaner ----------------------------------------
def _repair(fault: str, handed_in: str, handed_back: str) -> dict[str, str]:
    return {"fault": fault, "handed_in": handed_in, "handed_back": handed_back}


TWO = [_repair("display", "2025-04-01", "2025-04-06"), _repair("audio", "2025-05-01", "2025-05-06")]
REPAIRS = [
    # 91 days from invoice, minus 10 in repair: 2999 × 0.005 × 81 = 1214.595 off -> 1784.41.
    pytest.param(
        {**LATE, "repairs": TWO},
        {
            "remedies": EXCH_DEP,
            "amounts": {"refund_depreciated": 1784.41},
            "articles": ["第十条", "第十三条", "第十九条"],
            "codes": ["two_repairs"],
        },
        id="two-repairs-any-fault",
    ),
    pytest.param({**LATE, "repairs": TWO[:1]}, {"remedies": ["free_repair"]}, id="one-repair"),
    pytest.param(
        {
            **LATE,
            "repairs": [
                _repair("cosmetic", "2025-04-01", "2025-04-06"),
                _repair("network", "2025-05-01", "2025-05-06"),
            ],
        },
        {"remedies": ["free_repair"]},
        id="two-repairs-not-listed",
    ),
    pytest.param(
        {**LATE, "exchange_date": "2025-04-20", "repairs": TWO},
        {"remedies": ["free_repair"], "period_end": "2026-04-27"},
        id="repairs-before-exchange-do-not-count",
    ),
    pytest.param(
        {**LATE, "repairs": TWO, "proof": "copy", "in_stock": False},
        {"remedies": EXCH_2, "amounts": {}},
        id="two-repairs-copy-no-refund",
    ),
    pytest.param(
        {
            **LATE,
            "claim_date": "2025-07-02",
            "open_repair": {"handed_in": "2025-06-02", "delay": "repairer"},
        },
        {"remedies": ["free_repair"], "loaner": True},
        id="repairer-30-days",
    ),
    # 115 days from invoice minus 31 open = 84: 2999 × 0.42 = 1259.58 off.
    pytest.param(
        {
            **LATE,
            "claim_date": "2025-07-03",
            "open_repair": {"handed_in": "2025-06-02", "delay": "repairer"},
        },
        {
            "remedies": EXCH_DEP,
            "loaner": True,
            "amounts": {"refund_depreciated": 1739.42},
            "articles": ["第十条", "第十七条", "第十九条", "第十五条"],
            "codes": ["repairer_delay", "loaner", "deliberate_delay"],
        },
        id="repairer-31-days",
    ),
    pytest.param(
        {
            **LATE,
            "claim_date": "2025-08-01",
            "open_repair": {"handed_in": "2025-06-02", "delay": "parts"},
        },
        {"remedies": ["free_repair"]},
        id="parts-60-days",
    ),
    pytest.param(
        {
            **LATE,
            "claim_date": "2025-08-02",
            "open_repair": {"handed_in": "2025-06-02", "delay": "parts"},
        },
        {
            "remedies": EXCH_DEP,
            "amounts": {"refund_depreciated": 1739.42},
            "codes": ["parts_delay"],
        },
        id="parts-61-days",
    ),
    pytest.param(
        {
            **LATE,
            "claim_date": "2025-07-03",
            "open_repair": {"handed_in": "2025-06-02", "delay": "parts"},
        },
        {"remedies": ["free_repair"]},
        id="parts-31-days",
    ),
    pytest.param(
        {**LATE, "claim_date": "2025-06-09", "open_repair": {"handed_in": "2025-06-02"}},
        {"loaner": False, "no_codes": ["loaner"]},
        id="loaner-day-7",
    ),
    pytest.param(
        {**LATE, "claim_date": "2025-06-10", "open_repair": {"handed_in": "2025-06-02"}},
        {"loaner": True, "articles": ["第十条", "第十五条"], "codes": ["loaner"]},
        id="loaner-day-8",
    ),
    # An open repair handed in inside the period keeps the phone in 三包 while it waits.
    pytest.param(
        {
            "sale_date": "2025-03-10",
            "claim_date": "2026-03-20",
            "open_repair": {"handed_in": "2026-03-09"},
        },
        {"covered": True, "loaner": True, "period_end": "2026-03-23"},
        id="open-repair-extends-period",
    ),
]


# --- rule 13: lost proof --------------------------------------------------------------------
PROOF = [
    pytest.param(
        {"claim_date": "2026-11-18", "proof": "copy"},
        {
            "remedies": EXCH_2,
            "amounts": {},
            "articles": ["第十一条", "第九条"],
            "codes": ["proof_copy"],
        },
        id="copy-day-3",
    ),
    pytest.param(
        {"proof": "copy"},
        {"remedies": EXCH_2, "amounts": {}, "articles": ["第十二条", "第九条"]},
        id="copy-day-10",
    ),
    pytest.param(
        {"proof": "copy", "in_stock": False},
        {"remedies": EXCH_2, "amounts": {}},
        id="copy-no-stock-no-refund",
    ),
    pytest.param(
        {"claim_date": "2026-11-18", "proof": "imei_date", "production_date": "2026-09-01"},
        {
            "remedies": ["free_repair"],
            "articles": ["第九条"],
            "period_end": "2027-11-30",
            "days_since_sale": 3,
        },
        id="imei-date-day-3",
    ),
    pytest.param(
        {
            **LATE,
            "proof": "imei_date",
            "sale_date": None,
            "invoice_date": None,
            "production_date": "2025-03-01",
            "claim_date": "2025-07-03",
            "repairs": TWO,
            "open_repair": {"handed_in": "2025-06-02"},
        },
        {"remedies": ["free_repair"], "loaner": True},
        id="imei-date-repair-only",
    ),
]


# --- rule 12: accessories; parts outside the regulation ("Order of a decision", step 2) ----
ACCESSORIES = [
    pytest.param(
        {"part": "battery", "fault": "battery_fault", "claim_date": "2026-11-18"},
        {
            "covered": True,
            "remedies": ["exchange"],
            "amounts": {},
            "articles": ["第十四条"],
            "codes": ["accessory_exchange", "battery_threshold"],
        },
        id="battery-day-3-no-refund",
    ),
    pytest.param(
        {"part": "battery", "fault": "battery_fault", "accessory_exchanges": 1},
        {"remedies": ["exchange"]},
        id="battery-one-exchange",
    ),
    pytest.param(
        {
            "part": "battery",
            "fault": "battery_fault",
            "accessory_exchanges": 2,
            "separate_price": 99,
        },
        {
            "remedies": ["refund"],
            "amounts": {"refund": 99.0},
            "articles": ["第十四条"],
            "codes": ["accessory_refund"],
        },
        id="battery-refund-separate-price",
    ),
    pytest.param(
        {
            "part": "charger",
            "fault": "charger_fault",
            "accessory_exchanges": 3,
            "sold_with_host": False,
            "price": 129,
            "separate_price": 99,
        },
        {"remedies": ["refund"], "amounts": {"refund": 129.0}},
        id="charger-sold-alone-refund-price",
    ),
    pytest.param(
        {"part": "battery", "fault": "battery_fault", "accessory_exchanges": 2},
        {"remedies": ["refund"], "amounts": {}},
        id="accessory-refund-price-unknown",
    ),
    pytest.param(
        {"part": "battery", "fault": "battery_fault", "accessory_exchanges": 2, "proof": "copy"},
        {"remedies": ["exchange"]},
        id="accessory-copy-no-refund",
    ),
    pytest.param(
        {
            "part": "battery",
            "fault": "battery_fault",
            "proof": "imei_date",
            "production_date": "2026-09-01",
        },
        {"remedies": ["free_repair"]},
        id="accessory-imei-date",
    ),
    pytest.param(
        {
            "part": "battery",
            "fault": "battery_fault",
            "sale_date": "2025-08-31",
            "claim_date": "2026-02-28",
        },
        {"covered": True, "period_end": "2026-02-28"},
        id="battery-6-months-workday",
    ),
    pytest.param(
        {
            "part": "battery",
            "fault": "battery_fault",
            "sale_date": "2025-08-31",
            "claim_date": "2026-03-01",
        },
        {"covered": False, "remedies": PAID},
        id="battery-6-months-plus-one",
    ),
    pytest.param(
        {
            "part": "headset",
            "fault": "headset_fault",
            "sale_date": "2026-01-15",
            "claim_date": "2026-04-15",
        },
        {"covered": True, "remedies": ["exchange"]},
        id="headset-3-months",
    ),
    pytest.param(
        {
            "part": "headset",
            "fault": "headset_fault",
            "sale_date": "2026-01-15",
            "claim_date": "2026-04-16",
        },
        {"covered": False},
        id="headset-3-months-plus-1",
    ),
    pytest.param(
        {"part": "terminal_card", "fault": "terminal_card_fault"},
        {"remedies": ["exchange"], "period_end": "2027-11-15"},
        id="terminal-card",
    ),
    pytest.param(
        {"part": "data_if_card", "fault": "data_if_card_fault"},
        {"remedies": ["exchange"]},
        id="data-if-card",
    ),
    pytest.param(
        {"part": "battery", "fault": "display"},
        {"covered": False, "remedies": PAID},
        id="battery-with-host-fault",
    ),
    pytest.param(
        {"part": "data_cable", "fault": "other"},
        {
            "covered": False,
            "remedies": ["not_covered"],
            "articles": ["附录1"],
            "period_end": None,
            "codes": ["not_covered_part"],
        },
        id="data-cable",
    ),
    pytest.param(
        {"part": "sim_card", "fault": "sim_data", "exclusions": ["liquid"]},
        {"covered": False, "remedies": ["not_covered"], "articles": ["附录3 注2"]},
        id="sim-card",
    ),
]


# --- rule 16: remote sales ------------------------------------------------------------------
REMOTE = {"channel": "remote", "received_date": "2026-11-18", "intact": True}
REMOTE_CASES = [
    pytest.param(
        {**REMOTE, "fault": "other"},
        {
            "covered": False,
            "remedies": ["refund", "paid_repair"],
            "amounts": {"refund": 2999.0},
            "articles": ["消法第二十五条", "附录3"],
            "codes": ["remote_sale"],
        },
        id="remote-7-days-any-fault",
    ),
    pytest.param(
        {**REMOTE, "received_date": "2026-11-17", "fault": "other"},
        {"remedies": PAID, "amounts": {}},
        id="remote-8-days",
    ),
    pytest.param(
        {**REMOTE, "intact": False, "fault": "other"}, {"remedies": PAID}, id="remote-not-intact"
    ),
    pytest.param(
        {**REMOTE, "intact": None, "fault": "other"}, {"remedies": PAID}, id="remote-intact-unknown"
    ),
    pytest.param(
        {**REMOTE, "exclusions": ["liquid"]},
        {"remedies": PAID},
        id="remote-exclusion-is-not-intact",
    ),
    pytest.param(
        REMOTE,
        {
            "covered": True,
            "remedies": FULL_3,
            "amounts": {"refund": 2999.0},
            "articles": ["消法第二十五条", "第十二条"],
        },
        id="remote-no-depreciated-refund",
    ),
    pytest.param(
        {**REMOTE, "part": "data_cable", "fault": "other", "price": 39, "sold_with_host": False},
        {"remedies": ["refund", "not_covered"], "amounts": {"refund": 39.0}},
        id="remote-data-cable",
    ),
    pytest.param(
        {**REMOTE, "channel": "store", "fault": "other"},
        {"remedies": PAID},
        id="store-sale-no-return",
    ),
]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [*WINDOWS, *REFUSED, *PERIODS, *REPAIRS, *PROOF, *ACCESSORIES, *REMOTE_CASES],
)
def test_decision(run: Run, changes: dict[str, Any], expected: dict[str, Any]) -> None:
    check(run(**changes), expected)


# --- settings and vendor policies change decisions through data -----------------------------
def test_same_fault_setting_counts_only_repeats(run: Run, rules: Rules) -> None:
    same = replace(rules, settings=replace(rules.settings, two_repairs_count="same_fault"))
    assert run(rules_=same, **LATE, repairs=TWO).remedies == ("free_repair",)
    twice = [TWO[0], _repair("display", "2025-05-01", "2025-05-06")]
    decision = run(rules_=same, **LATE, repairs=twice)
    assert decision.remedies == tuple(EXCH_DEP)
    assert "two_repairs" in decision.codes


def test_same_fault_setting_from_a_rules_file(run: Run, tmp_path: Any) -> None:
    text = (DATA / "rules.toml").read_text(encoding="utf-8")
    path = tmp_path / "rules.toml"
    path.write_text(text.replace('two_repairs_count = "any"', 'two_repairs_count = "same_fault"'))
    same = load_rules(rules_path=path)
    assert same.settings.two_repairs_count == "same_fault"
    assert run(rules_=same, **LATE, repairs=TWO).remedies == ("free_repair",)


def test_exchange_restart_setting_off(run: Run, rules: Rules) -> None:
    off = replace(rules, settings=replace(rules.settings, exchange_restarts_period=False))
    claim = {"sale_date": "2024-06-01", "exchange_date": "2025-05-20", "claim_date": "2026-01-10"}
    decision = run(rules_=off, **claim)
    assert decision.remedies == ("paid_repair",)
    # 2025-06-01 is a Sunday before 端午 (05-31..06-02): the period ended on Tuesday 06-03.
    assert decision.to_dict()["period_end"] == "2025-06-03"


def test_vendor_policy_covers_data_cable(run: Run) -> None:
    vendor = load_rules(DATA / "vendor-example.toml")
    reference = vendor.vendor.reference if vendor.vendor else ""
    decision = run(rules_=vendor, part="data_cable", fault="other")
    check(
        decision,
        {
            "covered": True,
            "remedies": ["exchange"],
            "articles": [reference, "第十四条"],
            "period_end": "2027-05-17",
            "codes": ["vendor_part", "accessory_exchange"],
        },
    )
    late = run(rules_=vendor, part="data_cable", fault="other", claim_date="2027-05-18")
    assert late.remedies == ("paid_repair",)
    assert run(rules_=vendor, part="data_cable", fault="display").remedies == ("paid_repair",)
    # Parts the vendor did not touch decide as before, without citing the vendor.
    assert run(rules_=vendor).to_dict() == run().to_dict()


def test_vendor_reference_cited_only_when_it_decides(run: Run, tmp_path: Any) -> None:
    policy = tmp_path / "long.toml"
    policy.write_text('[policy]\nname = "V"\nreference = "V§1"\n[parts.host]\nperiod_months = 24\n')
    long = load_rules(policy)
    beyond = run(rules_=long, sale_date="2025-03-10", claim_date="2026-09-10")
    assert beyond.covered and "V§1" in beyond.articles
    within = run(rules_=long, sale_date="2025-03-10", claim_date="2025-09-10")
    assert within.covered and "V§1" not in within.articles


def test_example_json_is_verbatim_issue_contract(run: Run) -> None:
    assert set(run().to_dict()) == {
        "covered",
        "remedies",
        "amounts",
        "loaner",
        "period_end",
        "days_since_sale",
        "articles",
        "reasons",
    }
    assert EXAMPLE["price"] == 2999.0
