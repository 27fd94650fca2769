"""``repairdesk hq app`` and ``hq serve`` at the command line: the hooks the console script
hands in are called with what was asked; a database that cannot be used is said (exit 1,
as JSON with --json) before any app or server starts; bad options exit 2 naming them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from repairdesk import i18n
from repairdesk.cli import main
from repairdesk.hq.facade import Hq


def _run(capsys: pytest.CaptureFixture[str], *args: str, **hooks: Any) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        main(list(args), **hooks)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        i18n.set_language("en")
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def hq_file(tmp_path: Path) -> str:
    url = str(tmp_path / "hq.sqlite3")
    setup = Hq.open(url, check=False)
    setup.init(tmp_path / "hq.key")
    setup.close()
    return url


def test_the_hooks_get_what_was_asked(capsys: pytest.CaptureFixture[str], hq_file: str,
                                      tmp_path: Path) -> None:
    called: list[tuple[Any, ...]] = []
    hooks = {"open_hq": lambda url, settings, **kw: called.append(("app", url, kw)),
             "serve_hq": lambda url, host, port, **kw: called.append(
                 ("serve", url, host, port, kw["network_policy"]))}
    policy = tmp_path / "network.toml"
    assert _run(capsys, "hq", "app", "--hq-db", hq_file, **hooks)[0] == 0
    assert _run(capsys, "--lang", "zh", "hq", "serve", "--hq-db", hq_file, "--host", "0.0.0.0",
                "--port", "8123", "--network-policy", str(policy), **hooks)[0] == 0
    assert called == [("app", hq_file, {"network_policy": None}),
                      ("serve", hq_file, "0.0.0.0", 8123, policy)]


@pytest.mark.parametrize("command", ["app", "serve"])
def test_a_database_that_cannot_be_used_is_said(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path, command: str) -> None:
    from screens.main import open_hq, serve_hq

    missing = str(tmp_path / "nowhere" / "hq.sqlite3")
    code, out, err = _run(capsys, "hq", command, "--hq-db", missing, open_hq=open_hq,
                          serve_hq=serve_hq)
    assert code == 1 and not out
    assert "hq init" in err and "Traceback" not in err  # what to do about it
    code, out, err = _run(capsys, "hq", command, "--hq-db", missing, "--json",
                          open_hq=open_hq, serve_hq=serve_hq)
    assert code == 1 and "hq init" in json.loads(err)["error"]["message"]


def test_a_port_out_of_range_is_bad_input(capsys: pytest.CaptureFixture[str],
                                          hq_file: str) -> None:
    from screens.main import open_hq, serve_hq

    code, _out, err = _run(capsys, "hq", "serve", "--hq-db", hq_file, "--port", "70000",
                           open_hq=open_hq, serve_hq=serve_hq)
    assert code == 2 and "--port" in err
