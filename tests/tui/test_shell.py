"""The app's shell: board, F1 help, the command palette, remapped keys, the language."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import DataTable, Footer, Static

from repairdesk.desk import Desk
from repairdesk.i18n import _, set_language
from screens.app import RepairDeskApp
from screens.board import BoardScreen
from screens.commands import REGISTRY
from screens.dialogs import HelpScreen
from screens.intake import IntakeScreen
from screens.lookup import LookupScreen
from tests.tui.conftest import settle


def footer_labels(app) -> set[str]:
    return {b.binding.description for b in app.screen.active_bindings.values()
            if b.binding.show}


async def test_board_shows_counter_and_todays_tickets(desk: Desk, intake_doc: dict) -> None:
    number = desk.tickets.intake(intake_doc).ticket
    app = RepairDeskApp(desk)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert app.title == "徐汇网点" and app.sub_title == "SH01"
        table = app.screen.query_one("#board-table", DataTable)
        assert table.get_row(number)[0].plain == number
        assert table.get_row("group:received")[0].plain == "received (1)"
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys", Static).render())
        assert "F5  Refresh" in keys and "F3  New intake" in keys and "Enter  Open ticket" in keys
        await pilot.press("f1")
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_board_in_chinese_labels_chosen_at_run_time(desk: Desk, intake_doc: dict) -> None:
    # The screens' classes were defined (and their bindings read) in English long before.
    set_language("zh")
    number = desk.tickets.intake(intake_doc).ticket
    app = RepairDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        row = app.screen.query_one("#board-table", DataTable).get_row(number)
        assert "张伟 138****8000" in [str(cell) for cell in row]
        assert {"刷新", "帮助", "工单板", "新建受理", "查询"} <= footer_labels(app)
        assert app.screen.query_one(Footer)
        await pilot.press("f1")
        keys = str(app.screen.query_one("#help-keys", Static).render())
        assert "F5  刷新" in keys and "Ctrl+Q  退出" in keys
        folded = str(app.screen.query_one("#help-about").render())  # folded to the dialog
        assert _("tui.help.board") in folded.replace("\n", "")


async def test_workspaces_have_function_keys(desk: Desk) -> None:
    app = RepairDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        assert isinstance(app.screen, IntakeScreen)
        await pilot.press("f4")
        assert isinstance(app.screen, LookupScreen)
        await pilot.press("f2")
        assert isinstance(app.screen, BoardScreen)


async def test_keys_are_remapped_from_the_settings_keymap(desk: Desk) -> None:
    app = RepairDeskApp(desk, keymap={"intake": "f9", "save-intake": "ctrl+w"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("f9")
        assert isinstance(app.screen, IntakeScreen)
        await pilot.press("f1")
        keys = str(app.screen.query_one("#help-keys", Static).render())
        assert "Ctrl+W  Save intake" in keys and "F9  New intake" in keys


async def test_the_command_palette_offers_every_action_by_category(desk: Desk) -> None:
    set_language("zh")
    app = RepairDeskApp(desk)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "工单：新建受理" in titles and "工单：保存受理" in titles
        assert "视图：工单板" in titles and "应用：退出" in titles
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"工单板", "enter")  # pick it by name
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)


def test_every_command_has_a_label_in_both_languages() -> None:
    import screens.checklist  # noqa: F401  (screens pushed later register their commands)
    import screens.ticket  # noqa: F401

    for command in REGISTRY.values():
        for lang in ("en", "zh"):
            set_language(lang)
            assert command.label != f"tui.cmd.{command.id}", (lang, command.id)
            assert _(f"tui.category.{command.category}") != f"tui.category.{command.category}"


async def test_a_name_that_looks_like_markup_is_shown_as_typed(desk: Desk,
                                                                intake_doc: dict) -> None:
    intake_doc["customer"]["name"] = "[/b]王[red]五"
    number = desk.tickets.intake(intake_doc).ticket
    app = RepairDeskApp(desk)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        row = app.screen.query_one("#board-table", DataTable).get_row(number)
        assert "[/b]王[red]五 138****8000" in [str(cell) for cell in row]
        await pilot.press("ctrl+q")
    assert app.return_code == 0
