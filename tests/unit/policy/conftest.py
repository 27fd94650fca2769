"""Fixtures of the 三包 engine tests: the shipped rules and calendar, and claims built from the
example claim of docs/domain/sanbao.md with a few fields changed."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from repairdesk.policy import Decision, Rules, decide, load_calendar, load_rules, parse_claim
from repairdesk.policy.calendar import RestDayCalendar

DATA = Path(__file__).resolve().parents[3] / "data" / "sanbao"

#: The example claim of docs/domain/sanbao.md ("The claim and the decision as JSON"), verbatim.
EXAMPLE: dict[str, Any] = {
    "part": "host",
    "fault": "display",
    "claim_date": "2026-11-25",
    "sale_date": "2026-11-15",
    "invoice_date": "2026-11-15",
    "proof": "full",
    "production_date": None,
    "exchange_date": None,
    "price": 2999.0,
    "sold_with_host": True,
    "separate_price": None,
    "exclusions": [],
    "repairs": [],
    "open_repair": None,
    "accessory_exchanges": 0,
    "in_stock": True,
    "channel": "store",
    "received_date": None,
    "intact": None,
}


def claim_data(**changes: Any) -> dict[str, Any]:
    """The example claim with ``changes``; a change to ``sale_date`` moves the invoice date
    with it unless the invoice date is changed too."""
    data = copy.deepcopy(EXAMPLE)
    if "sale_date" in changes and "invoice_date" not in changes:
        data["invoice_date"] = changes["sale_date"]
    data.update(changes)
    return data


def check_texts(decision: Decision) -> None:
    """Every reason reads as a sentence in both languages: no missing key, no {placeholder}."""
    for lang in ("en", "zh"):
        for reason in decision.reasons:
            text = reason.text(lang)
            assert not text.startswith("policy."), (lang, reason.code, text)
            assert "{" not in text and "}" not in text, (lang, reason.code, text)
            for part_or_fault in ("part.", "fault.", "exclusion."):
                assert not text.startswith(part_or_fault), text


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules()


@pytest.fixture(scope="session")
def calendar() -> RestDayCalendar:
    return load_calendar()


@pytest.fixture
def run(rules: Rules, calendar: RestDayCalendar) -> Callable[..., Decision]:
    """``run(**changes)``: the decision on the example claim with ``changes``."""

    def _run(*, rules_: Rules | None = None, **changes: Any) -> Decision:
        decision = decide(parse_claim(claim_data(**changes)), rules_ or rules, calendar)
        check_texts(decision)
        return decision

    return _run
