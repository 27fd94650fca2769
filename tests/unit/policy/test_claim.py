"""parse_claim refuses every kind of bad claim, naming the field (CLI exit 2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from repairdesk import i18n
from repairdesk.errors import InputError
from repairdesk.policy import parse_claim
from repairdesk.policy.claim import OpenRepair, Repair
from tests.unit.policy.conftest import claim_data

REPAIR = {"fault": "display", "handed_in": "2026-11-17", "handed_back": "2026-11-19"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"colour": "black"}, "colour", id="unknown-key"),
        pytest.param({"part": "phone"}, "part", id="unknown-part"),
        pytest.param({"part": None}, "part", id="missing-part"),
        pytest.param({"fault": "broken"}, "fault", id="unknown-fault"),
        pytest.param({"fault": None}, "fault", id="missing-fault"),
        pytest.param({"proof": "receipt"}, "proof", id="unknown-proof"),
        pytest.param({"proof": ""}, "proof", id="empty-proof"),
        pytest.param({"channel": "online"}, "channel", id="unknown-channel"),
        pytest.param({"exclusions": ["wet"]}, "exclusions.0", id="unknown-exclusion"),
        pytest.param({"exclusions": ["liquid", 3]}, "exclusions.1", id="exclusion-not-code"),
        pytest.param({"exclusions": ["out_of_period"]}, "exclusions.0", id="computed-exclusion"),
        pytest.param({"exclusions": "liquid"}, "exclusions", id="exclusions-not-list"),
        pytest.param({"claim_date": None}, "claim_date", id="missing-claim-date"),
        pytest.param({"claim_date": "2026-02-30"}, "claim_date", id="impossible-date"),
        pytest.param({"claim_date": "2026-13-01"}, "claim_date", id="month-13"),
        pytest.param({"claim_date": "2026/11/25"}, "claim_date", id="slashes"),
        pytest.param({"claim_date": "20261125"}, "claim_date", id="compact-iso"),
        pytest.param({"claim_date": 20261125}, "claim_date", id="number-date"),
        pytest.param({"sale_date": None, "invoice_date": None}, "sale_date", id="no-sale-date"),
        pytest.param({"proof": "imei_date"}, "production_date", id="imei-date-no-production"),
        pytest.param({"claim_date": "2026-11-14"}, "claim_date", id="claim-before-sale"),
        pytest.param({"invoice_date": "2026-11-14"}, "invoice_date", id="invoice-before-sale"),
        pytest.param({"invoice_date": "2026-11-26"}, "invoice_date", id="invoice-after-claim"),
        pytest.param({"production_date": "2026-11-16"}, "sale_date", id="sold-before-made"),
        pytest.param(
            {
                "proof": "imei_date",
                "sale_date": None,
                "invoice_date": None,
                "production_date": "2026-11-26",
            },
            "claim_date",
            id="claim-before-made",
        ),
        pytest.param({"exchange_date": "2026-11-26"}, "exchange_date", id="exchange-after-claim"),
        pytest.param(
            {"repairs": [{**REPAIR, "handed_back": "2026-11-16"}]},
            "repairs.0.handed_back",
            id="hand-back-before-hand-in",
        ),
        pytest.param(
            {"repairs": [{**REPAIR, "handed_back": "2026-11-26"}]},
            "repairs.0.handed_back",
            id="hand-back-after-claim",
        ),
        pytest.param(
            {"repairs": [{**REPAIR, "handed_in": "2026-11-10"}]},
            "repairs.0.handed_in",
            id="repair-before-sale",
        ),
        pytest.param(
            {"repairs": [REPAIR, {**REPAIR, "handed_in": None}]},
            "repairs.1.handed_in",
            id="repair-missing-date",
        ),
        pytest.param({"repairs": [{**REPAIR, "cost": 5}]}, "repairs.0.cost", id="repair-key"),
        pytest.param(
            {"repairs": [{**REPAIR, "fault": "dropped"}]}, "repairs.0.fault", id="repair-fault"
        ),
        pytest.param({"repairs": ["display"]}, "repairs.0", id="repair-not-object"),
        pytest.param(
            {"open_repair": {"handed_in": "2026-11-20", "delay": "customer"}},
            "open_repair.delay",
            id="open-repair-delay",
        ),
        pytest.param(
            {"open_repair": {"handed_in": "2026-11-26"}},
            "open_repair.handed_in",
            id="open-repair-after-claim",
        ),
        pytest.param(
            {"open_repair": {"delay": "parts"}}, "open_repair.handed_in", id="open-repair-no-date"
        ),
        pytest.param({"price": "abc"}, "price", id="price-text"),
        pytest.param({"price": -1}, "price", id="price-negative"),
        pytest.param({"price": True}, "price", id="price-bool"),
        pytest.param({"separate_price": "NaN"}, "separate_price", id="price-nan"),
        pytest.param({"in_stock": "yes"}, "in_stock", id="in-stock-text"),
        pytest.param({"sold_with_host": 1}, "sold_with_host", id="sold-with-host-int"),
        pytest.param({"intact": "true"}, "intact", id="intact-text"),
        pytest.param({"accessory_exchanges": -1}, "accessory_exchanges", id="exchanges-negative"),
        pytest.param({"accessory_exchanges": 1.5}, "accessory_exchanges", id="exchanges-float"),
        pytest.param({"channel": "remote"}, "received_date", id="remote-no-receipt"),
        pytest.param(
            {"channel": "remote", "received_date": "2026-11-26"},
            "received_date",
            id="receipt-after-claim",
        ),
        pytest.param(
            {"channel": "remote", "received_date": "2026-11-14"},
            "received_date",
            id="receipt-before-sale",
        ),
    ],
)
def test_bad_claims_name_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_claim(claim_data(**changes))
    assert caught.value.field == field
    # The message names the field by its label, never by its code (repairdesk/fields.py).
    shown = caught.value.label
    assert caught.value.message.startswith(f"{shown}: ") and shown != field
    assert "{" not in caught.value.reason and "policy." not in caught.value.reason


def test_not_an_object() -> None:
    with pytest.raises(InputError) as caught:
        parse_claim(["host"])  # type: ignore[arg-type]
    assert caught.value.field == "claim"


def test_messages_are_translated() -> None:
    def reason() -> str:
        with pytest.raises(InputError) as caught:
            parse_claim(claim_data(claim_date="2026-02-30"))
        return caught.value.reason

    english = reason()
    i18n.set_language("zh")
    chinese = reason()
    assert english != chinese
    assert "2026-02-30" in english and "2026-02-30" in chinese
    assert "不是真实存在的日期" in chinese


def test_defaults() -> None:
    claim = parse_claim(
        {"part": "host", "fault": "display", "claim_date": "2026-11-25", "sale_date": "2026-11-15"}
    )
    assert claim.invoice_date == date(2026, 11, 15)
    assert (claim.proof, claim.channel, claim.in_stock) == ("full", "store", True)
    assert (claim.exclusions, claim.repairs, claim.open_repair) == ((), (), None)
    assert (claim.accessory_exchanges, claim.price, claim.intact) == (0, None, None)


def test_nulls_take_the_defaults() -> None:
    claim = parse_claim(
        claim_data(
            proof=None,
            channel=None,
            in_stock=None,
            exclusions=None,
            repairs=None,
            accessory_exchanges=None,
            invoice_date=None,
        )
    )
    assert (claim.proof, claim.channel, claim.in_stock) == ("full", "store", True)
    assert claim.invoice_date == claim.sale_date


def test_values_are_parsed() -> None:
    claim = parse_claim(
        claim_data(
            price=2999.1,
            repairs=[REPAIR],
            open_repair={"handed_in": "2026-11-20"},
            exclusions=["liquid"],
            sale_date=date(2026, 11, 15),  # a date object, as the ticket builder passes it
        )
    )
    assert claim.price == Decimal("2999.1")  # no binary float error carried into the fen
    assert claim.repairs == (Repair("display", date(2026, 11, 17), date(2026, 11, 19)),)
    assert claim.repairs[0].days == 2
    assert claim.open_repair == OpenRepair(date(2026, 11, 20), "repairer")
    assert claim.exclusions == ("liquid",)


def test_production_date_only() -> None:
    claim = parse_claim(
        claim_data(
            proof="imei_date", sale_date=None, invoice_date=None, production_date="2026-08-01"
        )
    )
    assert claim.sale_date is None and claim.invoice_date is None
