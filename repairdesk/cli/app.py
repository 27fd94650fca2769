"""The commands. Each opens the store, calls the facade once, prints, and closes."""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from repairdesk.cli.output import console, emit_json, json_text, say, tickets_table, visible
from repairdesk.cli.pin import identify
from repairdesk.cli.state import STATE
from repairdesk.desk import Desk
from repairdesk.errors import InputError, OpenTicketError, StoreError
from repairdesk.i18n import _
from repairdesk.permissions import STATE_CHANGING_COMMANDS
from repairdesk.settings import demo_store_path, load_settings
from repairdesk.store_files import refuse_if_lost

DbOpt = Annotated[Optional[Path], typer.Option("--db", help=_("cli.help_db"))]
LangOpt = Annotated[Optional[str], typer.Option("--lang", help=_("cli.help_lang"))]
JsonOpt = Annotated[bool, typer.Option("--json", help=_("cli.help_json"))]


@contextmanager
def opened(*, create: bool = False, demo_default: bool = False,
           writes: bool | None = None) -> Iterator[Desk]:
    """The store the root options name, open for one command, run as the ``--as`` user
    (repairdesk.cli.pin.identify): ``writes`` (by default: whether the command is in
    repairdesk/permissions.py's table) says whether it needs one. Only a command that makes
    a store (``init``, ``demo``) may create it: any other on a store that is not there says
    so and leaves no empty file behind."""
    settings = load_settings()
    path = STATE.store_path(settings, demo_default=demo_default)
    if not create and not path.exists():
        refuse_if_lost(path)  # one was there: restore it, rather than init a new one
        key = "cli.no_demo_store" if path == demo_store_path() else "cli.no_store"
        raise StoreError(_(key, path=str(path)))
    if writes is None:
        writes = STATE.command in STATE_CHANGING_COMMANDS
    desk = Desk.open(path, region=settings.phone_region)
    try:
        identify(desk, writes)
        yield desk
    finally:
        desk.close()


