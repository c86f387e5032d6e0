"""The project home and the import dialog, driven as a researcher would, checked against the database."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from helpers_tui import settle
from textual.app import App
from textual.widgets import (
    DataTable,
    Input,
    ProgressBar,
    RichLog,
    Static,
    TabbedContent,
    Tree,
)

from qcode.core import create_project, open_project
from qcode.tui.data import home as home_data
from qcode.tui.screens.home import HomeScreen
from qcode.tui.screens.import_files import ImportDialog

JUNK_PDF = bytes(range(256)) * 8  # no %PDF header: refused


class Host(App):
    """A bare app that shows the home screen and records the documents asked for."""

    def __init__(self, project: Path):
        super().__init__()
        self.project = project
        self.opened: list[str] = []
        self.dismissed: list[int] = []

    def on_mount(self) -> None:
        self.push_screen(HomeScreen(self.project, "tester"))

    def on_home_screen_open_document(self, message: HomeScreen.OpenDocument) -> None:
        self.opened.append(message.name)


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "notes.txt").write_text("Field notes from Kupang.\nA second line.\n", encoding="utf-8")
    (folder / "summary.md").write_text("# Summary\n\nThe task force met twice.\n", encoding="utf-8")
    (folder / "scan.pdf").write_bytes(JUNK_PDF)
    (folder / "ignored.xyz").write_text("not a type qcode reads", encoding="utf-8")
    return folder


def cell_texts(table: DataTable, key: str) -> list[str]:
    return [cell.plain for cell in table.get_row(key)]


def log_lines(dialog: ImportDialog) -> list[str]:
    return [strip.text.rstrip() for strip in dialog.query_one(RichLog).lines]


def found_line(dialog: ImportDialog) -> str:
    return str(dialog.query_one("#found", Static).render())


async def open_dialog(app, pilot, path: Path, case: str = "") -> ImportDialog:
    await pilot.press("i")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, ImportDialog)
    dialog.query_one("#path", Input).value = str(path)
    dialog.query_one("#case", Input).value = case
    dialog.query_one("#path", Input).focus()
    return dialog


# --- the home screen ------------------------------------------------------------------------------


def test_home_shows_the_demo_documents_with_cases_and_codings(demo):
    asyncio.run(_home_shows_the_demo(demo))


async def _home_shows_the_demo(demo):
    with open_project(demo) as project:
        expected = {d.name: d for d in project.documents.list()}
        summary = project.summary()
        memos = len(project.memos.list())
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        table = screen.query_one("#document-table", DataTable)
        assert table.row_count == len(expected) == 9
        for name, doc in expected.items():
            cells = cell_texts(table, name)
            assert cells[0] == name
            assert cells[1] == ", ".join(doc.cases)
            assert int(cells[2]) == doc.codings
            assert cells[3] == f"{doc.characters:,}"
        assert cell_texts(table, "interview-iom-programme-officer.docx")[5].startswith("date=2019-03-12")
        line = str(screen.query_one("#summary", Static).render())
        assert f"{summary['documents']} documents" in line and f"{summary['codings']} codings" in line
        assert f"{summary['cases']} cases" in line and "coder tester" in line
        cases = screen.query_one("#case-table", DataTable)
        assert cases.row_count == 5 and cell_texts(cases, "IOM Indonesia")[1] == "2"
        # the codebook: every code with its count, the count of a parent including its children
        labels = {}
        for node in _nodes(screen.query_one("#code-tree", Tree).root):
            labels[node.data] = node.label.plain
        for code in home_data.codes(demo):
            assert labels[code.path].startswith(f"■ {code.name}  {code.total}")
        assert labels["Role set"].startswith("■ Role set  22")
        memo_table = screen.query_one("#memo-table", DataTable)
        assert memo_table.row_count == min(memos, 10)
        assert cell_texts(memo_table, "0")[:3] == ["project", "", "About this demo"]  # the newest first


def _nodes(node):
    for child in node.children:
        yield child
        yield from _nodes(child)


def test_enter_on_a_document_asks_to_open_it(demo):
    asyncio.run(_enter_opens(demo))


async def _enter_opens(demo):
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.opened == ["wawancara-gugus-tugas-ntt.txt"]
        # the filter narrows the list; enter opens the one left
        await pilot.press("slash", *"bp2mi", "enter")
        await pilot.pause()
        assert screen_rows(app) == ["wawancara-bp2mi.odt"]
        await pilot.press("enter")
        await pilot.pause()
        assert app.opened[-1] == "wawancara-bp2mi.odt"
        await pilot.press("slash", "escape")  # escape clears the filter
        await pilot.pause()
        assert len(screen_rows(app)) == 9
        await pilot.press("slash", *"language=id", "enter")  # attributes are searched too
        await pilot.pause()
        assert len(screen_rows(app)) == 4
        await pilot.press("k")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "codebook"
        assert app.focused is app.screen.query_one("#code-tree", Tree)


def screen_rows(app) -> list[str]:
    table = app.screen.query_one("#document-table", DataTable)
    return [row.key.value for row in table.ordered_rows]


def test_an_empty_project_says_how_to_import(tmp_path):
    asyncio.run(_empty(tmp_path / "empty.qcode"))


async def _empty(path):
    create_project(path).close()
    app = Host(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        hint = app.screen.query_one("#hint", Static)
        assert hint.display and "Press i to import" in str(hint.render()) and "qcode import" in str(hint.render())
        assert not app.screen.query_one("#document-table").display
        assert "0 documents" in str(app.screen.query_one("#summary", Static).render())


# --- importing ------------------------------------------------------------------------------------


def test_import_a_folder_reports_each_file_and_the_home_reloads(demo, folder):
    asyncio.run(_import_folder(demo, folder))


async def _import_folder(demo, folder):
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        dialog = await open_dialog(app, pilot, folder, case="Kupang visit")
        await pilot.press("enter")  # lists
        await settle(app, pilot)
        assert found_line(dialog).startswith("3 files to import")
        assert log_lines(dialog) == ["  notes.txt", "  scan.pdf", "  summary.md"]  # not ignored.xyz
        await pilot.press("enter")  # imports
        await settle(app, pilot)
        lines = log_lines(dialog)
        assert lines[0].startswith("notes.txt: imported as notes.txt (")
        assert lines[1] == "scan.pdf: refused: not a PDF file (no %PDF header)"
        assert lines[2].startswith("summary.md: imported as summary.md (")
        bar = dialog.query_one(ProgressBar)
        assert bar.total == 3 and bar.progress == 3
        assert found_line(dialog) == "Done, 3 files: imported 2, already there 0, refused 1."
        with open_project(demo) as project:
            docs = {d.name: d for d in project.documents.list()}
        assert len(docs) == 11 and "scan.pdf" not in docs
        assert docs["notes.txt"].cases == ("Kupang visit",) == docs["summary.md"].cases
        # a second import of the same folder finds the files already there
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "notes.txt: already there, as notes.txt" in log_lines(dialog)
        assert found_line(dialog) == "Done, 3 files: imported 0, already there 2, refused 1."
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#document-table", DataTable).row_count == 11
        assert cell_texts(app.screen.query_one("#document-table", DataTable), "notes.txt")[1] == "Kupang visit"


def test_the_dialog_dismisses_with_the_number_imported(demo, folder):
    asyncio.run(_dismiss_count(demo, folder))


async def _dismiss_count(demo, folder):
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        dialog = ImportDialog(demo, "tester")
        app.push_screen(dialog, app.dismissed.append)
        await pilot.pause()
        dialog.query_one("#path", Input).value = str(folder / "*.txt")  # a glob
        await pilot.click("#import")  # lists, then imports
        await settle(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.dismissed == [1]
        with open_project(demo) as project:
            assert project.codings.list(document="notes.txt") == []
            assert project.documents.get("notes.txt").format == "txt"


def test_cancel_stops_between_files_and_keeps_what_is_done(demo, folder, monkeypatch):
    first_done, go_on = threading.Event(), threading.Event()
    real = home_data.import_one

    def slow_import(*args, **kwargs):
        outcome = real(*args, **kwargs)
        first_done.set()
        go_on.wait(10)
        return outcome

    monkeypatch.setattr(home_data, "import_one", slow_import)
    asyncio.run(_cancel(demo, folder, first_done, go_on))


async def _cancel(demo, folder, first_done, go_on):
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        dialog = await open_dialog(app, pilot, folder)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("enter")
        assert await asyncio.to_thread(first_done.wait, 10)
        await pilot.press("escape")  # while the first file is being imported: stop after it
        assert app.screen is dialog
        go_on.set()
        await settle(app, pilot)
        assert found_line(dialog) == "Cancelled after 1 of 3 files: imported 1, already there 0, refused 0."
        assert dialog.query_one(ProgressBar).progress == 1
        with open_project(demo) as project:
            assert [d.name for d in project.documents.list()][9:] == ["notes.txt"]
        await pilot.press("escape")  # now it closes
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#document-table", DataTable).row_count == 10


def test_file_names_are_shown_literally(demo, tmp_path):
    asyncio.run(_literal(demo, tmp_path))


async def _literal(demo, tmp_path):
    folder = tmp_path / "odd"
    (folder / "[b]x[").mkdir(parents=True)  # a name cannot hold "/": the file [b]x[/b].txt is b].txt in [b]x[
    (folder / "[b]x[" / "b].txt").write_text("bold?\n", encoding="utf-8")
    (folder / "[b]y[b].txt").write_text("bold too?\n", encoding="utf-8")
    (folder / "[@click=app.quit]q.txt").write_text("quit?\n", encoding="utf-8")
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        dialog = await open_dialog(app, pilot, folder)
        await pilot.click("#recursive")
        await pilot.click("#list")
        await settle(app, pilot)
        assert found_line(dialog).startswith("3 files to import")
        assert log_lines(dialog) == ["  [@click=app.quit]q.txt", "  [b]x[/b].txt", "  [b]y[b].txt"]
        await pilot.click("#import")
        await settle(app, pilot)
        assert log_lines(dialog)[2].startswith("[b]y[b].txt: imported as [b]y[b].txt (")
        await pilot.press("escape")
        await settle(app, pilot)
        table = app.screen.query_one("#document-table", DataTable)
        assert cell_texts(table, "[b]y[b].txt")[0] == "[b]y[b].txt"
        assert cell_texts(table, "[@click=app.quit]q.txt")[0] == "[@click=app.quit]q.txt"
        assert app.is_running


# --- listing --------------------------------------------------------------------------------------


def names(files: list[Path]) -> list[str]:
    return [f.name for f in files]


def test_listing_a_file_a_folder_a_glob_and_a_home_path(folder, tmp_path, monkeypatch):
    sub = folder / "deeper"
    sub.mkdir()
    (sub / "more.txt").write_text("more\n", encoding="utf-8")
    assert names(home_data.importable_files(str(folder))) == ["notes.txt", "scan.pdf", "summary.md"]
    assert names(home_data.importable_files(str(folder), recursive=True)) == [
        "more.txt", "notes.txt", "scan.pdf", "summary.md"]
    assert names(home_data.importable_files(str(folder / "*.md"))) == ["summary.md"]
    assert names(home_data.importable_files(str(folder / "ignored.xyz"))) == ["ignored.xyz"]  # refused later
    assert home_data.importable_files(str(folder / "absent.txt")) == []
    assert names(home_data.importable_files(f"'{folder / 'notes.txt'}' ")) == ["notes.txt"]  # dropped on the terminal
    monkeypatch.setenv("HOME", str(tmp_path))
    assert names(home_data.importable_files("~/incoming/*.txt")) == ["notes.txt"]
    assert names(home_data.importable_files("~/incoming")) == ["notes.txt", "scan.pdf", "summary.md"]
