"""``repairdesk hq serve`` in a real browser: headless Chromium (Debian's package) opens the
page, the login screen renders in its terminal (xterm.js), the keys typed reach the app,
and the workspace appears; a screenshot is left in the test's folder.

The terminal's text is read from the page itself: the xterm.js Terminal the page builds is
caught as it is made (its owner stores it as ``.terminal``), and its buffer read line by
line, as the person sees it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from repairdesk.hq.facade import Hq

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
USER, PIN = "wang", "246810"

#: Runs before the page's own scripts: the first object given a ``terminal`` that has a
#: buffer (textual.js's client, holding its xterm.js Terminal) leaves it on ``window``.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  get() { return undefined; },
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true,
                                             enumerable: true});
    if (value && value.buffer && !window.__hqTerminal) { window.__hqTerminal = value; }
  },
});
"""
SCREEN_TEXT = """() => {
  const term = window.__hqTerminal;
  if (!term) { return ""; }
  const buffer = term.buffer.active, lines = [];
  for (let y = 0; y < buffer.length; y++) { lines.push(buffer.getLine(y).translateToString(true)); }
  return lines.join("\\n");
}"""

pytestmark = pytest.mark.slow


def _browser() -> Any:
    """Playwright's sync API, or the reason it cannot run (a failure on CI)."""
    missing = None
    if not CHROMIUM.exists():
        missing = "Chromium not found: `apt-get install chromium chromium-driver`"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = missing or "playwright is not installed (pip install -e '.[test]')"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    return sync_playwright


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """``repairdesk hq serve`` on a free port over a SQLite HQ with one admin."""
    url = str(tmp_path / "hq.sqlite3")
    setup = Hq.open(url, check=False)
    setup.init(tmp_path / "hq.key")
    setup.close()
    hq = Hq.open(url)
    hq.add_user(USER, "admin", PIN)
    hq.close()
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "screens.main", "--lang", "en", "hq", "serve", "--hq-db", url,
         "--port", str(port)], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        page = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(page, timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((tmp_path / "serve.log").read_text()) from None
                time.sleep(0.2)
        yield page
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server and the sessions it started
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def test_the_workspace_in_a_browser(served: str, tmp_path: Path) -> None:
    sync_playwright = _browser()
    profile = tmp_path / "chromium-profile"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 800})
        try:
            page = browser.new_page()
            page.add_init_script(CATCH_TERMINAL)
            started = time.monotonic()
            page.goto(served)

            def shown(text: str, timeout: float = 30_000) -> str:
                page.wait_for_function(f"() => ({SCREEN_TEXT})().includes({text!r})",
                                       timeout=timeout)
                return str(page.evaluate(SCREEN_TEXT))

            login = shown("your HQ user and PIN")
            to_login = time.monotonic() - started
            assert "HQ user" in login and "PIN" in login
            page.click("#terminal")
            page.keyboard.type(USER)
            typed = shown(USER)  # the keys reached the app: the name is in its field
            assert "Folder" not in typed
            page.keyboard.press("Enter")
            page.keyboard.type(PIN)
            page.keyboard.press("Enter")
            logging_in = time.monotonic()
            workspace = shown("Folder")
            to_workspace = time.monotonic() - logging_in
            assert "your HQ user and PIN" not in workspace
            assert "Inbox" in workspace and "Network" in workspace  # the footer's keys
            assert USER in workspace  # who is logged in, in the header
            picture = tmp_path / "hq-workspace-in-chromium.png"
            page.screenshot(path=str(picture))
            assert picture.stat().st_size > 10_000
            print(f"screenshot: {picture}")
            print(f"page to login screen {to_login:.2f} s; PIN's Enter to the inbox "
                  f"{to_workspace:.2f} s")
        finally:
            browser.close()
    shutil.rmtree(profile, ignore_errors=True)
