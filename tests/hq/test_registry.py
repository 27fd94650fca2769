"""The network's registry and HQ's people, through the command line as HQ runs it, on
SQLite and PostgreSQL: what is stored, what is refused (exit 2, the field named by its
label, nothing changed), who may do what."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repairdesk.hq import schema
from repairdesk.hq.facade import Hq
from repairdesk.sync.ords import CHINA_TZ
from tests.hq.helpers import HQ_NOW, Scenario, snapshot

ADMIN, NETWORK, VIEWER = ("王总", "135790"), ("李经理", "2468"), ("小赵", "1357")
#: The command line runs on the real clock: its dates are set from today in China.
TODAY = datetime.now(CHINA_TZ).date()


@pytest.fixture
def staffed(hq_url: str, tmp_path: Path) -> Hq:
    setup = Hq.open(hq_url, check=False, clock=lambda: HQ_NOW)
    setup.init(tmp_path / "hq.key")
    setup.add_user(ADMIN[0], "viewer", ADMIN[1])  # the first user is the admin all the same
    setup.login(*ADMIN)
    setup.add_user(NETWORK[0], "network", NETWORK[1])
    setup.add_user(VIEWER[0], "viewer", VIEWER[1])
    return setup


def hq_cli(cli: Any, monkeypatch: pytest.MonkeyPatch, url: str, who: tuple[str, str] | None,
           *args: str) -> Any:
    if who:
        monkeypatch.setenv("REPAIRDESK_PIN", who[1])
        return cli("--as", who[0], "hq", *args, "--hq-db", url, db=False)
    monkeypatch.delenv("REPAIRDESK_PIN", raising=False)
    return cli("hq", *args, "--hq-db", url, db=False)


def test_the_first_user_is_the_admin_and_roles_are_one_table(staffed: Hq) -> None:
    assert {(u.name, u.role) for u in staffed.users()} == {
        (ADMIN[0], "admin"), (VIEWER[0], "viewer"), (NETWORK[0], "network")}
    viewer = Hq.open(staffed.store.url, clock=lambda: HQ_NOW)
    viewer.login(*VIEWER)
    before = snapshot(viewer)
    with pytest.raises(Exception) as refused:
        viewer.add_counter("SZ01", "南山")
    assert "needs admin or network manager" in str(refused.value)
    assert snapshot(viewer) == before
    viewer.close()


def test_a_registered_counter_with_every_field(staffed: Hq, cli: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    url = staffed.store.url
    added = hq_cli(cli, monkeypatch, url, NETWORK, "counter", "add", "sz01", "--name", "深圳南山站",
                   "--level", "gold", "--region", "440305", "--person", "李四",
                   "--phone", "13800138000", "--address", "南山大道 1 号",
                   "--agreement-start", "2026-01-01",
                   "--agreement-end", (TODAY + timedelta(days=19)).isoformat(),
                   "--credit-multiple", "3", "--json")
    assert added.code == 0, added.err
    assert added.json() | {"created_at": None} == {
        "code": "SZ01", "name": "深圳南山站", "level": "gold", "level_name": "Gold station",
        "region": "440305", "region_name": "Nanshan District, Shenzhen City, Guangdong Province",
        "region_short": "Nanshan District", "parent": None, "agent": None, "person": "李四",
        "phone": "+8613800138000", "address": "南山大道 1 号", "agreement_start": "2026-01-01",
        "agreement_end": (TODAY + timedelta(days=19)).isoformat(), "deposit": "0.00",
        "credit_multiple": "3.00", "state": "active", "state_since": TODAY.isoformat(),
        "trusted": False, "fingerprint": None,
        "created_at": None, "history": []}
    county = hq_cli(cli, monkeypatch, url, NETWORK, "counter", "add", "SZ02", "--name", "福田站",
                    "--authorised-by", "SZ01", "--region", "440304", "--level", "a",
                    "--agreement-end", (TODAY + timedelta(days=200)).isoformat())
    assert county.code == 0, county.err
    shown = hq_cli(cli, monkeypatch, url, None, "counter", "show", "SZ02", "--lang", "zh")
    assert "广东省 深圳市 福田区" in shown.out and "A级服务站" in shown.out
    in_city = hq_cli(cli, monkeypatch, url, None, "counter", "list", "--region", "440300",
                     "--json").json()
    assert [c["code"] for c in in_city] == ["SZ01", "SZ02"]
    assert [c["code"] for c in hq_cli(cli, monkeypatch, url, None, "counter", "list",
                                      "--level", "a", "--json").json()] == ["SZ02"]
    # SZ01's agreement ends in 19 days, SZ02's in 200.
    expiring = hq_cli(cli, monkeypatch, url, None, "counter", "list", "--expiring", "30")
    assert "SZ01" in expiring.out and "SZ02" not in expiring.out and "19" in expiring.out
    events = staffed.events(subject="SZ01")
    assert [(e["user"], e["action"]) for e in events] == [(NETWORK[0], "hq.add_counter")]


def test_state_changes_keep_their_day_reason_and_who(staffed: Hq, cli: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    url = staffed.store.url
    staffed.add_counter("SZ01", "南山")
    steps = [("suspend", "押金不足"), ("resume", "已补交"), ("retire", "协议终止")]
    for verb, reason in steps:
        done = hq_cli(cli, monkeypatch, url, NETWORK, "counter", verb, "SZ01", "--reason", reason)
        assert done.code == 0, done.err
    again = hq_cli(cli, monkeypatch, url, NETWORK, "counter", "resume", "SZ01", "--reason", "x")
    assert again.code == 2 and "State: SZ01 is retired: it cannot become active" in again.err
    history = staffed.counter("SZ01").history
    assert [(h["state"], h["reason"], h["by"]) for h in history] == [
        ("suspended", "押金不足", NETWORK[0]), ("active", "已补交", NETWORK[0]),
        ("retired", "协议终止", NETWORK[0])]
    assert all(h["on"] == TODAY.isoformat() for h in history)


@pytest.mark.parametrize(("args", "message"), [
    (("--region", "999999"), "Region: no administrative division has the code “999999”"),
    (("--region", "44"), "Region: “44” is not a region code"),
    (("--agreement-start", "2026-05-01", "--agreement-end", "2026-04-30"),
     "Agreement until: the agreement would end on 2026-04-30, before it starts on 2026-05-01"),
    (("--level", "platinum"), "Level: “platinum” is not one of: diamond, gold, a, general"),
    (("--authorised-by", "XX99"), "Authorised by (counter): no counter is registered"),
    (("--phone", "12"), "Phone:"),
    (("--credit-multiple", "-1"), "Credit multiple:"),
    (("--name", "\x1b[2J"), "Counter name:"),
])
def test_bad_input_names_the_field_and_changes_nothing(
        staffed: Hq, cli: Any, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...],
        message: str) -> None:
    before = snapshot(staffed)
    name = () if "--name" in args else ("--name", "新站")
    done = hq_cli(cli, monkeypatch, staffed.store.url, NETWORK, "counter", "add", "SZ09",
                  *name, *args)
    assert done.code == 2 and message in done.err, done.err
    assert "\x1b" not in done.err and "Traceback" not in done.err
    assert snapshot(staffed) == before


def test_who_may_do_what_at_the_command_line(staffed: Hq, cli: Any,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    url = staffed.store.url
    before = snapshot(staffed)
    anonymous = hq_cli(cli, monkeypatch, url, None, "counter", "add", "SZ01", "--name", "x")
    assert anonymous.code == 2 and "--as" in anonymous.err
    viewer = hq_cli(cli, monkeypatch, url, VIEWER, "counter", "add", "SZ01", "--name", "x")
    assert viewer.code == 2 and "小赵 is a viewer: this needs admin or network manager" in viewer.err
    network = hq_cli(cli, monkeypatch, url, NETWORK, "user", "add", "新人", "--role", "care")
    assert network.code == 2 and "this needs admin" in network.err
    wrong_pin = hq_cli(cli, monkeypatch, url, (NETWORK[0], "0000"), "counter", "add", "SZ01",
                       "--name", "x")
    assert wrong_pin.code == 2 and "PIN" in wrong_pin.err
    assert {k: v for k, v in snapshot(staffed).items() if k != "hq_user"} == {
        k: v for k, v in before.items() if k != "hq_user"}
    # A read needs nobody.
    assert hq_cli(cli, monkeypatch, url, None, "counter", "list", "--json").json() == []


def test_trust_needs_a_registered_counter(staffed: Hq, scenario: Scenario, cli: Any,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    url, key = staffed.store.url, scenario.public_keys["SH01"]
    refused = hq_cli(cli, monkeypatch, url, NETWORK, "trust", "SH01", key)
    assert refused.code == 2 and "SH01 is not in the registry" in refused.err
    staffed.add_counter("SH01", "徐汇网点")
    assert hq_cli(cli, monkeypatch, url, NETWORK, "trust", "SH01", key).code == 0
    assert staffed.counter("SH01").trusted


def test_batches_of_a_suspended_counter_are_imported(hq: Hq, scenario: Scenario) -> None:
    hq.suspend_counter("SH01", "押金不足")
    outcomes, _gaps = hq.import_files(scenario.day(0))
    assert {o.counter: o.status for o in outcomes} == {"SH01": "imported", "BJ02": "imported"}


@settings(max_examples=40, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(field=st.sampled_from(["name", "person", "address", "agent", "phone", "region",
                              "agreement_end", "credit_multiple", "level"]),
       value=st.text(max_size=60))
def test_any_typed_value_is_stored_as_checked_or_refused_whole(
        tmp_path_factory: pytest.TempPathFactory, field: str, value: str) -> None:
    path = tmp_path_factory.getbasetemp() / "hq-typed.sqlite3"  # one database for all examples
    if not path.exists():
        setup = Hq.open(str(path), check=False, clock=lambda: HQ_NOW)
        setup.init(path.with_suffix(".key"))
        setup.close()
    hq = Hq.open(str(path), clock=lambda: HQ_NOW)
    try:
        before = snapshot(hq)
        try:
            view = hq.add_counter("SZ77", "站" if field != "name" else value, **(
                {} if field == "name" else {field: value}))
        except Exception as exc:
            from repairdesk.errors import InputError

            assert isinstance(exc, InputError), repr(exc)
            assert exc.label != exc.field or exc.field.startswith("--")
            assert snapshot(hq) == before
            return
        stored = view.to_dict()
        assert "\x00" not in str(stored) and "\x1b" not in str(stored)
        table, events = schema.table("hq_counter"), schema.table("hq_event")
        with hq.store.write() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 1
            conn.execute(sa.delete(table))
            conn.execute(sa.delete(events))
    finally:
        hq.close()
