"""The query and search screen: code queries with their errors, full-text search, coding every hit
in one undoable action, history and code-path completion."""

from __future__ import annotations

import asyncio
import html
import re

import pytest
from helpers_tui import Host, settle
from textual.widgets import Input, Label, Static

from qcode.analysis.retrieval import Filters, excerpts
from qcode.analysis.search import search
from qcode.core import open_project
from qcode.core.undo import undo
from qcode.ingest.pipeline import import_file
from qcode.tui.screens import query as query_module
from qcode.tui.screens.excerpts import ResultList
from qcode.tui.screens.pickers import CodeFinder
from qcode.tui.screens.query import CodePathSuggester, Confirm, QueryScreen


@pytest.fixture(autouse=True)
def fresh_history():
    for entries in query_module._HISTORY.values():
        entries.clear()


async def submit(app, pilot, text):
    field = app.screen.query_one("#input", Input)
    field.value = text
    field.focus()
    await pilot.press("enter")
    await settle(app, pilot)


def screen_text(app) -> str:
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def static_text(screen, selector) -> str:
    return str(screen.query_one(selector, Static).render())


def spans(rows):
    return [(r.document, r.start, r.end) for r in rows]


def test_a_malformed_query_shows_its_error_with_the_position(demo):
    asyncio.run(_malformed(demo))


