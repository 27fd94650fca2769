"""The core never imports the UI and creates no database engine when imported."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_core_imports_neither_textual_nor_screens_nor_makes_an_engine() -> None:
    script = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        import sqlalchemy

        def refuse(*args, **kwargs):
            raise AssertionError("a database engine was created at import time")

        sqlalchemy.create_engine = refuse
        import repairdesk
        names = [m.name for m in pkgutil.walk_packages(repairdesk.__path__, "repairdesk.")
                 if ".migrations" not in m.name]
        for name in names:
            importlib.import_module(name)
        leaked = sorted(m for m in sys.modules
                        if m.split(".")[0] in ("textual", "screens"))
        print(len(names), leaked)
        assert not leaked, leaked
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    count = int(result.stdout.split()[0])
    assert count >= 15  # every core module was really imported
