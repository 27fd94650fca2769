"""The counter app loads the full facade in the background on every start (screens/app.py,
board_shown), and its peak memory counts it. Libraries that only signing, printing or
parsing a typed number need (cryptography alone is some 6 MiB) are imported where they are
used: not with the facade, nor by opening a ticket through it. That they still work where
used is what tests/unit/sync, tests/unit/printing and tests/hq check."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from repairdesk.demo import seed_demo
from repairdesk.desk import Desk
from repairdesk.phones import national

ROOT = Path(__file__).resolve().parents[3]
#: Top-level packages the facade must not bring in with it.
LAZY = ("cryptography", "phonenumbers", "stdnum", "escpos", "fpdf", "qrcode", "PIL",
        "alembic")


def loaded_after(body: str) -> list[str]:
    """The packages of LAZY imported by ``body`` run in a fresh interpreter."""
    script = textwrap.dedent(body) + textwrap.dedent(
        f"""
        import json, sys
        print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & {set(LAZY)!r})))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_importing_the_facade_leaves_the_rarely_used_libraries_unloaded() -> None:
    assert loaded_after("import repairdesk.desk") == []


def test_opening_a_ticket_through_the_full_facade_loads_none_of_them(
        desk: Desk, store_path: Path) -> None:
    seed_demo(desk, tickets=40, seed=3)
    desk.close()
    # What the ticket screen reads (screens/ticket.py, reload), the phone masked as shown.
    found = loaded_after(
        f"""
        from pathlib import Path
        from repairdesk.desk import Desk
        from repairdesk.phones import mask

        desk = Desk.open(Path({str(store_path)!r}))
        number = desk.tickets.board_view().rows[0].ticket
        view = desk.tickets.ticket(number)
        desk.tickets.decision(number); desk.tickets.deadlines(number); desk.tickets.checklist(number)
        desk.printing.printed_slips(number); desk.money.ticket_money(number)
        mask(view.customer["phone"])
        desk.close()
        """
    )
    assert found == []


def test_a_mainland_number_is_masked_as_phonenumbers_reads_it() -> None:
    import phonenumbers

    for e164 in ("+8613800138000", "+862164000000", "+86105551234", "+8675512345678"):
        parsed = phonenumbers.parse(e164)
        assert national(e164) == phonenumbers.national_significant_number(parsed), e164
    assert national("+14155552671") == "4155552671"  # others go through phonenumbers
