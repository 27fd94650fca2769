"""Dialogs: each a ModalScreen that dismisses with a typed result (None when cancelled)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from repairdesk.i18n import _
from repairdesk.money.views import TicketMoneyView
from repairdesk.tickets.workflow import TERMINAL
from screens.base import DeskModal
from screens.commands import Command, bindings, commands
from screens.printing import print_slip
from screens.widgets.folded import FoldedText
from screens.widgets.render import money_text

CLOSE = commands(Command("close-dialog", "escape", "close", "app"))


class ConfirmDialog(DeskModal[str | None]):
    """A question and its answers as buttons; Esc answers None.

    The focused answer, the one a stray Enter presses, is always the safe one: ``default``
    when given, else "stay" when offered, else the first. ``warning`` marks the answers
    that lose something (every answer but the safe one) in red."""

    CSS_PATH = "dialogs.tcss"
    KEYS = CLOSE
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    def __init__(self, question: str, answers: list[tuple[str, str]], *,
                 warning: bool = False, default: str | None = None,
                 id: str | None = None) -> None:  # noqa: A002 - Textual's own name
        super().__init__(id=id)
        self.question = question
        self.answers = answers
        self.warning = warning
        values = [value for value, _label in answers]
        self.default = default if default in values else (
            "stay" if "stay" in values else values[0])

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.question, id="confirm-question")
            with Horizontal(id="confirm-answers"):
                for value, label in self.answers:
                    variant = "primary" if value == self.default else (
                        "error" if self.warning else "default")
                    yield Button(label, id=f"answer-{value}", variant=variant,  # type: ignore[arg-type]
                                 compact=True)

    def on_mount(self) -> None:
        self.query_one(f"#answer-{self.default}", Button).focus()

    @on(Button.Pressed)
    def answer(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        self.dismiss(event.button.id.removeprefix("answer-"))

    def action_close(self) -> None:
        self.dismiss(None)


class HelpScreen(DeskModal[None]):
    """F1: what the screen underneath does and every key that works on it now."""

    CSS_PATH = "dialogs.tcss"
    KEYS = CLOSE
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    def __init__(self, about: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.about = about
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(_("tui.help_title"), id="help-title")
            if self.about:
                yield FoldedText(self.about, id="help-about")
            table = Text()
            width = max((cell_len(key) for key, _label in self.keys), default=0)
            for index, (key, label) in enumerate(self.keys):
                if index:
                    table.append("\n")
                table.append(" " * (width - cell_len(key)) + key, style="bold")
                table.append(f"  {label}")
            yield Static(table, id="help-keys")
            yield Static(_("tui.help_close"), id="help-hint")

    def action_close(self) -> None:
        self.dismiss(None)


class MoveDialog(DeskModal[tuple[str, str] | None]):
    """Move a ticket: only the moves the workflow allows from its status are offered; a move
    that ends the ticket (collected, cancelled, ...) asks once more."""

    CSS_PATH = "dialogs.tcss"
    KEYS = CLOSE
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    def __init__(self, number: str, status: str, allowed: list[str], *,
                 suggested: str | None = None, header: Text | None = None) -> None:
        super().__init__()
        self.number = number
        self.status = status
        self.allowed = allowed
        self.suggested = suggested
        self.header = header

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="move-box"):
            if self.header is not None:
                yield Static(self.header, id="move-header")
            yield Static(_("tui.move_title", ticket=self.number,
                           status=_(f"status.{self.status}")), id="move-title")
            yield Input(placeholder=_("tui.move_note"), id="move-note", compact=True)
            options = [
                Option(_(f"status.{s}") + (f"  ({_('tui.move_final')})" if s in TERMINAL else ""),
                       id=s)
                for s in self.allowed
            ]
            yield OptionList(*options, id="move-options")
            yield Static(_("tui.move_hint"), id="move-hint")

    def on_mount(self) -> None:
        options = self.query_one("#move-options", OptionList)
        if self.suggested in self.allowed:
            options.highlighted = self.allowed.index(self.suggested)  # type: ignore[arg-type]
        options.focus()

    @on(Input.Submitted, "#move-note")
    def note_done(self) -> None:
        self.query_one("#move-options", OptionList).focus()

    @on(OptionList.OptionSelected, "#move-options")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        status = event.option.id
        assert status is not None
        note = self.query_one("#move-note", Input).value
        if status not in TERMINAL:
            self.dismiss((status, note))
            return

        def confirmed(answer: str | None) -> None:
            if answer == "yes":
                self.dismiss((status, note))

        self.app.push_screen(
            ConfirmDialog(
                _("tui.move_confirm_final", ticket=self.number, status=_(f"status.{status}")),
                [("yes", _("tui.answer_move")), ("no", _("tui.answer_stay"))], warning=True,
                default="no",
            ),
            confirmed,
        )

    def action_close(self) -> None:
        self.dismiss(None)


class PrintDialog(DeskModal[None]):
    """Which slip of a ticket to print."""

    CSS_PATH = "dialogs.tcss"
    KEYS = CLOSE
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)
    SLIPS = ("intake", "label", "pickup", "record")

    def __init__(self, number: str, done: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.number = number
        self.done = done

    def compose(self) -> ComposeResult:
        with Vertical(id="print-box"):
            yield Static(_("tui.print_title", ticket=self.number), id="print-title")
            yield OptionList(*(Option(_(f"tui.slip.{s}"), id=s) for s in self.SLIPS),
                             id="print-options")

    def on_mount(self) -> None:
        self.query_one("#print-options", OptionList).focus()

    @on(OptionList.OptionSelected, "#print-options")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        assert event.option.id is not None
        print_slip(self.desk_app, self.number, event.option.id, self.done)
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


QUOTE_ACTIONS = ("approve_in_person", "approve_phone", "decline")
PAY_METHODS = ("cash", "wechat", "alipay", "card")


def money_actions(found: TicketMoneyView) -> list[str]:
    """Only what can be done on the ticket now: a quote only for paid work, the customer's
    answer only to a quote waiting for it, payments only while something is owed, the 三包
    refund (``refund:<remedy>:<method>``) only while it is due and not yet paid out, a
    credit's refund (``credit:<method>``) only while the counter owes the customer."""
    offered: list[str] = []
    if found.basis == "paid":
        offered.append("quote")
        if found.quote is not None and found.quote.status == "pending":
            offered += QUOTE_ACTIONS
    if found.money.balance > 0:
        offered += [f"pay_{method}" for method in PAY_METHODS]
    if found.money.balance < 0:  # a deposit above the charge: the counter owes it back
        offered += [f"credit:{method}" for method in PAY_METHODS]
    if not any(p.kind == "refund" and p.reason == "sanbao" for p in found.payments):
        offered += [f"refund:{remedy}:{method}" for remedy in found.refund_due
                    for method in PAY_METHODS]
    return offered


