"""Checking an ORDS v0.3 export: Frictionless against the strict table schema, then the four
cross-field rules a table schema cannot express (shared by the counter and HQ tests)."""

from __future__ import annotations

import csv
from pathlib import Path

from frictionless import Resource, Schema, system

from repairdesk.paths import data_dir
from repairdesk.sync.ords import HEADER

SCHEMA = data_dir() / "ords" / "ords_v0.3_tableschema_strict.json"
CATEGORIES = data_dir() / "ords" / "OpenRepairData_v0.3_Product_Categories.csv"


def check_ords(path: Path) -> list[dict[str, str]]:
    """The rows of a valid export; fails the test with every error otherwise."""
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
    with system.use_context(trusted=True):
        report = Resource(path=str(path), schema=Schema.from_descriptor(str(SCHEMA))).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == HEADER
        rows = list(reader)
    with CATEGORIES.open(encoding="utf-8", newline="") as fh:
        names = {r["product_category_id"]: r["product_category"] for r in csv.DictReader(fh)}
    for row in rows:
        # 1. A barrier only with End of life.
        assert (row["repair_barrier_if_end_of_life"] != "") <= (
            row["repair_status"] == "End of life"), row
        # 2. The category id names the category.
        assert names[row["product_category_id"]] == row["product_category"], row
        # 3. The age agrees (±1 year) with the year of manufacture.
        if row["year_of_manufacture"] and row["product_age"]:
            expected = int(row["event_date"][:4]) - int(row["year_of_manufacture"])
            assert abs(float(row["product_age"]) - expected) <= 1, row
    # 4. Ids are unique.
    assert len({r["id"] for r in rows}) == len(rows)
    return rows
