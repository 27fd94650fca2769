"""Ctrl+S on the intake form: check every field, ask what only the store knows, then store.

Two things are asked before anything is stored, each with the safe answer focused: the
device has an open ticket (default: open that ticket), and the phone is on file under
another name (rename that customer everywhere, or another person with the same phone;
default: back to the form). Nothing is stored until every question is answered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widget import Widget
from textual.widgets import Input

from repairdesk.errors import InputError, OpenTicketError, RepairDeskError
from repairdesk.i18n import _
from repairdesk.tickets.views import DecisionView, IntakeResult
from screens.dialogs import ConfirmDialog
from screens.intake_done import IntakeDoneDialog
from screens.intake_form import TYPED, build_document, field_error, widget_for

if TYPE_CHECKING:
    from screens.intake import IntakeScreen

    _Base = IntakeScreen
else:
    _Base = object


class IntakeSaving(_Base):
    """Mixed into IntakeScreen: its saving."""

    def action_save(self) -> None:
        """Ctrl+S: check every field, then store the intake in one transaction."""
        values = self.values()
        today, region = self.desk.today(), self.desk.region
        errors = {f.id: field_error(f.id, values[f.id], today, region) for f in TYPED}
        if not values["faults"] and not values["description"].strip():
            errors["fault-search"] = _("core.fault_or_description")
        for field_id, message in errors.items():
            self.show_error(field_id, message)
        wrong = [field_id for field_id, message in errors.items() if message]
        if wrong:
            self.focus_field(wrong[0])
            self.notify(_("tui.form_incomplete", count=len(wrong)), severity="error")
            return
        self.store(build_document(values, today))

    def ask_open_ticket(self, document: dict[str, Any], found: OpenTicketError) -> None:
        """The device has an open ticket (the core's one check, in the intake's own
        transaction): open that one, or take the phone in again on purpose."""

        def answered(answer: str | None) -> None:
            if answer == "open":
                self.open_ticket(found.ticket)
            elif answer == "save":
                self.store(document, allow_open=True)

        self.app.push_screen(ConfirmDialog(
            _("intake.open_ticket_question", ticket=found.ticket,
              status=_(f"status.{found.status}")),
            [("open", _("intake.answer_open_existing")),
             ("save", _("intake.answer_save_second")), ("stay", _("tui.answer_stay"))],
            warning=True, default="open",
        ), answered)

    def store(self, document: dict[str, Any], *, allow_open: bool = False) -> None:
        from repairdesk.tickets.intake import NameDiffers

        try:
            result = self.desk.tickets.intake(document, allow_open=allow_open)
        except OpenTicketError as exc:
            self.ask_open_ticket(document, exc)
            return
        except NameDiffers as exc:
            self.ask_name_change(document, exc, allow_open=allow_open)
            return
        except InputError as exc:
            field_id = widget_for(exc.field) or "imei"
            self.show_error(field_id, exc.reason)
            self.focus_field(field_id)
            self.notify(exc.reason, title=_("tui.not_saved"), severity="error")
            return
        except RepairDeskError as exc:
            self.notify(exc.message, title=_("tui.not_saved"), severity="error")
            return
        self.saved(result, self.desk.tickets.decision(result.ticket))

    def ask_name_change(self, document: dict[str, Any], differs: Any, *,
                        allow_open: bool) -> None:
        def answered(answer: str | None) -> None:
            if answer in ("rename", "new"):
                document["customer"]["name_change"] = answer
                self.store(document, allow_open=allow_open)
            else:
                self.focus_field("name")

        self.app.push_screen(ConfirmDialog(
            _("intake.name_question", known=differs.known, name=differs.given),
            [("rename", _("intake.answer_rename")), ("new", _("intake.answer_new_customer")),
             ("back", _("intake.answer_back"))],
            default="back",
        ), answered)

    def open_ticket(self, number: str) -> None:
        from screens.ticket import TicketScreen

        self.app.push_screen(TicketScreen(number))

    def focus_field(self, field_id: str) -> None:
        widget = self.query_one(f"#{field_id}", Widget)
        if widget.disabled:
            return
        widget.focus()

    def saved(self, result: IntakeResult, decision: DecisionView) -> None:
        self.discard()

        def done(answer: str | None) -> None:
            if answer == "open":
                self.open_ticket(result.ticket)
            elif answer and answer.isdigit():  # the next phone, scanned on the dialog
                imei = self.query_one("#imei", Input)
                imei.value = answer
                self.field_entered(imei)

        self.app.push_screen(IntakeDoneDialog(result, decision), done)
