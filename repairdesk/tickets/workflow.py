"""Ticket statuses and the moves allowed between them: the one table everything obeys."""

from __future__ import annotations

from repairdesk.errors import InputError
from repairdesk.i18n import _

MAIN_PATH = (
    "received",
    "diagnosing",
    "awaiting_approval",
    "awaiting_parts",
    "repairing",
    "qc",
    "ready",
    "collected",
)
SIDE_EXITS = ("returned_unrepaired", "exchanged", "refunded", "sent_out", "cancelled")
STATUSES = MAIN_PATH + SIDE_EXITS

MOVES: dict[str, tuple[str, ...]] = {
    "received": ("diagnosing", "cancelled"),
    "diagnosing": (
        "awaiting_approval",
        "awaiting_parts",
        "repairing",
        "sent_out",
        "exchanged",
        "refunded",
        "returned_unrepaired",
        "cancelled",
    ),
    # A declined quote ends as returned unrepaired (diagnostic fee only).
    "awaiting_approval": ("awaiting_parts", "repairing", "returned_unrepaired", "cancelled"),
    "awaiting_parts": ("repairing", "sent_out", "exchanged", "refunded", "returned_unrepaired"),
    "repairing": ("qc", "awaiting_parts", "sent_out", "exchanged", "refunded"),
    # A failed quality check goes back to the bench.
    "qc": ("ready", "repairing"),
    # The customer tests the phone at pickup; a fault found then goes back to repair.
    "ready": ("collected", "repairing"),
    # Back from the higher-level centre or the manufacturer.
    "sent_out": ("diagnosing", "repairing"),
    "collected": (),
    "returned_unrepaired": (),
    "exchanged": (),
    "refunded": (),
    "cancelled": (),
}

TERMINAL = frozenset(status for status, nexts in MOVES.items() if not nexts)
OPEN = frozenset(STATUSES) - TERMINAL


def status_name(status: str) -> str:
    return _(f"status.{status}")


def check_move(current: str, target: str) -> None:
    """Refuse an illegal move with a message that names the allowed ones."""
    if target not in MOVES:
        raise InputError(
            "status", _("core.status_unknown", status=target, known=", ".join(STATUSES))
        )
    allowed = MOVES[current]
    if target not in allowed:
        names = ", ".join(f"{s} ({status_name(s)})" for s in allowed) or _("core.none")
        raise InputError(
            "status",
            _("core.move_refused", current=status_name(current), target=status_name(target),
              allowed=names),
        )
