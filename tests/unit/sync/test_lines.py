"""SQLite writes each exported row's JSON line (repairdesk/sync/lines.py): the bytes must be
those the Python encoder wrote from the values SQLAlchemy reads, whatever the store holds."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import func, select

from repairdesk import audit
from repairdesk.demo import seed_demo
from repairdesk.desk import Desk
from repairdesk.models import RepairRecord, Ticket
from repairdesk.sync import batch
from repairdesk.sync.tables import export_tables, to_json
from tests.unit.sync.factory import intake_doc

AWKWARD_TEXT = 'quote " backslash \\ newline \n tab \t bell \x07 unit \x1f del \x7f \u2028 中文 😀'


def python_lines(desk: Desk) -> dict[str, bytes]:
    """Every table's member as the export wrote it before SQLite did (all rows, by key)."""
    members = {}
    with desk.store.read() as s:
        conn = s.connection()
        for t in export_tables():
            query = sa.select(*(t.table.c[c] for c in t.columns)).order_by(
                *(t.table.c[c] for c in t.key))
            members[t.name] = b"".join(
                batch.json_line({c: to_json(v) for c, v in zip(t.columns, row)})
                for row in conn.execute(query))
    return members


def test_lines_are_the_python_encoders_bytes(keyed: Desk, stick: Path) -> None:
    keyed.tickets.intake(intake_doc(1))
    keyed.tickets.intake(intake_doc(2))
    seed_demo(keyed, tickets=20, seed=5)
    with sqlite3.connect(keyed.store.path) as raw:
        # Values no screen writes, as other writers (bulk seeders, old versions, hand
        # repairs) may have left them: escapes, unsorted and nested documents, numbers,
        # times without a fraction or with a zero one, booleans stored as 2.
        raw.execute(
            "update ticket set description = ?, condition = ?, accessories = ?, faults = ?, "
            "created_at = '2026-11-21 10:00:00', updated_at = '2026-11-21 10:00:00.000000' "
            "where id = 1",
            (AWKWARD_TEXT,
             '{"z": 1, "a": {"y": [1, 2.5, "\\u4e2d"], "b": null}, "m": true, "e": "\\u00e9"}',
             '["\\u00e9", "tab\\t", "x"]', '[1.5, 2, -3, true, null, "ok"]'))
        # A tab in a name: refused at intake now (repairdesk/freetext.py), still exported.
        raw.execute("update customer set name = '张\t伟' where id = "
                    "(select customer_id from ticket where id = 1)")
        raw.execute("update ticket set condition = '{}', accessories = '[]', "
                    "created_at = '2026-11-21 10:00:00.000100' where id = 2")
        raw.execute("update repair_record set warranty = 2, cause = ? where id = "
                    "(select min(id) from repair_record)", (AWKWARD_TEXT,))
    with keyed.store.write() as s:  # bound to the trail, or the export would refuse them
        audit.record_inserted(s, "ticket", [1, 2])
        audit.record_inserted(s, "customer", [s.exec(select(Ticket.customer_id).where(
            Ticket.id == 1)).one()])
        audit.record_inserted(s, "repair_record", [s.exec(select(func.min(RepairRecord.id))).one()])
    result = keyed.sync.export_batch(stick)
    expected = python_lines(keyed)
    with zipfile.ZipFile(result.path) as zf:
        found = {t.name: zf.read(f"{t.name}.jsonl") for t in export_tables()}
    assert found["ticket"].count(b"\n") == 22
    for name, data in expected.items():
        assert found[name] == data, name
