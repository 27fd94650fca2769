"""``repairdesk ticket show|move|record|update|checklist``, ``board``, ``customer`` and
``device``: the ticket screen, the board, the intake form's customer and phone history.

No ``from __future__ import annotations`` here: typer reads the option types of the
commands at run time, and they are closures over the options `register` is given.
"""

from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from repairdesk.cli.output import console, emit, emit_json, say, tickets_table
from repairdesk.cli.warranty import parse_day
from repairdesk.i18n import _
from repairdesk.ratecard import GRADES


def _decision_line(decision: Any) -> str:
    if decision.undecided:
        return _("cli.decision_undecided", reason=decision.undecided)
    remedies = ", ".join(_(f"policy.remedy.{r}") for r in decision.remedies)
    head = _("tui.decision_sanbao") if decision.covered else _("tui.decision_paid")
    return f"{head} {remedies}"


def _print_checklist(view: Any) -> None:
    say(_("cli.checklist_head", ticket=view.ticket, status=_(f"status.{view.status}")))
    table = Table(box=None, pad_edge=False)
    for key in ("item", "name", "result"):
        table.add_column(_(f"cli.col_check_{key}"))
    for item in view.items:
        result = view.results.get(item.code)
        table.add_row(item.code, item.name,
                      _(f"checklist.result.{result}") if result else "-")
    console.print(table)
    if view.battery_health is not None:
        say(_("cli.checklist_battery", health=view.battery_health,
              threshold=view.battery_threshold))
    for code in view.exclusions:
        say(f"  ⚠ {_(f'exclusion.{code}')}")


def _print_outcome(outcome: Any) -> None:
    say(_("cli.checklist_saved", ticket=outcome.ticket, status=_(f"status.{outcome.status}")))
    if outcome.fault_code:
        say(f"  {_('field.fault_code')}: {_(f'fault.{outcome.fault_code}')}")
    say(f"  {_decision_line(outcome.decision)}")
    if outcome.suggested_move:
        say(_("cli.checklist_next", status=_(f"status.{outcome.suggested_move}")))


