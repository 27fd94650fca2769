"""Who may do what (issue 15, section C): one table in the code and the README; every
state-changing command runs as an identified user once the counter has users; manager-only
actions; the demo only on a demo store; reserved and look-alike names; owner-only files;
managers' PINs of 6 digits."""

from __future__ import annotations

import inspect
import json
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repairdesk import permissions, users
from repairdesk.backup import backup
from repairdesk.cli.twins import TWINS
from repairdesk.desk import Desk
from repairdesk.errors import InputError
from repairdesk.money.facade import MoneyDesk
from repairdesk.money.parts_desk import PartsDesk
from repairdesk.money.stock_desk import StockDesk
from repairdesk.printing.facade import PrintingDesk
from repairdesk.sync import keys
from repairdesk.sync.facade import SyncDesk
from repairdesk.sync.settlement_desk import SettlementDesk
from repairdesk.tickets.facade import TicketDesk
from repairdesk.trust import PermissionDenied, TrustDesk
from repairdesk.use_cases import USE_CASES

from ...conftest import INTAKE, FrozenClock
from ..sync.test_packs import content, write
from ..test_cli_use_cases import _commands

ROOT = Path(__file__).resolve().parents[3]
MANAGER, TECH, FRONT = ("王店长", "246800"), ("李工", "1357"), ("小陈", "2468")
AREAS = {"tickets": TicketDesk, "money": MoneyDesk, "stock": StockDesk,
         "printing": PrintingDesk, "sync": SyncDesk, "settlement": SettlementDesk,
         "parts": PartsDesk,
         "trust": TrustDesk, "desk": Desk}
#: What writes the store (or the counter's files) in a method's source or its helpers'.
WRITES = ("store.write()", "export.export_batch(", "export.export_again(")


def staff(desk: Desk) -> None:
    desk.trust.add_user(MANAGER[0], "manager", MANAGER[1])
    desk.trust.login(*MANAGER)
    desk.trust.add_user(TECH[0], "technician", TECH[1])
    desk.trust.add_user(FRONT[0], "front_desk", FRONT[1])


# -- the table ----------------------------------------------------------------------------


def _reach(cls: type, name: str, depth: int = 2) -> str:
    """The source of ``cls.name`` and of the private methods it calls (``depth`` deep)."""
    source = inspect.getsource(getattr(cls, name))
    if depth:
        for helper in set(re.findall(r"self\.(_\w+)\(", source)):
            if callable(getattr(cls, helper, None)):
                source += _reach(cls, helper, depth - 1)
    return source


def test_every_method_that_writes_checks_the_table() -> None:
    unchecked = []
    for area, cls in AREAS.items():
        for name, member in vars(cls).items():
            if name.startswith("_") or not inspect.isfunction(member):
                continue
            source = _reach(cls, name)
            if any(w in source for w in WRITES) and ".require(" not in source:
                unchecked.append(f"{area}.{name}")
    assert unchecked == ["trust.login"]  # the login itself: it is what identifies the user


def test_every_action_checked_is_a_row_and_every_row_is_checked_and_commanded() -> None:
    checked = set()
    for path in (ROOT / "repairdesk").rglob("*.py"):
        checked |= set(re.findall(r"(?:require\(|identified\(|allows\(|action=)\s*\"([\w.]+)\"",
                                  path.read_text(encoding="utf-8")))
    rules = (*permissions.RULES, *permissions.HQ_RULES)
    actions = {r.action for r in rules}
    assert checked - actions == set()
    assert actions - checked == set()
    assert {r.command for r in rules if r.command} - _commands() == set()
    # A use case's row names its command-line twin.
    assert {r.action: r.command for r in permissions.RULES if r.action in USE_CASES} == {
        case: TWINS[case] for case in USE_CASES if case in actions}


def test_the_readme_holds_the_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Who may do what" in readme
    assert permissions.markdown() in readme
    assert "### Who may do what at HQ" in readme
    assert permissions.hq_markdown() in readme


# -- the command line: --as -------------------------------------------------------------


