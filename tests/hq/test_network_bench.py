"""The network benchmark's generated batches are batches as a counter writes them: HQ imports
them and a real counter's export alike, every check passing for real (and failing for real
when one of their rows is changed)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from benchmarks.network.counter import Plan, private_key, public_key, tacs, write_month
from repairdesk.hq import staging
from repairdesk.hq.facade import Hq
from repairdesk.sync import batch
from tests.hq.helpers import Scenario, forge_member, hq_tickets

PLAN = Plan(counters=2, days=3, tickets_per_day=6, first_day=date(2026, 11, 1), seed=3)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("network")
    for code in PLAN.codes():
        write_month(PLAN, code, out, tacs(PLAN))
    return out


def _manifest(path: Path) -> dict:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read(batch.MANIFEST))


def _lines(path: Path, member: str) -> list[dict]:
    with zipfile.ZipFile(path) as zf:
        return [json.loads(line) for line in zf.read(member).splitlines()]


def _trusting(hq: Hq) -> Hq:
    for code in PLAN.codes():
        hq.add_counter(code, f"网点 {code}")
        hq.trust(code, public_key(PLAN, code))
    return hq


@pytest.mark.parametrize("truncate_every, analyze_from", [(16, 5000), (2, 40)])
def test_generated_and_real_batches_import_alike(
        hq: Hq, generated: Path, scenario: Scenario, monkeypatch: pytest.MonkeyPatch,
        truncate_every: int, analyze_from: int) -> None:
    # Also with the staging tables truncated every other batch and most members analysed
    # and merged by the planner's choice (PostgreSQL; SQLite has no staging).
    monkeypatch.setattr(staging, "TRUNCATE_EVERY", truncate_every)
    monkeypatch.setattr(staging, "ANALYZE_FROM", analyze_from)
    _trusting(hq)
    real = [path for paths in scenario.batches.values() for path in paths]
    outcomes, gaps = hq.import_files([generated, *real])
    assert [(o.file, o.status) for o in outcomes if o.status != "imported"] == []
    assert len(outcomes) == len(real) + PLAN.counters * PLAN.days and gaps == {}
    audits = hq.verify_audit()
    assert {code: (a.ok, a.chain.broken) for code, a in audits.items()} == {
        code: (True, 0) for code in [*PLAN.codes(), *scenario.batches]}
    # The tickets HQ holds are the generated counters' last state of each.
    held = {(c, n): (s, v) for c, n, s, v in hq_tickets(hq) if c in PLAN.codes()}
    expected = {}
    for path in sorted(generated.glob("*.rdbatch")):
        code = _manifest(path)["counter"]
        for row in _lines(path, "ticket.jsonl"):
            expected[(code, row["number"])] = (row["status"], row["version"])
    assert held == expected and len(held) >= PLAN.counters * PLAN.days * 3
    # Same members, columns and keys as the real export, every sequence linked.
    real_members = [(m["name"], m["columns"], m["key"]) for m in _manifest(real[0])["members"]]
    for path in sorted(generated.glob("N0001-*.rdbatch")):
        manifest = _manifest(path)
        assert [(m["name"], m["columns"], m["key"]) for m in manifest["members"]] == real_members
        assert manifest["chain_head"]["id"] == _lines(path, "audit_event.jsonl")[-1]["id"]


def test_a_generated_row_changed_is_refused_by_the_evidence(hq: Hq, generated: Path,
                                                            tmp_path: Path) -> None:
    _trusting(hq)
    first, second = sorted(generated.glob("N0002-*.rdbatch"))[:2]
    assert hq.import_files([first])[0][0].status == "imported"

    def collected(lines: list[bytes]) -> list[bytes]:
        row = json.loads(lines[0])
        row["status"] = "collected"
        return [batch.json_line(row)[:-1], *lines[1:]]

    forged = forge_member(second, tmp_path / second.name, private_key(PLAN, "N0002"),
                          "ticket.jsonl", collected)
    outcome = hq.import_files([forged])[0][0]
    assert (outcome.status, outcome.check) == ("refused", "evidence")
    assert "ticket" in outcome.message
    # The file as generated still goes in.
    assert hq.import_files([second])[0][0].status == "imported"


def test_generation_is_deterministic(generated: Path, tmp_path: Path) -> None:
    write_month(PLAN, "N0001", tmp_path, tacs(PLAN))
    again = {p.name: p.read_bytes() for p in tmp_path.glob("*.rdbatch")}
    assert again == {p.name: p.read_bytes() for p in generated.glob("N0001-*.rdbatch")}
    assert len(again) == PLAN.days
    with zipfile.ZipFile(io.BytesIO(next(iter(again.values())))) as zf:
        assert zf.namelist()[0] == batch.MANIFEST
