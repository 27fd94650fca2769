"""The scriptable face of RepairDesk: ``repairdesk COMMAND``.

Exit codes: 0 success, 2 bad input (the message names the field), 1 any other error.
The TUI is not imported here (the core never imports the UI): the console script in
``screens.main`` hands in the function that opens it. ``repairdesk`` with nothing but the
root options (``--db``, ``--lang``, ``--demo``) opens it without building the typer app and
importing every command's module (a quarter of a second of each start); anything else,
``--help`` included, goes through typer.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from repairdesk.errors import InputError, RepairDeskError
from repairdesk.i18n import _, detect_language, set_language

if TYPE_CHECKING:
    from repairdesk.settings import Settings

OpenTui = Callable[..., None]
#: The root options, and whether each takes a value (see ``cli.app.build_app``'s ``root``).
ROOT_OPTIONS = {"--db": True, "--lang": True, "--demo": False, "--as": True}


def _language_from(argv: Sequence[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _tui_options(args: Sequence[str]) -> dict[str, str | bool] | None:
    """The root options of ``args`` when they are all there is (the TUI is asked for);
    None for anything else, which typer parses (and explains, if it is wrong)."""
    found: dict[str, str | bool] = {}
    rest = iter(args)
    for arg in rest:
        name, equals, value = arg.partition("=")
        if name not in ROOT_OPTIONS or name == "--as":  # a user is for a command: typer's
            return None
        if not ROOT_OPTIONS[name]:
            if equals:
                return None
            found[name] = True
            continue
        if not equals:
            value = next(rest, "")
        if not value:
            return None
        found[name] = value
    return found


def hoist_root_options(args: Sequence[str]) -> list[str]:
    """``args`` with the root options moved to the front, wherever they were given (before a
    ``--``): ``repairdesk lookup X --demo`` is ``repairdesk --demo lookup X``. Every command
    takes them alike, after it as well as before, and none declares them again."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest.extend(args[index:])
            break
        name, equals, _value = arg.partition("=")
        if name in ROOT_OPTIONS:
            width = 2 if ROOT_OPTIONS[name] and not equals else 1
            front.extend(args[index:index + width])
            index += width
            continue
        rest.append(arg)
        index += 1
    return front + rest


def _fail(exc: RepairDeskError, code: int, as_json: bool) -> None:
    """The message on stderr (for scripts with ``--json``: as JSON, the field's code kept)."""
    from repairdesk.cli.output import json_text, visible

    if as_json:
        data = exc.to_dict() if isinstance(exc, InputError) else {"message": exc.message}
        print(json_text({"error": data}), file=sys.stderr)
    else:
        print(visible(f"{_('core.error')}: {exc.message}"), file=sys.stderr)
    sys.exit(code)


def main(argv: Sequence[str] | None = None, open_tui: OpenTui | None = None,
         open_hq: OpenTui | None = None, serve_hq: OpenTui | None = None) -> None:
    """``open_tui``, ``open_hq`` and ``serve_hq`` open the counter app, open HQ's workspace
    and serve it to browsers (screens/main.py hands them in)."""
    from repairdesk.owner_only import restrict_process
    from repairdesk.settings import load_settings

    restrict_process()  # the store, backups, batches, log and keys: the owner's alone
    args = hoist_root_options(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args
    tui = _tui_options(args) if open_tui is not None else None
    if tui is not None:
        # Opening the counter app creates a great many objects that all live on (modules,
        # classes, widgets); the collector's passes over them, again and again, are a
        # tenth of the start. It is paused until the app has drawn its board (the app
        # turns it back on then: RepairDeskApp.board_shown).
        gc.disable()
    settings = load_settings()
    try:
        # Help texts are translated too, so the language is settled before the app is built.
        set_language(detect_language(_language_from(args), settings.lang))
    except ValueError as exc:
        print(f"--lang: {exc}", file=sys.stderr)
        sys.exit(2)
    try:
        if tui is not None:
            assert open_tui is not None
            try:
                open_counter_app(open_tui, settings, tui.get("--db"), bool(tui.get("--demo")))
            finally:
                gc.enable()
            return
        from repairdesk.cli.app import build_app

        build_app(open_tui, open_hq=open_hq, serve_hq=serve_hq)(args=args,
                                                               prog_name="repairdesk")
    except InputError as exc:
        _fail(exc, 2, as_json)
    except RepairDeskError as exc:
        _fail(exc, 1, as_json)
    except Exception as exc:  # noqa: BLE001 - the counter sees a message, the log the traceback
        log = write_crash_log(exc)
        print(f"{_('core.error')}: {_('core.unexpected', error=type(exc).__name__, log=log)}",
              file=sys.stderr)
        sys.exit(1)


def open_counter_app(open_tui: OpenTui, settings: Settings, db: object = None,
                     demo: bool = False) -> None:
    """Open the TUI on the store the options and settings name. The daily backup is the
    TUI's to make, once its first screen is up (``daily_backup`` takes seconds on a big
    store: it must not hold the counter's screen back)."""
    from pathlib import Path

    from repairdesk.settings import demo_store_path

    if db:
        store = Path(str(db))
    else:
        store = demo_store_path() if demo else settings.store_path()
    open_tui(store, settings)


def write_crash_log(exc: BaseException) -> str:
    """Append the traceback to repairdesk.log in the user data directory; return its path."""
    import traceback
    from datetime import datetime

    from repairdesk import owner_only
    from repairdesk.settings import default_data_dir

    path = default_data_dir() / "repairdesk.log"
    try:
        owner_only.make_dir(path.parent)
        with owner_only.open_write(path, "a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now().astimezone().isoformat()}\n")
            fh.write("".join(traceback.format_exception(exc)))
    except OSError:
        return "-"
    return str(path)
