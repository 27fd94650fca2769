"""``make bench`` cannot rot: the benchmark runs end to end on a toy store (no timing is
asserted; speed is what ``python -m benchmarks`` reports, not what a test checks)."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.run import main


def test_the_benchmark_builds_its_store_measures_and_writes_results(
    tmp_path: Path, capsys: object
) -> None:
    results = tmp_path / "results.json"
    main(["--tickets", "300", "--runs", "1", "--only", "imei_lookup,export",
          "--cache", str(tmp_path / "cache"), "--results", str(results)])
    data = json.loads(results.read_text(encoding="utf-8"))
    assert data["tickets"] == 300
    assert data["store"]["customers"] > 0 and data["store"]["moves"] > 300
    figures = {f["key"]: f for f in data["figures"]}
    assert figures["imei_lookup"]["value"]["runs"] == 1
    assert figures["imei_lookup"]["floor"]["median"] > 0
    export = figures["export"]
    assert not export["available"] or export["extra"]["rows"]["median"] > 0
