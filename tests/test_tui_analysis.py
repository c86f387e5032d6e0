"""The analysis screen shows the numbers qcode.analysis.stats computes, saves them as CSV, and draws names literally."""

from __future__ import annotations

import asyncio
import io
import threading

from helpers_tui import settle
from rich.console import Console
from textual.app import App
from textual.widgets import DataTable, Input, Select, Static, TabbedContent

from qcode.analysis import stats
from qcode.core import open_project
from qcode.tui.data import analysis as analysis_data
from qcode.tui.screens.analysis import COMPUTING, AnalysisScreen, MatrixView, SaveTable

CODE = "Role set/Coordinator"


class Host(App):
    def __init__(self, project):
        super().__init__()
        self.project = project

    def on_mount(self) -> None:
        self.push_screen(AnalysisScreen(self.project))


def screen_text(app) -> str:
    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(), record=True,
                      color_system=None, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()


def plain_row(table: DataTable, key: str) -> list[str]:
    return [cell.plain if hasattr(cell, "plain") else str(cell) for cell in table.get_row(key)]


def plain_grid(table: DataTable) -> list[list[str]]:
    header = [column.label.plain for column in table.ordered_columns]
    return [header] + [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


def as_strings(grid) -> list[list[str]]:
    return [[f"{v:,}" if isinstance(v, int) else str(v) for v in row] for row in grid]


def test_frequencies_cooccurrence_and_case_matrix_equal_the_library(demo):
    asyncio.run(_three_tabs(demo))


async def _three_tabs(demo):
    with open_project(demo) as project:
        frequency = next(f for f in stats.frequencies(project) if f.code == CODE)
        cooccurrence = stats.cooccurrence(project)
        by_case = stats.matrix(project, "case")
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AnalysisScreen)
        table = screen.query_one("#frequencies-table", DataTable)
        assert plain_row(table, CODE) == ["  Coordinator", str(frequency.codings), str(frequency.documents),
                                          str(frequency.cases), str(frequency.words), str(frequency.total_codings)]
        assert plain_row(table, CODE)[1:5] == ["6", "5", "3", "133"]  # the demo's numbers, as qcode stats prints
        chart = screen.query_one("#frequencies-chart", Static).content
        assert [line.plain.split()[-1] for line in chart.lines(60) if "Coordinator" in line.plain] == ["6"]
        assert "Coordinator" in screen_text(app)  # readable at 80x24

        await pilot.press("o")
        await settle(app, pilot)
        assert screen.query_one(TabbedContent).active == "cooccurrence"
        view = screen.query_one("#cooccurrence-view", MatrixView)
        grid = plain_grid(view.query_one(DataTable))
        column = grid[0].index("Role set/Role conflict")
        row = next(r for r in grid if r[0] == CODE)
        assert row[column] == str(cooccurrence.cell(CODE, "Role set/Role conflict"))
        assert grid == as_strings(cooccurrence.grid())
        heat = view.query_one(".heatmap", Static).content
        assert heat.cells == cooccurrence.cells
        assert "Role of IO/Instrument" in screen_text(app)  # the heat map's rows, at 80x24

        await pilot.press("m")
        await settle(app, pilot)
        assert screen.query_one(TabbedContent).active == "matrix"
        assert plain_grid(screen.query_one("#matrix-view", MatrixView).query_one(DataTable)) == as_strings(by_case.grid())
        assert "Codes by case: codings" in screen_text(app)


def test_matrix_by_an_attribute_from_the_select_and_by_documents(demo):
    asyncio.run(_matrix_by_attribute(demo))


async def _matrix_by_attribute(demo):
    with open_project(demo) as project:
        by_organisation = stats.matrix(project, "organisation")
        documents = stats.matrix(project, "organisation", measure="documents")
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("m")
        select = screen.query_one("#matrix-by", Select)
        offered = [value for _, value in select._options]
        assert offered == ["case", "date", "kind", "language", "organisation", "province", "role", "type"]
        select.value = "organisation"
        await settle(app, pilot)
        table = screen.query_one("#matrix-view", MatrixView).query_one(DataTable)
        assert plain_grid(table) == as_strings(by_organisation.grid())
        assert plain_row(table, CODE)[1:] == ["0", "1", "1", "1", "0", "3", "6"]
        screen.query_one("#matrix-measure", Select).value = "documents"
        await settle(app, pilot)
        assert plain_grid(table) == as_strings(documents.grid())
        assert screen.matrix.title == "Codes by organisation: documents"


def test_computing_is_shown_until_the_numbers_arrive(demo, monkeypatch):
    asyncio.run(_computing(demo, monkeypatch))


async def _computing(demo, monkeypatch):
    release = threading.Event()
    real = analysis_data.frequencies

    def slow(path, filters=analysis_data.EVERY_CODING):
        release.wait(10)
        return real(path, filters)

    monkeypatch.setattr(analysis_data, "frequencies", slow)
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        status = app.screen.query_one("#frequencies-status", Static)
        assert status.content.plain == COMPUTING
        await pilot.press("s")  # nothing to save yet
        await pilot.pause()
        assert not isinstance(app.screen, SaveTable)
        assert any("no table to save yet" in n.message for n in app._notifications)
        release.set()
        await settle(app, pilot)
        assert status.content.plain.startswith("34 codes, 27 with codings; 67 codings")


