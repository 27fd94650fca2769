"""Intake: take a phone in, by keyboard and scanner, without ever losing what was typed.

The fields run in the order of a typical intake: scan the IMEI, the customer's phone and
name, the faults, the purchase date and proof (the 三包 decision needs them), the
accessories handed over, the condition; then the rest of the purchase facts, the device
details TAC did not fill, passcode handling, deposit and promised date.

A scanner types fast and ends with Enter: Enter in a field moves on to the next field to
type or tick (after the IMEI and the phone it also looks them up; choices that hold a value
are left to Tab); it never saves. Tab and Shift+Tab visit every field. Ctrl+S saves a
complete form only, through ``desk.tickets.intake`` with the intake document of the CLI
(:mod:`screens.intake_form`), after asking when the device has an open ticket or the phone
is on file under another name.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widget import Widget
from textual.widgets import (
    Checkbox,
    Footer,
    Header,
    Input,
    Select,
    Static,
)

from repairdesk.i18n import _, get_language
from repairdesk.settings import load_settings
from repairdesk.tickets.codes import ACCESSORIES, CHANNELS, LIQUID, MARKS, PASSCODE_MODES, PROOFS
from screens.base import NEXT_FIELD, DeskScreen
from screens.commands import Command, bindings, commands
from screens.dialogs import ConfirmDialog
from screens.intake_form import (
    DEFAULTS,
    TYPED,
    fault_matches,
    fault_names,
    fault_options,
    field_error,
    shown_value,
)
from screens.intake_lookups import LOOKUPS, IntakeLookups
from screens.intake_save import IntakeSaving
from screens.widgets.form import FieldError, FieldRow, Form, TickList, TypedField, update_text

LISTS = ("faults", "accessories", "marks")
class IntakeScreen(IntakeSaving, IntakeLookups, DeskScreen[None]):
    CSS_PATH = "intake.tcss"
    HELP_KEY = "intake"
    KEYS = commands(
        Command("save-intake", "ctrl+s", "save", "ticket"),
        Command("new-intake", "f5", "new", "ticket"),
        Command("back", "escape", "back", "view"),
    ) + NEXT_FIELD
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    def __init__(self) -> None:
        super().__init__()
        self.looked_up: dict[str, str] = {}  # field -> the value last looked up
        settings = load_settings()
        # Where every new intake starts: the counter's own defaults, else none.
        self.defaults: dict[str, Any] = {
            **DEFAULTS, "accessories": list(dict.fromkeys(settings.intake_accessories)),
            "marks": list(dict.fromkeys(settings.intake_marks)),
            "liquid": settings.intake_liquid}

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Form(id="intake-form"):
            yield Static(_("tui.section_customer_device"), classes="section")
            yield from self.typed("imei", _("tui.field_imei"), _("tui.hint_imei"),
                                  info="device-info")
            yield from self.typed("phone", _("tui.field_phone"), _("tui.hint_phone"),
                                  info="customer-info")
            yield from self.typed("name", _("tui.field_name"))

            yield Static(_("tui.section_faults"), classes="section")
            yield from self.typed("fault-search", _("tui.field_fault_search"),
                                  _("tui.hint_fault_search"), info="fault-hint")
            yield FieldRow(_("tui.field_faults"), self.ticks(
                "faults", ((_(f"fault.{code}"), code) for code in fault_options())))
            yield from self.typed("description", _("tui.field_description"),
                                  _("tui.hint_description"))

            yield Static(_("tui.section_purchase"), classes="section")
            yield from self.typed("sale-date", _("tui.field_sale_date"),
                                  _("intake.hint_date_past"))
            yield FieldRow(_("tui.field_proof"), self.select("proof", "proof", PROOFS))
            yield from self.typed("production-date", _("tui.field_production_date"),
                                  _("intake.hint_date_past"))

            yield Static(_("tui.section_accessories"), classes="section")
            yield FieldRow(_("tui.field_accessories"), self.ticks(
                "accessories", ((_(f"accessory.{a}"), a) for a in ACCESSORIES)))

            yield Static(_("tui.section_condition"), classes="section")
            yield FieldRow(_("tui.field_marks"), self.ticks(
                "marks", ((_(f"mark.{m}"), m) for m in MARKS)))
            yield FieldRow(_("tui.field_liquid"), self.select("liquid", "liquid", LIQUID))
            yield FieldRow("", Checkbox(_("tui.field_opened_before"), id="opened-before",
                                        compact=True))
            yield from self.typed("condition-notes", _("tui.field_condition_notes"))

            yield Static(_("intake.section_purchase_more"), classes="section")
            yield from self.typed("invoice-date", _("tui.field_invoice_date"),
                                  _("tui.hint_invoice_date"))
            yield from self.typed("invoice-no", _("tui.field_invoice_no"))
            yield from self.typed("price", _("tui.field_price"), "2999.00")
            yield FieldRow(_("tui.field_channel"), self.select("channel", "channel", CHANNELS))
            yield from self.typed("received-date", _("tui.field_received_date"),
                                  _("intake.hint_date_past"))

            yield Static(_("tui.section_device"), classes="section")
            yield from self.typed("brand", _("tui.field_brand"))
            yield from self.typed("model", _("tui.field_model"))
            yield from self.typed("colour", _("tui.field_colour"))
            yield from self.typed("imei2", _("tui.field_imei2"))

            yield Static(_("tui.section_handover"), classes="section")
            yield FieldRow(_("tui.field_passcode"),
                           self.select("passcode", "passcode", PASSCODE_MODES))
            yield from self.typed("passcode-value", _("tui.field_passcode_value"),
                                  _("tui.hint_passcode_value"), password=True)
            yield from self.typed("deposit", _("tui.field_deposit"), "0.00")
            yield from self.typed("promised-date", _("tui.field_promised_date"),
                                  _("intake.hint_date_future"))
            yield from self.typed("technician", _("tui.field_technician"))
        yield Footer(compact=True)

    def typed(self, field_id: str, label: str, placeholder: str = "", *,
              password: bool = False, info: str | None = None) -> ComposeResult:
        """A typed field, its error under it, and what a lookup found under that."""
        under: list[Widget] = [FieldError(field_id)]
        if info:
            under.append(Static("", id=info, classes="info"))
        yield FieldRow(label, TypedField(placeholder=placeholder, id=field_id, compact=True,
                                    password=password), *under)

    def select(self, field_id: str, prefix: str, codes: tuple[str, ...]) -> Select[str]:
        return Select([(_(f"code.{prefix}_{c}"), c) for c in codes], id=field_id,
                      value=self.defaults[field_id], allow_blank=False, compact=True)

    def ticks(self, field_id: str, items: Any) -> TickList:
        ticked = TickList(items, id=field_id, compact=True)
        for value in self.defaults[field_id]:
            ticked.select(value)
        return ticked

    def on_mount(self) -> None:
        self.desk_app.drafts.add(self)
        self.sync_enabled()
        self.query_one("#imei", Input).focus()
        self.prepare_fault_search()

    @work(thread=True, group="prepare")
    def prepare_fault_search(self) -> None:
        fault_names(get_language())

    # -- reading and resetting the form ------------------------------------------------

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {f.id: self.query_one(f"#{f.id}", Input).value for f in TYPED}
        for list_id in LISTS:
            values[list_id] = list(self.query_one(f"#{list_id}", TickList).selected)
        for select_id in ("liquid", "channel", "proof", "passcode"):
            values[select_id] = self.query_one(f"#{select_id}", Select).value
        values["opened-before"] = self.query_one("#opened-before", Checkbox).value
        return values

    def has_unsaved(self) -> bool:
        values = self.values()
        return any(values[f.id].strip() for f in TYPED) or any(
            sorted(values[key]) != sorted(default) if isinstance(default, list)
            else values[key] != default for key, default in self.defaults.items()
        ) or bool(self.query_one("#fault-search", Input).value.strip())

    def discard(self) -> None:
        for field in TYPED:
            self.query_one(f"#{field.id}", Input).value = ""
        self.query_one("#fault-search", Input).value = ""
        for list_id in LISTS:
            self.query_one(f"#{list_id}", TickList).reset(self.defaults[list_id])
        for select_id in ("liquid", "channel", "proof", "passcode"):
            self.query_one(f"#{select_id}", Select).value = self.defaults[select_id]
        self.query_one("#opened-before", Checkbox).value = False
        for error in self.query(FieldError):
            error.show(None)
        for info in ("device-info", "customer-info", "fault-hint"):
            self.query_one(f"#{info}", Static).update("")
        self.looked_up.clear()
        self.query_one("#intake-form", Form).scroll_home(animate=False)
        self.set_focus(self.query_one("#imei", Input))

    # -- Enter, leaving a field, lookups ---------------------------------------------

    def field_entered(self, field: Input) -> None:
        """Enter moves on, never saves (a scanner ends every scan with Enter)."""
        field_id = field.id or ""
        if field_id == "fault-search":
            if field.value.strip():
                self.add_fault(field.value)
                return
            # Faults done: on to the purchase date (the list and the words are Tab's).
            self.set_focus(self.query_one("#sale-date", Input))
            return
        if field_id in LOOKUPS:
            self.look_up(field_id, field.value)
        self.enter_next(field)

    def enter_next(self, field: Widget) -> None:
        """Focus the next field to type or tick after ``field``: a choice (it holds a
        value already) is skipped."""
        chain = self.focus_chain
        after = chain[chain.index(field) + 1:] if field in chain else chain
        target = next((w for w in after if not isinstance(w, (Select, Checkbox))), None)
        if target is not None:
            # Now, not later (Widget.focus waits its turn behind keys typed already).
            self.set_focus(target)

    @on(Input.Blurred)
    def field_left(self, event: Input.Blurred) -> None:
        field_id = event.input.id or ""
        if field_id == "fault-search":
            return
        shown = shown_value(field_id, event.value, self.desk.today())
        if shown != event.value:
            event.input.value = shown
        self.check_field(field_id, leaving=True)
        if field_id in LOOKUPS:
            self.look_up(field_id, shown)

    def check_field(self, field_id: str, *, leaving: bool = False) -> str | None:
        """The field's error shown under it. ``leaving``: an empty field is not yet an
        error (a form just cleared, or passed through, is not wrong); Ctrl+S says so."""
        value = self.query_one(f"#{field_id}", Input).value
        message = None if leaving and not value.strip() else field_error(
            field_id, value, self.desk.today(), self.desk.region)
        self.show_error(field_id, message)
        return message

    def show_error(self, field_id: str, message: str | None) -> None:
        self.query_one(f"#{field_id}-error", FieldError).show(message)
        self.query_one(f"#{field_id}").set_class(bool(message), "-invalid")

    # -- faults: type a few letters, Enter adds the best match ------------------------

    @on(Input.Changed, "#fault-search")
    def fault_typed(self, event: Input.Changed) -> None:
        matches = fault_matches(event.value)
        if not event.value.strip():
            self.show_hint("")
            return
        if not matches:
            self.show_hint(Text(_("tui.fault_no_match"), style="yellow"))
            return
        faults = self.query_one("#faults", TickList)
        faults.highlighted = fault_options().index(matches[0])
        verb = "tui.fault_enter_removes" if matches[0] in faults.selected \
            else "tui.fault_enter_adds"
        self.show_hint(_(verb, fault=_(f"fault.{matches[0]}")))

    def show_hint(self, text: str | Text) -> None:
        update_text(self.query_one("#fault-hint", Static), text)

    def add_fault(self, query: str) -> None:
        matches = fault_matches(query)
        if not matches:
            return
        self.query_one("#faults", TickList).toggle(matches[0])
        self.query_one("#fault-search", Input).value = ""
        self.show_error("fault-search", None)

    @on(TickList.SelectedChanged, "#faults")
    def faults_changed(self) -> None:
        chosen = self.query_one("#faults", TickList).selected
        hint = "、".join(_(f"fault.{code}") for code in chosen)
        self.show_hint(_("tui.fault_chosen", faults=hint) if chosen else "")
        if chosen:
            self.show_error("fault-search", None)

    # -- fields that apply only sometimes ------------------------------------------------

    @on(Select.Changed)
    def choice_changed(self) -> None:
        self.sync_enabled()

    def sync_enabled(self) -> None:
        """Remote-sale receipt date, production date and passcode only when they apply (a
        disabled field is skipped by Tab, and cleared so it cannot be saved by mistake)."""
        applies = {
            "received-date": self.query_one("#channel", Select).value == "remote",
            "production-date": self.query_one("#proof", Select).value == "imei_date",
            "passcode-value": self.query_one("#passcode", Select).value == "given",
        }
        for field_id, enabled in applies.items():
            box = self.query_one(f"#{field_id}", Input)
            box.disabled = not enabled
            if not enabled and box.value:
                box.value = ""
                self.show_error(field_id, None)

    # -- leaving -----------------------------------------------------------------------

    def action_back(self) -> None:
        self.desk_app.leave(self, lambda: self.app.switch_mode("board"), keep=True)

    def action_new(self) -> None:
        if not self.has_unsaved():
            self.discard()
            return

        def answered(answer: str | None) -> None:
            if answer == "discard":
                self.discard()

        self.app.push_screen(ConfirmDialog(
            _("tui.unsaved_question"),
            [("discard", _("tui.answer_discard")), ("stay", _("tui.answer_stay"))],
            warning=True, default="stay",
        ), answered)
