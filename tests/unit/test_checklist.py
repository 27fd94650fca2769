"""The diagnosis checklist: which items, what the results prove (pure, no store)."""

from __future__ import annotations

import pytest

from repairdesk.errors import InputError
from repairdesk.i18n import _, catalog
from repairdesk.tickets.checklist import (
    bench_tests,
    check_results,
    confirmed_faults,
    diagnosed_fault,
    items_for,
    suggested_move,
)
from repairdesk.vocabulary import vocabulary


def test_items_are_the_fault_table_of_the_parts_on_the_bench_then_the_bench_tests() -> None:
    plain = [i.code for i in items_for(["battery", "sim_tray"])]
    assert plain[0] == "fault.function_failure" and "fault.battery_fault" in plain
    assert "fault.charger_fault" not in plain and "fault.network" not in plain
    assert "fault.charger_fault" in [i.code for i in items_for(["charger"])]
    assert plain[-len(bench_tests()):] == [t.code for t in bench_tests()]


def test_every_bench_test_names_a_performance_fault_and_has_names() -> None:
    faults = vocabulary().faults
    for test in bench_tests():
        assert faults[test.fault].performance, test.code
        for lang in ("en", "zh"):
            assert f"checklist.{test.code}" in catalog(lang)
    assert _("checklist.bench.battery_health", lang="zh").startswith("电池健康度")


def test_results_are_checked_before_anything_is_stored() -> None:
    items = items_for([])
    full, exclusions = check_results(items, {"bench.power": "fail"}, 85, ["liquid", "liquid"])
    assert full["bench.power"] == "fail" and full["bench.cameras"] == "untested"
    assert exclusions == ["liquid"]
    with pytest.raises(InputError) as bad:
        check_results(items, {"bench.power": "broken"}, None, [])
    assert bad.value.field == "results.bench.power"
    with pytest.raises(InputError) as bad:
        check_results(items, {"fault.charger_fault": "fail"}, None, [])
    assert bad.value.field == "results.fault.charger_fault"
    with pytest.raises(InputError) as bad:
        check_results(items, {}, 120, [])
    assert bad.value.field == "battery_health"
    with pytest.raises(InputError) as bad:
        check_results(items, {}, None, ["out_of_period"])
    assert bad.value.field == "exclusions.0"


def test_the_diagnosed_fault_prefers_what_the_customer_reported() -> None:
    items = items_for([])
    results = {"bench.speaker": "fail", "bench.display_touch": "fail"}
    confirmed = confirmed_faults(items, results)
    assert confirmed == ["display", "audio"]
    assert diagnosed_fault(confirmed, ["audio"]) == "audio"
    assert diagnosed_fault(confirmed, ["keys"]) == "display"
    assert diagnosed_fault([], ["keys"]) is None


def test_the_suggested_move_follows_the_decision() -> None:
    allowed = ["awaiting_approval", "awaiting_parts", "repairing", "cancelled"]
    assert suggested_move(True, allowed) == "repairing"
    assert suggested_move(False, allowed) == "awaiting_approval"
    assert suggested_move(None, ["qc"]) == "qc"
    assert suggested_move(True, []) is None
