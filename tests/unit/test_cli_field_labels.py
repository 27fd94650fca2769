"""Every message names fields by their label in the reader's language, never by a code
(repairdesk/fields.py); ``--json`` keeps the code as a field of its own."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repairdesk import i18n
from repairdesk.errors import InputError
from repairdesk.fields import has_label, label
from repairdesk.tickets.intake import IntakeDoc, check_intake, parse_intake

from ..conftest import INTAKE

SNAKE = re.compile(r"\b[A-Za-z]+_[A-Za-z0-9_]+\b")
QUOTED = re.compile(r"“[^”]*”")


def _paths(model: Any, prefix: str = "") -> list[str]:
    found = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        found.append(path)
        inner = info.annotation
        if hasattr(inner, "model_fields"):
            found.extend(_paths(inner, f"{path}."))
    return found


PATHS = _paths(IntakeDoc)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_intake_field_has_a_label(lang: str) -> None:
    missing = [p for p in PATHS if not has_label(p, lang)]
    assert not missing
    assert label("device.sale_date", "zh") == "购买日期"
    assert label("faults.1", "en") == "Faults (item 2)"


def _assert_worded_for_people(exc: InputError) -> None:
    shown = QUOTED.sub("", exc.message)  # what the user typed is quoted as it was
    assert not SNAKE.search(shown), exc.message
    if "." in exc.field or "_" in exc.field:
        assert exc.field not in shown, exc.message
    assert exc.message.startswith(exc.label)


VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**16), st.floats(allow_nan=False),
    st.text(alphabet=st.characters(blacklist_characters="“”", blacklist_categories=("Cs",)),
            max_size=20),
    st.sampled_from(["2026-02-30", "2099-01-01", "1126", "imei_date", "remote", "given",
                     "352099001761482", "12", "-1", "1e3", "sale_date"]),
    st.lists(st.sampled_from(["battery", "bogus_code", "scratches", "display", 3]),
             max_size=3),
    st.dictionaries(st.sampled_from(["a", "b_c"]), st.integers(), max_size=2),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), value=VALUES,
       action=st.sampled_from(["set", "delete", "extra"]),
       lang=st.sampled_from(i18n.LANGUAGES),
       combo=st.sampled_from([{}, {"device.proof": "imei_date", "device.sale_date": None},
                              {"device.channel": "remote"}, {"passcode": "none",
                                                             "passcode_value": "1234"},
                              {"faults": [], "description": ""}]))
def test_no_message_of_a_bad_intake_shows_a_code(path: str, value: Any, action: str,
                                                 lang: str, combo: dict) -> None:
    doc = copy.deepcopy(INTAKE)
    for where, what in combo.items():
        _put(doc, where, what)
    if action == "set":
        _put(doc, path, value)
    elif action == "delete":
        _put(doc, path, KeyError)
    else:
        _put(doc, f"{path.rsplit('.', 1)[0]}.unknown_key" if "." in path else "unknown_key",
             value)
    i18n.set_language(lang)
    try:
        check_intake(parse_intake(json.dumps(doc, default=str)), date(2026, 11, 21))
    except InputError as exc:
        _assert_worded_for_people(exc)
    finally:
        i18n.set_language("en")


def _put(doc: dict, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for key in parents:
        if not isinstance(doc.get(key), dict):
            doc[key] = {}
        doc = doc[key]
    if value is KeyError:
        doc.pop(last, None)
    else:
        doc[last] = value


def test_the_issue_example_names_labels_in_both_languages(cli) -> None:
    assert cli("init", "--counter", "SH01", "--name", "徐汇网点").code == 0
    doc = copy.deepcopy(INTAKE)
    doc["device"].update(sale_date="2099-01-01")
    en = cli("intake", "-", stdin=json.dumps(doc))
    assert en.code == 2 and "Sale date: 2099-01-01 is in the future" in en.err
    zh = cli("--lang", "zh", "intake", "-", stdin=json.dumps(doc))
    assert zh.code == 2 and "购买日期：" in zh.err and "sale_date" not in zh.err
    scripted = cli("intake", "-", "--json", stdin=json.dumps(doc))
    error = json.loads(scripted.err)["error"]
    assert scripted.code == 2 and error["field"] == "device.sale_date"
    assert error["label"] == "Sale date"


@pytest.mark.parametrize(("lang", "words"), [("en", "Proof of purchase"), ("zh", "购买凭证")])
def test_the_claim_without_a_sale_date_names_the_proof(desk, intake_doc: dict, lang: str,
                                                       words: str) -> None:
    intake_doc["device"].update(sale_date=None, invoice_date=None, proof="imei_date",
                                production_date="2026-01-05")
    number = desk.tickets.intake(intake_doc).ticket
    intake_doc["device"]["production_date"] = None
    i18n.set_language(lang)
    claim = desk.tickets.warranty_claim(number)
    claim.update(sale_date=None, production_date=None, proof="full")
    from repairdesk.policy import check_claim

    with pytest.raises(InputError) as caught:
        check_claim(claim)
    _assert_worded_for_people(caught.value)
    assert words in caught.value.message


def _raised_field_codes() -> set[str]:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "repairdesk"
    codes: set[str] = set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in (r'InputError\(\s*"([^"]+)"', r'\bfield="([^"]+)"',
                        r'_error\(\s*"([^"]+)"', r'yuan_to_fen\([^,]+,\s*"([^"]+)"',
                        r'quantity\([^,]+,\s*"([^"]+)"'):
            codes |= set(re.findall(pattern, text))
    return {c for c in codes if not c.startswith("--")}  # an option is named as typed


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_field_a_check_names_has_a_label(lang: str) -> None:
    codes = _raised_field_codes()
    assert len(codes) > 40
    assert sorted(c for c in codes if not has_label(c, lang)) == []