def test_save_the_table_in_view_as_csv_atomically_and_only_replace_when_confirmed(demo):
    asyncio.run(_save_csv(demo))


async def _save_csv(demo):
    out = demo.parent / "organisation.csv"
    out.write_text("keep me", encoding="utf-8")
    with open_project(demo) as project:
        expected = stats.matrix(project, "organisation").to_csv()
        frequencies = analysis_data.frequency_matrix(stats.frequencies(project)).to_csv()
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SaveTable)
        path = app.screen.query_one(Input)
        assert path.value == str(demo.parent / "demo-frequencies.csv")
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, SaveTable)
        written = (demo.parent / "demo-frequencies.csv").read_bytes()
        assert written.startswith(b"\xef\xbb\xbf")  # a byte-order mark, as the CSV export: Excel reads UTF-8
        assert written.decode("utf-8-sig") == frequencies

        await pilot.press("m")
        app.screen.query_one("#matrix-by", Select).value = "organisation"
        await settle(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SaveTable)
        assert dialog.query_one(Input).value == str(demo.parent / "demo-by-organisation-codings.csv")
        dialog.query_one(Input).value = str(demo.parent / "no-such-folder" / "x.csv")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "does not exist" in dialog.query_one("#save-error", Static).content.plain
        assert app.screen is dialog
        dialog.query_one(Input).value = str(out)
        await pilot.press("enter")
        await settle(app, pilot)
        assert dialog.query_one("#save-error", Static).content.plain == "organisation.csv exists: press enter again to replace it"
        assert out.read_text(encoding="utf-8") == "keep me"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is not dialog
    assert out.read_bytes().decode("utf-8-sig") == expected
    assert sorted(p.name for p in demo.parent.iterdir() if p.name.startswith(".")) == []  # no temporary left


def test_markup_in_names_and_values_is_shown_literally(demo):
    with open_project(demo, coder="tester") as project:
        project.code_editor.rename(CODE, "[bold]Coord[@click=app.quit]")
        case = project.cases.list()[0].name
        project.attributes.set("case", case, "organisation", "[b]org[/b]")
    asyncio.run(_markup(demo))


async def _markup(demo):
    app = Host(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        table = screen.query_one("#frequencies-table", DataTable)
        assert plain_row(table, "Role set/[bold]Coord[@click=app.quit]")[0] == "  [bold]Coord[@click=app.quit]"
        assert "[bold]Coord[@click=app.quit]" in screen_text(app)
        await pilot.press("m")
        screen.query_one("#matrix-by", Select).value = "organisation"
        await settle(app, pilot)
        grid = plain_grid(screen.query_one("#matrix-view", MatrixView).query_one(DataTable))
        assert "[b]org[/b]" in grid[0]
        assert "[b]org[/b]" in screen_text(app)
        assert app.is_running


def test_a_file_that_is_not_a_project_is_one_error_line(tmp_path):
    bad = tmp_path / "bad.qcode"
    bad.write_bytes(b"not a database at all" * 100)
    asyncio.run(_bad_project(bad))


async def _bad_project(bad):
    app = Host(bad)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        status = app.screen.query_one("#frequencies-status", Static).content.plain
        assert status and status != COMPUTING
        assert any(n.severity == "error" for n in app._notifications)
        assert app.is_running


def test_narrow_counts_only_the_chosen_codings_in_every_tab(demo):
    asyncio.run(_narrow(demo))


async def _narrow(demo):
    from qcode.analysis.retrieval import Filters
    from qcode.tui.screens.narrow import NarrowDialog

    with open_project(demo) as project:
        narrowed = next(f for f in stats.frequencies(project, Filters(where=(("organisation", "IOM"),)))
                        if f.code == CODE)
        everything = next(f for f in stats.frequencies(project) if f.code == CODE)
        cooccurrence = stats.cooccurrence(project, filters=Filters(where=(("organisation", "IOM"),)))
        by_case = stats.matrix(project, "case", Filters(where=(("organisation", "IOM"),)))
    assert narrowed.codings < everything.codings
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert "counting all codings" in str(screen.query_one("#analysis-filters", Static).render())
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NarrowDialog)
        await pilot.press("down", "down")  # down and up move between the fields
        assert dialog.focused is dialog.query_one("#narrow-where", Input)
        dialog.query_one("#narrow-where", Input).value = "organisation"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and "where: give attribute=value, not 'organisation'" in dialog.error
        dialog.query_one("#narrow-where", Input).value = " organisation = IOM "
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen and screen.filters == Filters(where=(("organisation", "IOM"),))
        assert "where organisation = IOM" in str(screen.query_one("#analysis-filters", Static).render())
        table = screen.query_one("#frequencies-table", DataTable)
        assert plain_row(table, CODE)[1] == str(narrowed.codings)
        assert screen.cooccurrence.cells == cooccurrence.cells
        assert screen.matrix.cells == by_case.cells
        # the dialog shows the filters in force; ctrl+r counts everything again
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#narrow-where", Input).value == "organisation=IOM"
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert screen.filters == Filters()
        assert plain_row(table, CODE)[1] == str(everything.codings)
        # an unknown case is said on the tabs, not raised
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#narrow-cases", Input).value = "Nobody"
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Nobody" in str(screen.query_one("#frequencies-status", Static).render())
        assert table.row_count == 0 and screen.frequencies is None  # no numbers beside the message
        assert screen.matrix is None and screen.cooccurrence is None
