"""Render the README's slip pictures from the demo store: ``.venv/bin/python docs/render_slips.py``.

Deterministic: the demo is seeded (300 tickets, seed 1) on a frozen counter clock, so the
same tickets are picked every time. Needs pdftoppm (Debian: poppler-utils).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from repairdesk import i18n  # noqa: E402
from repairdesk.demo import seed_demo  # noqa: E402
from repairdesk.desk import Desk  # noqa: E402

NOW = datetime(2026, 11, 21, 10, 30, tzinfo=timezone(timedelta(hours=8)))


def _png(pdf: bytes, name: str, dpi: int) -> Path:
    target = ROOT / "docs" / name
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "slip.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(source),
                        str(target.with_suffix(""))], check=True)
    return target


def main() -> None:
    i18n.set_language("zh")
    with tempfile.TemporaryDirectory() as tmp:
        desk = Desk.open(Path(tmp) / "demo.sqlite3", clock=lambda: NOW, user="前台")
        try:
            seed_demo(desk, tickets=300, seed=1)
            board = desk.tickets.board(limit=1000)
            # The intake slip: a phone taken in for a listed fault, with accessories.
            intake = next(
                t.ticket for t in board
                if t.status in ("received", "diagnosing") and "display" in t.faults
                and len(desk.tickets.ticket(t.ticket).accessories) >= 2 and t.customer[0] >= "\u4e00"
                and desk.tickets.warranty(t.ticket, on=t.created.date())["covered"]
            )
            # The repair record: a phone that went back repaired, its record filled in.
            record = next(n for n in _collected(desk)
                          if (r := desk.tickets.ticket(n).repair) and r.cause and r.action)
            for path in (
                _png(desk.printing.render_slip(intake, "intake", "pdf", 80), "intake-slip-80mm.png", 150),
                _png(desk.printing.render_slip(record, "record", "pdf"), "repair-record-a5.png", 130),
            ):
                print(path.relative_to(ROOT))
        finally:
            desk.close()


def _collected(desk: Desk) -> list[str]:
    """Every collected demo ticket, oldest first (the board shows only open and today's)."""
    from sqlmodel import col, select

    from repairdesk.models import Ticket

    with desk.store.read() as s:
        return list(s.exec(select(Ticket.number).where(Ticket.status == "collected")
                           .order_by(col(Ticket.created_at))))


if __name__ == "__main__":
    main()
