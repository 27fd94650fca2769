"""Which counter tables and columns travel to HQ, and how their values are written as JSON.

Discovered from the SQLModel metadata, so a table another area adds is exported without a
change here. What must never leave the counter is listed in :mod:`repairdesk.row_state`
(a column whose name looks like a secret is held back too, as a safety net for tables added
later): a batch line carries the columns of a row's state.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from repairdesk import row_state

#: Counter-internal tables: ticket numbering, the senders' references of intakes, and this
#: package's own state (``sync_*``).
EXCLUDED_TABLES = frozenset({"ticket_sequence", "intake_ref"})
EXCLUDED_PREFIXES = ("sync_",)
#: A line of a member that says "this row was deleted" (it carries the key columns only).
DELETED = row_state.DELETED
#: Secrets, defined with the row's state (the trail leaves them out too).
SECRET_COLUMNS = row_state.SECRET_COLUMNS
is_secret = row_state.is_secret
base_type = row_state.base_type
to_json = row_state.to_json


@dataclass(frozen=True)
class ExportTable:
    """One counter table as a batch carries it."""

    table: sa.Table
    columns: tuple[str, ...]  # exported, in table order
    key: tuple[str, ...]  # primary-key columns

    @property
    def name(self) -> str:
        return self.table.name


def is_exported_table(name: str) -> bool:
    return name not in EXCLUDED_TABLES and not name.startswith(EXCLUDED_PREFIXES)


@cache
def export_tables() -> tuple[ExportTable, ...]:
    """Every exported counter table, by name, with its exported columns."""
    import repairdesk.models  # noqa: F401  (registers every table in the metadata)

    found = []
    for table in sorted(SQLModel.metadata.tables.values(), key=lambda t: t.name):
        if not is_exported_table(table.name):
            continue
        key = tuple(c.name for c in table.primary_key.columns)
        columns = row_state.state_columns(table)
        found.append(ExportTable(table, columns, key))
    return tuple(found)


def json_decoder(type_: sa.types.TypeEngine[Any]) -> Callable[[Any], Any] | None:
    """How to turn a JSON value back into the Python value of a column of ``type_``
    (None: as it is). Looked up once per column, not per value: HQ decodes millions."""
    base = base_type(type_)
    if isinstance(base, sa.JSON):
        return None
    for kind, decode in _DECODERS:
        if isinstance(base, kind):
            return decode
    return None


_DECODERS: tuple[tuple[type[Any], Callable[[Any], Any]], ...] = (
    (sa.DateTime, datetime.fromisoformat),
    (sa.Date, date.fromisoformat),
    (sa.Boolean, bool),
    (sa.Integer, int),
    (sa.Numeric, lambda v: Decimal(str(v))),
    (sa.LargeBinary, base64.b64decode),
    (sa.String, str),
)


def from_json(type_: sa.types.TypeEngine[Any], value: Any) -> Any:
    """The inverse of :func:`to_json` for a column of ``type_``."""
    decode = json_decoder(type_)
    return value if value is None or decode is None else decode(value)
