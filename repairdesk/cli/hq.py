"""``repairdesk hq ...``: HQ's commands (the import: cli/hq_import.py; the report:
cli/hq_report.py; the registry and HQ's users: cli/hq_network.py; what they share:
cli/hq_common.py).

No ``from __future__ import annotations`` here: typer reads the option types at run time.
"""

from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from repairdesk.cli.hq_common import CountryOpt, HqDbOpt, HqKeyOpt, PrefixOpt, SinceOpt, hq_opened
from repairdesk.cli.output import console, emit_json, say
from repairdesk.cli.warranty import parse_day
from repairdesk.i18n import _


def register(app: typer.Typer, json_opt: Any) -> typer.Typer:
    from repairdesk.cli import (
        hq_import,
        hq_network,
        hq_parts,
        hq_report,
        hq_settle,
        hq_settle_close,
    )

    hq_app = typer.Typer(help=_("sync.help_hq"), no_args_is_help=True)
    app.add_typer(hq_app, name="hq")

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
        counter: Annotated[Optional[str], typer.Option(
            "--counter", metavar="CODE", help=_("hqclose.help_pack_counter"))] = None,
        as_json: json_opt = False,
    ) -> None:
        with hq_opened(hq_db) as hq:
            issued = hq.pack(out, price_list=price_list, policy=policy, blacklist=blacklist,
                             key_path=hq_key, counter=counter)
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


    hq_import.register(hq_app, json_opt)
    hq_report.register(hq_app, json_opt)
    hq_network.register(hq_app, json_opt)
    # Settlement: the rate card, the lines and their review (cli/hq_settle.py); the month's
    # statements, their proof and the counters' disputes (cli/hq_settle_close.py).
    settle_app = typer.Typer(help=_("hqcli.help_settle"), no_args_is_help=True)
    hq_app.add_typer(settle_app, name="settle")
    hq_settle.register(settle_app, json_opt)
    hq_settle_close.register(settle_app, json_opt)
    # Parts: the deposit ledger and what it covers (cli/hq_parts.py).
    hq_parts.register(hq_app, json_opt)
    hq_parts.register_orders(hq_app, json_opt)
    return hq_app
