"""Words a reader at the counter meets: lists that can be read back, prompts in their
language, help that folds as Chinese is set."""

from __future__ import annotations

from rich.cells import cell_len

from repairdesk.i18n import _
from repairdesk.printing.wrap import NO_BREAK_BEFORE, wrap
from repairdesk.vocabulary import vocabulary

LIST_SEPARATOR = "、"  # faults, accessories and exclusions are listed with it


def test_no_name_in_a_list_contains_the_list_separator() -> None:
    """"A、B" must read as two faults: a name holding 、 read as two."""
    names = {**{f"fault.{f}": f for f in vocabulary().faults},
             **{f"exclusion.{e}": e for e in vocabulary().exclusions},
             **{f"part.{p}": p for p in vocabulary().parts}}
    for key in names:
        assert LIST_SEPARATOR not in _(key, lang="zh"), key


def test_the_charger_fault_says_charger() -> None:
    assert _("fault.charger_fault", lang="zh").startswith("充电器")


def test_the_palette_prompt_is_translated() -> None:
    assert _("tui.palette_placeholder", lang="zh") != _("tui.palette_placeholder", lang="en")
    assert "命令" in _("tui.palette_placeholder", lang="zh")


def test_help_folds_without_starting_a_line_with_punctuation() -> None:
    text = _("tui.help.dayend", lang="zh")
    for width in range(20, 80):
        lines = wrap(text, width, cell_len)
        assert all(cell_len(line) <= width for line in lines)
        assert not any(line and line[0] in NO_BREAK_BEFORE for line in lines), width
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
