"""``repairdesk user add|list|disable|reset-pin`` and ``repairdesk audit verify``.

PINs never go on the command line (other users of the PC could read them in the process
list): they come from REPAIRDESK_PIN / REPAIRDESK_NEW_PIN or a hidden prompt.
No ``from __future__ import annotations`` (typer reads these annotations at run time).
"""

from typing import Annotated, Any

import typer

from repairdesk.cli.output import emit_json, say
from repairdesk.cli.pin import secret
from repairdesk.i18n import _


def register(app: typer.Typer, opened: Any, read_document: Any, db_opt: Any, lang_opt: Any,
             json_opt: Any) -> None:
    user_app = typer.Typer(help=_("trust.help_user"), no_args_is_help=True)
    audit_app = typer.Typer(help=_("trust.help_audit"), no_args_is_help=True)
    app.add_typer(user_app, name="user")
    app.add_typer(audit_app, name="audit")

    @user_app.command("add", help=_("trust.help_user_add"))
    def add(
        name: str,
        role: Annotated[str, typer.Option("--role", help=_("trust.help_role"))] = "technician",
        as_json: json_opt = False,
    ) -> None:
        with opened() as desk:
            view = desk.trust.add_user(name, role, secret("REPAIRDESK_NEW_PIN",
                                                     _("trust.prompt_new_pin", name=name)))
        if as_json:
            emit_json(view.to_dict())
        else:
            say(_("trust.user_added", name=view.name, role=_(f"trust.role_{view.role}")))

    @user_app.command("list", help=_("trust.help_user_list"))
    def list_users(as_json: json_opt = False) -> None:
        with opened() as desk:
            views = desk.trust.list_users()
        if as_json:
            emit_json([v.to_dict() for v in views])
            return
        for v in views:
            say(f"{v.name}\t{_(f'trust.role_{v.role}')}"
                + ("" if v.active else " ✗") + (" 🔒" if v.locked else ""))

    @user_app.command("disable", help=_("trust.help_user_disable"))
    def disable(name: str) -> None:
        with opened() as desk:
            desk.trust.disable_user(name)
        say(_("trust.user_disabled", name=name))

    @user_app.command("reset-pin", help=_("trust.help_user_reset"))
    def reset(name: str) -> None:
        with opened() as desk:
            desk.trust.reset_pin(name, secret("REPAIRDESK_NEW_PIN",
                                         _("trust.prompt_new_pin", name=name)))
        say(_("trust.pin_reset", name=name))

    @audit_app.command("bind", help=_("evidence.help_bind"))
    def bind(reason: Annotated[str, typer.Option("--reason", help=_("evidence.help_reason"))],
             as_json: json_opt = False) -> None:
        with opened() as desk:
            counts = desk.trust.bind_audit(reason)
        if as_json:
            emit_json({"bound": counts})
        elif counts:
            say(_("evidence.bound", count=sum(counts.values()),
                  tables=", ".join(f"{t} {n}" for t, n in sorted(counts.items()))))
        else:
            say(_("evidence.nothing_to_bind"))

    @audit_app.command("verify", help=_("trust.help_audit_verify"))
    def verify(as_json: json_opt = False) -> None:
        from repairdesk.cli.evidence import say_report

        with opened() as desk:
            report = desk.trust.verify_audit()
        if as_json:
            emit_json(report.to_dict())
        else:
            say_report(report.to_dict())
        if not report.ok:
            raise typer.Exit(1)
