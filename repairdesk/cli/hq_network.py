"""``repairdesk hq user …`` and ``repairdesk hq counter …``: HQ's people and the network's
registry.

PINs never go on the command line: REPAIRDESK_PIN (who acts, ``--as``) and
REPAIRDESK_NEW_PIN (the user being added), or a hidden prompt.
No ``from __future__ import annotations`` here: typer reads the option types at run time.
"""

from datetime import date
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from repairdesk.cli.hq_common import HqDbOpt, NetworkOpt, hq_opened
from repairdesk.cli.output import console, emit_json, say
from repairdesk.cli.pin import secret
from repairdesk.i18n import _

Text = Optional[str]


def _opt(name: str, key: str, metavar: str = "TEXT") -> Any:
    return typer.Option(name, metavar=metavar, help=_(f"hqcli.help_{key}"))


# One option per registry field (repairdesk/hq/registry.py FIELDS), shared by add and edit.
NameOpt = Annotated[Text, _opt("--name", "name")]
LevelOpt = Annotated[Text, _opt("--level", "level", "CODE")]
RegionOpt = Annotated[Text, _opt("--region", "region", "CODE")]
ParentOpt = Annotated[Text, _opt("--authorised-by", "parent", "COUNTER")]
AgentOpt = Annotated[Text, _opt("--agent", "agent")]
PersonOpt = Annotated[Text, _opt("--person", "person")]
PhoneOpt = Annotated[Text, _opt("--phone", "phone", "PHONE")]
AddressOpt = Annotated[Text, _opt("--address", "address")]
StartOpt = Annotated[Text, _opt("--agreement-start", "agreement_start", "DATE")]
EndOpt = Annotated[Text, _opt("--agreement-end", "agreement_end", "DATE")]
MultipleOpt = Annotated[Text, _opt("--credit-multiple", "credit_multiple", "N")]
ReasonOpt = Annotated[str, typer.Option("--reason", help=_("hqcli.help_reason"))]


def _fields(**values: Any) -> dict[str, Any]:
    """The options given (None: not given; an empty text clears an optional field)."""
    return {key: value for key, value in values.items() if value is not None}


def _day(value: Optional[date]) -> str:
    return value.isoformat() if value else "-"


