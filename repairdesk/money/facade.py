"""The parts-and-money use cases of the facade (mixed into :class:`repairdesk.desk.Desk`).

Each public method is one transaction and returns the plain views of
:mod:`repairdesk.money.views`. The logic lives in the small modules beside this one:
``catalogue`` (price list), ``stock`` (movements, old parts), ``quotes``, ``payments``,
``basis`` and ``guarantees`` (what a ticket is charged on), ``gates`` (the money rules of a
status move), ``loaners`` and ``report``.

Manager-only (the trust issue's roles): changing a price, waiving a balance, issuing a
refund, cancelling a ticket with money on it. A store with no users yet is a single counter
run by its manager, so everything works before users are set up.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from repairdesk.errors import InputError, NotFound
from repairdesk.facade_base import DeskBase
from repairdesk.i18n import _
from repairdesk.models import Loaner, OldPart, Part, Quote, Ticket
from repairdesk.money import catalogue, gates, loaners, payments, quotes, report, stock
from repairdesk.money.amounts import fen_to_text, fen_to_yuan, quantity, yuan_to_fen
from repairdesk.money.basis import (
    PAID,
    charge_basis,
    device_guarantees,
    device_of_imei,
    guarantee_if_handed_back,
    record_of,
)
from repairdesk.money.basis import ticket_guarantee as _ticket_guarantee
from repairdesk.money.claims import claims, decide, vendor_policy
from repairdesk.tickets.guarantees import Guarantee
from repairdesk.money.ledger import Ledger, ledger
from repairdesk.money.policy import money_policy
from repairdesk.money.views import (
    DayReport,
    GuaranteeView,
    ImportResult,
    LoanerView,
    MonthReport,
    OldPartView,
    PartView,
    PaymentView,
    QuoteView,
    StockMoveView,
    TicketMoneyView,
)
from repairdesk.tickets.workflow import TERMINAL


class MoneyDesk(DeskBase):
    """Parts, quotes, payments, guarantees, loaners and the day-end report."""

    # From the trust mixin (repairdesk/trust.py), which Desk also inherits.
    count_users: Callable[[], int]
    role_of: Callable[[str], str | None]
    require: Callable[[str], None]
    move: Callable[..., Any]

    # -- roles -----------------------------------------------------------------------

    def acting_role(self) -> str | None:
        """The role of whoever uses the desk now: "manager" while the store has no users."""
        return "manager" if self.count_users() == 0 else self.role_of(self.user)

    def _require_manager(self) -> None:
        if self.count_users():
            self.require("manager")

    # -- the price list --------------------------------------------------------------

    def import_price_list(self, text: str, source: str = "CSV") -> ImportResult:
        """Load a price list (CSV, see repairdesk/money/catalogue.py): new parts are added,
        known ones updated. Changing a known part's price is a manager's decision. The whole
        file is checked first; a bad line stores nothing."""
        rows = catalogue.parse_price_list(text, source)
        with self.store.read() as s:
            changing = catalogue.price_changes(s, rows)
        if changing:
            self._require_manager()
        with self.store.write() as s:
            return catalogue.apply_price_list(s, rows, self.clock())

    def parts(self, low: bool = False, model: str | None = None) -> list[PartView]:
        """The catalogue with stock on hand, by part number; ``low``: only parts below their
        minimum; ``model``: only parts compatible with a model (case-insensitive part of it)."""
        with self.store.read() as s:
            found = s.exec(select(Part).order_by(col(Part.part_number))).all()
            views = stock.part_views(s, list(found))
        if model and model.strip():
            needle = model.strip().casefold()
            views = [v for v in views if any(needle in m.casefold() for m in v.models)]
        return [v for v in views if v.low] if low else views

    def part(self, number: str) -> PartView:
        with self.store.read() as s:
            return stock.part_views(s, [catalogue.get_part(s, number)])[0]

    def set_price(self, number: str, price: object) -> PartView:
        """Change a part's price-list price (manager). Quotes already made keep theirs."""
        fen = yuan_to_fen(price, "price", limit_fen=money_policy().max_amount_fen)
        self._require_manager()
        with self.store.write() as s:
            part = catalogue.get_part(s, number)
            part.price_fen, part.updated_at = fen, self.clock()
            s.add(part)
            s.flush()
            return stock.part_views(s, [part])[0]

    def set_min_stock(self, number: str, minimum: int) -> PartView:
        if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 0:
            raise InputError("min_stock", _("money.qty_invalid", value=minimum))
        with self.store.write() as s:
            part = catalogue.get_part(s, number)
            part.min_stock, part.updated_at = minimum, self.clock()
            s.add(part)
            s.flush()
            return stock.part_views(s, [part])[0]

    # -- stock -----------------------------------------------------------------------

    def receive_stock(self, number: str, qty: object, source: str = "received", ref: str = "",
                      cost: object = None) -> StockMoveView:
        """Parts in: ``received`` from HQ (against the parts deposit) or ``bought``; ``ref``
        the delivery note or invoice; ``cost`` what was paid or deposited for them, if known."""
        count = quantity(qty, "qty")
        if source not in stock.SOURCES:
            raise InputError("source", _("core.bad_code", value=source,
                                         allowed=", ".join(stock.SOURCES)))
        cost_fen = None if cost is None else yuan_to_fen(
            cost, "cost", limit_fen=money_policy().max_amount_fen)
        with self.store.write() as s:
            part = catalogue.get_part(s, number)
            return stock.record(s, part, source, count, now=self.clock(), user=self.user,
                                ref=ref, cost_fen=cost_fen)

    def draw_part(self, number: str, part: str, qty: object = 1,
                  keep_old: bool | None = None) -> StockMoveView:
        """Take parts from stock for a ticket. Refused beyond stock (naming what is there).
        Recorded with the ticket's basis: a 三包/warranty draw is warranty cost to settle
        with the manufacturer, and keeps the faulty part it replaces for return
        (``keep_old``; by default as data/money.toml says)."""
        count = quantity(qty, "qty")
        now = self.clock()
        with self.store.write() as s:
            ticket = self._open_ticket(s, number)
            found = catalogue.get_part(s, part)
            basis = charge_basis(s, ticket, now.date())
            move = stock.record(s, found, "drawn", count, now=now, user=self.user,
                                ticket=ticket, basis=basis)
            if keep_old is None:
                keep_old = basis == "warranty" and money_policy().keep_old_part_on_warranty_draw
            if keep_old:
                stock.keep_old(s, found, ticket, count, now, self.user)
            return move

    def return_part(self, number: str, part: str, qty: object = 1) -> StockMoveView:
        """A drawn part goes back to stock unused (no more than was drawn for the ticket)."""
        count = quantity(qty, "qty")
        now = self.clock()
        with self.store.write() as s:
            ticket = self._ticket(s, number)
            found = catalogue.get_part(s, part)
            drawn = stock.net_drawn(s, ticket, found)
            if count > drawn:
                raise InputError("qty", _("money.return_more_than_drawn", part=found.part_number,
                                          ticket=ticket.number, drawn=drawn))
            basis = next((m.basis for m in reversed(stock.ticket_moves(s, ticket))
                          if m.part_number == found.part_number and m.kind == "drawn"), PAID)
            move = stock.record(s, found, "returned", count, now=now, user=self.user,
                                ticket=ticket, basis=basis)
            stock.unkeep_old(s, found, ticket, count)
            return move

    def write_off(self, number: str, qty: object, reason: str) -> StockMoveView:
        """Stock that cannot be used (damaged, lost): out of stock with the reason."""
        count = quantity(qty, "qty")
        if not reason.strip():
            raise InputError("reason", _("core.required"))
        with self.store.write() as s:
            part = catalogue.get_part(s, number)
            return stock.record(s, part, "written_off", count, now=self.clock(),
                                user=self.user, ref=reason)

    def keep_old_part(self, number: str, part: str, qty: object = 1) -> OldPartView:
        """Keep a faulty part taken out of the ticket's phone for the manufacturer."""
        count = quantity(qty, "qty")
        with self.store.write() as s:
            ticket = self._ticket(s, number)
            found = catalogue.get_part(s, part)
            row = stock.keep_old(s, found, ticket, count, self.clock(), self.user)
            return stock.old_part_views(s, col(OldPart.id) == row.id)[0]

    def old_parts(self, pending: bool = True) -> list[OldPartView]:
        """Faulty parts kept for the manufacturer (``pending``: only those not yet sent)."""
        with self.store.read() as s:
            return stock.old_part_views(s, col(OldPart.sent_at).is_(None) if pending else True)

    def send_old_parts(self, ids: list[int] | None = None, ref: str = "") -> list[OldPartView]:
        """Mark kept faulty parts as sent to the manufacturer (all pending ones by default);
        ``ref`` the shipment's reference."""
        now = self.clock()
        with self.store.write() as s:
            stmt = select(OldPart).where(col(OldPart.sent_at).is_(None))
            if ids is not None:
                stmt = stmt.where(col(OldPart.id).in_(ids))
            rows = s.exec(stmt).all()
            missing = sorted(set(ids or ()) - {r.id for r in rows})
            if missing:
                raise InputError("id", _("money.old_part_unknown",
                                         ids=", ".join(map(str, missing))))
            for row in rows:
                row.sent_at, row.sent_by, row.sent_ref = now, self.user, ref.strip()
                s.add(row)
            s.flush()
            return stock.old_part_views(s, col(OldPart.id).in_([r.id for r in rows]))

    # -- quotes ----------------------------------------------------------------------

    def make_quote(self, number: str, lines: object, diagnostic_fee: object = None,
                   note: str = "") -> QuoteView:
        """A quote (or a changed one: a new revision that needs approval again) for a paid
        repair. ``lines``: ``{"kind": "labour", "description": ..., "price": "80.00"}`` and
        ``{"kind": "part", "part": "HW-P40-LCD", "qty": 1}`` (at the price list's price)."""
        policy = money_policy()
        fee = policy.diagnostic_fee_fen if diagnostic_fee is None else yuan_to_fen(
            diagnostic_fee, "diagnostic_fee", limit_fen=policy.max_amount_fen)
        now = self.clock()
        with self.store.write() as s:
            ticket = self._open_ticket(s, number)
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
            import json

            try:
                document = json.loads(document)
            except json.JSONDecodeError as exc:
                raise InputError("json", _("core.bad_json", error=str(exc))) from exc
        lines, fee, note = quotes.parse_quote_doc(document)
        return self.make_quote(number, lines, fee, note)

    def quote(self, number: str) -> QuoteView | None:
        """The ticket's current quote (its latest revision), or None."""
        with self.store.read() as s:
            ticket = self._ticket(s, number)
            found = quotes.latest(s, ticket)
            return quotes.view(s, ticket, found) if found else None

    def quote_history(self, number: str) -> list[QuoteView]:
        """Every revision of the ticket's quote, oldest first."""
        with self.store.read() as s:
            ticket = self._ticket(s, number)
            rows = s.exec(select(Quote).where(Quote.ticket_id == ticket.id)
                          .order_by(col(Quote.revision))).all()
            return [quotes.view(s, ticket, q) for q in rows]

    def approve_quote(self, number: str, how: str, revision: int | None = None) -> QuoteView:
        """The customer approves the current quote, ``how``: in_person or phone; recorded
        with the time and who at the counter took the answer. With ``revision``, an answer
        to a quote that has changed since is refused."""
        return self._answer(number, True, how, revision)

    def decline_quote(self, number: str, how: str, revision: int | None = None) -> QuoteView:
        """The customer declines: the ticket ends as returned unrepaired, diagnostic fee only."""
        return self._answer(number, False, how, revision)

    def _answer(self, number: str, approved: bool, how: str, revision: int | None) -> QuoteView:
        with self.store.write() as s:
            ticket = self._open_ticket(s, number)
            quote = quotes.answer(s, ticket, approved, how, revision, self.clock(), self.user)
            return quotes.view(s, ticket, quote)

    # -- payments --------------------------------------------------------------------

    def take_deposit(self, number: str, amount: object, method: str,
                     note: str = "") -> PaymentView:
        return self._pay(number, "deposit", amount, method, note)

    def take_payment(self, number: str, amount: object, method: str,
                     note: str = "") -> PaymentView:
        """A payment towards the ticket's balance; more than is owed is refused (a typing
        slip), so the counter gives change from the drawer, not from the record."""
        return self._pay(number, "payment", amount, method, note)

    def _pay(self, number: str, kind: str, amount: object, method: str,
             note: str) -> PaymentView:
        fen = yuan_to_fen(amount, "amount", positive=True,
                          limit_fen=money_policy().max_amount_fen)
        _check_method(method)
        now = self.clock()
        with self.store.write() as s:
            ticket = self._open_ticket(s, number)
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
        self._require_manager()
        now = self.clock()
        with self.store.write() as s:
            ticket = self._ticket(s, number)
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
        claim = claims(s, [ticket], on).get(ticket.id)  # type: ignore[arg-type]
        decision = decide(claim, vendor_policy(s)) if claim else None
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
        self._require_manager()
        now = self.clock()
        with self.store.write() as s:
            ticket = self._open_ticket(s, number)
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
        role = self.acting_role()
        with self.store.read() as s:
            ticket = self._ticket(s, number)
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
            claim = claims(s, [ticket], today).get(ticket.id)  # type: ignore[arg-type]
            decision = decide(claim, vendor_policy(s)) if claim else None
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
        claim = claims(s, [ticket], today).get(ticket.id)  # type: ignore[arg-type]
        record = record_of(s, ticket)
        if claim is None or record is None:
            return None
        for earlier in device_guarantees(s, ticket.device_id, before=ticket):
            if earlier.covers(claim["fault"], record.handed_in):
                return _guarantee_view(earlier)
        return None

    def blocked_moves(self, number: str) -> dict[str, str]:
        """Allowed next statuses the money rules stop now, each with the reason."""
        role = self.acting_role()
        with self.store.read() as s:
            return gates.blocked_moves(s, self._ticket(s, number), role, self.today())

    def check_money_move(self, number: str, status: str) -> None:
        """Raise what :func:`repairdesk.money.gates.check_move` would for this move now."""
        role = self.acting_role()
        with self.store.read() as s:
            gates.check_move(s, self._ticket(s, number), status, role, self.today())

    def move_checked(self, number: str, status: str, note: str = "",
                     user: str | None = None) -> Any:
        """:meth:`Desk.move` behind the money rules (for callers outside ``Desk.move``'s own
        check; once the move calls the gate in its transaction, this adds nothing)."""
        self.check_money_move(number, status)
        return self.move(number, status, note, user)

    # -- guarantees ------------------------------------------------------------------

    def repair_guarantee(self, number: str) -> tuple[date, str] | None:
        """(last day of the guarantee, ``warranty`` | ``paid``) of a collected ticket's
        repair, for the pickup receipt; None for a phone not repaired here."""
        with self.store.read() as s:
            found = _ticket_guarantee(s, self._ticket(s, number))
        return (found.end, found.kind) if found else None

    def pickup_guarantee(self, number: str, on: date) -> Guarantee | None:
        """The guarantee this ticket's repair gives if the phone is handed back on ``on``."""
        with self.store.read() as s:
            return guarantee_if_handed_back(s, self._ticket(s, number), on)

    def guarantee(self, number: str) -> GuaranteeView | None:
        with self.store.read() as s:
            return _guarantee_view(_ticket_guarantee(s, self._ticket(s, number)))

    def guarantee_for_imei(self, imei: str, on: date | None = None) -> GuaranteeView | None:
        """The guarantee an earlier repair of this phone still gives on ``on`` (today): the
        lookup's flag for a phone that comes back within its repair guarantee. A paid
        repair's guarantee covers its own fault only (``same_fault_only``)."""
        from repairdesk.imei import parse_imei

        number = parse_imei(imei, field="imei")
        on = on or self.today()
        with self.store.read() as s:
            device = device_of_imei(s, number)
            if device is None:
                return None
            for found in device_guarantees(s, device.id):  # type: ignore[arg-type]
                if found.handed_back <= on <= found.end:
                    return _guarantee_view(found)
        return None

    # -- loaners ---------------------------------------------------------------------

    def add_loaner(self, imei: str, model: str, condition: str = "") -> LoanerView:
        with self.store.write() as s:
            loaner = loaners.add(s, imei, model, condition, self.clock())
            return loaners.view_of(s, loaner)

    def loaners(self, out_only: bool = False) -> list[LoanerView]:
        """The pool, with who holds each loaner (``out_only``: only those lent out)."""
        with self.store.read() as s:
            return loaners.views(s, only_out=out_only)

    def issue_loaner(self, number: str, imei: str, condition: str = "") -> LoanerView:
        with self.store.write() as s:
            ticket = self._open_ticket(s, number)
            loaner = loaners.get(s, imei)
            loaners.issue(s, loaner, ticket, condition, self.clock(), self.user)
            return loaners.view_of(s, loaner)

    def return_loaner(self, imei: str, condition: str | None = None) -> LoanerView:
        with self.store.write() as s:
            loaner = loaners.get(s, imei)
            loaners.give_back(s, loaner, condition, self.clock(), self.user)
            return loaners.view_of(s, loaner)

    def loaners_owed(self, on: date | None = None) -> list[str]:
        """Tickets of covered 三包 handsets in repair past day 7 that hold no loaner
        (第十五条): the board flags them."""
        with self.store.read() as s:
            return report.overdue(s, on or self.today())[1]

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

    # -- helpers ---------------------------------------------------------------------

    def _ticket(self, s: Session, number: str) -> Ticket:
        ticket = s.exec(select(Ticket).where(Ticket.number == number.strip().upper())).first()
        if ticket is None:
            raise NotFound(_("core.ticket_not_found", number=number.strip()))
        return ticket

    def _open_ticket(self, s: Session, number: str) -> Ticket:
        ticket = self._ticket(s, number)
        if ticket.status in TERMINAL:
            raise InputError("ticket", _("money.ticket_closed", ticket=ticket.number,
                                         status=_(f"status.{ticket.status}")))
        return ticket


def _check_method(method: str) -> None:
    if method not in payments.METHODS:
        raise InputError("method", _("core.bad_code", value=method,
                                     allowed=", ".join(payments.METHODS)))


def _guarantee_view(found: Guarantee | None) -> GuaranteeView | None:
    if found is None:
        return None
    return GuaranteeView(found.ticket, found.kind, found.end, found.handed_back, found.fault,
                         found.same_fault_only, found.period_end)
