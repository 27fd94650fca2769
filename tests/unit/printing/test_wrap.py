"""Line breaking: never wider than the line, never through a number, nothing lost."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from repairdesk.printing.wrap import char_columns, chunks, columns, wrap

NUMBER = re.compile(r"[0-9A-Z][0-9A-Z*\-.:]*[0-9]")

numbers = st.one_of(
    st.just("SH01-20261121-0001"), st.just("352099001761481"), st.just("138****8000"),
    st.just("2026-11-21"), st.just("10:30"), st.from_regex(r"[0-9]{1,12}", fullmatch=True),
)
words = st.one_of(
    numbers.map(lambda n: f" {n} "),  # a number written as a number: not glued to a word
    st.sampled_from(["屏幕", "闪烁", "黑屏", "，", "。", "（", "）", "、", "第十一条", "Screen",
                     "flickers", "“无SIM卡”", "·", "—", "欧阳翀喆", "88 号"]),
)
texts = st.lists(st.tuples(words, st.booleans()), max_size=40).map(
    lambda parts: "".join(w + (" " if space else "") for w, space in parts))


@settings(max_examples=300, deadline=None)
@given(texts, st.sampled_from([32, 48, 20]))
def test_lines_fit_and_numbers_stay_whole(text: str, width: int) -> None:
    lines = wrap(text, width)
    for line in lines:
        assert cell_len(line) <= width
        assert columns(line) <= width
    whole = set(NUMBER.findall(text))
    for number in whole:
        if columns(number) <= width:
            assert any(number in line for line in lines), (number, lines)
    # nothing is lost but spaces
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_chinese_breaks_between_characters_and_keeps_punctuation() -> None:
    lines = wrap("在三包期内：可退货、换货、免费修理（第十一条）。", 20)
    assert lines == ["在三包期内：可退货、", "换货、免费修理", "（第十一条）。"]
    assert not any(line.startswith(("，", "。", "）", "、")) for line in lines)


def test_a_unit_stays_with_its_number() -> None:
    assert chunks("路 88 号")[1] == (True, "88 号")
    assert wrap("上海市徐汇区漕溪北路 88 号", 22) == ["上海市徐汇区漕溪北路", "88 号"]


def test_a_number_longer_than_the_line_splits_at_its_separators() -> None:
    assert wrap("SH01-20261121-0001", 12) == ["SH01-", "20261121-", "0001"]


def test_printer_columns_count_gb18030_double_bytes_as_two() -> None:
    # A thermal printer prints · — “ double-wide; terminals often show them narrow.
    assert [char_columns(c) for c in "A·—“张"] == [1, 2, 2, 2, 2]
    assert columns("138****8000") == 11
