"""The claims of many tickets at once (the board's open tickets) are each ticket's own claim:
grouping every device's repair history once gives what looking it up ticket by ticket gives."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from repairdesk.desk import Desk
from repairdesk.models import Ticket
from repairdesk.tickets.claims import session_claims

from ...conftest import FrozenClock

IMEIS = ("352099001761481", "490154203237518", "356938035643809")


def test_claims_of_many_tickets_are_each_tickets_own(desk: Desk, clock: FrozenClock,
                                                     intake_doc: dict) -> None:
    for _round in range(3):
        for imei in IMEIS:
            intake_doc["device"]["imei"] = imei
            number = desk.tickets.intake(intake_doc).ticket
            for status in ("diagnosing", "repairing", "qc", "ready", "collected"):
                desk.tickets.move(number, status)
            clock.now += timedelta(days=2)
    intake_doc["device"]["imei"] = IMEIS[0]
    desk.tickets.intake(intake_doc)  # an open ticket with three earlier repairs
    day = clock.now.date()
    with desk.store.read() as s:
        tickets = list(s.exec(select(Ticket).order_by(Ticket.id)).all())
        together = session_claims(s, tickets, day)
        alone = {t.id: session_claims(s, [t], day)[t.id] for t in tickets}
    assert together == alone
    assert [len(together[t.id]["repairs"]) for t in tickets] == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3]
    for ticket in tickets:
        assert together[ticket.id] == desk.tickets.warranty_claim(ticket.number, day)
