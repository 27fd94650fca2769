"""``repairdesk intake --lines``: all of the documents or none (the bad line named), ``--each``
line by line with a report of each, and a ``ref`` per document that a rerun skips."""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path
from typing import Any

from ..conftest import INTAKE


def _line(description: str, **changes: Any) -> str:
    doc = copy.deepcopy(INTAKE)
    doc["description"] = description
    doc.update(changes)
    return json.dumps(doc, ensure_ascii=False)


def _tickets(path: Path) -> int:
    with sqlite3.connect(path) as raw:
        return raw.execute("select count(*) from ticket").fetchone()[0]


def test_a_bad_line_5001_stores_none_of_the_5000_before_it(cli, store_path: Path) -> None:
    assert cli("init", "--counter", "SH01", "--name", "徐汇网点").code == 0
    good = _line("屏幕闪烁")
    bad = _line("屏幕闪烁", device={**INTAKE["device"], "imei": "35-209900-176148-2"})
    result = cli("intake", "-", "--lines", "--allow-open", stdin="\n".join([good] * 5000 + [bad]))
    assert result.code == 2 and "line 5001: IMEI: " in result.err, result.err[-300:]
    assert result.out == "" and _tickets(store_path) == 0


def test_a_refusal_only_the_store_can_make_rolls_back_the_lines_before(
        cli, store_path: Path) -> None:
    assert cli("init", "--counter", "SH01", "--name", "徐汇网点").code == 0
    other_name = _line("无声", customer={"name": "李娜", "phone": INTAKE["customer"]["phone"]})
    result = cli("intake", "-", "--lines", "--allow-open",
                 stdin="\n".join([_line("黑屏"), _line("花屏"), other_name]))
    assert result.code == 2 and "line 3: Customer name: " in result.err, result.err
    assert _tickets(store_path) == 0
    fixed = other_name.replace('"李娜"', '"张伟"')
    result = cli("intake", "-", "--lines", "--allow-open",
                 stdin="\n".join([_line("黑屏"), _line("花屏"), fixed]))
    assert result.code == 0 and len(result.out.split()) == 3 and _tickets(store_path) == 3


def test_each_commits_line_by_line_and_says_which_landed(cli, store_path: Path) -> None:
    assert cli("init", "--counter", "SH01", "--name", "徐汇网点").code == 0
    lines = [_line("黑屏"), _line("花屏\x00"), "", _line("无声"), "{not json"]
    result = cli("intake", "-", "--lines", "--each", "--allow-open", stdin="\n".join(lines))
    assert result.code == 2
    assert len(result.out.split()) == 2 and _tickets(store_path) == 2
    assert "line 2: In the customer's words: " in result.err
    assert "line 5: Document: " in result.err and "stored: 2, skipped: 0, not stored: 2" in result.err
    scripted = cli("intake", "-", "--each", "--allow-open", "--json", stdin="\n".join(lines))
    outcomes = [json.loads(line) for line in scripted.out.splitlines()]
    assert [(o["line"], o["outcome"]) for o in outcomes] == [
        (1, "stored"), (2, "failed"), (4, "stored"), (5, "failed")]
    assert outcomes[1]["error"]["field"] == "description" and "ticket" in outcomes[0]


def test_a_rerun_skips_the_refs_that_landed(cli, store_path: Path) -> None:
    assert cli("init", "--counter", "SH01", "--name", "徐汇网点").code == 0
    lines = [_line("黑屏", ref="job-1"), _line("花屏", ref="job-2"),
             _line("无声\x1b[2J", ref="job-3")]
    first = cli("intake", "-", "--lines", "--each", "--allow-open", stdin="\n".join(lines))
    assert first.code == 2 and _tickets(store_path) == 2
    landed = first.out.split()
    lines[2] = _line("无声", ref="job-3")
    for each in ("--each", "--lines"):  # the corrected rerun, line by line or all at once
        rerun = cli("intake", "-", "--lines", each, "--allow-open", "--json",
                    stdin="\n".join(lines))
        assert rerun.code == 0, rerun.err
        outcomes = [json.loads(line) for line in rerun.out.splitlines()]
        assert [o["ticket"] for o in outcomes[:2]] == landed
        assert [o["outcome"] for o in outcomes[:2]] == ["skipped", "skipped"]
        assert _tickets(store_path) == 3
    text = cli("intake", "-", "--lines", "--allow-open", stdin="\n".join(lines))
    assert text.code == 0 and text.out == "" and "skipped, reference job-1" in text.err
    # One document whose ref landed already is refused, not taken in again.
    again = cli("intake", "-", "--allow-open", stdin=lines[0])
    assert again.code == 2 and f"job-1 was taken in already, as {landed[0]}" in again.err
    assert _tickets(store_path) == 3
