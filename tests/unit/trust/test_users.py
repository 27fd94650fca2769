"""Users, roles and PINs: salted scrypt, lock-out, manager-only user changes."""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from repairdesk.desk import Desk
from repairdesk.errors import InputError
from repairdesk.trust import PermissionDenied

from ...conftest import FrozenClock


def test_first_user_is_manager_and_pins_are_salted_hashes(desk: Desk, store_path: Path) -> None:
    first = desk.trust.add_user("王店长", "technician", "246800")
    assert first.role == "manager"
    desk.trust.login("王店长", "246800")
    desk.trust.add_user("李工", "technician", "246800")
    with sqlite3.connect(store_path) as raw:
        hashes = [r[0] for r in raw.execute("select pin_hash from user")]
    assert all(h.startswith("scrypt$") and "246800" not in h for h in hashes)
    assert hashes[0] != hashes[1]  # same PIN, different salt


def test_only_a_manager_changes_users(desk: Desk) -> None:
    desk.trust.add_user("boss", "manager", "111111")
    desk.trust.login("boss", "111111")
    desk.trust.add_user("tech", "technician", "2222")
    desk.trust.login("tech", "2222")
    with pytest.raises(PermissionDenied) as err:
        desk.trust.add_user("intruder", "manager", "3333")
    assert "manager" in err.value.message and "tech" in err.value.message
    with pytest.raises(PermissionDenied):
        desk.trust.reset_pin("boss", "4444")
    assert [u.name for u in desk.trust.list_users()] == ["boss", "tech"]


def test_a_wrong_pin_slows_the_next_try_instead_of_locking_out(desk: Desk,
                                                              clock: FrozenClock) -> None:
    desk.trust.add_user("boss", "manager", "222222")
    waits = []
    for _ in range(8):
        with pytest.raises(InputError) as err:
            desk.trust.login("boss", "000000")
        waits.append(int(re.search(r"in (\d+) s", err.value.reason).group(1)))  # type: ignore[union-attr]
        # Inside the wait even the right PIN is refused, unchecked: the wait is not lengthened.
        with pytest.raises(InputError) as early:
            desk.trust.login("boss", "222222")
        assert f"wait {waits[-1]} s" in early.value.reason
        clock.now += timedelta(seconds=waits[-1])
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60]  # capped: never a lock-out
    assert desk.trust.login("boss", "222222").name == "boss"  # right after the wait
    with pytest.raises(InputError) as err:
        desk.trust.login("boss", "000000")
    assert "in 1 s" in err.value.reason  # a good login starts the count again


def test_bad_pins_and_roles_are_refused(desk: Desk) -> None:
    for pin in ("12", "abcd", "123456789", "12 34"):
        with pytest.raises(InputError) as err:
            desk.trust.add_user("x", "technician", pin)
        assert err.value.field == "pin"
    with pytest.raises(InputError) as err:
        desk.trust.add_user("x", "boss", "1234")
    assert err.value.field == "role"
    assert desk.trust.count_users() == 0


def test_user_cli(cli, desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRDESK_NEW_PIN", "999999")
    assert cli("user", "add", "boss", "--role", "manager").code == 0
    refused = cli("user", "add", "tech")  # a second user needs --as a manager
    assert refused.code == 2 and "--as" in refused.err
    monkeypatch.setenv("REPAIRDESK_PIN", "999999")
    assert cli("user", "add", "tech", "--as", "boss").code == 0
    monkeypatch.setenv("REPAIRDESK_PIN", "0000")
    wrong = cli("user", "disable", "tech", "--as", "boss")
    assert wrong.code == 2 and "PIN" in wrong.err
    users = cli("user", "list", "--json").json()
    assert [(u["name"], u["role"], u["active"]) for u in users] == [
        ("boss", "manager", True), ("tech", "technician", True)]
