"""``repairdesk key|export|apply`` at the counter (HQ's commands: repairdesk/cli/hq.py).

No ``from __future__ import annotations`` here: typer reads the option types of the
commands at run time, and they are closures over the options `register` is given.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from repairdesk.cli.output import emit_json, say
from repairdesk.cli.warranty import parse_day
from repairdesk.i18n import _

#: Batches smaller than this export without a progress bar.
PROGRESS_FROM_ROWS = 5000

SinceOpt = Annotated[Optional[str], typer.Option("--since", metavar="DATE",
                                                 help=_("sync.help_since"))]
ProviderOpt = Annotated[Optional[str], typer.Option("--provider", help=_("sync.help_provider"))]
PrefixOpt = Annotated[str, typer.Option("--prefix", help=_("sync.help_prefix"))]
CountryOpt = Annotated[str, typer.Option("--country", help=_("sync.help_country"))]


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


def register(app: typer.Typer, opened: Any, read_document: Any, db_opt: Any, lang_opt: Any,
             json_opt: Any) -> None:
    key_app = typer.Typer(help=_("sync.help_key"), no_args_is_help=True)
    app.add_typer(key_app, name="key")

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
