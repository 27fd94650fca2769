"""`repairdesk demo` makes a counter that shows the whole app: parts that fit its phones,
in stock; loaners; a signing key (export works); users whose PINs it prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from repairdesk.demo_shop import USERS
from repairdesk.desk import Desk

from ..conftest import FrozenClock


def test_demo_command_makes_a_whole_counter(cli, store_path: Path, tmp_path: Path,
                                            clock: FrozenClock,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    made = cli("demo", "--tickets", "80", "--seed", "2")
    assert made.code == 0, made.err
    for user in USERS:  # the PINs are printed once, on the first seeding
        assert f"{user.name}" in made.out and f"PIN {user.pin}" in made.out
    again = cli("demo", "--if-empty")
    assert again.code == 0 and "PIN" not in again.out

    desk = Desk.open(store_path, clock=clock)
    try:
        assert desk.trust.count_users() == len(USERS)
        desk.trust.login(USERS[0].name, USERS[0].pin)
        open_ticket = next(t for t in desk.tickets.board(limit=1000) if t.status != "collected")
        model = desk.tickets.ticket(open_ticket.ticket).device["model"]
        fitting = desk.stock.parts(model=model)
        assert fitting, model  # F10 on a demo ticket offers parts
        assert any(p.on_hand > 0 for p in desk.stock.parts())
        assert any(p.low for p in desk.stock.parts())  # and the day end has stock to warn about
        assert len(desk.stock.loaners()) >= 3  # Ctrl+L has phones to lend
        assert desk.sync.signing_key().fingerprint
    finally:
        desk.close()
    (tmp_path / "out").mkdir()
    monkeypatch.setenv("REPAIRDESK_PIN", USERS[2].pin)  # the front desk exports
    exported = cli("export", "--out", str(tmp_path / "out"), "--as", USERS[2].name)
    assert exported.code == 0, exported.err + exported.out
    assert list((tmp_path / "out").glob("*.rdbatch"))
