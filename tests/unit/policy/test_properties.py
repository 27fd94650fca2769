"""Property tests: what must hold for every claim, not only the ones in the tables."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from repairdesk.policy import Decision, Rules, decide, load_calendar, load_rules, parse_claim
from repairdesk.policy.claim import DELAYS, PROOFS
from repairdesk.policy.decision import REMEDY_ORDER
from repairdesk.policy.periods import add_months, period_end
from repairdesk.vocabulary import vocabulary

RULES: Rules = load_rules()
CALENDAR = load_calendar()
VOCAB = vocabulary()
EXCLUSIONS = [e for e in VOCAB.exclusions if e != "out_of_period"]  # computed, never entered
FREE = {"refund", "exchange", "free_repair", "refund_depreciated"}
FIRST = date(2023, 6, 1)
iso = date.isoformat


@st.composite
def claims(
    draw: st.DrawFn,
    *,
    part: str | None = None,
    proof: str | None = None,
    channel: str | None = None,
    in_stock: bool | None = None,
    exclusions: st.SearchStrategy[list[str]] | None = None,
) -> dict[str, Any]:
    """A valid claim: every date between production and the claim, in order."""
    proof = proof or draw(st.sampled_from(PROOFS))
    sale = FIRST + timedelta(days=draw(st.integers(0, 4 * 365)))
    claim = sale + timedelta(days=draw(st.integers(0, 500)))
    span = (claim - sale).days

    def day_in(first: date, last: date) -> date:
        return first + timedelta(days=draw(st.integers(0, (last - first).days)))

    repairs, cursor = [], sale
    for _ in range(draw(st.integers(0, 3))):
        handed_in = cursor + timedelta(days=draw(st.integers(0, 90)))
        handed_back = handed_in + timedelta(days=draw(st.integers(0, 20)))
        if handed_back > claim:
            break
        fault = draw(st.sampled_from(list(VOCAB.faults)))
        repairs.append(
            {"fault": fault, "handed_in": iso(handed_in), "handed_back": iso(handed_back)}
        )
        cursor = handed_back
    open_repair = None
    if draw(st.booleans()):
        open_repair = {
            "handed_in": iso(day_in(cursor, claim)),
            "delay": draw(st.sampled_from(DELAYS)),
        }
    channel = channel or draw(st.sampled_from(["store", "remote"]))
    unproven_sale = proof == "imei_date" and draw(st.booleans())
    price = draw(st.none() | st.decimals(min_value=1, max_value=20000, places=2))
    separate = draw(st.none() | st.decimals(min_value=1, max_value=500, places=2))
    return {
        "part": part or draw(st.sampled_from(VOCAB.parts)),
        "fault": draw(st.sampled_from(list(VOCAB.faults))),
        "claim_date": iso(claim),
        "sale_date": None if unproven_sale else iso(sale),
        "invoice_date": None
        if unproven_sale
        else iso(day_in(sale, min(claim, sale + timedelta(3)))),
        "proof": proof,
        "production_date": iso(sale - timedelta(days=draw(st.integers(0, 200)))),
        "exchange_date": iso(day_in(sale, claim)) if draw(st.booleans()) and span else None,
        "price": None if price is None else float(price),
        "sold_with_host": draw(st.booleans()),
        "separate_price": None if separate is None else float(separate),
        "exclusions": draw(
            exclusions
            if exclusions is not None
            else st.lists(st.sampled_from(EXCLUSIONS), max_size=2, unique=True)
        ),
        "repairs": repairs,
        "open_repair": open_repair,
        "accessory_exchanges": draw(st.integers(0, 4)),
        "in_stock": draw(st.booleans()) if in_stock is None else in_stock,
        "channel": channel,
        "received_date": iso(day_in(sale, claim)) if channel == "remote" else None,
        "intact": draw(st.none() | st.booleans()),
    }


def run(data: dict[str, Any]) -> Decision:
    return decide(parse_claim(data), RULES, CALENDAR)


@given(
    claims(exclusions=st.lists(st.sampled_from(EXCLUSIONS), min_size=1, max_size=3, unique=True))
)
def test_an_exclusion_never_yields_a_free_remedy(data: dict[str, Any]) -> None:
    decision = run(data)
    assert not FREE & set(decision.remedies)
    assert not decision.covered and not decision.loaner and not decision.amounts


@given(claims(part="host", proof="full", channel="store", in_stock=True))
def test_no_full_refund_after_day_7_for_a_store_sale_in_stock(data: dict[str, Any]) -> None:
    decision = run(data)
    assume(decision.days_since_sale is not None and decision.days_since_sale > 7)
    assert "refund" not in decision.remedies
    assert "refund" not in decision.amounts


@given(claims())
def test_every_decision_is_well_formed(data: dict[str, Any]) -> None:
    decision = run(data)
    remedies = list(decision.remedies)
    assert remedies == [r for r in REMEDY_ORDER if r in remedies]  # canonical, no repeats
    assert remedies, "a decision always says what the customer can have"
    refused = {"paid_repair", "not_covered"} & set(remedies)
    assert decision.covered == (not refused)
    if not decision.covered:
        # Outside 三包 only the remote-sale return can add anything.
        assert set(remedies) <= {"paid_repair", "not_covered", "refund"}
        assert len(refused) == 1
    assert set(decision.amounts) <= {"refund", "refund_depreciated"} & set(remedies)
    ceiling = max(data["price"] or 0, data["separate_price"] or 0)
    for amount in decision.amounts.values():
        assert 0 <= amount <= ceiling + 0.005
    if decision.loaner:
        assert decision.covered and data["part"] == "host" and data["open_repair"]
    if data["part"] != "host":
        assert "refund_depreciated" not in remedies and not decision.loaner
    assert len(set(decision.articles)) == len(decision.articles) and "" not in decision.articles
    as_json = json.loads(json.dumps(decision.to_dict(), ensure_ascii=False))
    assert as_json == decision.to_dict()
    assert run(json.loads(json.dumps(data))) == decision  # pure: same claim, same decision


@given(claims(part="host", proof="full", channel="store"))
def test_exchange_with_full_proof_always_offers_a_refund(data: dict[str, Any]) -> None:
    decision = run(data)
    if "exchange" in decision.remedies:
        assert {"refund", "refund_depreciated"} & set(decision.remedies)


@given(
    st.dates(date(2023, 1, 1), date(2028, 12, 31)),
    st.sampled_from([3, 6, 12, 24]),
    st.integers(0, 120),
)
@settings(max_examples=300)
def test_period_end_never_before_nominal_end(start: date, months: int, repair_days: int) -> None:
    period = period_end(start, months, repair_days, CALENDAR)
    assert period.end >= period.nominal_end + timedelta(days=repair_days) >= period.nominal_end
    assert not CALENDAR.is_rest_day(period.end)
    assert (period.end - period.extended_end).days <= 10  # the longest run of rest days
    assert period.moved == (period.end != period.extended_end)


@given(st.dates(date(1990, 1, 1), date(2090, 12, 31)), st.integers(0, 600))
def test_add_months_is_calendar_months(start: date, months: int) -> None:
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == start.day or (end.day < start.day and (end + timedelta(1)).day == 1)
