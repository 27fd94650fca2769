"""``repairdesk key|export|apply`` at the counter and ``repairdesk hq ...`` at HQ.

No ``from __future__ import annotations`` here: typer reads the option types of the
commands at run time, and they are closures over the options `register` is given.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from repairdesk.cli.output import console, emit_json, say
from repairdesk.cli.warranty import parse_day
from repairdesk.i18n import _

#: Batches smaller than this export without a progress bar.
PROGRESS_FROM_ROWS = 5000

HqDbOpt = Annotated[str, typer.Option("--hq-db", envvar="REPAIRDESK_HQ_DB", metavar="URL",
                                      help=_("sync.help_hq_db"))]
HqKeyOpt = Annotated[Optional[Path], typer.Option("--hq-key", envvar="REPAIRDESK_HQ_KEY",
                                                  help=_("sync.help_hq_key"))]
SinceOpt = Annotated[Optional[str], typer.Option("--since", metavar="DATE",
                                                 help=_("sync.help_since"))]
ProviderOpt = Annotated[Optional[str], typer.Option("--provider", help=_("sync.help_provider"))]
PrefixOpt = Annotated[str, typer.Option("--prefix", help=_("sync.help_prefix"))]
CountryOpt = Annotated[str, typer.Option("--country", help=_("sync.help_country"))]


@contextmanager
def hq_opened(url: str, *, check: bool = True) -> Iterator[Any]:
    from repairdesk.hq.facade import Hq

    hq = Hq.open(url, check=check)
    try:
        yield hq
    finally:
        hq.close()


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Any]:
    """A callback ``(done, total)`` that draws a bar on stderr for large batches."""
    if not enabled:
        yield None
        return
    from rich.console import Console

    bar = Progress(TextColumn(_("sync.progress")), BarColumn(), MofNCompleteColumn(),
                   console=Console(stderr=True), transient=True)
    task = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if total < PROGRESS_FROM_ROWS:
            return
        if task is None:
            task = bar.add_task("export", total=total)
        bar.update(task, completed=done)

    with bar:
        yield update


def _tables(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in counts.items() if n) or "-"


#: At most this many rows of a long list are printed (all of them with --json).
LIST_LIMIT = 50


def _cell(column: str, value: Any) -> str:
    if value is None or value == "":
        return "-"
    return _(f"fault.{value}") if column == "fault" else str(value)


def _list(title: str, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    say(title)
    if not rows:
        return
    table = Table(box=None, pad_edge=False)
    for column in columns:
        table.add_column(_(f"sync.col_{column}"), overflow="fold")
    for row in rows[:LIST_LIMIT]:
        table.add_row(*(_cell(column, row.get(column)) for column in columns))
    console.print(table)
    if len(rows) > LIST_LIMIT:
        say(_("sync.report_more", count=len(rows) - LIST_LIMIT))


def print_report(report: Any) -> None:
    if report.month:
        say(_("sync.report_title_month", month=report.month, due=report.due))
    else:
        say(_("sync.report_title_all"))
    _list(_("sync.report_counters"), report.counters, ("counter", "tickets_in", "tickets_out"))
    say(_("sync.report_deposits", amount=f"{report.deposits:.2f}"))
    say(_("sync.report_remedies", **report.remedies))
    turnaround = report.turnaround_hours
    if turnaround["median"] is None:
        say(_("sync.report_turnaround_none"))
    else:
        say(_("sync.report_turnaround", **turnaround))
    _list(_("sync.report_faults", count=len(report.faults)), report.faults,
          ("brand", "model", "fault", "tickets"))
    _list(_("sync.report_settle", count=len(report.warranty_to_settle)),
          report.warranty_to_settle,
          ("counter", "ticket", "brand", "model", "fault", "handed_in", "handed_back"))
    _list(_("sync.report_overdue", count=len(report.overdue)), report.overdue,
          ("counter", "ticket", "status", "promised_date", "days"))
    _list(_("sync.report_breaches", count=len(report.deadline_breaches)),
          report.deadline_breaches, ("counter", "ticket", "deadline", "last_day"))
    _list(_("sync.report_calls", count=len(report.follow_up_calls)), report.follow_up_calls,
          ("due", "counter", "ticket", "customer", "phone"))
    say(_("sync.report_pending", figures=", ".join(_(f"sync.pending_{p}")
                                                    for p in report.pending)))


def register(app: typer.Typer, opened: Any, read_document: Any, db_opt: Any, lang_opt: Any,
             json_opt: Any) -> None:
    key_app = typer.Typer(help=_("sync.help_key"), no_args_is_help=True)
    app.add_typer(key_app, name="key")
    hq_app = typer.Typer(help=_("sync.help_hq"), no_args_is_help=True)
    app.add_typer(hq_app, name="hq")

    # -- the counter ------------------------------------------------------------------

    @key_app.command("show", help=_("sync.help_key_show"))
    def key_show(as_json: json_opt = False) -> None:
        with opened() as desk:
            info = desk.sync.signing_key()
        if as_json:
            emit_json(info.to_dict())
        else:
            say(info.public_key)
            say(_("sync.key_fingerprint", fingerprint=info.fingerprint, path=info.path))

    @key_app.command("trust-hq", help=_("sync.help_key_trust_hq"))
    def key_trust_hq(public_key: Annotated[str, typer.Argument(metavar="PUBLIC_KEY")],
                     as_json: json_opt = False) -> None:
        with opened() as desk:
            info = desk.sync.trust_hq(public_key)
        if as_json:
            emit_json(info.to_dict())
        else:
            say(_("sync.hq_key_trusted", fingerprint=info.fingerprint))

    @app.command("export", help=_("sync.help_export"))
    def export(
        out: Annotated[Path, typer.Option("--out", help=_("sync.help_out"))] = Path("."),
        empty: Annotated[bool, typer.Option("--empty", help=_("sync.help_empty"))] = False,
        again: Annotated[Optional[int], typer.Option("--again", metavar="SEQ", min=1,
                                                     help=_("sync.help_again"))] = None,
        ords_file: Annotated[Optional[Path], typer.Option("--ords", metavar="FILE",
                                                          help=_("sync.help_ords"))] = None,
        since: SinceOpt = None,
        provider: ProviderOpt = None,
        prefix: PrefixOpt = "repairdesk",
        country: CountryOpt = "CHN",
        as_json: json_opt = False,
    ) -> None:
        if ords_file is not None:
            day = parse_day(since, "--since")
            with opened() as desk:
                result = desk.sync.export_ords(ords_file, since=day, provider=provider,
                                          prefix=prefix, country=country)
            if as_json:
                emit_json(result.to_dict())
            else:
                say(_("sync.ords_done", path=result.path, rows=result.rows))
            return
        with opened() as desk:
            if again is not None:
                result = desk.sync.export_again(again, out)
            else:
                with progress_bar(not as_json) as progress:
                    result = desk.sync.export_batch(out, empty=empty, progress=progress)
        if as_json:
            emit_json(result.to_dict())
        elif not result.written:
            say(_("sync.export_nothing"))
        elif result.again:
            say(_("sync.export_again_done", seq=result.seq, path=result.path))
        else:
            say(_("sync.export_done", seq=result.seq, path=result.path, rows=result.rows,
                  tables=_tables(result.tables)))

    @app.command("apply", help=_("sync.help_apply"))
    def apply(source: Annotated[Path, typer.Argument(metavar="FILE")], as_json: json_opt = False) -> None:
        with opened() as desk:
            result = desk.sync.apply_pack(source)
        if as_json:
            emit_json(result.to_dict())
            return
        say(_(f"sync.pack_{result.status}", seq=result.seq, prices=result.prices,
              blacklisted=result.blacklisted))
        if result.policy:
            say(_("sync.pack_policy", policy=result.policy))

    # -- HQ ---------------------------------------------------------------------------

    @hq_app.command("init", help=_("sync.help_hq_init"))
    def hq_init(hq_db: HqDbOpt, hq_key: HqKeyOpt = None, as_json: json_opt = False) -> None:
        with hq_opened(hq_db, check=False) as hq:
            info = hq.init(hq_key)
        if as_json:
            emit_json(info.to_dict())
        else:
            say(_("sync.hq_init_done", url=hq_db))
            say(info.public_key)
            say(_("sync.key_fingerprint", fingerprint=info.fingerprint, path=info.path))

    @hq_app.command("trust", help=_("sync.help_hq_trust"))
    def hq_trust(counter: Annotated[str, typer.Argument(metavar="COUNTER")],
                 public_key: Annotated[str, typer.Argument(metavar="PUBLIC_KEY")],
                 hq_db: HqDbOpt, as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            info = hq.trust(counter, public_key)
        if as_json:
            emit_json({"counter": counter.strip().upper(), **info.to_dict()})
        else:
            say(_("sync.counter_trusted", counter=counter.strip().upper(),
                  fingerprint=info.fingerprint))

    @hq_app.command("import", help=_("sync.help_hq_import"))
    def hq_import(files: Annotated[list[Path], typer.Argument(metavar="FILE|FOLDER...")],
                  hq_db: HqDbOpt, as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            outcomes, gaps = hq.import_files(files)
        if as_json:
            emit_json({"files": [o.to_dict() for o in outcomes], "missing": gaps})
        else:
            for o in outcomes:
                if o.status == "refused":
                    say(_("sync.import_refused", file=o.file, check=o.check,
                          message=o.message))
                elif o.status in ("failed", "not_tried"):
                    say(_(f"hqin.import_{o.status}", file=o.file, message=o.message))
                else:
                    say(_(f"sync.import_{o.status}", file=o.file, counter=o.counter,
                          seq=o.seq, rows=o.rows))
            for code, seqs in gaps.items():
                say(_("sync.import_missing", counter=code,
                      seqs=", ".join(map(str, seqs))))
        # 1: the HQ database failed (no file's fault); 2: a file was refused.
        if any(o.status == "failed" for o in outcomes):
            raise typer.Exit(1)
        if any(o.status == "refused" for o in outcomes):
            raise typer.Exit(2)

    @hq_app.command("status", help=_("sync.help_hq_status"))
    def hq_status(hq_db: HqDbOpt, as_json: json_opt = False) -> None:
        with hq_opened(hq_db) as hq:
            rows = hq.status()
        if as_json:
            emit_json([r.to_dict() for r in rows])
            return
        if not rows:
            say(_("sync.status_no_counters"))
            return
        table = Table(box=None, pad_edge=False)
        for key in ("counter", "key", "last", "missing", "batches", "imported", "pack"):
            table.add_column(_(f"sync.col_{key}"), no_wrap=key != "missing")
        for r in rows:
            table.add_row(
                r.counter, r.fingerprint, str(r.last_seq or "-"),
                ", ".join(map(str, r.missing)) or "-", str(r.batches),
                r.last_import.astimezone().strftime("%Y-%m-%d %H:%M") if r.last_import else "-",
                str(r.pack or "-"),
            )
        console.print(table)

    @hq_app.command("audit", help=_("trust.help_hq_audit"))
    def hq_audit(
        hq_db: HqDbOpt,
        counter: Annotated[Optional[str], typer.Option("--counter")] = None,
        as_json: json_opt = False,
    ) -> None:
        with hq_opened(hq_db) as hq:
            reports = hq.verify_audit(counter)
        if as_json:
            emit_json({code: r.to_dict() for code, r in reports.items()})
        for code, r in ([] if as_json else reports.items()):
            if r.chain.ok:
                say(f"{code}: " + _("trust.audit_ok", events=r.events))
            else:
                say(f"{code}: " + _("trust.audit_broken", event=r.broken_at, events=r.events,
                                    reason=_(f"trust.audit_{r.reason}")))
            if r.refused:
                say(_("evidence.hq_conflicts", count=len(r.refused)))
            for c in r.refused:
                what = (_("evidence.what_event", id=c["event_id"]) if c["event_id"] is not None
                        else _("evidence.what_row", table=c["table"], key=c["key"]))
                say(_("evidence.hq_conflict_line", file=c["file"], seq=c["seq"],
                      kind=_(f"evidence.kind_{c['kind']}"), what=what))
        if not all(r.ok for r in reports.values()):
            raise typer.Exit(1)

    @hq_app.command("report", help=_("sync.help_hq_report"))
    def hq_report(
        hq_db: HqDbOpt,
        month: Annotated[Optional[str], typer.Option("--month", metavar="YYYY-MM",
                                                     help=_("sync.help_month"))] = None,
        counter: Annotated[Optional[str], typer.Option("--counter", metavar="CODE",
                                                       help=_("sync.help_report_counter"))]
        = None,
        as_json: json_opt = False,
    ) -> None:
        with hq_opened(hq_db) as hq:
            report = hq.report(month=month, counter=counter)
        if as_json:
            emit_json(report.to_dict())
        else:
            print_report(report)

    @hq_app.command("pack", help=_("sync.help_hq_pack"))
    def hq_pack(
        hq_db: HqDbOpt,
        price_list: Annotated[Path, typer.Option("--price-list", metavar="CSV",
                                                 help=_("sync.help_price_list"))],
        out: Annotated[Path, typer.Option("--out", metavar="FILE", help=_("sync.help_pack_out"))],
        policy: Annotated[Optional[Path], typer.Option("--policy", metavar="FILE",
                                                       help=_("sync.help_pack_policy"))] = None,
        blacklist: Annotated[Optional[Path], typer.Option("--blacklist", metavar="CSV",
                                                          help=_("sync.help_blacklist"))] = None,
        hq_key: HqKeyOpt = None,
        as_json: json_opt = False,
    ) -> None:
        with hq_opened(hq_db) as hq:
            issued = hq.pack(out, price_list=price_list, policy=policy, blacklist=blacklist,
                             key_path=hq_key)
        if as_json:
            emit_json(issued.to_dict())
        else:
            say(_("sync.pack_written", seq=issued.seq, path=issued.path, prices=issued.prices,
                  blacklisted=issued.blacklisted))

    @hq_app.command("export", help=_("sync.help_hq_export"))
    def hq_export(
        hq_db: HqDbOpt,
        ords_file: Annotated[Path, typer.Option("--ords", metavar="FILE",
                                                help=_("sync.help_ords"))],
        since: SinceOpt = None,
        provider: Annotated[str, typer.Option("--provider", help=_("sync.help_provider"))]
        = "RepairDesk",
        prefix: PrefixOpt = "repairdesk",
        country: CountryOpt = "CHN",
        counter: Annotated[Optional[str], typer.Option("--counter", metavar="CODE",
                                                       help=_("sync.help_report_counter"))]
        = None,
        as_json: json_opt = False,
    ) -> None:
        day = parse_day(since, "--since")
        with hq_opened(hq_db) as hq:
            result = hq.export_ords(ords_file, since=day, provider=provider, prefix=prefix,
                                    country=country, counter=counter)
        if as_json:
            emit_json(result.to_dict())
        else:
            say(_("sync.ords_done", path=result.path, rows=result.rows))

