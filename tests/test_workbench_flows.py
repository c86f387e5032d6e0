"""The workbench's flows across screens, as the design lists them: home -> document -> code, excerpts
that jump back, in-vivo, and the other screens one key away."""

from __future__ import annotations

import asyncio

import pytest
from helpers_tui import settle
from textual.widgets import DataTable, Input

from qcode.analysis.retrieval import Filters, excerpts
from qcode.core import open_project
from qcode.core.undo import undo
from qcode.tui.app import QcodeApp
from qcode.tui.screens.analysis import AnalysisScreen
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.screens.excerpts import ExcerptsScreen
from qcode.tui.screens.export import ExportDialog
from qcode.tui.screens.home import HomeScreen
from qcode.tui.screens.query import QueryScreen
from qcode.tui.widgets.code_tree import CodeTree
from qcode.tui.widgets.document_view import DocumentView

DOCUMENT = "interview-iom-programme-officer.docx"


def test_home_then_a_document_then_code_then_back_home(demo):
    async def body():
        app = QcodeApp(demo, coder="tester")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot, rounds=3)
            assert isinstance(app.screen, HomeScreen)
            table = app.screen.query_one(DataTable)
            row = [str(table.get_row_at(i)[0]) for i in range(table.row_count)].index(DOCUMENT)
            table.move_cursor(row=row)
            table.focus()
            await pilot.press("enter")
            await settle(app, pilot, rounds=3)
            assert isinstance(app.screen, CodingScreen) and app.screen.document_name == DOCUMENT
            view = app.screen.query_one(DocumentView)
            view.move_to(view.text.index("R.: Our unit works") + 3)
            await pilot.press("V", "5")
            await settle(app, pilot, rounds=3)
            await pilot.press("escape")  # the selection goes first ...
            await pilot.pause()
            assert isinstance(app.screen, CodingScreen) and view.selection is None
            await pilot.press("escape")  # ... then back to the home, which counts the new coding
            await settle(app, pilot, rounds=3)
            assert isinstance(app.screen, HomeScreen)
            table = app.screen.query_one(DataTable)
            cells = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
            assert any(cells_row[0] == DOCUMENT and "13" in cells_row for cells_row in cells)
    asyncio.run(body())


def test_excerpts_of_the_code_in_the_tree_jump_to_the_place(demo):
    async def body():
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot, rounds=3)
            tree = app.screen.query_one(CodeTree)
            tree.focus()
            line = next(node.line for node in tree._tree_nodes.values() if node.data == "Role set/Coordinator")
            tree.cursor_line = line
            await pilot.pause()
            await pilot.press("e")
            await settle(app, pilot, rounds=3)
            assert isinstance(app.screen, ExcerptsScreen)
            with open_project(demo) as project:
                expected = excerpts(project, Filters(code="Role set/Coordinator"))
            vtt = next(e for e in expected if e.document.endswith(".vtt"))
            screen = app.screen
            screen.dismiss((vtt.document, vtt.start, vtt.end))
            await settle(app, pilot, rounds=3)
            assert isinstance(app.screen, CodingScreen) and app.screen.document_name == vtt.document
            view = app.screen.query_one(DocumentView)
            assert view.selection == (vtt.start, vtt.end)
    asyncio.run(body())


def test_in_vivo_names_a_code_from_the_selection_and_undo_takes_it_back(demo):
    async def body():
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot, rounds=3)
            view = app.screen.query_one(DocumentView)
            start = view.text.index("supporting partner")
            view.select(start, start + len("supporting partner"))
            await pilot.press("i")
            await pilot.pause()
            assert app.screen.query_one(Input).value == "supporting partner"
            await pilot.press("enter")
            await settle(app, pilot, rounds=3)
            assert isinstance(app.screen, CodingScreen)
            with open_project(demo) as project:
                mine = [(c.code, c.start, c.end) for c in project.codings.list(coder="tester")]
            assert mine == [("supporting partner", start, start + len("supporting partner"))]
            assert any(span.label == "supporting partner" for span in view.spans)
            assert any(code.path == "supporting partner" for code in app.screen.codes)
            await pilot.press("ctrl+z")
            await settle(app, pilot, rounds=3)
            with open_project(demo) as project:
                assert project.codings.list(coder="tester") == []
                assert "supporting partner" not in [c.path for c in project.codes.list()]
    asyncio.run(body())


@pytest.mark.parametrize("key, screen", [("ctrl+f", QueryScreen), ("ctrl+t", AnalysisScreen),
                                         ("ctrl+e", ExportDialog)])
def test_the_other_screens_are_one_key_away_and_escape_comes_back(demo, key, screen):
    async def body():
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot, rounds=3)
            await pilot.press(key)
            await settle(app, pilot, rounds=3)
            assert isinstance(app.screen, screen)
            await pilot.press("escape")
            await settle(app, pilot, rounds=3)
            assert isinstance(app.screen, CodingScreen)
    asyncio.run(body())


