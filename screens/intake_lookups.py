"""What the intake form looks up as it is filled: the device's history after its IMEI, the
customer after their phone. In threads (a store of years answers in tenths of a second),
shown when they come back; a returning device fills what the form leaves empty."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.widgets import Input, Select, Static

from repairdesk.errors import InputError
from repairdesk.i18n import _
from repairdesk.tickets.views import CustomerView, DeviceHistory
from screens.intake_form import field_error
from screens.widgets.render import ticket_lines

if TYPE_CHECKING:
    from screens.intake import IntakeScreen

    _Base = IntakeScreen
else:
    _Base = object

#: Fields whose Enter (a scanner's) also runs a lookup.
LOOKUPS = ("imei", "phone")
#: Purchase facts a returning device brings along when the form leaves them empty.
PREFILL = {"brand": "brand", "model": "model", "colour": "colour", "sale-date": "sale_date",
           "invoice-date": "invoice_date", "invoice-no": "invoice_no", "price": "price"}


class IntakeLookups(_Base):
    """Mixed into IntakeScreen: its lookups."""

    def look_up(self, field_id: str, value: str) -> None:
        if self.looked_up.get(field_id) == value.strip() or field_error(
            field_id, value, self.desk.today(), self.desk.region
        ):
            return
        self.looked_up[field_id] = value.strip()
        if field_id == "imei":
            self.load_device(value)
        else:
            self.load_customer(value)

    @work(thread=True, exclusive=True, group="device")
    def load_device(self, imei: str) -> DeviceHistory | None:
        try:
            history = self.desk.tickets.device_history(imei)
        except InputError:
            return None
        self.app.call_from_thread(self.show_device, history)
        return history

    @work(thread=True, exclusive=True, group="customer")
    def load_customer(self, phone: str) -> CustomerView | None:
        try:
            customer = self.desk.tickets.customer_by_phone(phone)
        except InputError:
            return None
        self.app.call_from_thread(self.show_customer, customer)
        return customer

    def show_device(self, history: DeviceHistory) -> None:
        text = Text()
        if history.tac:
            text.append(_("tui.tac_found", brand=history.tac.brand, model=history.tac.model))
        else:
            text.append(_("tui.tac_unknown"), style="yellow")
        if history.open_ticket:
            row = history.open_ticket
            text.append("\n" + _("tui.device_open_ticket", ticket=row.ticket,
                                 status=_(f"status.{row.status}")), style="bold red")
        if history.tickets:
            text.append("\n" + _("tui.device_history", count=len(history.tickets)), style="bold")
            text.append("\n")
            text.append_text(ticket_lines(history.tickets, self.local_time, limit=3))
        elif not history.known:
            text.append("  " + _("tui.device_new"), style="dim")
        self.query_one("#device-info", Static).update(text)
        fill = {"brand": history.tac.brand if history.tac else None,
                "model": history.tac.model if history.tac else None}
        for field_id, key in PREFILL.items():
            value = history.device.get(key) or fill.get(field_id)
            box = self.query_one(f"#{field_id}", Input)
            if value is not None and not box.value.strip():
                box.value = str(value)
        for select_id in ("channel", "proof"):
            stored = history.device.get(select_id)
            if stored and self.query_one(f"#{select_id}", Select).value == self.defaults[select_id]:
                self.query_one(f"#{select_id}", Select).value = stored

    def show_customer(self, customer: CustomerView | None) -> None:
        info = self.query_one("#customer-info", Static)
        if customer is None:
            info.update(Text(_("tui.customer_new"), style="dim"))
            return
        name = self.query_one("#name", Input)
        if not name.value.strip():
            name.value = customer.name
            # Selected, so typing another name replaces it rather than joining it.
            name.select_all()
            self.show_error("name", None)
        text = Text(_("tui.customer_known", name=customer.name, count=len(customer.tickets)),
                    style="bold")
        if customer.tickets:
            text.append("\n")
            text.append_text(ticket_lines(customer.tickets, self.local_time, limit=3))
        info.update(text)
