"""Folding for the terminal keeps Chinese punctuation with its text and bullets hanging."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text

from repairdesk.printing.wrap import NO_BREAK_BEFORE
from screens.widgets.folded import fold

REASON = " • 缺少2027年的节假日安排数据：最后一天仅按周末判断，请对照国务院节假日通知核实。"


def test_a_bulleted_reason_hangs_under_its_text_and_no_line_starts_with_punctuation() -> None:
    for width in range(16, 60):
        lines = fold(Text(REASON, style="dim"), width).plain.split("\n")
        assert lines[0].startswith(" • 缺")  # the bullet keeps its text on its line
        assert all(line.startswith("   ") for line in lines[1:])
        assert all(cell_len(line) <= width for line in lines)
        assert not any(line.strip()[:1] in NO_BREAK_BEFORE for line in lines if line.strip())
        assert "".join(line.strip().lstrip("• ") for line in lines) == REASON.strip()[2:]


def test_styles_survive_folding() -> None:
    text = Text("不属三包：")
    text.append("收费修理收费修理收费修理", style="bold red")
    folded = fold(text, 12)
    assert any(span.style == "bold red" for span in folded.spans)


@given(st.text(alphabet="三包维修，。、（）0123456789 abc", min_size=0, max_size=80),
       st.integers(min_value=8, max_value=40))
def test_folding_never_loses_a_character(text: str, width: int) -> None:
    folded = fold(text, width).plain
    assert folded.replace("\n", "").replace(" ", "") == text.replace(" ", "")
