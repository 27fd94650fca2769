"""The core never imports the UI and creates no database engine when imported; the import
contracts of pyproject.toml hold, and break when an import they forbid is added."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import tomllib
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


# The import contracts (pyproject.toml, [tool.importlinter]), checked by `lint-imports` in
# `make test`. The second test runs it on a copy of the tree in tmp_path, with imports added
# that the contracts forbid, and checks that each contract reports its own.

CONTRACTS = {c["id"]: c["name"] for c in
             tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
             ["tool"]["importlinter"]["contracts"]}
LINT_IMPORTS = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    # COLUMNS: no line of the report is wrapped.
    env = {**os.environ, "PYTHONPATH": str(root), "COLUMNS": "250"}
    return subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache", "--no-logo"],
        cwd=root, env=env, capture_output=True, text=True, timeout=60,
    )


def broken_contracts(report: str) -> dict[str, str]:
    """Each broken contract's id and the text of its section of the report."""
    lines = report.splitlines()
    ids = {name: id_ for id_, name in CONTRACTS.items()}
    starts = [i for i in range(len(lines) - 1)
              if lines[i] in ids and lines[i + 1] and set(lines[i + 1]) == {"-"}]
    return {ids[lines[start]]: " ".join(" ".join(lines[start + 2:end]).split())
            for start, end in zip(starts, [*starts[1:], len(lines)])}


def test_the_import_contracts_are_kept() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(CONTRACTS)} kept, 0 broken" in result.stdout


# (contract id, module, the line added to it, what the contract's report must then say)
FORBIDDEN = [
    ("policy-pure", "repairdesk/policy/rules.py", "import repairdesk.db",
     "repairdesk.policy.rules -> repairdesk.db"),
    ("claim-document", "repairdesk/printing/wrap.py",
     "from repairdesk.tickets import claim_document",
     "repairdesk.printing.wrap -> repairdesk.tickets.claim_document"),
    ("core-layers", "repairdesk/tickets/rows.py", "from repairdesk.sync import batch",
     "repairdesk.tickets.rows -> repairdesk.sync.batch"),
    ("core-layers", "repairdesk/hq/report.py", "from repairdesk.sync import facade",
     "repairdesk.hq.report -> repairdesk.sync.facade"),  # HQ reads the format, not SyncDesk
    ("core-layers", "repairdesk/money/ledger.py", "from repairdesk.printing import glyphs",
     "repairdesk.money.ledger -> repairdesk.printing.glyphs"),  # the areas are independent
    ("core-no-ui", "repairdesk/i18n.py", "import textual", "repairdesk.i18n -> textual"),
    ("screens-no-sql", "screens/base.py", "from repairdesk.models import Ticket",
     "screens.base -> repairdesk.models"),
    ("core-acyclic", "repairdesk/cli/output.py", "from repairdesk.cli import app",
     "No cycles are allowed in repairdesk.cli."),
]


def test_each_contract_breaks_on_an_import_it_forbids(tmp_path: Path) -> None:
    for package in ("repairdesk", "screens"):
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for _id, module, line, _says in FORBIDDEN:
        with (tmp_path / module).open("a", encoding="utf-8") as fh:
            fh.write(f"\n{line}\n")
    # A module in no layer breaks the (exhaustive) layers contract.
    (tmp_path / "repairdesk" / "newcomer.py").write_text('"""In no layer."""\n')
    # An import for type checking only is no dependency (exclude_type_checking_imports).
    with (tmp_path / "repairdesk/policy/engine.py").open("a", encoding="utf-8") as fh:
        fh.write("\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
                 "    import repairdesk.models\n")

    result = lint_imports(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    broken = broken_contracts(result.stdout)
    assert set(broken) == set(CONTRACTS), result.stdout
    for id_, _module, _line, says in FORBIDDEN:
        assert says in broken[id_], (id_, says, broken[id_])
    assert "- repairdesk.newcomer" in broken["core-layers"]
    assert "repairdesk.policy.engine" not in broken["policy-pure"]
