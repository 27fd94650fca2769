"""The Settlement screen's dialogs: an adjustment (an amount and a reason), a month to close
(asked, then confirmed) and the answer to a counter's dispute.

Each runs its caller's ``act`` on Enter in its last field and closes with what ``act``
returned; a refusal (the facade's own message, the field named by its label) is shown in
the dialog, which stays open, and nothing changed. The dialogs check nothing themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from repairdesk.errors import InputError
from repairdesk.i18n import _
from screens.base import NEXT_FIELD
from screens.commands import bindings
from screens.hq.base import HqModal
from screens.hq.dialogs import CLOSE


class SettleDialog(HqModal[Any]):
    """A question, typed fields one under the other, and where a refusal is said."""

    KEYS = CLOSE
    # Enter as the counter's forms take it (NEXT_FIELD): a reason typed right after the
    # amount's Enter lands in the reason, however fast it comes.
    BINDINGS: ClassVar[list[BindingType]] = [*HqModal.BINDINGS, *bindings(KEYS),
                                             *bindings(NEXT_FIELD)]

    def __init__(self, question: str, act: Callable[..., Any]) -> None:
        super().__init__()
        self.question = question
        self.act = act

    def compose(self) -> ComposeResult:
        with Vertical(id="settle-box"):
            yield Static(self.question, id="settle-question", markup=False)
            yield from self.fields()
            yield Static("", id="settle-error", classes="field-error", markup=False)
            yield Static(_("hqscreen_settle.dialog_keys"), id="settle-keys")

    def fields(self) -> ComposeResult:
        yield from ()

    def field_row(self, field: str, widget: Input | Select[Any]) -> Horizontal:
        return Horizontal(Label(_(f"field.{field}"), classes="settle-label"), widget,
                          classes="settle-field")

    def on_mount(self) -> None:
        # The screen's auto focus may already hold the first field: a focus_next here would
        # send what is typed first into the second.
        first = self.query(Input)
        if first:
            first.first().focus()

    def field_entered(self, field: Input) -> None:
        if field is not list(self.query(Input))[-1]:
            self.focus_next()
            return
        self.run_act()

    def run_act(self) -> None:
        try:
            done = self.act(**self.values())
        except Exception as exc:  # noqa: BLE001 - said in the dialog, the app goes on
            self.refused(exc)
            return
        self.dismiss(done)

    def values(self) -> dict[str, Any]:
        return {}

    def refused(self, exc: Exception) -> None:
        self.query_one("#settle-error", Static).update(self.failure(exc))
        if isinstance(exc, InputError):
            named = self.query(f"#field-{exc.field}")
            if named:
                named.first().focus()

    def action_close(self) -> None:
        self.dismiss(None)


class AdjustDialog(SettleDialog):
    """``act(amount=, reason=)``: the amount offered is the card's, to be typed lower."""

    def __init__(self, question: str, card: str, act: Callable[..., Any]) -> None:
        super().__init__(question, act)
        self.card = card

    def fields(self) -> ComposeResult:
        yield self.field_row("amount", Input(self.card, id="field-amount", compact=True))
        yield self.field_row("reason", Input(id="field-reason", compact=True,
                                             placeholder=_("hqui.reason_hint")))

    def values(self) -> dict[str, Any]:
        return {"amount": self.query_one("#field-amount", Input).value,
                "reason": self.query_one("#field-reason", Input).value}


class CloseMonthDialog(SettleDialog):
    """``act(month=)``, once the month typed was confirmed by a second Enter."""

    def __init__(self, question: str, month: str, act: Callable[..., Any]) -> None:
        super().__init__(question, act)
        self.month = month
        self.confirmed: str | None = None

    def fields(self) -> ComposeResult:
        yield self.field_row("month", Input(self.month, id="field-month", compact=True))
        yield Static("", id="settle-confirm", markup=False)

    def values(self) -> dict[str, Any]:
        return {"month": self.query_one("#field-month", Input).value}

    def run_act(self) -> None:
        month = self.values()["month"]
        if self.confirmed != month:  # the first Enter asks; a changed month asks again
            self.confirmed = month
            self.query_one("#settle-error", Static).update("")
            self.query_one("#settle-confirm", Static).update(
                _("hqscreen_settle.confirm_close", month=month.strip()))
            return
        super().run_act()

    @on(Input.Changed, "#field-month")
    def month_changed(self) -> None:
        if self.confirmed is not None and self.confirmed != self.values()["month"]:
            self.confirmed = None
            self.query_one("#settle-confirm", Static).update("")

    def refused(self, exc: Exception) -> None:
        self.confirmed = None
        self.query_one("#settle-confirm", Static).update("")
        super().refused(exc)


class ResolveDialog(SettleDialog):
    """``act(accept=, reason=, amount=)``: accept or refuse, HQ's reason, and for an
    acceptance the amount agreed (blank: the facade's default)."""

    def fields(self) -> ComposeResult:
        choices = [(_("hqscreen_settle.choice_accept"), "accept"),
                   (_("hqscreen_settle.choice_refuse"), "refuse")]
        yield self.field_row("accept", Select(choices, prompt=_("hqscreen_settle.choose"),
                                              id="field-accept", compact=True))
        yield self.field_row("reason", Input(id="field-reason", compact=True,
                                             placeholder=_("hqui.reason_hint")))
        yield self.field_row("amount", Input(id="field-amount", compact=True,
                                             placeholder=_("hqscreen_settle.amount_hint")))

    @on(Select.Changed, "#field-accept")
    def chosen(self) -> None:
        self.query_one("#field-reason", Input).focus()

    def values(self) -> dict[str, Any]:
        choice = self.query_one("#field-accept", Select).value
        amount = self.query_one("#field-amount", Input).value.strip()
        return {"accept": None if choice is Select.NULL else choice == "accept",
                "reason": self.query_one("#field-reason", Input).value,
                "amount": amount or None}

    def run_act(self) -> None:
        if self.values()["accept"] is None:
            # As the command line (hq settle resolve without --accept/--refuse), before the
            # facade, whose call has no "neither".
            self.refused(InputError("accept", _("hqscreen_settle.choose_required")))
            return
        super().run_act()
