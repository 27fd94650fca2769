"""IMEIs as scanners and people type them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from repairdesk.errors import InputError
from repairdesk.i18n import set_language
from repairdesk.imei import parse_imei, shipped_tac

IMEI = "352099001761481"


@pytest.mark.parametrize(
    "typed",
    [
        "352099001761481",
        "35-209900-176148-1",
        "35 209900 176148 1",
        "352099001761481\n",  # a scanner's trailing Enter
        "\t352099001761481\r\n",
        "３５２０９９００１７６１４８１",  # full-width digits from a Chinese IME
        "３５－２０９９００－１７６１４８－１",
        "35.209900.176148.1",
    ],
)
def test_accepted_forms_normalise_to_15_digits(typed: str) -> None:
    assert parse_imei(typed) == IMEI


def test_bad_check_digit_is_refused() -> None:
    with pytest.raises(InputError) as err:
        parse_imei("352099001761482", field="device.imei")
    assert err.value.field == "device.imei"
    assert "check digit" in err.value.reason


def test_imeisv_is_refused_with_the_digits_to_enter() -> None:
    with pytest.raises(InputError) as err:
        parse_imei("3520990017614812")
    assert "IMEISV" in err.value.reason
    assert "35209900176148" in err.value.reason and IMEI in err.value.reason


def test_fourteen_digits_names_the_missing_check_digit() -> None:
    with pytest.raises(InputError) as err:
        parse_imei("35209900176148")
    assert "should be 1" in err.value.reason


@pytest.mark.parametrize("typed", ["", "abc", "35209900176148x", "1234", "3520990017614811234"])
def test_non_imeis_are_refused(typed: str) -> None:
    with pytest.raises(InputError):
        parse_imei(typed)


def test_message_in_chinese() -> None:
    set_language("zh")
    with pytest.raises(InputError) as err:
        parse_imei("352099001761482")
    assert "校验位" in err.value.reason


FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@given(
    body=st.text(alphabet="0123456789", min_size=14, max_size=14),
    separators=st.lists(st.sampled_from(["", " ", "-", "  "]), min_size=15, max_size=15),
    fullwidth=st.booleans(),
)
def test_any_valid_imei_survives_any_typing(body: str, separators: list[str],
                                             fullwidth: bool) -> None:
    imei = body + luhn.calc_check_digit(body)
    typed = "".join(d + sep for d, sep in zip(imei, separators, strict=True)) + "\n"
    if fullwidth:
        typed = typed.translate(FULLWIDTH)
    assert parse_imei(typed) == imei


def test_tac_lookup_from_the_shipped_table() -> None:
    found = shipped_tac("352099001761481")
    assert found is not None and found.brand == "Alcatel"
    assert shipped_tac("999999990000000") is None
