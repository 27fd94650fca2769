"""``repairdesk warranty check|ticket``: the 三包 decision from a claim file or a ticket.

No ``from __future__ import annotations`` here: typer reads the option types of the
commands at run time, and they are closures over the options `register` is given.
"""


from datetime import date
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from repairdesk.cli.output import console, emit_json, say
from repairdesk.errors import InputError
from repairdesk.i18n import _


def parse_day(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(field, _("core.bad_date", value=value)) from None


def print_decision(decision: dict[str, Any]) -> None:
    remedies = ", ".join(_(f"policy.remedy.{r}") for r in decision["remedies"])
    say(_("cli.decision_remedies", remedies=remedies))
    for kind, amount in decision.get("amounts", {}).items():
        say(f"  {_(f'policy.remedy.{kind}')}: ¥{amount:.2f}")
    if decision.get("loaner"):
        say(_("cli.decision_loaner"))
    if decision.get("period_end"):
        say(_("cli.decision_period_end", date=decision["period_end"]))
    if decision.get("articles"):
        say(_("cli.decision_articles", articles="、".join(decision["articles"])))
    for reason in decision.get("reasons", []):
        console.print(f"  • {reason['text']}", soft_wrap=True, markup=False)


def register(app: typer.Typer, opened: Any, read_document: Any, db_opt: Any, lang_opt: Any,
             json_opt: Any) -> None:
    warranty_app = typer.Typer(help=_("cli.help_warranty"), no_args_is_help=True)
    app.add_typer(warranty_app, name="warranty")

    @warranty_app.command("check", help=_("cli.help_warranty_check"))
    def check(
        source: Annotated[str, typer.Argument(metavar="FILE|-")],
        policy: Annotated[Optional[Path], typer.Option("--policy",
                                                       help=_("cli.help_policy"))] = None,
        as_json: json_opt = True,
    ) -> None:
        from repairdesk.policy import check_claim

        text = read_document(source)
        from repairdesk.jsontext import read_json

        emit_json(check_claim(read_json(text), policy_path=policy))

    @warranty_app.command("ticket", help=_("cli.help_warranty_ticket"))
    def ticket(
        number: str,
        on: Annotated[Optional[str], typer.Option("--on", help=_("cli.help_on"))] = None,
        as_json: json_opt = False,
    ) -> None:
        day = parse_day(on, "--on")
        with opened() as desk:
            decision = desk.tickets.warranty(number, day)
        if as_json:
            emit_json(decision)
        else:
            say(number)
            print_decision(decision)