def read_document(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError("FILE", _("cli.cannot_read", path=source, error=exc.strerror)) from exc


def _take_in(desk: Desk, text: str, allow_open: bool) -> Any:
    try:
        return desk.tickets.intake(text, allow_open=allow_open)
    except OpenTicketError as exc:
        raise _hinted(exc) from exc


def _hinted(exc: InputError) -> InputError:
    """A refusal for an open ticket says how to take the phone in all the same."""
    if not isinstance(exc, OpenTicketError) and not isinstance(exc.__cause__, OpenTicketError):
        return exc
    return InputError(exc.field, f"{exc.reason}: {_('cli.allow_open_hint')}", label=exc.label)


def _intake_lines(text: str, as_json: bool, allow_open: bool, each: bool) -> None:
    """One intake per JSON line: all of them or none (the first bad line named), or with
    ``each`` line by line, each number printed as it is saved; a refused line is reported
    on stderr and the rest go on (exit 2 at the end if any was refused)."""
    numbered = ((n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip())
    counts = {"stored": 0, "skipped": 0, "failed": 0}
    with opened() as desk:
        try:
            for outcome in desk.tickets.intake_lines(numbered, allow_open=allow_open,
                                                     each=each):
                counts[outcome.outcome] += 1
                _say_line(outcome, as_json)
        except InputError as exc:
            raise _hinted(exc) from exc
    if each or counts["skipped"]:
        print(_("input.lines_summary", stored=counts["stored"], skipped=counts["skipped"],
                failed=counts["failed"]), file=sys.stderr)
    if counts["failed"]:
        raise SystemExit(2)


def _say_line(outcome: Any, as_json: bool) -> None:
    if as_json:
        print(json_text(outcome.to_dict()), flush=True)
    elif outcome.outcome == "stored":
        print(outcome.ticket, flush=True)
    elif outcome.outcome == "skipped":
        print(visible(_("input.line_skipped", line=outcome.line, ref=outcome.ref,
                        ticket=outcome.ticket)), file=sys.stderr, flush=True)
    else:
        message = _hinted(outcome.error).message
        print(visible(f"{_('core.error')}: {message}"), file=sys.stderr, flush=True)


def _flags_show_no_type() -> None:
    """typer's rich help gives every option a type, a flag included ("--demo <bool>"),
    as if it took a value: a flag is shown as the plain flag it is."""
    from typer.core import TyperOption

    shown = TyperOption.display_type_rich
    if getattr(shown, "flags_plain", False):
        return

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        return None if self.is_flag else shown(self, ctx)

    display_type_rich.flags_plain = True  # type: ignore[attr-defined]  # a marker on the function, read back above
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]  # patches typer's help for flags


def build_app(open_tui: Any = None, *, open_hq: Any = None, serve_hq: Any = None) -> typer.Typer:
    _flags_show_no_type()
    app = typer.Typer(
        help=_("cli.help_app"),
        add_completion=False,
        pretty_exceptions_enable=False,
        no_args_is_help=False,
    )
    ticket_app = typer.Typer(help=_("cli.help_ticket"), no_args_is_help=True)
    app.add_typer(ticket_app, name="ticket")

    @app.callback(invoke_without_command=True)
    def root(
        ctx: typer.Context,
        db: DbOpt = None,
        lang: LangOpt = None,
        demo: Annotated[bool, typer.Option("--demo", help=_("cli.help_demo_store"))] = False,
        as_user: Annotated[Optional[str], typer.Option("--as", metavar="NAME",
                                                       help=_("access.help_as"))] = None,
    ) -> None:
        STATE.db, STATE.demo, STATE.user, STATE.command = db, demo, as_user, ""
        if ctx.invoked_subcommand is not None:
            return
        if open_tui is None:
            raise InputError("tui", _("cli.no_tui"))
        # Usually reached without typer (repairdesk.cli.main): the same, the daily backup
        # included (the TUI makes it once its first screen is up).
        from repairdesk.cli import open_counter_app

        open_counter_app(open_tui, load_settings(), db, demo)

    from repairdesk.cli import (
        backup,
        hq,
        hq_app,
        money,
        printing,
        settlement,
        sync,
        tickets,
        users,
        warranty,
    )

    tickets.register(app, ticket_app, opened, read_document, JsonOpt)
    warranty.register(app, opened, read_document, DbOpt, LangOpt, JsonOpt)
    backup.register(app, opened, read_document, DbOpt, LangOpt, JsonOpt)
    users.register(app, opened, read_document, DbOpt, LangOpt, JsonOpt)
    sync.register(app, opened, read_document, DbOpt, LangOpt, JsonOpt)
    hq_app.register(hq.register(app, JsonOpt), open_hq, serve_hq)
    printing.register(app, opened, read_document, DbOpt, LangOpt, JsonOpt)
    money.register(app, opened, read_document, DbOpt, LangOpt, JsonOpt)
    settlement.register(app, opened, JsonOpt)

    @app.command("init", help=_("cli.help_init"))
    def init(
        counter: Annotated[str, typer.Option("--counter", help=_("cli.help_counter"))],
        name: Annotated[str, typer.Option("--name", help=_("cli.help_name"))],
        address: Annotated[str, typer.Option("--address")] = "",
        phone: Annotated[str, typer.Option("--phone")] = "",
        as_json: JsonOpt = False,
    ) -> None:
        with opened(create=True) as desk:
            info = desk.init_counter(counter, name, address, phone)
            desk.sync.ensure_signing_key()  # the counter's Ed25519 key for its batches to HQ
        if as_json:
            emit_json(info.to_dict())
        else:
            say(_("cli.init_done", code=info.code, name=info.name))

    @app.command("demo", help=_("cli.help_demo"))
    def demo(
        tickets: Annotated[int, typer.Option("--tickets", min=0)] = 300,
        seed: Annotated[int, typer.Option("--seed")] = 1,
        if_empty: Annotated[bool, typer.Option("--if-empty", help=_("cli.help_if_empty"))] = False,
        ) -> None:
        from repairdesk.demo import check_demo_target, mark_demo_store, seed_demo
        from repairdesk.demo_shop import stock_demo_shop

        settings = load_settings()
        check_demo_target(STATE.store_path(settings, demo_default=True), settings.store_path(),
                          demo_store_path())
        with opened(create=True, demo_default=True) as desk:
            mark_demo_store(desk)
            if if_empty and desk.tickets.count_tickets():
                stock_demo_shop(desk, seed=seed)  # a demo made before the shop was
                say(_("cli.demo_exists", path=str(desk.store.path)))
                return
            made = seed_demo(desk, tickets=tickets, seed=seed)
            users = stock_demo_shop(desk, seed=seed)
            say(_("cli.demo_done", count=made, path=str(desk.store.path)))
            for user in users:
                say(_("cli.demo_user", name=user.name, role=_(f"trust.role_{user.role}"),
                      pin=user.pin))

    @app.command("intake", help=_("cli.help_intake"))
    def intake(
        source: Annotated[str, typer.Argument(metavar="FILE|-")],
        lines: Annotated[bool, typer.Option("--lines", help=_("cli.help_lines"))] = False,
        each: Annotated[bool, typer.Option("--each", help=_("input.help_each"))] = False,
        allow_open: Annotated[bool, typer.Option("--allow-open",
                                                 help=_("cli.help_allow_open"))] = False,
        as_json: JsonOpt = False,
    ) -> None:
        text = read_document(source)
        if lines or each:
            _intake_lines(text, as_json, allow_open, each)
            return
        with opened() as desk:
            result = _take_in(desk, text, allow_open)
        if as_json:
            emit_json(result.to_dict())
        else:
            device = " ".join(filter(None, (result.brand, result.model))) or _("cli.unknown_model")
            say(_("cli.intake_done", ticket=result.ticket, device=device,
                            imei=result.imei))

    @app.command("lookup", help=_("cli.help_lookup"))
    def lookup(
        query: str,
        as_json: JsonOpt = False,
    ) -> None:
        with opened() as desk:
            result = desk.tickets.lookup(query)
        data = result.to_dict()
        if as_json:
            emit_json(data)
            return
        if result.imei:
            validity = _("cli.imei_valid") if result.valid is not False else _("cli.imei_invalid")
            tac = f"{result.tac.brand} {result.tac.model}" if result.tac else _("cli.tac_unknown")
            say(f"IMEI {result.imei} ({validity}) · {tac}")
        if not result.tickets:
            say(_("cli.no_tickets"))
            return
        console.print(tickets_table(result.tickets))

    _say_root_options_everywhere(app, _("cli.help_root_options"))
    _name_commands(app)
    return app


def _name_commands(app: typer.Typer, prefix: str = "") -> None:
    """Each command, when it runs, says its name ("ticket move") in ``STATE.command``:
    ``opened`` reads it to know whether the command changes the store."""
    for command in app.registered_commands:
        assert command.callback is not None and command.name, command
        command.callback = _naming(command.callback, f"{prefix} {command.name}".strip())
    for group in app.registered_groups:
        if group.typer_instance is not None:
            _name_commands(group.typer_instance, f"{prefix} {group.name}".strip())


def _naming(callback: Any, name: str) -> Any:
    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        STATE.command = name
        return callback(*args, **kwargs)

    return run


def _say_root_options_everywhere(app: typer.Typer, epilog: str) -> None:
    """Every command's help ends saying the root options work there too (they are taken
    from anywhere on the line: repairdesk.cli.hoist_root_options)."""
    for command in app.registered_commands:
        command.epilog = command.epilog or epilog
    for group in app.registered_groups:
        if group.typer_instance is not None:
            _say_root_options_everywhere(group.typer_instance, epilog)
