"""The stock use cases of the facade (``desk.stock``): the price list, parts in and out,
old parts kept for HQ, and the loaner phones (备用机).

Each public method is one transaction and returns the plain views of
:mod:`repairdesk.money.views`; the logic lives in ``catalogue``, ``stock`` and ``loaners``.
Changing a price is a manager's decision.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from repairdesk.acting import Acting, Area
from repairdesk.amounts import quantity, yuan_to_fen
from repairdesk.db import Store
from repairdesk.errors import InputError
from repairdesk.freetext import check_text
from repairdesk.i18n import _
from repairdesk.models import OldPart, Part
from repairdesk.money import catalogue, loaners, report, stock
from repairdesk.money.basis import (
    PAID,
    charge_basis,
)
from repairdesk.money.gates import open_ticket
from repairdesk.money.policy import money_policy
from repairdesk.money.views import (
    ImportResult,
    LoanerView,
    OldPartView,
    PartView,
    StockMoveView,
)
from repairdesk.stock_kinds import SOURCES
from repairdesk.tickets.records import get_ticket
from repairdesk.trust import TrustDesk


class StockDesk(Area):
    """The price list, stock, old parts and loaners."""

    def __init__(self, store: Store, acting: Acting, trust: TrustDesk) -> None:
        super().__init__(store, acting)
        self.trust = trust

    # -- the price list --------------------------------------------------------------

    def import_price_list(self, text: str, source: str = "CSV") -> ImportResult:
        """Load a price list (CSV, see repairdesk/money/catalogue.py): new parts are added,
        known ones updated. Changing a known part's price is a manager's decision. The whole
        file is checked first; a bad line stores nothing."""
        self.trust.require("stock.import_price_list")
        rows = catalogue.parse_price_list(text, source)
        with self.store.read() as s:
            changing = catalogue.price_changes(s, rows)
        if changing:
            self.trust.require("stock.set_price")
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
        self.trust.require("stock.set_price")
        return self._change_part(number, price_fen=fen)

    def set_min_stock(self, number: str, minimum: int) -> PartView:
        self.trust.require("stock.set_min_stock")
        if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 0:
            raise InputError("min_stock", _("money.qty_invalid", value=minimum))
        return self._change_part(number, min_stock=minimum)

    def _change_part(self, number: str, **values: int) -> PartView:
        with self.store.write() as s:
            part = catalogue.get_part(s, number)
            for name, value in values.items():
                setattr(part, name, value)
            part.updated_at = self.clock()
            s.add(part)
            s.flush()
            return stock.part_views(s, [part])[0]

    # -- stock -----------------------------------------------------------------------

    def receive_stock(self, number: str, qty: object, source: str = "received", ref: str = "",
                      cost: object = None) -> StockMoveView:
        """Parts in: ``received`` from HQ (against the parts deposit) or ``bought``; ``ref``
        the delivery note or invoice; ``cost`` what was paid or deposited for them, if known."""
        self.trust.require("stock.receive_stock")
        count = quantity(qty, "qty")
        ref = check_text("ref", ref)
        if source not in SOURCES:
            raise InputError("source", _("core.bad_code", value=source,
                                         allowed=", ".join(SOURCES)))
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
        self.trust.require("stock.draw_part")
        count = quantity(qty, "qty")
        now = self.clock()
        with self.store.write() as s:
            ticket = open_ticket(s, number)
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
        self.trust.require("stock.return_part")
        count = quantity(qty, "qty")
        now = self.clock()
        with self.store.write() as s:
            ticket = get_ticket(s, number)
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
        self.trust.require("stock.write_off")
        count = quantity(qty, "qty")
        reason = check_text("reason", reason)
        if not reason:
            raise InputError("reason", _("core.required"))
        with self.store.write() as s:
            part = catalogue.get_part(s, number)
            return stock.record(s, part, "written_off", count, now=self.clock(),
                                user=self.user, ref=reason)

    def keep_old_part(self, number: str, part: str, qty: object = 1) -> OldPartView:
        """Keep a faulty part taken out of the ticket's phone for the manufacturer."""
        self.trust.require("stock.keep_old_part")
        count = quantity(qty, "qty")
        with self.store.write() as s:
            ticket = get_ticket(s, number)
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
        self.trust.require("stock.send_old_parts")
        ref = check_text("ref", ref)
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
                row.sent_at, row.sent_by, row.sent_ref = now, self.user, ref
                s.add(row)
            s.flush()
            return stock.old_part_views(s, col(OldPart.id).in_([r.id for r in rows]))

    # -- loaners ---------------------------------------------------------------------

    def add_loaner(self, imei: str, model: str, condition: str = "") -> LoanerView:
        self.trust.require("stock.add_loaner")
        with self.store.write() as s:
            loaner = loaners.add(s, imei, model, condition, self.clock())
            return loaners.view_of(s, loaner)

    def loaners(self, out_only: bool = False) -> list[LoanerView]:
        """The pool, with who holds each loaner (``out_only``: only those lent out)."""
        with self.store.read() as s:
            return loaners.views(s, only_out=out_only)

    def issue_loaner(self, number: str, imei: str, condition: str = "") -> LoanerView:
        self.trust.require("stock.issue_loaner")
        with self.store.write() as s:
            ticket = open_ticket(s, number)
            loaner = loaners.get(s, imei)
            loaners.issue(s, loaner, ticket, condition, self.clock(), self.user)
            return loaners.view_of(s, loaner)

    def return_loaner(self, imei: str, condition: str | None = None) -> LoanerView:
        self.trust.require("stock.return_loaner")
        with self.store.write() as s:
            loaner = loaners.get(s, imei)
            loaners.give_back(s, loaner, condition, self.clock(), self.user)
            return loaners.view_of(s, loaner)

    def loaners_owed(self, on: date | None = None) -> list[str]:
        """Tickets of covered 三包 handsets in repair past day 7 that hold no loaner
        (第十五条): the board flags them."""
        with self.store.read() as s:
            return report.overdue(s, on or self.today())[1]
