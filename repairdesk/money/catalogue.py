"""The parts catalogue: the published price list, loaded from CSV, and its parts.

The CSV has a header row. Columns (any order; ``code``/``name``/``brand``/``model`` are the
names of an HQ pack's ``price_list.csv``, so the same file loads either way):

    part_number (or code)   required, e.g. HW-P40-LCD
    name_zh (or name)       required
    name_en                 optional
    models                  optional, compatible models separated by ``;``
    brand, model            optional, one compatible model (an HQ pack's columns)
    price                   required, yuan, at most two decimals: 480.00
    kind                    original (default) or compatible
    min_stock               optional, a whole number, default 0

A file is checked whole before anything is stored; an error names ``file:line`` and column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from repairdesk.amounts import fen_to_yuan, yuan_to_fen
from repairdesk.errors import InputError
from repairdesk.i18n import _
from repairdesk.models import Part
from repairdesk.money.views import ImportResult, PriceChange
from repairdesk.tickets.views import device_name

KINDS = ("original", "compatible")
ALIASES = {"code": "part_number", "name": "name_zh"}
COLUMNS = ("part_number", "name_zh", "name_en", "models", "brand", "model", "price", "kind",
           "min_stock")
REQUIRED = ("part_number", "name_zh", "price")
PART_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9._/+-]{0,39}$")


@dataclass(frozen=True)
class PriceRow:
    """One part of a price list, checked."""

    part_number: str
    name_zh: str
    name_en: str
    models: tuple[str, ...]
    price_fen: int
    kind: str = "original"
    min_stock: int | None = None  # None: keep the counter's own minimum


def part_number(value: str, field: str = "part") -> str:
    number = value.strip().upper()
    if not PART_NUMBER.match(number):
        raise InputError(field, _("money.part_number_invalid", value=value))
    return number


def parse_price_list(text: str, source: str = "CSV") -> list[PriceRow]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in reader.fieldnames or []]
    for column in header:
        if column not in COLUMNS:
            raise InputError(source, _("money.csv_unknown_column", column=column,
                                       known=", ".join(COLUMNS)))
    for column in REQUIRED:
        if column not in header:
            raise InputError(source, _("money.csv_missing_column", column=column))
    if len(set(header)) != len(header):
        raise InputError(source, _("money.csv_duplicate_column"))
    reader.fieldnames = header
    rows: list[PriceRow] = []
    seen: set[str] = set()
    for raw in reader:
        where = f"{source}:{reader.line_num}"
        cells = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(cells.values()):
            continue
        row = _row(cells, where)
        if row.part_number in seen:
            raise InputError(f"{where}: part_number",
                             _("money.csv_duplicate_part", part=row.part_number))
        seen.add(row.part_number)
        rows.append(row)
    if not rows:
        raise InputError(source, _("money.csv_empty"))
    return rows


def _row(cells: dict[str, str], where: str) -> PriceRow:
    number = part_number(cells.get("part_number", ""), f"{where}: part_number")
    name_zh = cells.get("name_zh", "")
    if not name_zh:
        raise InputError(f"{where}: name_zh", _("core.required"))
    models = [m.strip() for m in re.split(r"[;|；]", cells.get("models", "")) if m.strip()]
    single = device_name(cells.get("brand") or None, cells.get("model") or None)
    if cells.get("model") and single not in models:
        models.append(single)
    kind = cells.get("kind") or "original"
    if kind not in KINDS:
        raise InputError(f"{where}: kind", _("core.bad_code", value=kind, allowed=", ".join(KINDS)))
    minimum = cells.get("min_stock") or ""
    if minimum and not minimum.isdigit():
        raise InputError(f"{where}: min_stock", _("money.qty_invalid", value=minimum))
    return PriceRow(
        part_number=number, name_zh=name_zh, name_en=cells.get("name_en", ""),
        models=tuple(models), price_fen=yuan_to_fen(cells.get("price", ""), f"{where}: price"),
        kind=kind, min_stock=int(minimum) if minimum else None,
    )


def price_changes(s: Session, rows: list[PriceRow]) -> list[PriceChange]:
    """Prices in ``rows`` that differ from the catalogue's (a manager's decision)."""
    current = {p.part_number: p.price_fen for p in s.exec(select(Part))}
    return [
        PriceChange(row.part_number, fen_to_yuan(current[row.part_number]),
                    fen_to_yuan(row.price_fen))
        for row in rows
        if row.part_number in current and current[row.part_number] != row.price_fen
    ]


def apply_price_list(s: Session, rows: list[PriceRow], now: datetime) -> ImportResult:
    """Add or update every part of ``rows`` in the caller's transaction (ORM, so audited).
    Parts missing from the list stay: their stock and history still refer to them."""
    changes = price_changes(s, rows)
    parts = {p.part_number: p for p in s.exec(select(Part))}
    added: list[str] = []
    updated: list[str] = []
    for row in rows:
        part = parts.get(row.part_number)
        values = {"name_zh": row.name_zh, "name_en": row.name_en or "",
                  "models": list(row.models), "price_fen": row.price_fen, "kind": row.kind}
        if row.min_stock is not None:
            values["min_stock"] = row.min_stock
        if part is None:
            s.add(Part(part_number=row.part_number, created_at=now, updated_at=now,
                       **values))  # type: ignore[arg-type]  # values typed by the price-list row they come from
            added.append(row.part_number)
            continue
        if part.name_en and not row.name_en:
            values["name_en"] = part.name_en  # an HQ list in one language keeps the other
        if part.models and not row.models:
            values["models"] = list(part.models)
        if all(getattr(part, k) == v for k, v in values.items()):
            continue
        for key, value in values.items():
            setattr(part, key, value)
        part.updated_at = now
        s.add(part)
        updated.append(row.part_number)
    s.flush()
    unchanged = len(rows) - len(added) - len(updated)
    return ImportResult(len(rows), added, updated, unchanged, changes)


def get_part(s: Session, number: str, field: str = "part") -> Part:
    found = s.exec(select(Part).where(Part.part_number == part_number(number, field))).first()
    if found is None:
        raise InputError(field, _("money.part_unknown", part=number.strip()))
    return found
