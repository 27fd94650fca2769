from __future__ import annotations

import pytest

from repairdesk.errors import InputError
from repairdesk.phones import mask, parse_phone


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("138 0013 8000", "+8613800138000"),
        ("13800138000", "+8613800138000"),
        ("+86 138-0013-8000", "+8613800138000"),
        ("021 6400 0000", "+862164000000"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_numbers_are_stored_in_e164(typed: str, e164: str) -> None:
    assert parse_phone(typed) == e164


@pytest.mark.parametrize("typed", ["12345", "1380013800", "abc", "", "+86 100 0000 0000"])
def test_impossible_numbers_are_refused(typed: str) -> None:
    with pytest.raises(InputError) as err:
        parse_phone(typed)
    assert err.value.field == "customer.phone"


def test_mask() -> None:
    assert mask("+8613800138000") == "138****8000"