def test_undo_after_a_restart_and_the_code_tree_counts(demo):
    async def body():
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot, rounds=3)
            view = app.screen.query_one(DocumentView)
            view.select(0, 10)
            await pilot.press("5")
            await settle(app, pilot, rounds=3)
            coordinator = next(c for c in app.screen.codes if c.path == "Role set/Coordinator")
            with open_project(demo) as project:
                in_project = len(project.codings.list(code="Role set/Coordinator"))
            assert coordinator.total == in_project == 7  # the demo's six and this one
    asyncio.run(body())
    with open_project(demo, coder="tester") as project:
        assert undo(project).kind == "code"
        assert project.codings.list(coder="tester") == []


def test_memos_on_a_coding_and_on_the_document_are_saved_without_a_save(demo):
    from textual.widgets import TextArea

    async def body():
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(130, 36)) as pilot:
            await settle(app, pilot, rounds=3)
            view = app.screen.query_one(DocumentView)
            start = 700  # inside the demo's Supporting role coding (657-743)
            view.select(start, start + 18)
            await pilot.press("5")
            await settle(app, pilot, rounds=3)
            view.move_to(start + 3)  # inside the new coding and the demo's
            await pilot.press("m")
            await pilot.pause()
            assert type(app.screen).__name__ == "CodingChooser"
            await pilot.press("enter")  # the chooser puts your own coding first
            await settle(app, pilot, rounds=3)
            assert type(app.screen).__name__ == "MemoEditor"
            await pilot.press(*"IOM calls itself a partner")
            await pilot.press("escape")  # leaving saves
            await settle(app, pilot, rounds=3)
            assert isinstance(app.screen, CodingScreen)
            with open_project(demo) as project:
                coding = project.codings.list(coder="tester")[0]
                assert (coding.code, coding.memo) == ("Role set/Coordinator", "IOM calls itself a partner")
            assert "memo: IOM calls itself a partner" in str(app.screen.query_one("#rules").render())
            await pilot.press("M")
            await settle(app, pilot, rounds=3)
            app.screen.query_one(TextArea).insert("Read twice; the turn at ¶4 matters.")
            await pilot.press("escape")
            await settle(app, pilot, rounds=3)
            with open_project(demo) as project:
                memos = project.memos.list(kind="document", target=DOCUMENT)
                assert [m.text for m in memos] == ["Read twice; the turn at ¶4 matters."]
            await pilot.press("ctrl+z")  # the memo, in one step
            await settle(app, pilot, rounds=3)
            with open_project(demo) as project:
                assert project.memos.list(kind="document", target=DOCUMENT) == []
    asyncio.run(body())


def test_the_home_palette_opens_excerpts_that_jump_into_a_document_and_a_memo_from_the_memos_tab(demo):
    async def body():
        app = QcodeApp(demo, coder="tester")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot, rounds=3)
            home = app.screen
            commands = {title: run for title, _, run in home.palette_commands()}
            assert "Import files …" in commands and f"Go to document: {DOCUMENT}" in commands
            commands["Excerpts of: Role set/Coordinator"]()
            await settle(app, pilot, rounds=3)
            assert isinstance(app.screen, ExcerptsScreen)
            with open_project(demo) as project:
                first = excerpts(project, Filters(code="Role set/Coordinator"))[0]
            app.screen.dismiss((first.document, first.start, first.end))
            await settle(app, pilot, rounds=3)
            assert isinstance(app.screen, CodingScreen) and app.screen.document_name == first.document
            assert app.screen.query_one(DocumentView).selection == (first.start, first.end)
            await pilot.press("escape", "escape")
            await settle(app, pilot, rounds=3)
            assert isinstance(app.screen, HomeScreen)
            await pilot.press("m")  # the memos tab: the demo's newest memo opens in the editor
            await settle(app, pilot, rounds=3)
            await pilot.press("enter")
            await settle(app, pilot, rounds=3)
            assert type(app.screen).__name__ == "MemoEditor"
            assert app.screen.query_one("TextArea").text.strip()
    asyncio.run(body())


def test_opened_at_a_document_escape_still_finds_the_home(demo):
    async def body():
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot, rounds=3)
            assert isinstance(app.screen, CodingScreen)
            await pilot.press("escape")
            await settle(app, pilot, rounds=3)
            assert isinstance(app.screen, HomeScreen)
            await pilot.press("enter")
            await settle(app, pilot, rounds=3)
            assert isinstance(app.screen, CodingScreen)
            await pilot.press("q")
            await pilot.pause()
        assert not app.is_running
    asyncio.run(body())
