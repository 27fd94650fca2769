"""Ticket: everything about one ticket, and the moves and records a technician makes on it.

The 三包 decision (with its reasons and articles) and the legal deadlines come from the
engine through the facade; status moves are offered from the workflow's allowed list only;
the repair record (cause, action, hand-back) is edited here and saved with Ctrl+S.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Header, Input, Select, Static

from repairdesk.dates import parse_date
from repairdesk.errors import InputError, RepairDeskError
from repairdesk.i18n import _
from repairdesk.phones import mask
from repairdesk.policy.claim import DELAYS
from repairdesk.ratecard import GRADES, grade_label
from repairdesk.tickets.views import ChecklistView, TicketView, device_name
from repairdesk.tickets.workflow import TERMINAL
from screens.base import NEXT_FIELD, DeskScreen
from screens.commands import Command, bindings, commands
from screens.dialogs import ConfirmDialog, MoveDialog, PrintDialog
from screens.widgets.folded import FoldedText
from screens.widgets.footer import FittingFooter
from screens.widgets.form import FieldError, FieldRow, Form
from screens.widgets.render import deadlines_text, decision_text, money_text, terminal_text

RECORD_FIELDS = ("cause", "action", "handed-back", "record-technician")


class TicketScreen(DeskScreen[None]):
    CSS_PATH = "ticket.tcss"
    HELP_KEY = "ticket"
    AUTO_FOCUS = ""  # open at the top (no field focused); Tab reaches the repair record
    KEYS = commands(
        Command("move-ticket", "f6", "move", "ticket"),
        Command("checklist", "f7", "checklist", "ticket"),
        Command("print-slips", "f8", "print", "ticket"),
        Command("ticket-money", "f9", "money", "ticket"),
        Command("ticket-parts", "f10", "parts", "ticket"),
        Command("save-record", "ctrl+s", "save", "ticket"),
        Command("back", "escape", "back", "view"),
        # The footer shows the keys above first; F1 and Ctrl+P list those it has no room for.
        Command("reload-ticket", "f5", "reload", "view"),
        Command("ticket-loaner", "ctrl+l", "loaner", "ticket"),
    ) + NEXT_FIELD
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.view: TicketView | None = None
        self.saved_record: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Form(id="ticket-body"):
            yield Static("", id="ticket-head")
            yield Static(_("tui.section_decision"), classes="section")
            # Folded by cells (CJK-aware): Rich moves a long Chinese reason whole to the next
            # line, leaving its bullet alone.
            yield FoldedText("", id="ticket-decision")
            yield Static(_("tui.section_deadlines"), classes="section")
            yield FoldedText("", id="ticket-deadlines")
            yield Static(_("tui.section_intake"), classes="section")
            yield Static("", id="ticket-intake")
            yield Static(_("tui.section_diagnosis"), classes="section")
            yield Static("", id="ticket-diagnosis")
            yield Static(_("tui.section_record"), classes="section")
            yield Static("", id="ticket-record")
            yield FieldRow(_("tui.field_cause"), Input(id="cause", compact=True))
            yield FieldRow(_("tui.field_action"), Input(id="action", compact=True))
            yield FieldRow(_("tui.field_handed_back"),
                           Input(id="handed-back", placeholder="YYYY-MM-DD", compact=True),
                           FieldError("handed-back"))
            yield FieldRow(_("tui.field_delay"), Select(
                [(_(f"tui.delay_{d}"), d) for d in DELAYS], prompt=_("tui.delay_unknown"),
                id="delay", compact=True))
            # The grade HQ's rate card pays the repair by (settlement).
            yield FieldRow(_("field.grade"), Select(
                [(grade_label(g), g) for g in GRADES], prompt=_("tui.grade_none"),
                id="grade", compact=True))
            yield FieldRow(_("tui.field_technician"),
                           Input(id="record-technician", compact=True))
            yield Static(_("tui.section_timeline"), classes="section")
            yield Static("", id="ticket-timeline")
            yield Static(_("tui.section_money"), classes="section")
            yield Static("", id="ticket-money")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.desk_app.drafts.add(self)
        self.reload()
        body = self.query_one("#ticket-body", Form)
        self.call_after_refresh(body.scroll_home, animate=False)

    def on_screen_resume(self) -> None:
        if self.view is not None and not self.has_unsaved():
            self.reload()

    # -- showing the ticket ------------------------------------------------------------

    def reload(self) -> None:
        try:
            view = self.desk.tickets.ticket(self.number)
            decision = self.desk.tickets.decision(self.number)
            deadlines = self.desk.tickets.deadlines(self.number)
            checklist = self.desk.tickets.checklist(self.number)
            printed = self.desk.printing.printed_slips(self.number)
            money_view = self.desk.money.ticket_money(self.number)
        except RepairDeskError as exc:
            self.notify(exc.message, severity="error")
            return
        self.view = view
        self.sub_title = view.ticket
        self.query_one("#ticket-head", Static).update(self.head(view))
        self.query_one("#ticket-decision", Static).update(decision_text(decision))
        self.query_one("#ticket-deadlines", Static).update(deadlines_text(deadlines))
        self.query_one("#ticket-intake", Static).update(self.intake_text(view))
        self.query_one("#ticket-diagnosis", Static).update(self.diagnosis_text(checklist))
        self.query_one("#ticket-timeline", Static).update(self.timeline(view, printed))
        self.query_one("#ticket-money", Static).update(money_text(money_view))
        self.show_record(view)

    def head(self, view: TicketView) -> Text:
        device = view.device
        text = Text(view.ticket, style="bold")
        text.append("  ")
        text.append(f" {_(f'status.{view.status}')} ", style="reverse")
        text.append("\n" + " ".join(filter(None, (
            device_name(device["brand"], device["model"]), device["colour"]))))
        text.append(f"  IMEI {device['imei']}")
        if device["imei2"]:
            text.append(f" / {device['imei2']}")
        text.append("\n" + _("tui.ticket_customer", name=terminal_text(view.customer["name"]),
                             phone=mask(view.customer["phone"])))
        text.append("\n" + _("tui.ticket_received",
                             at=self.local_time(view.created).strftime("%Y-%m-%d %H:%M")))
        if view.promised_date:
            late = view.promised_date < self.desk.today() and view.status not in TERMINAL
            text.append("  " + _("tui.ticket_promised", date=view.promised_date),
                        style="bold red" if late else "")
        if view.technician:
            text.append("  " + _("tui.ticket_technician", name=view.technician))
        return text

    def intake_text(self, view: TicketView) -> Text:
        condition = view.condition
        lines = [
            (_("tui.col_faults"), "、".join(_(f"fault.{f}") for f in view.faults) or "-"),
            (_("tui.field_description"), view.description or "-"),
            (_("tui.field_accessories"),
             "、".join(_(f"accessory.{a}") for a in view.accessories) or "-"),
            (_("tui.field_marks"),
             "、".join(_(f"mark.{m}") for m in condition.get("marks", [])) or "-"),
            (_("tui.field_liquid"),
             _(f"code.liquid_{condition.get('liquid_indicator', 'unknown')}")),
            (_("tui.field_opened_before"),
             _("tui.yes") if condition.get("opened_before") else _("tui.no")),
            (_("tui.field_condition_notes"), condition.get("notes") or "-"),
            (_("tui.field_passcode"), _(f"code.passcode_{view.passcode}")),
            (_("tui.field_deposit"), f"¥{view.deposit:.2f}" if view.deposit else "-"),
        ]
        text = Text()
        for index, (label, value) in enumerate(lines):
            text.append(("\n" if index else "") + f"{label}: ", style="dim")
            text.append(value)
        return text

    def diagnosis_text(self, checklist: ChecklistView) -> Text:
        if checklist.recorded_at is None:
            return Text(_("tui.diagnosis_none"), style="dim")
        failed = [i.name for i in checklist.items if checklist.results.get(i.code) == "fail"]
        text = Text(_("tui.diagnosis_saved", at=self.local_time(checklist.recorded_at)
                      .strftime("%Y-%m-%d %H:%M"), user=checklist.user or ""))
        text.append("\n" + _("tui.diagnosis_failed", items="、".join(failed) or "-"))
        found = [*checklist.intake_exclusions, *checklist.exclusions]
        if found:
            text.append("\n" + _("tui.diagnosis_exclusions",
                                 exclusions="、".join(_(f"exclusion.{e}")
                                                     for e in dict.fromkeys(found))),
                        style="bold red")
        if checklist.battery_health is not None:
            text.append("\n" + _("tui.diagnosis_battery", percent=checklist.battery_health))
        if checklist.notes:
            text.append("\n" + checklist.notes, style="italic")
        return text

    def timeline(self, view: TicketView, printed: list[Any] | None = None) -> Text:
        text = Text()
        for index, move in enumerate(view.moves):
            if index:
                text.append("\n")
            text.append(self.local_time(move.at).strftime("%Y-%m-%d %H:%M "), style="dim")
            if move.from_status:
                text.append(f"{_(f'status.{move.from_status}')} → ")
            text.append(_(f"status.{move.to_status}"), style="bold")
            text.append(f"  {move.user}", style="dim")
            if move.note:
                text.append(f"  {move.note}", style="italic")
        for slip in printed or []:
            text.append("\n")
            text.append(self.local_time(slip.at).strftime("%Y-%m-%d %H:%M "), style="dim")
            name = _(f"tui.slip.{slip.slip}")
            if slip.ok:
                text.append(_("tui.timeline_printed", slip=name, printer=slip.printer))
            else:
                text.append(_("tui.timeline_print_failed", slip=name, error=slip.error or ""),
                            style="red")
        return text

    def show_record(self, view: TicketView) -> None:
        record = view.repair
        info = self.query_one("#ticket-record", Static)
        if record is None:
            info.update(Text(_("tui.record_missing"), style="yellow"))
            return
        fault = _(f"fault.{record.fault_code}") if record.fault_code else "-"
        info.update(_("tui.record_summary", handed_in=record.handed_in, fault=fault,
                      kind=_("tui.record_sanbao") if record.warranty else _("tui.record_paid")))
        values = {
            "cause": record.cause, "action": record.action,
            "handed-back": record.handed_back.isoformat() if record.handed_back else "",
            "record-technician": record.technician or view.technician or "",
        }
        for field_id, value in values.items():
            self.query_one(f"#{field_id}", Input).value = value
        delay = self.query_one("#delay", Select)
        if record.delay_cause in DELAYS:
            delay.value = record.delay_cause
        else:
            delay.clear()
        grade = self.query_one("#grade", Select)
        if record.grade in GRADES:
            grade.value = record.grade
        else:
            grade.clear()
        self.saved_record = self.record_values()

    def record_values(self) -> dict[str, str]:
        values = {f: self.query_one(f"#{f}", Input).value.strip() for f in RECORD_FIELDS}
        delay = self.query_one("#delay", Select).value
        values["delay"] = delay if isinstance(delay, str) else ""
        grade = self.query_one("#grade", Select).value
        values["grade"] = grade if isinstance(grade, str) else ""
        return values

    def has_unsaved(self) -> bool:
        return self.view is not None and self.record_values() != self.saved_record

    def discard(self) -> None:
        if self.view is not None:
            self.show_record(self.view)

    # -- the repair record -------------------------------------------------------------

    @on(Input.Blurred, "#handed-back")
    def handed_back_left(self) -> None:
        self.check_handed_back()

    def check_handed_back(self) -> tuple[bool, date | None]:
        raw = self.query_one("#handed-back", Input).value.strip()
        error = self.query_one("#handed-back-error", FieldError)
        if not raw:
            error.show(None)
            return True, None
        try:
            day = parse_date(raw, self.desk.today())  # the intake's forms, 1126 or -2
        except ValueError as exc:
            error.show(str(exc))
            return False, None
        if day > self.desk.today():
            error.show(_("core.date_in_future", value=day.isoformat()))
            return False, None
        error.show(None)
        return True, day

    def action_save(self) -> None:
        if self.view is None:
            return
        ok, handed_back = self.check_handed_back()
        if not ok:
            self.query_one("#handed-back", Input).focus()
            return
        values = self.record_values()
        try:
            view = self.desk.tickets.update_repair(
                self.number, cause=values["cause"], action=values["action"],
                handed_back=handed_back, delay_cause=values["delay"],
                technician=values["record-technician"], grade=values["grade"],
                version=self.view.version,
            )
        except InputError as exc:
            if exc.field == "handed_back":
                self.query_one("#handed-back-error", FieldError).show(exc.reason)
            self.notify(exc.reason, title=_("tui.not_saved"), severity="error")
            return
        except RepairDeskError as exc:
            self.notify(exc.message, title=_("tui.not_saved"), severity="error")
            return
        self.notify(_("tui.record_saved", ticket=view.ticket))
        self.reload()

    # -- moves, checklist, printing ----------------------------------------------------

    def action_move(self) -> None:
        if self.view is None:
            return
        if not self.view.allowed_moves:
            self.notify(_("tui.move_none", status=_(f"status.{self.view.status}")),
                        severity="warning")
            return

        def chosen(choice: tuple[str, str] | None) -> None:
            if choice is not None:
                self.move_to(*choice)

        self.app.push_screen(MoveDialog(self.view.ticket, self.view.status,
                                        self.view.allowed_moves), chosen)

    def move_to(self, status: str, note: str = "") -> None:
        """Ask the facade; a move the workflow refuses (the ticket changed on another
        terminal meanwhile) is shown, and nothing is stored."""
        try:
            view = self.desk.tickets.move(self.number, status, note,
                                  version=self.view.version if self.view else None)
        except RepairDeskError as exc:
            message = exc.reason if isinstance(exc, InputError) else exc.message
            self.notify(message, title=_("tui.move_refused"), severity="error")
            self.reload()
            return
        self.notify(_("tui.moved", ticket=view.ticket, status=_(f"status.{view.status}")))
        self.reload()

    def action_checklist(self) -> None:
        from screens.checklist import ChecklistScreen

        self.app.push_screen(ChecklistScreen(self.number))

    def action_money(self) -> None:
        from screens.dialogs import MoneyDialog

        try:
            found = self.desk.money.ticket_money(self.number)
        except RepairDeskError as exc:
            self.notify(exc.message, severity="error")
            return
        self.app.push_screen(MoneyDialog(self.number, found), self.money_action)

    def money_action(self, choice: tuple[str, dict[str, str]] | None,
                     confirmed: bool = False) -> None:
        """An action of F9 through the facade; a refusal is shown, nothing stored."""
        from screens.ticket_money import refund_question, run_money_action

        if choice is None:
            return
        action, values = choice
        try:
            question = None if confirmed else refund_question(
                self.desk.money.ticket_money(self.number), action)
            if question is not None:
                self.app.push_screen(ConfirmDialog(
                    question, [("refund", _("ticketui.answer_refund")),
                               ("stay", _("tui.answer_stay"))], warning=True, default="stay"),
                    lambda answer: answer == "refund" and self.money_action(choice, True))
                return
            done = run_money_action(self.desk, self.number, action, values)
        except RepairDeskError as exc:
            message = exc.reason if isinstance(exc, InputError) else exc.message
            self.notify(message, title=_("tui.not_saved"), severity="error")
            return
        self.notify(done)
        self.reload()

    def action_parts(self) -> None:
        if self.view is None:
            return
        from screens.parts import PartsDialog

        self.app.push_screen(PartsDialog(self.number, self.view.device.get("model")),
                             self.parts_closed)

    def parts_closed(self, _changed: bool | None) -> None:
        # Read again even when nothing was drawn here: money may have moved at another
        # terminal, and what the money rules block must be what they block now. Only the
        # money section: a reload would put back a repair record being typed.
        try:
            found = self.desk.money.ticket_money(self.number)
        except RepairDeskError as exc:
            self.notify(exc.message, severity="error")
            return
        self.query_one("#ticket-money", Static).update(money_text(found))

    def action_loaner(self) -> None:
        from screens.loaners import LoanerDialog

        self.app.push_screen(LoanerDialog(self.number), self.loaner_closed)

    def loaner_closed(self, changed: bool | None) -> None:
        # A loaner lent meets the 第十五条 duty: the deadlines change with the money section.
        # Not a reload, which would put back a repair record being typed.
        if changed:
            try:
                found = self.desk.money.ticket_money(self.number)
                deadlines = self.desk.tickets.deadlines(self.number)
            except RepairDeskError as exc:
                self.notify(exc.message, severity="error")
                return
            self.query_one("#ticket-money", Static).update(money_text(found))
            self.query_one("#ticket-deadlines", Static).update(deadlines_text(deadlines))

    def action_print(self) -> None:
        self.app.push_screen(PrintDialog(self.number, done=self.reload))

    def action_reload(self) -> None:
        self.desk_app.leave(self, self.reload_discarding, keep=False)

    def reload_discarding(self) -> None:
        self.saved_record = {}
        self.reload()

    def action_back(self) -> None:
        self.desk_app.leave(self, self.app.pop_screen, keep=False)

