"""The money use cases of the facade (``desk.money``): quotes, payments, refunds, waivers,
what a ticket owes, its guarantees and the day's and month's reports.

Each public method is one transaction and returns the plain views of
:mod:`repairdesk.money.views`. The logic lives in the small modules beside this one:
``quotes``, ``payments``, ``basis`` (what a ticket is charged on), ``ledger``, ``gates`` (the
money rules of a status move) and ``report``.

Manager-only (the roles of repairdesk/trust.py): waiving a balance, issuing a refund. A store
with no users yet is a single counter run by its manager, so everything works before users
are set up.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from repairdesk.acting import Acting, Area
from repairdesk.amounts import fen_to_text, fen_to_yuan, yuan_to_fen
from repairdesk.db import Store
from repairdesk.errors import InputError
from repairdesk.i18n import _
from repairdesk.imei import parse_imei
from repairdesk.jsontext import read_json
from repairdesk.models import Loaner, OldPart, Quote, Ticket
from repairdesk.money import gates, loaners, payments, quotes, report, stock
from repairdesk.money.basis import (
    PAID,
    charge_basis,
    device_guarantees,
    device_of_imei,
    guarantee_if_handed_back,
    record_of,
)
from repairdesk.money.basis import ticket_guarantee as _ticket_guarantee
from repairdesk.money.gates import open_ticket
from repairdesk.money.ledger import Ledger, ledger
from repairdesk.money.policy import money_policy
from repairdesk.money.views import (
    DayReport,
    GuaranteeView,
    MonthReport,
    PaymentView,
    QuoteView,
    TicketMoneyView,
)
from repairdesk.tickets.claims import decide, session_claims, session_policy
from repairdesk.tickets.guarantees import Guarantee
from repairdesk.tickets.records import get_ticket
from repairdesk.trust import TrustDesk


class MoneyDesk(Area):
    """Quotes, payments, refunds, guarantees and the reports."""

    def __init__(self, store: Store, acting: Acting, trust: TrustDesk) -> None:
        super().__init__(store, acting)
        self.trust = trust

    # -- quotes ----------------------------------------------------------------------

    def make_quote(self, number: str, lines: object, diagnostic_fee: object = None,
                   note: str = "") -> QuoteView:
        """A quote (or a changed one: a new revision that needs approval again) for a paid
        repair. ``lines``: ``{"kind": "labour", "description": ..., "price": "80.00"}`` and
        ``{"kind": "part", "part": "HW-P40-LCD", "qty": 1}`` (at the price list's price)."""
        self.trust.require("money.make_quote")
        policy = money_policy()
        fee = policy.diagnostic_fee_fen if diagnostic_fee is None else yuan_to_fen(
            diagnostic_fee, "diagnostic_fee", limit_fen=policy.max_amount_fen)
        now = self.clock()
        with self.store.write() as s:
            ticket = open_ticket(s, number)
            basis = charge_basis(s, ticket, now.date())
            if basis != PAID:
                raise InputError("ticket", _(f"money.quote_not_paid_{basis}",
                                             ticket=ticket.number))
            parsed = quotes.parse_lines(s, lines)
            quote = quotes.make(s, ticket, parsed, fee, note, now, self.user)
            return quotes.view(s, ticket, quote)

    def make_quote_from(self, number: str, document: dict[str, Any] | str) -> QuoteView:
        """:meth:`make_quote` from a JSON document ``{"lines": [...], "diagnostic_fee": ...,
        "note": ...}`` (the CLI's input)."""
        if isinstance(document, str):
            document = read_json(document)
        lines, fee, note = quotes.parse_quote_doc(document)
        return self.make_quote(number, lines, fee, note)

    def quote(self, number: str) -> QuoteView | None:
        """The ticket's current quote (its latest revision), or None."""
        with self.store.read() as s:
            ticket = get_ticket(s, number)
            found = quotes.latest(s, ticket)
            return quotes.view(s, ticket, found) if found else None

    def quote_history(self, number: str) -> list[QuoteView]:
        """Every revision of the ticket's quote, oldest first."""
        with self.store.read() as s:
            ticket = get_ticket(s, number)
            rows = s.exec(select(Quote).where(Quote.ticket_id == ticket.id)
                          .order_by(col(Quote.revision))).all()
            return [quotes.view(s, ticket, q) for q in rows]

    def approve_quote(self, number: str, how: str, revision: int | None = None) -> QuoteView:
        """The customer approves the current quote, ``how``: in_person or phone; recorded
        with the time and who at the counter took the answer. With ``revision``, an answer
        to a quote that has changed since is refused."""
        self.trust.require("money.approve_quote")
        return self._answer(number, True, how, revision)

    def decline_quote(self, number: str, how: str, revision: int | None = None) -> QuoteView:
        """The customer declines: the ticket ends as returned unrepaired, diagnostic fee only."""
        self.trust.require("money.decline_quote")
        return self._answer(number, False, how, revision)

    def _answer(self, number: str, approved: bool, how: str, revision: int | None) -> QuoteView:
        with self.store.write() as s:
            ticket = open_ticket(s, number)
            quote = quotes.answer(s, ticket, approved, how, revision, self.clock(), self.user)
            return quotes.view(s, ticket, quote)

    # -- payments --------------------------------------------------------------------

    def take_deposit(self, number: str, amount: object, method: str,
                     note: str = "") -> PaymentView:
        self.trust.require("money.take_deposit")
        return self._pay(number, "deposit", amount, method, note)

    def take_payment(self, number: str, amount: object, method: str,
                     note: str = "") -> PaymentView:
        """A payment towards the ticket's balance; more than is owed is refused (a typing
        slip), so the counter gives change from the drawer, not from the record."""
        self.trust.require("money.take_payment")
        return self._pay(number, "payment", amount, method, note)

    def _pay(self, number: str, kind: str, amount: object, method: str,
             note: str) -> PaymentView:
        fen = yuan_to_fen(amount, "amount", positive=True,
                          limit_fen=money_policy().max_amount_fen)
        _check_method(method)
        now = self.clock()
        with self.store.write() as s:
            ticket = open_ticket(s, number)
            if kind == "payment":
                owed = ledger(s, ticket, now.date()).balance_fen
                if owed <= 0:
                    raise InputError("amount", _("money.nothing_owed", ticket=ticket.number))
                if fen > owed:
                    raise InputError("amount", _("money.pay_more_than_owed",
                                                 amount=fen_to_text(fen),
                                                 owed=fen_to_text(owed)))
            row = payments.add(s, ticket, kind, method, fen, now, self.user, note=note)
            return payments.view(row, ticket.number)

    def refund(self, number: str, method: str, amount: object = None, reason: str = "overpaid",
               remedy: str = "refund", note: str = "") -> PaymentView:
        """Money paid back (manager). ``reason`` ``overpaid``: a credit on the ticket (a
        deposit above the charge), at most the credit. ``sanbao``: the 三包 refund of the
        phone, at exactly the amount the engine computed for ``remedy`` (refund or
        refund_depreciated) today; once per ticket."""
        _check_method(method)
        if reason not in payments.REFUND_REASONS:
            raise InputError("reason", _("core.bad_code", value=reason,
                                         allowed=", ".join(payments.REFUND_REASONS)))
        given = None if amount is None else yuan_to_fen(
            amount, "amount", positive=True, limit_fen=money_policy().max_amount_fen)
        self.trust.require("money.refund")
        now = self.clock()
        with self.store.write() as s:
            ticket = get_ticket(s, number)
            state = ledger(s, ticket, now.date())
            if reason == "sanbao":
                fen = self._sanbao_amount(s, ticket, remedy, state, now.date())
                if given is not None and given != fen:
                    raise InputError("amount", _("money.refund_engine_amount",
                                                 amount=fen_to_text(fen)))
            else:
                # A phone about to leave unrepaired owes only the diagnostic fee: its credit
                # may be refunded before that move, which needs it settled.
                credit = max(-state.balance_fen, -state.balance_for("returned_unrepaired"))
                if credit <= 0:
                    raise InputError("amount", _("money.no_credit", ticket=ticket.number))
                fen = credit if given is None else given
                if fen > credit:
                    raise InputError("amount", _("money.refund_more_than_credit",
                                                 credit=fen_to_text(credit)))
            row = payments.add(s, ticket, "refund", method, fen, now, self.user,
                               reason=reason, note=note or (remedy if reason == "sanbao" else ""))
            return payments.view(row, ticket.number)

    def _sanbao_amount(self, s: Session, ticket: Ticket, remedy: str, state: Ledger,
                       on: date) -> int:
        if remedy not in payments.SANBAO_REMEDIES:
            raise InputError("remedy", _("core.bad_code", value=remedy,
                                         allowed=", ".join(payments.SANBAO_REMEDIES)))
        if state.sums["sanbao"]:
            raise InputError("reason", _("money.refund_done", ticket=ticket.number))
        claim = session_claims(s, [ticket], on).get(ticket.id)  # type: ignore[arg-type]  # a stored ticket: its id is set
        decision = decide(claim, session_policy(s)) if claim else None
        amounts = (decision or {}).get("amounts", {})
        if remedy not in amounts:
            raise InputError("remedy", _("money.refund_not_due", ticket=ticket.number,
                                         remedy=_(f"policy.remedy.{remedy}")))
        # The engine rounds to the fen; its JSON number goes through str() to stay exact.
        return yuan_to_fen(str(amounts[remedy]), "amount")

    def waive(self, number: str, amount: object = None, note: str = "") -> PaymentView:
        """A manager lets the customer off (part of) the balance; recorded with who."""
        given = None if amount is None else yuan_to_fen(
            amount, "amount", positive=True, limit_fen=money_policy().max_amount_fen)
        self.trust.require("money.waive")
        now = self.clock()
        with self.store.write() as s:
            ticket = open_ticket(s, number)
            owed = ledger(s, ticket, now.date()).balance_fen
            if owed <= 0:
                raise InputError("amount", _("money.nothing_owed", ticket=ticket.number))
            fen = owed if given is None else given
            if fen > owed:
                raise InputError("amount", _("money.waive_more_than_owed",
                                             owed=fen_to_text(owed)))
            row = payments.add(s, ticket, "waiver", "", fen, now, self.user, note=note)
            return payments.view(row, ticket.number)

    # -- the ticket screen -----------------------------------------------------------

    def ticket_money(self, number: str) -> TicketMoneyView:
        """Parts, quote, payments, balance, loaner and guarantee of one ticket, with the
        moves the money rules stop now and why."""
        today = self.today()
        role = self.trust.acting_role()
        with self.store.read() as s:
            ticket = get_ticket(s, number)
            state = ledger(s, ticket, today)
            quote = quotes.view(s, ticket, state.quote) if state.quote else None
            revisions = state.quote.revision if state.quote else 0
            held = loaners.issue_of_ticket(s, ticket)
            loaner = None
            if held is not None:
                found = s.get(Loaner, held.loaner_id)
                loaner = loaners.view_of(s, found) if found else None
            own = _ticket_guarantee(s, ticket)
            returning = self._returning(s, ticket, today)
            claim = session_claims(s, [ticket], today).get(ticket.id)  # type: ignore[arg-type]  # a stored ticket: its id is set
            decision = decide(claim, session_policy(s)) if claim else None
            refund_due = {
                kind: yuan_to_fen(str(value), "amount")
                for kind, value in ((decision or {}).get("amounts") or {}).items()
            } if decision and decision["covered"] else {}
            return TicketMoneyView(
                ticket=ticket.number, status=ticket.status, basis=state.basis, quote=quote,
                quotes=revisions,
                money=payments.balance(state.charge_fen, ticket, state.payments),
                payments=payments.views(ticket, state.payments),
                parts=stock.ticket_moves(s, ticket),
                old_parts=stock.old_part_views(s, col(OldPart.ticket_id) == ticket.id),
                loaner=loaner, guarantee=_guarantee_view(own), returning=returning,
                refund_due={k: fen_to_yuan(v) for k, v in refund_due.items()},
                blocked=gates.blocked_moves(s, ticket, role, today),
            )

    def _returning(self, s: Session, ticket: Ticket, today: date) -> GuaranteeView | None:
        """The earlier repair whose guarantee this visit falls under, if any."""
        claim = session_claims(s, [ticket], today).get(ticket.id)  # type: ignore[arg-type]  # a stored ticket: its id is set
        record = record_of(s, ticket)
        if claim is None or record is None:
            return None
        for earlier in device_guarantees(s, ticket.device_id, before=ticket):
            if earlier.covers(claim["fault"], record.handed_in):
                return _guarantee_view(earlier)
        return None

    def blocked_moves(self, number: str) -> dict[str, str]:
        """Allowed next statuses the money rules stop now, each with the reason."""
        role = self.trust.acting_role()
        with self.store.read() as s:
            return gates.blocked_moves(s, get_ticket(s, number), role, self.today())

    # -- guarantees ------------------------------------------------------------------

    def repair_guarantee(self, number: str) -> tuple[date, str] | None:
        """(last day of the guarantee, ``warranty`` | ``paid``) of a collected ticket's
        repair, for the pickup receipt; None for a phone not repaired here."""
        with self.store.read() as s:
            found = _ticket_guarantee(s, get_ticket(s, number))
        return (found.end, found.kind) if found else None

    def pickup_guarantee(self, number: str, on: date) -> Guarantee | None:
        """The guarantee this ticket's repair gives if the phone is handed back on ``on``."""
        with self.store.read() as s:
            return guarantee_if_handed_back(s, get_ticket(s, number), on)

    def guarantee(self, number: str) -> GuaranteeView | None:
        with self.store.read() as s:
            return _guarantee_view(_ticket_guarantee(s, get_ticket(s, number)))

    def guarantee_for_imei(self, imei: str, on: date | None = None) -> GuaranteeView | None:
        """The guarantee an earlier repair of this phone still gives on ``on`` (today): the
        lookup's flag for a phone that comes back within its repair guarantee. A paid
        repair's guarantee covers its own fault only (``same_fault_only``)."""
        number = parse_imei(imei, field="imei")
        on = on or self.today()
        with self.store.read() as s:
            device = device_of_imei(s, number)
            if device is None:
                return None
            for found in device_guarantees(s, device.id):  # type: ignore[arg-type]  # a stored device: its id is set
                if found.handed_back <= on <= found.end:
                    return _guarantee_view(found)
        return None

    # -- reports ---------------------------------------------------------------------

    def day_report(self, day: date | None = None) -> DayReport:
        """The day-end report of ``day`` (today by default), in the counter's time zone."""
        with self.store.read() as s:
            return report.day_report(s, day or self.today(), self._tz())

    def month_report(self, month: str | date | None = None) -> MonthReport:
        """The month's summary for HQ; ``month`` as ``YYYY-MM`` (this month by default)."""
        if month is None:
            first = self.today().replace(day=1)
        elif isinstance(month, date):
            first = month.replace(day=1)
        else:
            try:
                first = datetime.strptime(month.strip(), "%Y-%m").date()
            except ValueError:
                raise InputError("month", _("money.bad_month", value=month)) from None
        with self.store.read() as s:
            return report.month_report(s, first, self._tz())

    def _tz(self) -> Any:
        return self.clock().tzinfo


def _check_method(method: str) -> None:
    if method not in payments.METHODS:
        raise InputError("method", _("core.bad_code", value=method,
                                     allowed=", ".join(payments.METHODS)))


def _guarantee_view(found: Guarantee | None) -> GuaranteeView | None:
    if found is None:
        return None
    return GuaranteeView(found.ticket, found.kind, found.end, found.handed_back, found.fault,
                         found.same_fault_only, found.period_end)