def test_each_state_changing_command_runs_only_as_an_identified_user(
        cli, desk: Desk, store_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    number = desk.tickets.intake(INTAKE).ticket
    desk.sync.ensure_signing_key()
    staff(desk)
    earlier = backup(store_path, tmp_path / "earlier.sqlite3").path
    hq_key = keys.create_private_key(tmp_path / "hq.key")
    forged = write(tmp_path, 1, hq_key, content())  # "HQ's" pack, signed by anyone's key
    stick = tmp_path / "stick"
    stick.mkdir()
    commands = {
        "ticket move": (["ticket", "move", number, "diagnosing"], None),
        "intake": (["intake", "-", "--allow-open"], json.dumps(INTAKE)),
        "export": (["export", "--out", str(stick)], None),
        "backup": (["backup", "--to", str(tmp_path / "now.sqlite3")], None),
        "key trust-hq": (["key", "trust-hq", keys.public_key_text(hq_key)], None),
        "apply": (["apply", str(forged)], None),
        "init": (["init", "--counter", "SH01", "--name", "改名网点"], None),
        "restore": (["restore", str(earlier)], None),
    }
    for name, (args, stdin) in commands.items():
        refused = cli(*args, stdin=stdin)
        assert refused.code == 2 and "--as" in refused.err, name
    assert desk.tickets.ticket(number).status == "received"
    assert desk.tickets.count_tickets() == 1 and not list(stick.iterdir())
    assert not (tmp_path / "now.sqlite3").exists() and desk.counter().name == "徐汇网点"

    monkeypatch.setenv("REPAIRDESK_PIN", TECH[1])
    manager_only = ("key trust-hq", "apply", "init", "restore")
    for name, (args, stdin) in commands.items():
        run = cli(*args, "--as", TECH[0], stdin=stdin)
        if name in manager_only:
            assert run.code == 1 and "only a manager" in run.err, name
        else:
            assert run.code == 0, (name, run.err)
    assert desk.tickets.ticket(number).moves[-1].user == TECH[0]  # who moved it
    assert len(list(stick.glob("*.rdbatch"))) == 1 and (tmp_path / "now.sqlite3").exists()
    with sqlite3.connect(store_path) as raw:  # the forged key was never trusted
        assert raw.execute("select count(*) from sync_hq_key").fetchone() == (0,)

    monkeypatch.setenv("REPAIRDESK_PIN", MANAGER[1])
    desk.close()  # a restore wants the store to itself (the app's lock)
    for name in manager_only:
        args, stdin = commands[name]
        run = cli(*args, "--as", MANAGER[0], stdin=stdin)
        assert run.code == 0, (name, run.err)


def test_without_users_every_command_runs_as_the_counter(cli, desk: Desk) -> None:
    assert cli("intake", "-", stdin=json.dumps(INTAKE)).code == 0
    number = desk.tickets.board()[0].ticket
    assert cli("ticket", "move", number, "diagnosing").code == 0
    assert desk.tickets.ticket(number).moves[-1].user == users.NO_USER


def test_a_user_called_counter_gets_nothing_without_a_pin(cli, desk: Desk,
                                                         store_path: Path) -> None:
    number = desk.tickets.intake(INTAKE).ticket
    staff(desk)
    # A store made before the name was reserved may hold one.
    with sqlite3.connect(store_path) as raw:
        raw.execute("insert into user (name, role, pin_hash, active, failed_pins, created_at)"
                    " values ('counter', 'manager', ?, 1, 0, '2026-11-01 00:00:00')",
                    (users.hash_pin("999999"),))
    moved = cli("ticket", "move", number, "cancelled")
    assert moved.code == 2 and "--as" in moved.err
    anonymous = Desk.open(store_path)  # who acts when nobody logged in: the counter
    try:
        with pytest.raises(PermissionDenied):
            anonymous.tickets.void(number, "重复录入")
    finally:
        anonymous.close()
    assert desk.tickets.ticket(number).status == "received"


# -- manager only, the demo ---------------------------------------------------------------


def test_the_manager_actions_refuse_the_others(desk: Desk) -> None:
    number = desk.tickets.intake(INTAKE).ticket
    staff(desk)
    forged = keys.public_key_text(keys.create_private_key(desk.store.path.with_name("k")))
    for name, pin in (TECH, FRONT):
        desk.trust.login(name, pin)
        for action in (lambda: desk.tickets.void(number, "误录"),
                       lambda: desk.trust.add_user("新人", "front_desk", "1234"),
                       lambda: desk.trust.reset_pin(MANAGER[0], "135799"),
                       lambda: desk.sync.trust_hq(forged)):
            with pytest.raises(PermissionDenied) as err:
                action()
            assert "only a manager" in err.value.message and name in err.value.message
    assert desk.tickets.ticket(number).status == "received"


def test_demo_writes_only_to_a_demo_store(cli, desk: Desk, tmp_path: Path) -> None:
    refused = cli("demo", "--tickets", "5")  # --db: this counter's store
    assert refused.code == 2 and "--db" in refused.err
    assert desk.tickets.count_tickets() == 0 and desk.trust.count_users() == 0
    own = tmp_path / "xdg-data" / "repairdesk" / "store.sqlite3"  # not made yet
    assert cli("demo", "--tickets", "5", "--db", str(own), db=False).code == 2
    assert not own.exists()
    scratch = tmp_path / "scratch.sqlite3"  # a new file is a demo store from then on
    assert cli("demo", "--tickets", "3", "--db", str(scratch), db=False).code == 0
    assert cli("demo", "--if-empty", "--db", str(scratch), db=False).code == 0


# -- names, PINs ----------------------------------------------------------------------------


def test_reserved_and_look_alike_names_are_refused(desk: Desk) -> None:
    for name in ("counter", "Counter", "ＣＯＵＮＴＥＲ", "co\u200bunter", "admin", "manager",
                 "соunter"):  # the last with a Cyrillic с and о
        with pytest.raises(InputError) as err:
            desk.trust.add_user(name, "technician", "246800")
        assert err.value.field == "name", name
    desk.trust.add_user("boss", "manager", "246800")
    desk.trust.login("boss", "246800")
    for look in ("Boss", "ВОSS", "bοss", "ｂｏｓｓ", "bo ss", "bóss", "b0ss"):
        with pytest.raises(InputError) as err:
            desk.trust.add_user(look, "technician", "1357")
        assert "boss" in err.value.reason, look
    with pytest.raises(InputError) as err:
        desk.trust.add_user("李工\u200d", "technician", "1357")
    assert "invisible" in err.value.reason
    assert desk.trust.add_user("李工", "technician", "1357").name == "李工"
    assert [u.name for u in desk.trust.list_users()] == ["boss", "李工"]


VARIANTS = {"b": "bBｂＢвВβ", "o": "oOｏＯ0оОοΟóò", "s": "sSｓＳѕЅ"}
HIDDEN = ["", "\u200b", "\u200d", "\u2060", "\ufeff", " ", "\u202e"]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 11), st.sampled_from(HIDDEN)),
                min_size=4, max_size=4))
