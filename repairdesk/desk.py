"""The counter's facade: one open store, who acts and when, and its areas.

The screens and the CLI call an area's use cases: ``desk.tickets`` (intake, lookup, moves,
the board, 三包, the checklist), ``desk.money`` (quotes, payments, refunds, guarantees,
reports), ``desk.stock`` (price list, parts, old parts, loaners), ``desk.printing``,
``desk.sync`` (batches, packs, keys, ORDS), ``desk.settlement`` (HQ's claim lines,
statements, disputes, earnings) and ``desk.trust`` (users, logins, the audit
trail). Each area gets what it needs from the others through its constructor, and every
area, the store's audit trail and the opening desk read the one :class:`Acting`. Each
public method of an area is one transaction on the store; they take and return plain values
and read models, and no ORM object or SQL leaves the core.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from repairdesk.acting import Acted, Acting, Clock, local_now
from repairdesk.backup import daily_backup
from repairdesk.counter import check_code, read_counter, set_counter
from repairdesk.db import Store, open_store
from repairdesk.errors import InputError
from repairdesk.freetext import check_text
from repairdesk.i18n import _
from repairdesk.money.facade import MoneyDesk
from repairdesk.money.gates import check_move as money_rules
from repairdesk.money.parts_desk import PartsDesk
from repairdesk.money.stock_desk import StockDesk
from repairdesk.phones import parse_phone
from repairdesk.printing.facade import PrintingDesk
from repairdesk.sync.facade import SyncDesk
from repairdesk.sync.settlement_desk import SettlementDesk
from repairdesk.tickets.facade import TicketDesk
from repairdesk.tickets.views import CounterInfo
from repairdesk.trust import TrustDesk
from repairdesk.users import NO_USER

if TYPE_CHECKING:
    from repairdesk.backup import BackupInfo


class Desk(Acted):
    """The counter's use cases over one open store, area by area."""

    def __init__(self, store: Store, *, acting: Acting | None = None, clock: Clock = local_now,
                 user: str = NO_USER, region: str = "CN") -> None:
        self.acting = acting if acting is not None else Acting(user, clock, region)
        self.store = store
        store.acting = self.acting
        self.trust = TrustDesk(store, self.acting)
        # Paid work waits for an approved quote; nobody collects with a balance open: the
        # money rules of a move, checked inside the move's transaction.
        self.tickets = TicketDesk(store, self.acting, self.trust, move_rule=money_rules)
        self.money = MoneyDesk(store, self.acting, self.trust)
        self.stock = StockDesk(store, self.acting, self.trust)
        self.parts = PartsDesk(store, self.acting, self.trust)
        self.printing = PrintingDesk(store, self.acting, self.tickets, self.money)
        self.sync = SyncDesk(store, self.acting, self.trust)
        self.settlement = SettlementDesk(store, self.acting, self.trust)

    @classmethod
    def open(cls, path: Path, *, acting: Acting | None = None, clock: Clock = local_now,
             user: str = NO_USER, region: str = "CN") -> Desk:
        return cls(open_store(path), acting=acting, clock=clock, user=user, region=region)

    def close(self) -> None:
        self.store.close()

    # -- the store and its counter -----------------------------------------------------

    def daily_backup(self, keep: int) -> BackupInfo | None:
        """The day's first start backs the store up (verified); the newest ``keep`` are
        kept. None when today's backup exists already (or ``keep`` is 0)."""
        return daily_backup(self.store.path, keep)

    def counter(self) -> CounterInfo | None:
        with self.store.read() as s:
            return read_counter(s)

    def init_counter(self, code: str, name: str, address: str = "", phone: str = "") -> CounterInfo:
        self.trust.require("counter.init")
        code = check_code(code)
        name, address = check_text("name", name), check_text("address", address)
        if not name:
            raise InputError("name", _("core.required"))
        phone = check_text("phone", phone)
        phone_e164 = parse_phone(phone, self.region, field="phone") if phone else ""
        with self.store.write() as s:
            return set_counter(s, code, name, address, phone_e164, self.acting.clock())
