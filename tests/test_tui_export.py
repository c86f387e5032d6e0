"""The export dialog writes complete files or none, reports progress, and refuses what it cannot do in one line."""

from __future__ import annotations

import asyncio
import csv
import io

from docx import Document
from helpers_tui import Host, settle
from textual.widgets import Checkbox, Input, ProgressBar, Select, Static

import qcode.export.word
from qcode.analysis.retrieval import Filters, excerpts
from qcode.core import QcodeError, open_project
from qcode.tui.screens.export import ExportDialog

CODE = "Role set/Coordinator"
def error_line(dialog) -> str:
    return dialog.query_one("#export-error", Static).content.plain


def leftovers(folder) -> list[str]:
    """Files an export might have left behind: temporary files (hidden) and partial outputs."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("demo.qcode"))


def run(dialog: ExportDialog, script):
    app = Host(dialog)

    async def main():
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await script(app, pilot)

    asyncio.run(main())
    return app


def test_word_export_of_a_code_holds_its_excerpts_and_progress_reaches_100(demo):
    with open_project(demo) as project:
        expected = {e.text for e in excerpts(project, Filters(code=CODE))}
    assert expected
    seen = {}

    async def script(app, pilot):
        dialog = app.first
        assert dialog.query_one("#export-path", Input).value == str(demo.parent / "demo-excerpts.docx")
        assert dialog.query_one("#export-code", Input).value == CODE
        bar = dialog.query_one(ProgressBar)
        await pilot.press("enter")  # in the path field
        await settle(app, pilot)
        seen["percentage"] = bar.percentage
        seen["notes"] = [n.message for n in app._notifications]

    app = run(ExportDialog(demo, code_path=CODE), script)
    out = demo.parent / "demo-excerpts.docx"
    assert app.result == out
    assert seen["percentage"] == 1.0
    assert seen["notes"] == [f"wrote {out}: {len(expected)} excerpt(s) of 1 code(s) from 5 document(s)"]
    document = Document(str(out))
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert set(quotes) == expected
    assert len(quotes) == len(expected)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any("Coordinator" in h for h in headings)
    assert not any("Arena" in h for h in headings)  # only the chosen code
    assert leftovers(demo.parent) == ["demo-excerpts.docx"]


def test_a_query_chooses_the_excerpts_of_a_csv_export(demo):
    query = f'"{CODE}" AND NOT "Role of IO/Arena"'
    with open_project(demo) as project:
        expected = len(excerpts(project, Filters(query=query)))

    async def script(app, pilot):
        dialog = app.first
        dialog.query_one("#export-format", Select).value = "csv"
        await pilot.pause()
        path = dialog.query_one("#export-path", Input)
        assert path.value == str(demo.parent / "demo-excerpts.csv")  # the default follows the format
        assert dialog.query_one(Checkbox).disabled  # CSV holds memos in a column of its own
        dialog.query_one("#export-query", Input).value = query
        await pilot.press("ctrl+s")
        await settle(app, pilot)

    app = run(ExportDialog(demo), script)
    assert app.result == demo.parent / "demo-excerpts.csv"
    rows = list(csv.reader(io.StringIO(app.result.read_text(encoding="utf-8-sig"))))
    assert len(rows) - 1 == expected
    assert {row[rows[0].index("code")] for row in rows[1:]} == {CODE}


def test_memos_go_to_word(demo):
    with open_project(demo) as project:
        memos = project.memos.list()
    assert memos

    async def script(app, pilot):
        app.first.query_one("#export-format", Select).value = "memos"
        await pilot.pause()
        assert app.first.query_one("#export-path", Input).value == str(demo.parent / "demo-memos.docx")
        assert app.first.query_one("#export-code", Input).disabled
        await pilot.press("ctrl+s")
        await settle(app, pilot)

    app = run(ExportDialog(demo), script)
    assert app.result == demo.parent / "demo-memos.docx"
    text = "\n".join(p.text for p in Document(str(app.result)).paragraphs)
    assert memos[0].text.split("\n")[0].strip() in text


def test_a_bad_query_a_bad_folder_or_a_bad_names_table_is_one_line_and_no_file(demo):
    names = demo.parent / "names.csv"
    names.write_text("name,pseudonym\nSiti\n", encoding="utf-8")

    async def script(app, pilot):
        dialog = app.first
        dialog.query_one("#export-query", Input).value = '"Role set/Coordinator" AND ('
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert error_line(dialog).startswith("query:")
        assert app.screen is dialog and not dialog.running
        dialog.query_one("#export-query", Input).value = ""

        dialog.query_one("#export-path", Input).value = str(demo.parent / "missing" / "x.docx")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert error_line(dialog) == f"cannot write {demo.parent / 'missing' / 'x.docx'}: folder " \
                                     f"{demo.parent / 'missing'} does not exist"
        dialog.query_one("#export-path", Input).value = str(demo.parent / "x.pdf")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert error_line(dialog) == "x.pdf: this export writes .docx files"

        dialog.query_one("#export-path", Input).value = str(demo.parent / "x.docx")
        dialog.query_one("#export-names", Input).value = str(demo.parent / "nobody.csv")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert error_line(dialog).startswith("cannot read ") and "nobody.csv" in error_line(dialog)
        dialog.query_one("#export-names", Input).value = str(names)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert error_line(dialog) == "names.csv, row 1: a row holds a name and its pseudonym"
        await pilot.press("escape")
        await pilot.pause()

    app = run(ExportDialog(demo), script)
    assert app.result is None
    assert leftovers(demo.parent) == ["names.csv"]


def test_a_failure_while_writing_leaves_no_file_and_keeps_the_old_one(demo, monkeypatch):
    def broken(project, out, *args, progress=None, **kwargs):
        out.write_bytes(b"PK half a file")
        progress(1, 2)
        raise QcodeError("the disk is full")

    monkeypatch.setattr(qcode.export.word, "export_word", broken)
    out = demo.parent / "demo-excerpts.docx"

    async def script(app, pilot):
        dialog = app.first
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert error_line(dialog) == "the disk is full"
        assert not out.exists()
        out.write_bytes(b"the chapter draft")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert error_line(dialog) == "demo-excerpts.docx exists: press Export again to replace it"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert error_line(dialog) == "the disk is full"
        await pilot.press("escape")
        await pilot.pause()

    app = run(ExportDialog(demo), script)
    assert app.result is None
    assert out.read_bytes() == b"the chapter draft"
    assert leftovers(demo.parent) == ["demo-excerpts.docx"]


def test_an_existing_file_is_replaced_only_when_confirmed(demo):
    out = demo.parent / "demo-excerpts.html"
    out.write_text("keep me", encoding="utf-8")

    async def script(app, pilot):
        dialog = app.first
        dialog.query_one("#export-format", Select).value = "html"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert error_line(dialog) == "demo-excerpts.html exists: press Export again to replace it"
        assert out.read_text(encoding="utf-8") == "keep me"
        await pilot.click("#export-run")
        await settle(app, pilot)

    app = run(ExportDialog(demo, code_path=CODE), script)
    assert app.result == out
    assert "<!DOCTYPE html>" in out.read_text(encoding="utf-8")


def test_markup_in_a_code_name_or_an_error_is_shown_literally(demo):
    async def script(app, pilot):
        dialog = app.first
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert error_line(dialog) == "no code '[b]nope[/b] [@click=app.quit]' in this project"
        assert app.is_running and app.screen is dialog
        await pilot.press("escape")
        await pilot.pause()

    app = run(ExportDialog(demo, code_path="[b]nope[/b] [@click=app.quit]"), script)
    assert app.result is None
    assert leftovers(demo.parent) == []


def test_cases_and_attribute_values_narrow_the_export_and_a_bad_where_is_one_line(demo):
    with open_project(demo) as project:
        expected = len(excerpts(project, Filters(where=(("organisation", "IOM"),))))
        by_case = len(excerpts(project, Filters(cases=("NGO Batam",))))
    assert 0 < expected and 0 < by_case

    async def script(app, pilot):
        dialog = app.first
        dialog.query_one("#export-format", Select).value = "csv"
        await pilot.pause()
        dialog.query_one("#export-where", Input).value = "organisation"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "where: give attribute=value, not 'organisation'" in str(dialog.query_one("#export-error").render())
        dialog.query_one("#export-where", Input).value = "organisation=IOM"
        await pilot.press("ctrl+s")
        await settle(app, pilot)

    app = run(ExportDialog(demo), script)
    rows = list(csv.reader(io.StringIO(app.result.read_text(encoding="utf-8-sig"))))
    assert len(rows) - 1 == expected

    async def by_cases(app, pilot):
        dialog = app.first
        dialog.query_one("#export-format", Select).value = "csv"
        await pilot.pause()
        dialog.query_one("#export-path", Input).value = str(demo.parent / "batam.csv")
        dialog.query_one("#export-cases", Input).value = " NGO Batam , "
        await pilot.press("ctrl+s")
        await settle(app, pilot)

    app = run(ExportDialog(demo), by_cases)
    rows = list(csv.reader(io.StringIO(app.result.read_text(encoding="utf-8-sig"))))
    assert len(rows) - 1 == by_case


def test_documents_and_coders_narrow_the_export_and_the_form_fits_80x24(demo):
    from qcode.core.codings import CodingRequest

    with open_project(demo) as project:
        document = project.documents.list()[0].name
        in_document = len(excerpts(project, Filters(documents=(document,))))
    with open_project(demo, coder="second") as project:
        text = project.documents.text(project.documents.get(document))
        project.codings.add_many([CodingRequest(document, 0, min(20, len(text)), CODE)])
    assert in_document > 0

    async def script(app, pilot):
        dialog = app.first
        buttons = dialog.query_one("#export-buttons").region
        assert buttons.bottom <= 24 and buttons.height == 1  # the whole form shows at 80x24
        dialog.query_one("#export-format", Select).value = "csv"
        await pilot.pause()
        dialog.query_one("#export-documents", Input).value = document
        dialog.query_one("#export-coders", Input).value = "second"
        await pilot.press("ctrl+s")
        await settle(app, pilot)

    app = run(ExportDialog(demo), script)
    rows = list(csv.DictReader(io.StringIO(app.result.read_text(encoding="utf-8-sig"))))
    assert [(r["document"], r["coder"], r["code"]) for r in rows] == [(document, "second", CODE)]

    async def unknown(app, pilot):
        dialog = app.first
        dialog.query_one("#export-documents", Input).value = "no-such.docx"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "no-such.docx" in error_line(dialog)

    run(ExportDialog(demo), unknown)
