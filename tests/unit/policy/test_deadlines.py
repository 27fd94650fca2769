"""Legal deadlines of an open repair: loaner from day 8, deliberate delay after 15 days
(warned from day 12), exchange after 30 (repairer) or 60 (parts) days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from repairdesk import i18n
from repairdesk.errors import InputError
from repairdesk.policy import Deadline, Rules, legal_deadlines

HANDED_IN = date(2026, 3, 2)


def states(day: int, delay: str = "repairer", part: str = "host") -> dict[str, str]:
    today = HANDED_IN + timedelta(days=day)
    found = legal_deadlines(HANDED_IN, today=today, sanbao=True, delay=delay, part=part)
    return {d.code: d.state for d in found}


@pytest.mark.parametrize(
    ("day", "code", "state"),
    [
        (0, "loaner", "upcoming"),
        (6, "loaner", "upcoming"),
        (7, "loaner", "due"),  # last day to fix it without a loaner
        (8, "loaner", "overdue"),  # day 8 in repair: loaner owed
        (11, "deliberate_delay", "upcoming"),
        (12, "deliberate_delay", "due"),  # warn from day 12 (setting)
        (15, "deliberate_delay", "due"),
        (16, "deliberate_delay", "overdue"),  # beyond 15 days
        (29, "repairer_delay", "upcoming"),
        (30, "repairer_delay", "due"),
        (31, "repairer_delay", "overdue"),  # exchange owed
    ],
)
def test_states(day: int, code: str, state: str) -> None:
    assert states(day)[code] == state


@pytest.mark.parametrize(("day", "state"), [(31, "upcoming"), (60, "due"), (61, "overdue")])
def test_parts_delay(day: int, state: str) -> None:
    found = states(day, delay="parts")
    assert found["parts_delay"] == state and "repairer_delay" not in found


def test_dates_and_order() -> None:
    found = legal_deadlines(HANDED_IN, today=HANDED_IN, sanbao=True)
    assert [d.code for d in found] == ["loaner", "deliberate_delay", "repairer_delay"]
    loaner = found[0]
    assert (loaner.last_day, loaner.owed_from) == (date(2026, 3, 9), date(2026, 3, 10))
    assert found[1].warn_from == date(2026, 3, 14) and found[1].last_day == date(2026, 3, 17)
    assert found[2].owed_from == date(2026, 4, 2) and found[2].article == "第十七条"


def test_paid_repairs_have_no_legal_deadlines() -> None:
    assert legal_deadlines(HANDED_IN, today=HANDED_IN, sanbao=False) == ()


def test_accessories_keep_only_the_delay_rule() -> None:
    assert set(states(20, part="battery")) == {"deliberate_delay"}


def test_labels_are_translated() -> None:
    deadline: Deadline = legal_deadlines(HANDED_IN, today=HANDED_IN, sanbao=True)[0]
    english = deadline.label()
    i18n.set_language("zh")
    chinese = deadline.label()
    assert english != chinese and "2026-03-10" in english and "2026-03-10" in chinese
    assert "备用机" in chinese and deadline.state_label() == "未到期"
    assert deadline.state_label("en") == "upcoming"
    for d in legal_deadlines(HANDED_IN, today=HANDED_IN, sanbao=True, delay="parts"):
        for lang in ("en", "zh"):
            assert "{" not in d.label(lang) and not d.label(lang).startswith("policy.")


def test_bad_input() -> None:
    with pytest.raises(InputError) as caught:
        legal_deadlines(HANDED_IN, today=HANDED_IN - timedelta(days=1), sanbao=True)
    assert caught.value.field == "today"
    with pytest.raises(InputError) as caught:
        legal_deadlines(HANDED_IN, today=HANDED_IN, sanbao=True, delay="customer")
    assert caught.value.field == "delay"


def test_settings_come_from_the_rules(rules: Rules) -> None:
    from dataclasses import replace

    early = replace(rules, settings=replace(rules.settings, deliberate_delay_warn_day=10))
    found = legal_deadlines(
        HANDED_IN, today=HANDED_IN + timedelta(days=10), sanbao=True, rules=early
    )
    assert {d.code: d.state for d in found}["deliberate_delay"] == "due"