def money_action_label(action: str, found: TicketMoneyView) -> str:
    if action.startswith("refund:"):
        _refund, remedy, method = action.split(":")
        return _("ticketui.money_action_refund", remedy=_(f"policy.remedy.{remedy}"),
                 amount=f"{found.refund_due[remedy]:,.2f}", method=_(f"money.method_{method}"))
    if action.startswith("credit:"):
        return _("ticketui.money_action_credit", amount=f"{-found.money.balance:,.2f}",
                 method=_(f"money.method_{action.removeprefix('credit:')}"))
    return _(f"tui.money_action_{action}")


class MoneyDialog(DeskModal[tuple[str, dict[str, str]] | None]):
    """Quote, the customer's answer, payments and the 三包 refund of a ticket: the fields
    the actions on offer need, then the action. The facade checks everything (price-list
    prices, approval, amounts); a refusal is shown and nothing is stored."""

    CSS_PATH = "dialogs.tcss"
    KEYS = CLOSE
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEYS)

    def __init__(self, number: str, found: TicketMoneyView) -> None:
        super().__init__()
        self.number = number
        self.found = found
        self.offered = money_actions(found)
        self.fields = [
            *(("work", "price", "part") if "quote" in self.offered else ()),
            *(("amount",) if any(a.startswith("pay_") for a in self.offered) else ()),
        ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="money-box"):
            yield Static(_("tui.money_title", ticket=self.number), id="money-title")
            yield Static(money_text(self.found), id="money-summary")
            for field_id in self.fields:
                yield Label(_(f"tui.money_field_{field_id}"))
                yield Input(id=f"money-{field_id}", compact=True)
            if not self.offered:
                yield Static(Text(_("ticketui.money_nothing"), style="dim"), id="money-nothing")
            yield OptionList(*(Option(money_action_label(a, self.found), id=a)
                               for a in self.offered), id="money-actions")

    def on_mount(self) -> None:
        # A quote waiting for the customer: their answer is what the counter comes to give.
        actions = self.query_one("#money-actions", OptionList)
        if self.fields and "approve_in_person" not in self.offered:
            self.query_one(f"#money-{self.fields[0]}", Input).focus()
            return
        if not self.offered:
            actions.display = False  # an empty box would look like something to choose
            return
        actions.highlighted = self.offered.index("approve_in_person") \
            if "approve_in_person" in self.offered else 0
        actions.focus()

    @on(Input.Submitted)
    def next_field(self) -> None:
        self.focus_next()
        if isinstance(self.focused, OptionList) and self.offered:
            self.focused.highlighted = self.focused.highlighted or 0

    @on(OptionList.OptionSelected, "#money-actions")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        assert event.option.id is not None
        values = {f: self.query_one(f"#money-{f}", Input).value.strip() if f in self.fields
                  else "" for f in ("work", "price", "part", "amount")}
        self.dismiss((event.option.id, values))

    def action_close(self) -> None:
        self.dismiss(None)
