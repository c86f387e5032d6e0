"""The excerpts screen: every excerpt of a code across the documents, with and without the codes
below it, a filter, and enter that names the place to jump to."""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path

from helpers_tui import Host, settle
from textual.widgets import Input, Static

from qcode.analysis.retrieval import Filters, excerpts
from qcode.core import open_project
from qcode.core.codings import CodingRequest
from qcode.ingest.pipeline import import_file
from qcode.tui.data.retrieval import excerpts_of
from qcode.tui.screens.excerpts import ExcerptsScreen, ResultList


def direct(path, code, children=True):
    with open_project(path) as project:
        return [(e.document, e.start, e.end, e.code, e.coder, e.memo, e.text, e.cases)
                for e in excerpts(project, Filters(code=code, children=children))]


def listed(screen):
    return [(r.document, r.start, r.end, r.code, r.coder, r.memo, r.text, r.cases) for r in screen.rows]


def screen_text(app) -> str:
    """What the terminal shows, as plain text (from the SVG screenshot)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def static_text(screen, selector) -> str:
    return str(screen.query_one(selector, Static).render())


def test_every_excerpt_of_coordinator_as_retrieval_gives_them(demo):
    asyncio.run(_coordinator(demo))


async def _coordinator(demo):
    expected = direct(demo, "Role set/Coordinator")
    assert len(expected) == 6 and expected == direct(demo, "Role set/Coordinator", children=False)
    app = Host(ExcerptsScreen(demo, "Role set/Coordinator"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert listed(screen) == expected
        assert screen.query_one(ResultList).option_count == 6
        documents = len({e[0] for e in expected})
        cases = len({c for e in expected for c in e[7]})
        assert static_text(screen, "#counts") == f"6 excerpts · {documents} documents · {cases} cases"
        shown = screen_text(app)
        assert "Excerpts of Role set/Coordinator" in shown
        assert expected[0][0] in shown and "(demo)" in shown
        assert "memo: The follow-up is what separates the coordinator role" in shown
        await pilot.press("c")  # the code alone: Coordinator has no codes below it, so the same six
        await settle(app, pilot)
        assert listed(screen) == expected
        assert "the code alone" in static_text(screen, "#title")


def test_children_toggle_on_a_category(demo):
    asyncio.run(_children(demo))


async def _children(demo):
    with_children = direct(demo, "Role set")
    alone = direct(demo, "Role set", children=False)
    assert len(with_children) == 22 and alone == []
    app = Host(ExcerptsScreen(demo, "Role set"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert listed(screen) == with_children
        assert screen.query_one(ResultList).option_count == 22
        assert static_text(screen, "#counts").startswith("22 excerpts · 8 documents")
        # a child's code is named on its row
        assert "Role set/Supporting role" in screen_text(app)
        await pilot.press("c")
        await settle(app, pilot)
        assert listed(screen) == alone
        assert static_text(screen, "#counts") == "no excerpts"
        await pilot.press("c")
        await settle(app, pilot)
        assert listed(screen) == with_children
    app = Host(ExcerptsScreen(demo, "Role set", children=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.screen.rows == []


def test_enter_gives_the_document_and_span_escape_none(demo):
    asyncio.run(_enter(demo))


async def _enter(demo):
    expected = direct(demo, "Role set")
    app = Host(ExcerptsScreen(demo, "Role set"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.result == expected[2][:3]
    app = Host(ExcerptsScreen(demo, "Role set"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.result is None


def test_filter_narrows_and_enter_jumps_to_the_first(demo):
    asyncio.run(_filter(demo))


async def _filter(demo):
    expected = [e for e in direct(demo, "Role set") if "batam" in " ".join((e[0], e[6], *e[7])).casefold()]
    assert 0 < len(expected) < 22
    app = Host(ExcerptsScreen(demo, "Role set"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"Batam")
        await settle(app, pilot)
        screen = app.screen
        assert screen.query_one(Input).value == "Batam"
        assert [(r.document, r.start, r.end) for r in screen.shown] == [e[:3] for e in expected]
        assert screen.query_one(ResultList).option_count == len(expected)
        assert static_text(screen, "#counts").endswith(f"· {len(expected)} shown")
        await pilot.press("enter")
        await pilot.pause()
        assert app.result == expected[0][:3]


def test_locators_paragraphs_and_transcript_times(demo):
    rows = excerpts_of(demo, "Role set")
    by_document = {}
    for row in rows:
        by_document.setdefault(row.document, []).append(row.locator)
    assert all(re.fullmatch(r"\d\d:\d\d:\d\d", loc) for loc in by_document["webinar-safe-migration.vtt"])
    assert all(re.fullmatch(r"¶ \d+(-\d+)?", loc) for loc in by_document["interview-iom-programme-officer.docx"])
    with open_project(demo) as project:
        text = project.documents.text("interview-iom-programme-officer.docx")
    row = next(r for r in rows if r.document == "interview-iom-programme-officer.docx")
    # the context is the text either side of the excerpt
    assert text[row.start - len(row.before):row.end + len(row.after)] == row.before + row.text + row.after
    first = len([line for line in text[:row.start].split("\n")[:-1] if line.strip()]) + 1
    assert row.locator.startswith(f"¶ {first}")


def test_document_text_with_markup_shows_literally(demo, tmp_path):
    asyncio.run(_markup(demo, tmp_path))


async def _markup(demo, tmp_path):
    source = tmp_path / "tricky.txt"
    source.write_text("Before [b]x[/b] and [@click=app.quit]quit[/] then [red]after[/red].\n", encoding="utf-8")
    with open_project(demo, coder="tester") as project:
        assert import_file(project, source).ok
        text = project.documents.text("tricky.txt")
        start = text.index("[b]")
        end = text.index("then")
        project.codings.add_many([CodingRequest("tricky.txt", start, end, "Role set/Coordinator",
                                                memo="memo with [i]tags[/i]")])
    app = Host(ExcerptsScreen(demo, "Role set/Coordinator"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert ("tricky.txt", start, end) in [(r.document, r.start, r.end) for r in app.screen.rows]
        await pilot.press("end")
        await pilot.pause()
        shown = screen_text(app)
        assert "[b]x[/b]" in shown
        assert "[@click=app.quit]quit[/]" in shown
        assert "[red]after[/red]" in shown
        assert "memo with [i]tags[/i]" in shown
        assert app.is_running


def test_unknown_code_is_one_line_not_a_crash(demo):
    asyncio.run(_unknown(demo))


async def _unknown(demo):
    app = Host(ExcerptsScreen(demo, "No such/code"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "no code" in static_text(app.screen, "#counts")
        assert app.screen.rows == []
        assert app.is_running


def test_path_argument_may_be_a_string(demo):
    assert ExcerptsScreen(str(demo), "Role set").project == Path(demo)


def test_every_binding_has_an_id_for_the_keymap():
    from qcode.tui.screens.query import Confirm, QueryScreen

    for screen in (ExcerptsScreen, QueryScreen, Confirm):
        assert screen.BINDINGS and all(binding.id for binding in screen.BINDINGS)
    assert {b.id for b in ExcerptsScreen.BINDINGS} == {"excerpts-close", "excerpts-children", "excerpts-filter"}
