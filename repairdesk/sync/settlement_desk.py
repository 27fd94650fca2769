"""The counter's settlement use cases (``desk.settlement``): HQ's claim lines of this
counter's tickets and its statements as the newest pack brought them, the counter's
disputes (they travel to HQ in the next batch) and what a repair will earn.

A dispute is a manager's decision (the permissions table's ``settlement.dispute``).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col, select

from repairdesk.acting import Acting, Area
from repairdesk.dates import is_month
from repairdesk.db import Store
from repairdesk.errors import InputError, NotFound
from repairdesk.freetext import check_text
from repairdesk.i18n import _
from repairdesk.models import SyncPack
from repairdesk.models_settlement import SettlementDispute, SyncClaimLine, SyncDisputeAnswer
from repairdesk.ratecard import LINE_STATES
from repairdesk.sync import settlement
from repairdesk.sync.settlement_views import (
    ClaimLineView,
    DisputeView,
    EarningView,
    StatementView,
)
from repairdesk.tickets.records import get_ticket
from repairdesk.trust import TrustDesk


def check_month(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if not is_month(value.strip()):
        raise InputError("month", _("settlement.bad_month", value=value))
    return value.strip()


def check_status(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if value.strip() not in LINE_STATES:
        raise InputError("status", _("settlement.bad_status", value=value,
                                     statuses=", ".join(LINE_STATES)))
    return value.strip()


class SettlementDesk(Area):
    """HQ's lines and statements of this counter, its disputes, a repair's earning."""

    def __init__(self, store: Store, acting: Acting, trust: TrustDesk) -> None:
        super().__init__(store, acting)
        self.trust = trust

    def lines(self, month: str | None = None, status: str | None = None,
              ticket: str | None = None) -> list[ClaimLineView]:
        month, status = check_month(month), check_status(status)
        with self.store.read() as s:
            return settlement.lines(s, month, status, ticket.strip().upper() if ticket else None)

    def line(self, line_id: int) -> ClaimLineView:
        with self.store.read() as s:
            row = s.get(SyncClaimLine, line_id)
            if row is None:
                raise NotFound(_("settlement.no_line", line=line_id))
            raised = settlement.disputes(s, [line_id])
            return settlement.line_view(row.line, row.statement_id, raised.get(line_id, []))

    def statements(self, month: str | None = None) -> list[StatementView]:
        month = check_month(month)
        with self.store.read() as s:
            return settlement.statements(s, month)

    def dispute(self, line_id: int, reason: str) -> DisputeView:
        """Dispute HQ's line ``line_id``; one unanswered dispute per line at a time."""
        self.trust.require("settlement.dispute")
        reason = check_text("reason", reason)
        if not reason:
            raise InputError("reason", _("settlement.reason_required"))
        with self.store.write() as s:
            row = s.get(SyncClaimLine, line_id)
            if row is None:
                raise NotFound(_("settlement.no_line", line=line_id))
            answered = select(SyncDisputeAnswer.dispute_id)
            open_one = s.exec(select(SettlementDispute).where(
                SettlementDispute.line_id == line_id,
                col(SettlementDispute.id).not_in(answered))).first()
            if open_one is not None:
                raise InputError("line", _("settlement.already_disputed", line=line_id,
                                           dispute=open_one.id))
            raised = SettlementDispute(line_id=line_id, ticket_number=row.ticket_number,
                                       reason=reason, at=self.clock(), user=self.user)
            s.add(raised)
            s.flush()
            return settlement.disputes(s, [line_id])[line_id][-1]

    def earning(self, ticket: str) -> EarningView:
        """What ``ticket`` will earn if HQ approves it, by the newest rate card HQ sent."""
        with self.store.read() as s:
            found = get_ticket(s, ticket)
            pack = s.exec(select(SyncPack).order_by(sa.desc(col(SyncPack.seq)))).first()
            return settlement.earning(s, found, pack.level if pack else None, self.today())
