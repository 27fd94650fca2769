"""The scriptable face of RepairDesk: ``repairdesk COMMAND``.

Exit codes: 0 success, 2 bad input (the message names the field), 1 any other error.
The TUI is not imported here (the core never imports the UI): the console script in
``screens.main`` hands in the function that opens it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from repairdesk.errors import InputError, RepairDeskError
from repairdesk.i18n import _, detect_language, set_language

OpenTui = Callable[..., None]


def _language_from(argv: Sequence[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: Sequence[str] | None = None, open_tui: OpenTui | None = None) -> None:
    from repairdesk.settings import load_settings

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        # Help texts are translated too, so the language is settled before the app is built.
        set_language(detect_language(_language_from(args), load_settings().lang))
    except ValueError as exc:
        print(f"--lang: {exc}", file=sys.stderr)
        sys.exit(2)
    from repairdesk.cli.app import build_app

    app = build_app(open_tui)
    try:
        app(args=args, prog_name="repairdesk")
    except InputError as exc:
        print(f"{_('core.error')}: {exc.message}", file=sys.stderr)
        sys.exit(2)
    except RepairDeskError as exc:
        print(f"{_('core.error')}: {exc.message}", file=sys.stderr)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - the counter sees a message, the log the traceback
        log = write_crash_log(exc)
        print(f"{_('core.error')}: {_('core.unexpected', error=type(exc).__name__, log=log)}",
              file=sys.stderr)
        sys.exit(1)


def write_crash_log(exc: BaseException) -> str:
    """Append the traceback to repairdesk.log in the user data directory; return its path."""
    import traceback
    from datetime import datetime

    from repairdesk.settings import default_data_dir

    path = default_data_dir() / "repairdesk.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now().astimezone().isoformat()}\n")
            fh.write("".join(traceback.format_exception(exc)))
    except OSError:
        return "-"
    return str(path)
