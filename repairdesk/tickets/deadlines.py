"""Which repairs carry legal deadlines, and what they are: the one rule the board, the
ticket screen, the day report and the loaner duty all read.

A ticket in repair (``IN_REPAIR``) whose 三包 decision is covered runs the deadlines of
:func:`repairdesk.policy.legal_deadlines` from the day it was handed in; a ticket that holds
a loaner (备用机) no longer owes one (第十五条). A claim that cannot be decided (purchase facts
missing) is not shown as 三包. See docs/domain/sanbao.md.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from repairdesk.errors import InputError
from repairdesk.policy import decide, legal_deadlines, load_calendar, load_rules_with, parse_claim
from repairdesk.tickets.claims import read_claims, vendor_policy
from repairdesk.tickets.views import DeadlineView
from repairdesk.tickets.workflow import OPEN

#: Open tickets whose phone is still being repaired: the legal deadlines run (a ticket ready
#: for pickup has been repaired; its time in repair has stopped).
IN_REPAIR = OPEN - {"ready"}

#: The loaners out now: a pool of a few phones, so all of them (no ticket filter needed).
LOANERS_OUT = """
SELECT i.ticket_id, l.imei, l.model
FROM loaner_issue i JOIN loaner l ON l.id = i.loaner_id
WHERE i.returned_at IS NULL
"""


@dataclass(frozen=True)
class RepairDeadlines:
    """A covered 三包 repair in progress: its deadlines and whether a loaner is owed now."""

    deadlines: list[Any]  # repairdesk.policy's Deadline
    loaner_owed: bool


def loaners_out(conn: sqlite3.Connection) -> dict[int, tuple[str, str]]:
    """(IMEI, model) of the loaner each ticket holds now, by ticket id."""
    return {row[0]: (row[1], row[2]) for row in conn.execute(LOANERS_OUT)}


def open_repair_deadlines(claim: dict[str, Any], today: date, holds_loaner: bool) -> list[Any]:
    """The legal deadlines of the covered 三包 repair ``claim`` describes, without the loaner
    duty when the ticket holds a loaner: the engine counts days only, so a loaner already
    lent must not leave the duty owed."""
    repair = claim["open_repair"]
    found = legal_deadlines(date.fromisoformat(repair["handed_in"]), today=today, sanbao=True,
                            part=claim["part"], delay=repair["delay"])
    return [d for d in found if not (holds_loaner and d.code == "loaner")]


def repair_deadlines(claims: dict[int, dict[str, Any]], today: date, holding: set[int],
                     policy: str | None) -> dict[int, RepairDeadlines | None]:
    """For each of ``claims`` (by ticket id) with a repair open: its deadlines when its
    decision under the vendor ``policy`` is covered, None for a decided paid repair. A
    claim that cannot be decided, or whose repair starts after ``today``, is absent or
    None as :func:`views_of` says. ``holding``: the tickets holding a loaner."""
    result: dict[int, RepairDeadlines | None] = {}
    rules, calendar = load_rules_with(policy), load_calendar()
    for ticket_id, claim in claims.items():
        if claim["open_repair"] is None:
            continue
        try:
            # check_claim's decision, without rendering its reasons (no reader shows them).
            decision = decide(parse_claim(claim), rules, calendar)
        except InputError:
            continue  # purchase facts missing: not decidable, so not shown as 三包
        if not decision.covered or today < date.fromisoformat(claim["open_repair"]["handed_in"]):
            result[ticket_id] = None
            continue
        held = ticket_id in holding
        result[ticket_id] = RepairDeadlines(open_repair_deadlines(claim, today, held),
                                            decision.loaner and not held)
    return result


def deadlines_of(conn: sqlite3.Connection, ticket_ids: list[int], today: date,
                 holding: set[int] | None = None) -> dict[int, RepairDeadlines | None]:
    """:func:`repair_deadlines` of the tickets, read on ``conn`` (its transaction)."""
    if holding is None:
        holding = set(loaners_out(conn))
    return repair_deadlines(read_claims(conn, ticket_ids, today), today, holding,
                            vendor_policy(conn))


def views_of(conn: sqlite3.Connection, ticket_ids: list[int], today: date,
             holding: set[int] | None = None) -> dict[int, list[DeadlineView] | None]:
    """:func:`deadlines_of` as the screens show them: None for a decided paid repair; a
    ticket whose claim cannot be decided or that is not in repair is absent."""
    return {
        ticket_id: None if found is None else [
            DeadlineView(d.code, d.article, d.days, d.last_day, d.owed_from, d.warn_from,
                         d.state, d.label())
            for d in found.deadlines]
        for ticket_id, found in deadlines_of(conn, ticket_ids, today, holding).items()
    }