def say_counter(view: Any) -> None:
    rows = [
        ("code", view.code), ("name", view.name), ("level", view.level_name or "-"),
        ("region", f"{view.region} {view.region_name}" if view.region else "-"),
        ("parent", view.parent or view.agent or "-"), ("person", view.person or "-"),
        ("phone", view.phone or "-"), ("address", view.address or "-"),
        ("agreement", f"{_day(view.agreement_start)} – {_day(view.agreement_end)}"),
        ("deposit", f"{view.deposit:.2f}"), ("credit_multiple", str(view.credit_multiple)),
        ("state", f"{_(f'hqnet.state_{view.state}')} ({_day(view.state_since)})"),
        ("key", view.fingerprint or _("hqcli.not_trusted")),
    ]
    table = Table(box=None, pad_edge=False, show_header=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for key, value in rows:
        table.add_row(_(f"hqcli.col_{key}"), str(value))
    console.print(table)
    for event in view.history:
        say(_("hqcli.history_line", on=event["on"], state=_(f"hqnet.state_{event['state']}"),
              reason=event["reason"], by=event["by"] or "-"))


def say_counters(views: list[Any], today: date) -> None:
    if not views:
        say(_("hqcli.no_counters"))
        return
    table = Table(box=None, pad_edge=False)
    for key in ("code", "name", "level", "region", "state", "agreement_end", "days_left"):
        table.add_column(_(f"hqcli.col_{key}"), overflow="fold")
    for v in views:
        left = v.days_left(today)
        table.add_row(v.code, v.name, v.level_name or "-", v.region_short or "-",
                      _(f"hqnet.state_{v.state}"), _day(v.agreement_end),
                      "-" if left is None else str(left))
    console.print(table)


def register(hq_app: typer.Typer, json_opt: Any) -> None:
    user_app = typer.Typer(help=_("hqcli.help_user"), no_args_is_help=True)
    counter_app = typer.Typer(help=_("hqcli.help_counter"), no_args_is_help=True)
    hq_app.add_typer(user_app, name="user")
    hq_app.add_typer(counter_app, name="counter")

    @user_app.command("add", help=_("hqcli.help_user_add"))
    def user_add(name: str, hq_db: HqDbOpt,
                 role: Annotated[str, typer.Option("--role", help=_("hqcli.help_role"))]
                 = "viewer", as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            hq.require("hq.add_user")  # before the new PIN is asked for
            view = hq.add_user(name, role, secret("REPAIRDESK_NEW_PIN",
                                                  _("trust.prompt_new_pin", name=name)))
        if as_json:
            emit_json(view.to_dict())
        else:
            say(_("hqcli.user_added", name=view.name, role=_(f"hqnet.role_{view.role}")))

    @user_app.command("list", help=_("hqcli.help_user_list"))
    def user_list(hq_db: HqDbOpt, as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            views = hq.users()
        if as_json:
            emit_json([v.to_dict() for v in views])
            return
        for v in views:
            say(f"{v.name}\t{_(f'hqnet.role_{v.role}')}"
                + ("" if v.active else " ✗") + (" 🔒" if v.locked else ""))

    @user_app.command("disable", help=_("hqcli.help_user_disable"))
    def user_disable(name: str, hq_db: HqDbOpt, as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            view = hq.disable_user(name)
        emit_json(view.to_dict()) if as_json else say(_("trust.user_disabled", name=name))

    @user_app.command("reset-pin", help=_("hqcli.help_user_reset"))
    def user_reset(name: str, hq_db: HqDbOpt, as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            hq.require("hq.reset_pin")  # before the new PIN is asked for
            view = hq.reset_pin(name, secret("REPAIRDESK_NEW_PIN",
                                             _("trust.prompt_new_pin", name=name)))
        emit_json(view.to_dict()) if as_json else say(_("trust.pin_reset", name=name))

    @counter_app.command("add", help=_("hqcli.help_counter_add"))
    def counter_add(
        code: Annotated[str, typer.Argument(metavar="CODE")], hq_db: HqDbOpt,
        name: Annotated[str, typer.Option("--name", help=_("hqcli.help_name"))],
        level: LevelOpt = None, region: RegionOpt = None, authorised_by: ParentOpt = None,
        agent: AgentOpt = None, person: PersonOpt = None, phone: PhoneOpt = None,
        address: AddressOpt = None, agreement_start: StartOpt = None,
        agreement_end: EndOpt = None,
        credit_multiple: MultipleOpt = None, network_policy: NetworkOpt = None,
        as_json: json_opt = False,
    ) -> None:
        with hq_opened(hq_db, network_policy=network_policy) as hq:
            view = hq.add_counter(code, name, **_fields(
                level=level, region=region, parent=authorised_by, agent=agent, person=person,
                phone=phone, address=address, agreement_start=agreement_start,
                agreement_end=agreement_end, credit_multiple=credit_multiple))
        if as_json:
            emit_json(view.to_dict())
        else:
            say(_("hqcli.counter_added", code=view.code, name=view.name))

    @counter_app.command("edit", help=_("hqcli.help_counter_edit"))
    def counter_edit(
        code: Annotated[str, typer.Argument(metavar="CODE")], hq_db: HqDbOpt,
        name: NameOpt = None, level: LevelOpt = None, region: RegionOpt = None,
        authorised_by: ParentOpt = None, agent: AgentOpt = None, person: PersonOpt = None,
        phone: PhoneOpt = None, address: AddressOpt = None, agreement_start: StartOpt = None,
        agreement_end: EndOpt = None,
        credit_multiple: MultipleOpt = None, network_policy: NetworkOpt = None,
        as_json: json_opt = False,
    ) -> None:
        with hq_opened(hq_db, network_policy=network_policy) as hq:
            view = hq.edit_counter(code, **_fields(
                name=name, level=level, region=region, parent=authorised_by, agent=agent,
                person=person, phone=phone, address=address, agreement_start=agreement_start,
                agreement_end=agreement_end, credit_multiple=credit_multiple))
        if as_json:
            emit_json(view.to_dict())
        else:
            say(_("hqcli.counter_saved", code=view.code))
            say_counter(view)

    @counter_app.command("show", help=_("hqcli.help_counter_show"))
    def counter_show(code: Annotated[str, typer.Argument(metavar="CODE")], hq_db: HqDbOpt,
                     network_policy: NetworkOpt = None, as_json: json_opt = False) -> None:
        with hq_opened(hq_db, network_policy=network_policy) as hq:
            view = hq.counter(code)
        emit_json(view.to_dict()) if as_json else say_counter(view)

    @counter_app.command("list", help=_("hqcli.help_counter_list"))
    def counter_list(
        hq_db: HqDbOpt, level: LevelOpt = None, region: RegionOpt = None,
        state: Annotated[Text, _opt("--state", "state", "STATE")] = None,
        expiring: Annotated[Optional[int], typer.Option(
            "--expiring", metavar="DAYS", help=_("hqcli.help_expiring"))] = None,
        network_policy: NetworkOpt = None, as_json: json_opt = False,
    ) -> None:
        with hq_opened(hq_db, network_policy=network_policy) as hq:
            views = hq.counters(level=level, region=region, state=state, expiring=expiring)
            today = hq.today()
        if as_json:
            emit_json([v.to_dict() for v in views])
        else:
            say_counters(views, today)

    def _state_command(verb: str) -> None:
        @counter_app.command(verb, help=_(f"hqcli.help_counter_{verb}"))
        def change(code: Annotated[str, typer.Argument(metavar="CODE")], hq_db: HqDbOpt,
                   reason: ReasonOpt, network_policy: NetworkOpt = None,
                   as_json: json_opt = False) -> None:
            with hq_opened(hq_db, network_policy=network_policy) as hq:
                view = getattr(hq, f"{verb}_counter")(code, reason)
            if as_json:
                emit_json(view.to_dict())
            else:
                say(_("hqcli.counter_state", code=view.code,
                      state=_(f"hqnet.state_{view.state}")))

    for verb in ("suspend", "resume", "retire"):
        _state_command(verb)
