"""The table on the terminal and ``benchmarks/results.json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from benchmarks.figure import Figure


def _span(summary: dict[str, Any] | None, unit: str = "") -> str:
    if not summary:
        return "–"
    median, low, high = summary["median"], summary["min"], summary["max"]
    return f"{_num(median)}{unit} ({_num(low)}–{_num(high)})"


def _num(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _targets(figure: Figure) -> tuple[str, str]:
    said, verdicts = [], []
    for target in figure.targets:
        said.append(target.what)
        met = target.met
        if met is None:
            verdicts.append("n/a")
        elif met:
            verdicts.append("[green]met[/]")
        else:
            verdicts.append(f"[red]missed ×{target.margin:.2g}[/]")
    return "\n".join(said) or "–", "\n".join(verdicts) or "–"


def table(figures: list[Figure], header: str) -> Table:
    grid = Table(title=header, show_lines=True)
    for column in ("figure", "result: median (min–max)", "floor", "ratio", "target", "met"):
        grid.add_column(column)
    for figure in figures:
        target, met = _targets(figure)
        if not figure.available:
            grid.add_row(figure.title, escape(f"not available: {figure.note}"), "–", "–", target,
                         "n/a")
            continue
        unit = f" {figure.unit}"
        result = _span(figure.value, unit)
        for name, extra in figure.extra.items():
            if isinstance(extra, dict) and "median" in extra:
                result += f"\n{name}: {_span(extra)}"
            elif isinstance(extra, (int, float)) and not isinstance(extra, bool):
                result += f"\n{name}: {_num(extra)}"
        floor = f"{figure.floor_title}\n{_span(figure.floor, unit)}" if figure.floor_title \
            and figure.floor else (figure.floor_title or "–")
        ratio = _span(figure.ratio, "×")
        if figure.note:
            result += f"\n({figure.note})"
        grid.add_row(escape(figure.title), escape(result), escape(floor), escape(ratio),
                     escape(target), met)
    return grid


def show(figures: list[Figure], header: str) -> None:
    Console(width=160).print(table(figures, header))


def write(path: Path, figures: list[Figure], meta: dict[str, Any]) -> None:
    data = {**meta, "figures": [f.to_dict() for f in figures]}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
