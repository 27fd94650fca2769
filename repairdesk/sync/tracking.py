"""What changed since the previous batch: a per-row change log kept by SQLite triggers.

Why triggers rather than ``updated_at`` columns or a hash of every row:
- Not every table has a change time (status moves, repair records, learned TACs, the tables
  other areas add), and bulk writers (the demo, imports, migrations) write SQL directly. A
  trigger sees every INSERT, UPDATE and DELETE, whoever issues it, and costs one small
  insert per written row; hashing would read the whole store at every export.
- ``sync_change.seq`` is AUTOINCREMENT and SQLite has one writer at a time, so sequence order
  is commit order. A batch takes the changes up to the highest ``seq`` its read snapshot saw;
  anything committed during the export gets a higher ``seq`` and lands in the next batch:
  never in none, never in both.
- A table without its triggers (new to tracking, added by another area's migration, or rebuilt
  by a batch-mode ALTER, which drops triggers) gets them at the next export, and every row it
  holds is logged once then, so nothing written before the triggers existed is lost. (A row
  deleted while a rebuilt table had no trigger is the one change this cannot see; the counter
  does not delete records.)
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk.sync.tables import ExportTable, export_tables

TRIGGER_PREFIX = "sync_track_"
CHANGE_TABLE = "sync_change"


def _key(row: str, key: tuple[str, ...]) -> str:
    return "json_array(" + ", ".join(f'{row}"{c}"' for c in key) + ")"


def trigger_sql(t: ExportTable) -> dict[str, str]:
    """The three triggers of one table, by name, as SQLite keeps their text."""
    log = f"INSERT INTO {CHANGE_TABLE} (table_name, row_key) VALUES ('{t.name}', {{}});"
    new, old = _key("NEW.", t.key), _key("OLD.", t.key)
    name = f"{TRIGGER_PREFIX}{t.name}"
    return {
        f"{name}_insert": (
            f'CREATE TRIGGER "{name}_insert" AFTER INSERT ON "{t.name}" '
            f"BEGIN {log.format(new)} END"
        ),
        # A changed primary key (never done by RepairDesk) is logged under both keys.
        f"{name}_update": (
            f'CREATE TRIGGER "{name}_update" AFTER UPDATE ON "{t.name}" '
            f"BEGIN {log.format(new)} "
            f"INSERT INTO {CHANGE_TABLE} (table_name, row_key) "
            f"SELECT '{t.name}', {old} WHERE {old} IS NOT {new}; END"
        ),
        f"{name}_delete": (
            f'CREATE TRIGGER "{name}_delete" AFTER DELETE ON "{t.name}" '
            f"BEGIN {log.format(old)} END"
        ),
    }


def untracked(conn: Connection) -> list[ExportTable]:
    """Exported tables whose triggers are missing or out of date."""
    triggers: dict[str, str] = dict(
        conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall()
    )
    tables = {
        r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    return [
        t for t in export_tables()
        if t.name in tables
        and any(triggers.get(name) != sql for name, sql in trigger_sql(t).items())
    ]


def install(conn: Connection, tables: list[ExportTable]) -> None:
    """Create the triggers of ``tables`` and log every row they hold now (one transaction)."""
    for t in tables:
        for name, sql in trigger_sql(t).items():
            conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{name}"')
            conn.exec_driver_sql(sql)
        order = ", ".join(f'"{c}"' for c in t.key)
        conn.exec_driver_sql(
            f"INSERT INTO {CHANGE_TABLE} (table_name, row_key) "
            f"SELECT '{t.name}', {_key('', t.key)} FROM \"{t.name}\" ORDER BY {order}"
        )


def _changed_keys(t: ExportTable, low: int, high: int) -> sa.Select[Any]:
    change = sa.table(CHANGE_TABLE, sa.column("seq"), sa.column("table_name"),
                      sa.column("row_key"))
    return sa.select(
        *(sa.func.json_extract(change.c.row_key, f"$[{i}]") for i in range(len(t.key)))
    ).where(change.c.table_name == t.name, change.c.seq > low, change.c.seq <= high)


def _key_columns(t: ExportTable) -> Any:
    cols = [t.table.c[c] for c in t.key]
    return cols[0] if len(cols) == 1 else sa.tuple_(*cols)


def changed_rows(t: ExportTable, low: int, high: int) -> sa.Select[Any]:
    """The current rows of ``t`` changed by a logged change in (``low``, ``high``]."""
    return (
        sa.select(*(t.table.c[c] for c in t.columns))
        .where(_key_columns(t).in_(_changed_keys(t, low, high)))
        .order_by(*(t.table.c[c] for c in t.key))
    )


def deleted_keys(t: ExportTable, low: int, high: int) -> sa.Select[Any]:
    """Keys of ``t`` logged in (``low``, ``high``] whose row no longer exists."""
    keys = _changed_keys(t, low, high).distinct().subquery()
    cols = list(keys.c)
    present = sa.select(sa.literal(1)).select_from(t.table).where(
        *(t.table.c[name] == col for name, col in zip(t.key, cols))
    )
    return sa.select(*cols).where(~present.exists()).order_by(*cols)


def changed_count(t: ExportTable, low: int, high: int) -> sa.Select[Any]:
    return sa.select(sa.func.count()).select_from(
        _changed_keys(t, low, high).distinct().subquery()
    )
