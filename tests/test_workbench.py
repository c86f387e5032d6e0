"""The coding workbench driven as a researcher would: select, code by shortcut and by finder, undo, redo."""

from __future__ import annotations

import asyncio

from helpers_tui import settle

from qcode.core import open_project
from qcode.tui.app import QcodeApp
from qcode.tui.widgets.document_view import DocumentView

DOCUMENT = "interview-iom-programme-officer.docx"


def my_codings(path):
    with open_project(path) as project:
        return [(c.code, c.text) for c in project.codings.list(document=DOCUMENT, coder="tester")]


def test_code_a_paragraph_by_shortcut_then_undo_and_redo(demo):
    asyncio.run(_code_a_paragraph(demo))


async def _code_a_paragraph(demo):
    app = QcodeApp(demo, document=DOCUMENT, coder="tester")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        view = app.screen.query_one(DocumentView)
        assert view.text.startswith("Fictional interview")
        view.move_to(view.text.index("Interviewer: Thank you") + 5)
        await pilot.press("V")
        start, end = view.selection
        paragraph = view.text[start:end]
        assert paragraph.startswith("Interviewer: Thank you")
        await pilot.press("5")  # the Coordinator's shortcut in the default codebook
        await settle(app, pilot)
        assert my_codings(demo) == [("Role set/Coordinator", paragraph)]
        assert any(span.label == "Role set/Coordinator" and (span.start, span.end) == (start, end)
                   for span in view.spans)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert my_codings(demo) == []
        await pilot.press("ctrl+y")
        await settle(app, pilot)
        assert my_codings(demo) == [("Role set/Coordinator", paragraph)]
    # a restart finds the work as it was left
    app = QcodeApp(demo, document=DOCUMENT, coder="tester")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert any(span.label == "Role set/Coordinator" for span in app.screen.query_one(DocumentView).spans)


def test_code_with_the_finder_in_indonesian_and_uncode(demo):
    asyncio.run(_finder_and_uncode(demo))


async def _finder_and_uncode(demo):
    app = QcodeApp(demo, document=DOCUMENT, coder="tester")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        view = app.screen.query_one(DocumentView)
        view.move_to(view.text.index("R.: Our unit works") + 5)
        await pilot.press("V", "c")
        await pilot.press(*"koord")
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        assert [code for code, _ in my_codings(demo)] == ["Role set/Coordinator"]
        view.move_to(view.text.index("R.: Our unit works") + 1)
        await pilot.press("u")  # removes this coder's coding here, not the demo coder's inside it
        await settle(app, pilot)
        assert [code for code, _ in my_codings(demo)] == []
        with open_project(demo) as project:  # the demo coder's codings in that paragraph are untouched
            assert len(project.codings.list(document=DOCUMENT, coder="demo")) == 12


def test_coding_without_a_selection_says_what_to_do(demo):
    asyncio.run(_no_selection(demo))


async def _no_selection(demo):
    app = QcodeApp(demo, document=DOCUMENT, coder="tester")
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        assert my_codings(demo) == []
        assert any("Select a passage first" in str(n.message) for n in app._notifications)
