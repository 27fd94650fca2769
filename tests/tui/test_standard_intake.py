"""The standard intake (README.md, "A short tour") in at most 52 keystrokes, no mouse: the exact key sequence
of tests/tui/measure_intake.py, and what it stored and printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from repairdesk.desk import Desk
from repairdesk.i18n import _
from tests.tui.conftest import settle
from tests.tui.measure_intake import IMEI, STANDARD, drive, keystrokes


def test_the_standard_intake_takes_at_most_52_keystrokes() -> None:
    assert sum(keystrokes(keys) for _what, keys in STANDARD) <= 52


async def test_the_standard_intake_stores_and_prints_what_was_asked(
        desk: Desk, make_app, lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    printer = tmp_path / "lp0"
    printer.touch()
    config = tmp_path / "counter.toml"
    config.write_text(f'printer = "file:{printer}"\nprint_format = "text"\n', encoding="utf-8")
    monkeypatch.setenv("REPAIRDESK_CONFIG", str(config))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await drive(pilot, STANDARD)
        await settle(pilot)
    (number,) = [t.ticket for t in desk.tickets.board()]
    view = desk.tickets.ticket(number)
    assert view.customer == {"name": "李娜", "phone": "+8613912345678"}
    assert view.device["imei"] == IMEI
    assert view.faults == ["display", "charger_fault"]
    assert view.accessories == ["battery", "back_cover", "sim_tray"]
    assert view.condition == {"marks": ["scratches"], "liquid_indicator": "unknown",
                              "opened_before": False, "notes": ""}
    assert str(view.device["sale_date"]) == "2026-11-15"  # six days before 2026-11-21
    assert view.device["proof"] == "full"
    assert [(p.slip, p.ok) for p in desk.printing.printed_slips(number)] == [("intake", True)]
    slip = printer.read_bytes().decode("gb18030")  # a file printer is a thermal printer's
    assert number in slip and "李娜" in slip and IMEI in slip
    assert "2027-11-15" in slip  # the 三包 period, a year from the sale date
    for name in (_("fault.display"), _("accessory.battery"), _("accessory.sim_tray"),
                 _("mark.scratches")):
        assert name[:8] in slip