def test_no_look_alike_of_an_existing_name_gets_in(desk: Desk,
                                                   picks: list[tuple[int, str]]) -> None:
    if not desk.trust.count_users():
        desk.trust.add_user("boss", "manager", "246800")
        desk.trust.login("boss", "246800")
    name = "".join(VARIANTS[letter][i % len(VARIANTS[letter])] + gap
                   for letter, (i, gap) in zip("boss", picks, strict=True))
    with pytest.raises(InputError) as err:
        desk.trust.add_user(name, "technician", "1357")
    assert err.value.field == "name"
    assert desk.trust.count_users() == 1


def test_a_manager_pin_has_at_least_six_digits(cli, desk: Desk,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for role in ("manager", "technician"):  # the first user is the manager, whatever asked
        with pytest.raises(InputError) as err:
            desk.trust.add_user("boss", role, "2580")
        assert err.value.field == "pin" and "6" in err.value.reason
    monkeypatch.setenv("REPAIRDESK_NEW_PIN", "2580")
    refused = cli("user", "add", "boss", "--role", "manager")
    assert refused.code == 2 and "PIN" in refused.err and desk.trust.count_users() == 0
    desk.trust.add_user("boss", "manager", "258000")
    desk.trust.login("boss", "258000")
    desk.trust.add_user("tech", "technician", "1357")  # the others: 4 to 8 digits, as before
    with pytest.raises(InputError):
        desk.trust.add_user("boss2", "manager", "1234")
    with pytest.raises(InputError):
        desk.trust.reset_pin("boss", "1234")
    desk.trust.reset_pin("tech", "2468")
    assert desk.trust.login("tech", "2468").name == "tech"


# -- owner-only files -----------------------------------------------------------------------


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_the_counters_files_are_owner_only_whatever_the_umask(
        umask_022: None, tmp_path: Path, clock: FrozenClock) -> None:
    from repairdesk.cli import write_crash_log

    path = tmp_path / "shop" / "store.sqlite3"
    desk = Desk.open(path, clock=clock)
    try:
        desk.init_counter("SH01", "徐汇网点")
        desk.sync.ensure_signing_key()
        desk.tickets.intake(INTAKE)
        stick = tmp_path / "stick"
        stick.mkdir()
        batch = Path(desk.sync.export_batch(stick).path)
        copy = backup(path).path
        files = [path, path.with_name("store.sqlite3-wal"), path.with_name("store.sqlite3-shm"),
                 desk.sync.signing_key_path(), batch, copy]
        assert {str(f): mode(f) for f in files} == {str(f): 0o600 for f in files}
        assert mode(path.parent) == mode(copy.parent) == 0o700
    finally:
        desk.close()
    log = Path(write_crash_log(RuntimeError("boom")))
    assert (mode(log), mode(log.parent)) == (0o600, 0o700)
    path.chmod(0o644)  # a store left readable by others is tightened when it is opened
    Desk.open(path).close()
    assert mode(path) == 0o600


def test_the_cli_makes_an_owner_only_store_under_umask_022(umask_022: None, cli,
                                                            store_path: Path) -> None:
    assert cli("init", "--counter", "SH01", "--name", "徐汇网点").code == 0
    assert mode(store_path) == 0o600
    assert mode(store_path.with_name(store_path.name + ".signing-key")) == 0o600
    assert os.umask(0o022) == 0o022  # the command gave the process's umask back (the fixture)
