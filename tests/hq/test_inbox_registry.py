"""The inbox and the registry: a suspended or retired counter's batches imported and
flagged, the per-counter summary the Inbox screen shows, who may import, HQ's trail."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from repairdesk.hq import schema
from repairdesk.hq.facade import Hq
from repairdesk.trust import PermissionDenied
from tests.hq.helpers import HQ_NOW, Scenario, snapshot


def flags(hq: Hq) -> dict[tuple[str, int], str | None]:
    batches = schema.table("hq_batch")
    with hq.store.read() as conn:
        return {(c, s): f for c, s, f in conn.execute(
            sa.select(batches.c.counter, batches.c.seq, batches.c.flag))}


def test_a_suspended_or_retired_counters_batches_are_imported_and_flagged(
        hq: Hq, scenario: Scenario) -> None:
    hq.import_files(scenario.day(0))
    hq.suspend_counter("SH01", "agreement lapsed")
    outcomes, _gaps = hq.import_files(scenario.day(1))
    assert {(o.counter, o.status, o.flag) for o in outcomes} == {
        ("SH01", "imported", "suspended"), ("BJ02", "imported", None)}
    hq.retire_counter("SH01", "closed")
    outcomes, _gaps = hq.import_files(scenario.day(2))
    assert {(o.counter, o.flag) for o in outcomes} == {("SH01", "retired"), ("BJ02", None)}
    assert flags(hq) == {("SH01", 1): None, ("SH01", 2): "suspended", ("SH01", 3): "retired",
                         ("BJ02", 1): None, ("BJ02", 2): None, ("BJ02", 3): None}
    # The closing table flags the counter by its state now.
    tally = {r.counter: r for r in hq.import_tally(outcomes, {})}
    assert (tally["SH01"].flag, tally["BJ02"].flag) == ("retired", None)


def test_the_inbox_summary_per_counter(hq: Hq, scenario: Scenario) -> None:
    hq.add_counter("GZ03", "天河网点")  # registered, nothing from it yet
    first, _second, third = scenario.batches["SH01"]
    hq.import_files([first, *scenario.day(0)[:1]])
    hq.suspend_counter("SH01", "agreement lapsed")
    hq.import_files([third, *scenario.batches["BJ02"]])
    rows = {r.counter: r for r in hq.inbox()}
    assert list(rows) == ["BJ02", "GZ03", "SH01"]
    sh01, bj02, gz03 = rows["SH01"], rows["BJ02"], rows["GZ03"]
    assert (sh01.state, sh01.last_seq, sh01.batches, sh01.missing, sh01.flagged) == (
        "suspended", 3, 2, [2], 1)
    assert sh01.last_import == HQ_NOW and sh01.name == "SH01" and sh01.flag == "suspended"
    assert bj02.flag is None
    assert (bj02.state, bj02.last_seq, bj02.batches, bj02.missing, bj02.flagged) == (
        "active", 3, 3, [], 0)
    assert (gz03.name, gz03.last_seq, gz03.last_import, gz03.batches, gz03.missing) == (
        "天河网点", None, None, 0, [])
    # hq status says the same of the gaps.
    assert {s.counter: s.missing for s in hq.status()} == {"BJ02": [], "SH01": [2]}


def test_each_import_is_in_hqs_trail_by_whom(hq: Hq, scenario: Scenario) -> None:
    hq.add_user("王总", "admin", "258000")
    hq.login("王总", "258000")
    hq.import_files(scenario.day(0))
    hq.import_files(scenario.day(0))  # already there: nothing changed, nothing recorded
    events = schema.table("hq_event")
    with hq.store.read() as conn:
        found = conn.execute(sa.select(events.c.user, events.c.subject, events.c.detail)
                             .where(events.c.action == "hq.import")
                             .order_by(events.c.subject)).all()
    assert [(u, s) for u, s, _d in found] == [("王总", "BJ02/1"), ("王总", "SH01/1")]
    assert found[1][2]["file"] == scenario.batches["SH01"][0].name


def test_only_admin_and_network_may_import(hq: Hq, scenario: Scenario) -> None:
    hq.add_user("王总", "admin", "258000")
    hq.login("王总", "258000")
    hq.add_user("李网", "network", "135790")
    hq.add_user("赵看", "viewer", "246800")
    before = snapshot(hq)
    hq.login("赵看", "246800")
    with pytest.raises(PermissionDenied):
        hq.import_files(scenario.day(0))
    anonymous = Hq(hq.store, clock=hq.clock)
    with pytest.raises(PermissionDenied):
        anonymous.import_files(scenario.day(0))
    assert {k: v for k, v in snapshot(hq).items() if k != "hq_user"} == {
        k: v for k, v in before.items() if k != "hq_user"}
    hq.login("李网", "135790")
    assert {o.status for o in hq.import_files(scenario.day(0))[0]} == {"imported"}


@pytest.mark.parametrize("hq_url", ["sqlite"], indirect=True)
def test_cli_import_as_a_user_and_the_flag_in_its_output(
        hq: Hq, hq_url: str, scenario: Scenario, cli, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
        tmp_path: Path) -> None:
    hq.add_user("王总", "admin", "258000")
    hq.login("王总", "258000")
    hq.add_user("赵看", "viewer", "246800")
    hq.suspend_counter("SH01", "agreement lapsed")
    files = [str(p) for p in scenario.day(0)]
    refused = cli("hq", "import", *files, "--hq-db", hq_url, db=False)
    assert refused.code == 2 and "--as" in refused.err
    monkeypatch.setenv("REPAIRDESK_PIN", "246800")
    viewer = cli("--as", "赵看", "hq", "import", *files, "--hq-db", hq_url, db=False)
    assert viewer.code == 2 and "Traceback" not in viewer.err
    assert flags(hq) == {}
    monkeypatch.setenv("REPAIRDESK_PIN", "258000")
    done = cli("--as", "王总", "hq", "import", *files, "--hq-db", hq_url, db=False)
    assert done.code == 0, done.err
    sh01 = scenario.batches["SH01"][0].name
    assert (f"imported  {sh01}: counter SH01, batch 1, " in done.out
            and "rows (flagged: the counter is suspended)" in done.out)
    table = done.out.splitlines()[-2:]
    assert [line.split() for line in table] == [["BJ02", "1", "0", "-", "-", "-"],
                                                ["SH01", "1", "0", "-", "-", "suspended"]]
    as_json = cli("--as", "王总", "hq", "import", *files, "--hq-db", hq_url, "--json",
                  db=False).json()
    assert {r["counter"]: r["flag"] for r in as_json["counters"]} == {"BJ02": None,
                                                                      "SH01": "suspended"}