def register(app: typer.Typer, ticket_app: typer.Typer, opened: Any, read_document: Any,
             json_opt: Any) -> None:
    VersionOpt = Annotated[Optional[int], typer.Option(
        "--version", help=_("cli.help_version"))]
    TechOpt = Annotated[Optional[str], typer.Option("--technician",
                                                    help=_("cli.help_technician"))]

    @ticket_app.command("show", help=_("cli.help_ticket_show"))
    def ticket_show(number: str, as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.tickets.ticket(number)
            decision = desk.tickets.decision(number)
            deadlines = desk.tickets.deadlines(number)
        if as_json:
            emit_json({**view.to_dict(), "decision": decision.to_dict(),
                       "deadlines": [d.to_dict() for d in deadlines]})
            return
        from repairdesk.cli.render import print_ticket

        print_ticket(view)
        say(_decision_line(decision))
        for deadline in deadlines:
            say(f"  {deadline.label}")

    @ticket_app.command("move", help=_("cli.help_ticket_move"))
    def ticket_move(number: str, status: str,
                    note: Annotated[str, typer.Option("--note")] = "",
                    version: VersionOpt = None, as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.tickets.move(number, status, note, version=version)
        emit(view, as_json, _say_moved)

    @ticket_app.command("reopen", help=_("access.help_ticket_reopen"))
    def ticket_reopen(number: str, note: Annotated[str, typer.Option("--note")],
                      as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.tickets.reopen(number, note)
        emit(view, as_json, _say_moved)

    @ticket_app.command("void", help=_("access.help_ticket_void"))
    def ticket_void(number: str, note: Annotated[str, typer.Option("--note")],
                    as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.tickets.void(number, note)
        emit(view, as_json, _say_moved)

    @ticket_app.command("record", help=_("cli.help_ticket_record"))
    def ticket_record(
        number: str,
        cause: Annotated[Optional[str], typer.Option("--cause", help=_("field.cause"))] = None,
        action: Annotated[Optional[str], typer.Option("--action",
                                                      help=_("field.action"))] = None,
        fault: Annotated[Optional[str], typer.Option("--fault", metavar="CODE",
                                                     help=_("cli.help_fault"))] = None,
        warranty: Annotated[Optional[bool], typer.Option(
            "--warranty/--paid", help=_("cli.help_warranty_flag"), show_default=False)] = None,
        delay_cause: Annotated[Optional[str], typer.Option(
            "--delay-cause", metavar="repairer|parts", help=_("field.delay_cause"))] = None,
        grade: Annotated[Optional[str], typer.Option(
            "--grade", metavar="|".join(GRADES), help=_("field.grade"))] = None,
        handed_back: Annotated[Optional[str], typer.Option(
            "--handed-back", metavar="YYYY-MM-DD", help=_("field.handed_back"))] = None,
        technician: TechOpt = None,
        version: VersionOpt = None,
        as_json: json_opt = False,
    ) -> None:
        day = parse_day(handed_back, "handed_back")
        with opened() as desk:
            view = desk.tickets.update_repair(number, cause=cause, action=action, handed_back=day,
                                      delay_cause=delay_cause, technician=technician,
                                      fault_code=fault, warranty=warranty, grade=grade,
                                      version=version)
        if as_json:
            emit_json(view.to_dict())
        else:
            say(_("tui.record_saved", ticket=view.ticket))

    @ticket_app.command("update", help=_("cli.help_ticket_update"))
    def ticket_update(
        number: str,
        promised: Annotated[Optional[str], typer.Option(
            "--promised", metavar="YYYY-MM-DD", help=_("field.promised_date"))] = None,
        technician: TechOpt = None,
        version: VersionOpt = None,
        as_json: json_opt = False,
    ) -> None:
        day = parse_day(promised, "promised_date")
        with opened() as desk:
            view = desk.tickets.update_ticket(number, promised_date=day, technician=technician,
                                      version=version)
        if as_json:
            emit_json(view.to_dict())
        else:
            say(_("cli.ticket_updated", ticket=view.ticket))

    @ticket_app.command("checklist", help=_("cli.help_ticket_checklist"))
    def ticket_checklist(
        number: str,
        source: Annotated[Optional[str], typer.Argument(metavar="[FILE|-]")] = None,
        as_json: json_opt = False,
    ) -> None:
        if source is None:
            with opened(writes=False) as desk:
                view = desk.tickets.checklist(number)
            if as_json:
                emit_json(view.to_dict())
            else:
                _print_checklist(view)
            return
        text = read_document(source)
        with opened() as desk:
            outcome = desk.tickets.save_checklist_from(number, text)
        if as_json:
            emit_json(outcome.to_dict())
        else:
            _print_outcome(outcome)

    @app.command("board", help=_("cli.help_board"))
    def board(
        status: Annotated[Optional[str], typer.Option("--status")] = None,
        technician: TechOpt = None,
        text: Annotated[Optional[str], typer.Option("--text")] = None,
        limit: Annotated[int, typer.Option("--limit", min=1)] = 500,
        as_json: json_opt = False,
    ) -> None:
        with opened() as desk:
            view = desk.tickets.board_view(status, technician, text, limit)
        if as_json:
            emit_json(view.to_dict())
        elif not view.rows:
            say(_("cli.no_tickets"))
        else:
            console.print(tickets_table(view.rows))

    @app.command("customer", help=_("cli.help_customer"))
    def customer(phone: str, as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.tickets.customer_by_phone(phone)
        if as_json:
            emit_json(view.to_dict() if view else None)
        elif view is None:
            say(_("tui.customer_new"))
        else:
            say(f"{view.name} {view.phone_masked}")
            if view.tickets:
                console.print(tickets_table(view.tickets))

    @app.command("device", help=_("cli.help_device"))
    def device(imei: str, as_json: json_opt = False) -> None:
        with opened() as desk:
            view = desk.tickets.device_history(imei)
        if as_json:
            emit_json(view.to_dict())
            return
        tac = f"{view.tac.brand} {view.tac.model}" if view.tac else _("cli.tac_unknown")
        say(f"IMEI {view.imei} · {tac}")
        if view.open_ticket is not None:
            say(_("tui.device_open_ticket", ticket=view.open_ticket.ticket,
                  status=_(f"status.{view.open_ticket.status}")))
        if view.tickets:
            console.print(tickets_table(view.tickets))
        else:
            say(_("tui.device_new"))


def _say_moved(view: Any) -> None:
    """What ``ticket move``, ``reopen`` and ``void`` print: the ticket and where it is now."""
    say(_("cli.moved", ticket=view.ticket, status=_(f"status.{view.status}")))
