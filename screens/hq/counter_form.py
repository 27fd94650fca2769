"""A counter's form: its registry fields, edited by keys; Ctrl+S saves through the facade.

Only the fields changed are sent (``hq.edit_counter``), or every field for a new counter
(``hq.add_counter``). The facade checks them: a refusal names the field, which shows the
message under it and takes the cursor; nothing was saved. The state is not edited here
(F6/F7/F8 on the list change it, with a reason); its history is shown under the form.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Footer, Header, Input, Select, Static

from repairdesk.errors import InputError
from repairdesk.i18n import _
from screens.base import NEXT_FIELD
from screens.commands import Command, bindings, commands
from screens.hq.base import HqCommand, HqScreen
from screens.widgets.form import FieldRow, Form
from screens.widgets.render import terminal_text

#: The fields of the form, in order: each is a keyword of ``hq.add_counter``/``edit_counter``.
FIELDS = ("name", "level", "region", "parent", "agent", "person", "phone", "address",
          "agreement_start", "agreement_end", "credit_multiple")
#: The fields that show what to type while empty (a format, a code). The deposit is not one:
#: it is the sum of its ledger (``hq deposit pay|refund|deduct``).
HINTED = frozenset({"region", "parent", "agreement_start", "agreement_end",
                    "credit_multiple"})


class CounterForm(HqScreen[bool]):
    HELP_KEY = "counter_form"
    KEYS = commands(
        HqCommand("hq-save-counter", "ctrl+s", "save", "edit"),
        Command("back", "escape", "back", "view"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [*HqScreen.BINDINGS, *bindings(NEXT_FIELD),
                                             *bindings(KEYS)]

    def __init__(self, counter: Any | None, *, read_only: bool = False) -> None:
        super().__init__()
        self.counter = counter  # None: a new counter
        self.read_only = read_only
        self.shown = {name: self.value_of(name) for name in FIELDS}

    def value_of(self, name: str) -> str:
        if self.counter is None:
            return ""
        value = getattr(self.counter, name)
        return "" if value is None else str(value)

    def compose(self) -> ComposeResult:
        yield Header()
        title = (_("hqui.form_new") if self.counter is None else
                 _("hqui.form_title", code=self.counter.code,
                   name=terminal_text(self.counter.name)))
        yield Static(title, id="form-title")
        if self.read_only:
            yield Static(_("hqui.read_only"), id="form-read-only")
        with Form(id="counter-form"):
            if self.counter is None:
                yield FieldRow(_("hqui.field_code"), Input(id="field-code", max_length=8,
                                                       compact=True),
                               Static("", id="error-code", classes="field-error", markup=False))
            for name in FIELDS:
                notes = []
                if name == "region" and self.counter is not None and self.counter.region_name:
                    notes.append(Static(terminal_text(self.counter.region_name),
                                        classes="field-note", markup=False))
                yield FieldRow(_(f"hqui.field_{name}"), self.widget_for(name), *notes,
                               Static("", id=f"error-{name}", classes="field-error", markup=False))
            if self.counter is not None:
                yield Static(self.history_text(), id="form-history")
        yield Footer()

    def widget_for(self, name: str) -> Input | Select[str]:
        if name == "level":
            levels = [(level.name, level.code) for level in self.hq.levels()]
            current = self.shown["level"]
            return Select(levels, value=current if current else Select.NULL,
                          prompt=_("hqui.no_level"), id="field-level",
                          disabled=self.read_only, compact=True)
        return Input(self.shown[name], id=f"field-{name}", disabled=self.read_only, compact=True,
                     placeholder=_(f"hqui.hint_{name}") if name in HINTED else "")

    def history_text(self) -> Text:
        text = Text(_("hqui.form_state", state=_(f"hqui.state_{self.counter.state}"),
                      since=str(self.counter.state_since or "-")), style="bold")
        for change in self.counter.history:
            text.append("\n" + terminal_text(_(
                "hqui.history_line", on_day=change["on"], state=_(f"hqui.state_{change['state']}"),
                reason=change["reason"], by_user=change["by"] or "-")), style="")
        return text

    def on_mount(self) -> None:
        first = "#field-code" if self.counter is None else "#field-name"
        if not self.read_only:
            self.query_one(first).focus()

    # -- what was typed -----------------------------------------------------------------

    def typed(self) -> dict[str, str]:
        values = {}
        for name in FIELDS:
            widget = self.query_one(f"#field-{name}")
            if isinstance(widget, Select):
                values[name] = "" if widget.value is Select.NULL else str(widget.value)
            else:
                assert isinstance(widget, Input)
                values[name] = widget.value.strip()
        return values

    def changes(self) -> dict[str, str]:
        """What was typed that differs from what was shown ("" clears a field)."""
        typed = self.typed()
        if self.counter is None:
            return {k: v for k, v in typed.items() if v}
        return {k: v for k, v in typed.items() if v != self.shown[k]}

    def has_unsaved(self) -> bool:
        if self.read_only:
            return False
        return bool(self.changes()) or (
            self.counter is None and bool(self.query_one("#field-code", Input).value))

    # -- saving -------------------------------------------------------------------------

    def action_save(self) -> None:
        for error in self.query(".field-error"):
            assert isinstance(error, Static)
            error.update("")
            error.remove_class("-shown")
        changes = self.changes()
        try:
            if self.counter is None:
                code = self.query_one("#field-code", Input).value.strip()
                saved = self.hq.add_counter(code, **changes)
            elif not changes:
                self.notify(_("hqui.nothing_changed"))
                return
            else:
                saved = self.hq.edit_counter(self.counter.code, **changes)
        except InputError as exc:
            self.show_error(exc)
            return
        except Exception as exc:  # noqa: BLE001 - said on the screen, the app goes on
            self.notify(self.failure(exc), severity="error", timeout=15)
            return
        self.notify(_("hqui.saved", code=saved.code))
        self.dismiss(True)

    def show_error(self, exc: InputError) -> None:
        name = exc.field.removeprefix("counter.")
        target = self.query(f"#error-{name}")
        if target:
            target.first(Static).update(exc.message)
            target.first(Static).add_class("-shown")
            field = self.query(f"#field-{name}")
            if field:
                field.first().focus()
        else:
            self.notify(exc.message, severity="error", timeout=10)

    def action_back(self) -> None:
        if not self.has_unsaved():
            self.dismiss(False)
            return
        from screens.dialogs import ConfirmDialog

        def answered(answer: str | None) -> None:
            if answer == "discard":
                self.dismiss(False)

        self.app.push_screen(ConfirmDialog(_("tui.unsaved_question"),
                                           [("discard", _("tui.answer_discard")),
                                            ("stay", _("tui.answer_stay"))],
                                           warning=True, default="stay"), answered)
