"""A count of the shelf. Each part counted is compared with what its stock moves say; a
difference becomes a move (``count_found`` or ``count_lost``, the count's number its
reference), so stock on hand is still the sum of the moves. A count with a difference is a
manager's decision (repairdesk/permissions.py); the count, its lines and its moves go to
HQ in the next batch.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from repairdesk.errors import InputError
from repairdesk.freetext import check_text
from repairdesk.i18n import _
from repairdesk.models_parts import StockCount
from repairdesk.money import catalogue, stock


def whole(value: object) -> int | None:
    """A count of parts that may be nought (ASCII digits only), or None when it is not one."""
    text = str(value).strip()
    if isinstance(value, bool) or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def check(s: Session, counted: dict[str, object]) -> list[tuple[Any, int, int]]:
    """Each part counted with what the moves say and what is on the shelf; refused whole,
    naming the part, for an unknown part or a count that is not a whole number."""
    if not counted:
        raise InputError("counted", _("parts.count_empty"))
    found = []
    for number, value in counted.items():
        part = catalogue.get_part(s, number, "counted")
        on_shelf = whole(value)
        if on_shelf is None:
            raise InputError("counted", _("parts.count_invalid", part=part.part_number,
                                          value=value))
        assert part.id is not None  # a part read from the store
        expected = stock.on_hand(s, [part.id]).get(part.id, 0)
        found.append((part, expected, on_shelf))
    return found


def record(s: Session, lines: list[tuple[Any, int, int]], note: str, now: datetime,
           user: str) -> StockCount:
    note = check_text("note", note)
    count = StockCount(lines=[], note=note, at=now, user=user)
    s.add(count)
    s.flush()
    for part, expected, counted in lines:
        if counted != expected:
            stock.record(s, part, "count_found" if counted > expected else "count_lost",
                         abs(counted - expected), now=now, user=user, ref=f"count #{count.id}")
    count.lines = [{"part_number": p.part_number, "expected": e, "counted": c,
                    "difference": c - e} for p, e, c in lines]
    s.add(count)
    s.flush()
    return count


def listed(s: Session) -> list[StockCount]:
    return list(s.exec(select(StockCount).order_by(col(StockCount.id))))