async def _malformed(demo):
    app = Host(QueryScreen(demo, "tester"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await submit(app, pilot, '"Role set" AND')
        assert screen.error is not None and "position 15" in screen.error
        message = screen.query_one("#message", Static)
        assert message.has_class("error") and "position 15" in str(message.render())
        assert screen.query_one("#input", Input).cursor_position == 14
        assert screen.results == [] and app.is_running
        await submit(app, pilot, '"Role sett"')
        assert 'did you mean "Role set"' in screen.error
        await submit(app, pilot, '"[b]x[/b]"')  # the message shows what was typed, not markup
        assert 'no code "[b]x[/b]"' in str(message.render())
        # a good query clears the error and lists what retrieval gives
        query = '"Role set/Coordinator" OR "Role of IO/Arena"'
        await submit(app, pilot, query)
        assert screen.error is None
        assert not screen.query_one("#message", Static).has_class("error")
        with open_project(demo) as project:
            expected = [(e.document, e.start, e.end, e.code, e.text)
                        for e in excerpts(project, Filters(query=query))]
        assert len(expected) == 10
        assert [(r.document, r.start, r.end, r.code, r.text) for r in screen.results] == expected
        assert screen.query_one(ResultList).option_count == 10
        assert static_text(screen, "#counts").startswith("10 excerpts ·")
        # the results have the focus: enter on the third one names its place
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.result == expected[2][:3]


def test_search_finds_kerja_inside_indonesian_words(demo):
    asyncio.run(_search(demo))


async def _search(demo):
    with open_project(demo) as project:
        expected = [(h.document, h.start, h.end) for h in search(project, "kerja", mode="substring")]
    assert len(expected) == 25
    app = Host(QueryScreen(demo, "tester"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("ctrl+t")
        assert screen.mode == "search"
        assert str(screen.query_one("#mode", Static).render()) == "search"
        await submit(app, pilot, "kerja")
        assert spans(screen.results) == expected
        assert {r.document for r in screen.results} >= {"wawancara-gugus-tugas-ntt.txt", "wawancara-bp2mi.odt"}
        assert all(r.text.casefold() == "kerja" for r in screen.results)
        # inside words: "pekerja", "bekerja" are found too
        assert any(r.before.casefold().endswith("pe") for r in screen.results)
        assert static_text(screen, "#counts").startswith("25 hits · 4 documents")
        assert "Pekerja" in screen_text(app) or "pekerja" in screen_text(app)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.result == expected[1]


def test_code_all_hits_is_one_action_that_undo_takes_back(demo):
    asyncio.run(_code_all(demo))


def codings_by_tester(path):
    with open_project(path) as project:
        return sorted((c.document, c.start, c.end, c.code) for c in project.codings.list(coder="tester"))


async def _code_all(demo):
    with open_project(demo) as project:
        hits = [(h.document, h.start, h.end) for h in search(project, "kerja", mode="substring")]
        before = len(project.codings.list())
    app = Host(QueryScreen(demo, "tester"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("ctrl+k")  # nothing searched yet: a hint, nothing else
        await pilot.pause()
        assert not isinstance(app.screen, CodeFinder)
        await pilot.press("ctrl+t")
        await submit(app, pilot, "kerja")
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, CodeFinder)
        await pilot.press(*"koord")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        question = str(app.screen.query_one("#question", Label).render())
        assert "Code 25 hits in 4 documents with Role set/Coordinator?" in question
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is screen
        assert screen.last_report is not None and screen.last_report.added == 25
        assert "coded 25 hit(s) with Role set/Coordinator" in static_text(screen, "#counts")
    assert codings_by_tester(demo) == sorted((*h, "Role set/Coordinator") for h in hits)
    with open_project(demo, coder="tester") as project:
        assert len(project.codings.list()) == before + 25
        action = undo(project)
        assert action is not None
        assert project.codings.list(coder="tester") == []
        assert len(project.codings.list()) == before


def test_code_all_hits_can_be_declined(demo):
    asyncio.run(_decline(demo))


async def _decline(demo):
    app = Host(QueryScreen(demo, "tester", mode="search"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await submit(app, pilot, "kerja")
        await pilot.press("ctrl+k")
        await pilot.pause()
        await pilot.press(*"koord", "enter")
        await pilot.pause()
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen.last_report is None
    assert codings_by_tester(demo) == []


def test_search_hits_show_markup_literally(demo, tmp_path):
    asyncio.run(_markup(demo, tmp_path))


async def _markup(demo, tmp_path):
    source = tmp_path / "tricky.txt"
    source.write_text("Zzyzx [b]x[/b] here [@click=app.quit]zzyzx[/] end.\n", encoding="utf-8")
    with open_project(demo) as project:
        assert import_file(project, source).ok
    app = Host(QueryScreen(demo, "tester", mode="search"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await submit(app, pilot, "zzyzx")
        assert spans(app.screen.results) == [("tricky.txt", 0, 5), ("tricky.txt", 37, 42)]
        shown = screen_text(app)
        assert "[b]x[/b]" in shown and "[@click=app.quit]" in shown
        assert app.is_running


def test_history_steps_through_earlier_queries(demo):
    asyncio.run(_history(demo))


async def _history(demo):
    app = Host(QueryScreen(demo, "tester", mode="search"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        field = screen.query_one("#input", Input)
        await submit(app, pilot, "kerja")
        await submit(app, pilot, "migran")
        field.value = "draft"
        field.focus()
        await pilot.press("up")
        assert field.value == "migran"
        await pilot.press("up")
        assert field.value == "kerja"
        await pilot.press("up")
        assert field.value == "kerja"
        await pilot.press("down")
        assert field.value == "migran"
        await pilot.press("down")
        assert field.value == "draft"
        # query mode keeps its own history
        await pilot.press("ctrl+t")
        await pilot.press("up")
        assert field.value == ""


def test_code_paths_complete_inside_quotes():
    suggester = CodePathSuggester(["Role of IO", "Role set", "Role set/Coordinator"])
    suggest = suggester.get_suggestion
    assert asyncio.run(suggest('"Role s')) == '"Role set"'
    assert asyncio.run(suggest('"Role set" AND "Role set/C')) == '"Role set" AND "Role set/Coordinator"'
    assert asyncio.run(suggest('"Role set" AND ')) is None
    assert asyncio.run(suggest('"zzz')) is None


def test_ctrl_o_switches_how_a_search_matches_and_runs_it_again(demo, tmp_path):
    asyncio.run(_search_modes(demo, tmp_path))


async def _search_modes(demo, tmp_path):
    source = tmp_path / "kafe.txt"
    text = "Qwkafe di kafé Qwkafe, lalu Qwkafeteria.\n"
    source.write_text(text, encoding="utf-8")
    with open_project(demo) as project:
        assert import_file(project, source).ok
    app = Host(QueryScreen(demo, "tester", mode="search"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert screen.search_mode == "auto" and static_text(screen, "#message").startswith("auto:")
        await submit(app, pilot, "qwkafe")
        auto = [text[r.start:r.end] for r in screen.results]
        assert auto == ["Qwkafe", "Qwkafe", "Qwkafe"]  # inside Qwkafeteria too
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert screen.search_mode == "words" and static_text(screen, "#message").startswith("words:")
        assert [text[r.start:r.end] for r in screen.results] == ["Qwkafe", "Qwkafe"]  # whole words only
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert screen.search_mode == "substring"
        with open_project(demo) as project:
            expected = [(h.start, h.end) for h in search(project, "qwkafe", mode="substring")]
        assert [(r.start, r.end) for r in screen.results] == expected
        await pilot.press("ctrl+o")
        assert screen.search_mode == "auto"
        await pilot.press("ctrl+t")  # in query mode the key does nothing
        await pilot.press("ctrl+o")
        assert screen.search_mode == "auto" and screen.mode == "query"
