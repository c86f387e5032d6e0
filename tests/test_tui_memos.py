"""Memos in the workbench: written in the editor with the keyboard, saved as typed and on leaving, listed."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from helpers_tui import settle
from textual.app import App
from textual.widgets import DataTable, Static, TextArea

from qcode.core import open_project
from qcode.core.undo import undo
from qcode.tui.screens import memo as memo_screen
from qcode.tui.screens.memo import MemoEditor, MemoList

DOCUMENT = "interview-iom-programme-officer.docx"
CODE = "Role set/Coordinator"


class Host(App):
    """A bare app that shows one screen and keeps what it dismissed with."""

    def __init__(self, screen):
        super().__init__()
        self.first = screen
        self.results: list = []

    def on_mount(self) -> None:
        self.push_screen(self.first, self.results.append)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if c == " " else "enter" if c == "\n" else c for c in text])


def memos(path, kind=None, target=None):
    with open_project(path) as project:
        return [(m.guid, m.text) for m in project.memos.list(kind, target)]


def memo_actions(path, after: int):
    """(kind, undone) of the memo actions logged after action id ``after``."""
    with open_project(path) as project:
        return [(kind, undone) for kind, undone in project.conn.execute(
            "SELECT kind, undone FROM actions WHERE kind LIKE 'memo%' AND id > ? ORDER BY id", (after,))]


def last_action(path) -> int:
    with open_project(path) as project:
        return project.conn.execute("SELECT coalesce(max(id), 0) FROM actions").fetchone()[0]


def coding_without_memo(path):
    with open_project(path) as project:
        return next(c.guid for c in project.codings.list(document=DOCUMENT) if c.memo is None)


def editor(path, kind, target, heading="Memo"):
    return MemoEditor(path, "tester", kind, target, heading)


def status(app) -> str:
    return app.screen.status


# --- the editor -----------------------------------------------------------------------------------


def test_a_coding_memo_written_reopened_edited_and_cleared(demo):
    asyncio.run(_coding_memo(demo))


async def _coding_memo(demo):
    guid, start = coding_without_memo(demo), last_action(demo)
    heading = f"Memo on coding {CODE} in {DOCUMENT}, ¶12"
    app = Host(editor(demo, "coding", guid, heading))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, MemoEditor)
        assert str(app.screen.query_one("#memo-heading", Static).content) == heading
        assert app.screen.query_one(TextArea).has_focus
        await type_text(pilot, "IOM convenes, the ministry chairs.")
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.results == [True]
        assert [text for _, text in memos(demo, "coding", guid)] == ["IOM convenes, the ministry chairs."]
        first_guid = memos(demo, "coding", guid)[0][0]

        # reopened, it shows the memo; editing it changes the same memo, it adds none
        app.push_screen(editor(demo, "coding", guid), app.results.append)
        await settle(app, pilot)
        area = app.screen.query_one(TextArea)
        assert area.text == "IOM convenes, the ministry chairs."
        assert area.cursor_location == area.document.end
        await type_text(pilot, "\nSee the Batam request.")
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.results == [True, True]
        assert memos(demo, "coding", guid) == [(first_guid, "IOM convenes, the ministry chairs.\nSee the Batam request.")]

        # cleared, it is deleted (on leaving, not while typing)
        app.push_screen(editor(demo, "coding", guid), app.results.append)
        await settle(app, pilot)
        app.screen.query_one(TextArea).select_all()
        await pilot.press("backspace")
        await pilot.pause(memo_screen.MemoEditor.DEBOUNCE + 0.4)
        await settle(app, pilot)
        assert "deleted when you leave" in status(app)
        assert len(memos(demo, "coding", guid)) == 1
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert status(app) == "deleted: the memo was empty"
        assert memos(demo, "coding", guid) == []
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.results == [True, True, True]
    # each session is one step in the undo log: written, edited, deleted
    assert memo_actions(demo, start) == [("memo", 0), ("memo", 0), ("memo-delete", 0)]


@pytest.mark.parametrize("kind,target", [("document", DOCUMENT), ("project", None), ("code", CODE)])
def test_a_memo_on_a_document_the_project_and_a_code(demo, kind, target):
    asyncio.run(_memo_on(demo, kind, target))


async def _memo_on(demo, kind, target):
    before = memos(demo, kind, target)
    app = Host(editor(demo, kind, target, f"Memo on {kind}"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        area = app.screen.query_one(TextArea)
        shown = area.text
        await type_text(pilot, " Archer's arena")
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.results == [True]
    after = memos(demo, kind, target)
    if shown:  # the demo had a memo here: the most recent one was edited, none added
        assert len(after) == len(before)
        assert shown + " Archer's arena" in [text for _, text in after]
    else:
        assert len(after) == len(before) + 1 and after[-1][1] == " Archer's arena"
    # reopened, the editor shows it
    app = Host(editor(demo, kind, target))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.screen.query_one(TextArea).text.endswith(" Archer's arena")
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.results == [False]  # nothing changed, nothing saved
    assert memos(demo, kind, target) == after


def test_the_memo_is_saved_while_typing_and_one_session_undoes_as_one_step(demo):
    asyncio.run(_debounced(demo))


async def _debounced(demo):
    with open_project(demo) as project:
        names = [d.name for d in project.documents.list()]
        target = next(n for n in names if not project.memos.list("document", n))
    start = last_action(demo)
    app = Host(editor(demo, "document", target))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_text(pilot, "first")
        assert status(app) == "saving…"
        await pilot.pause(MemoEditor.DEBOUNCE + 0.5)
        await settle(app, pilot)
        assert isinstance(app.screen, MemoEditor)  # still editing
        assert [text for _, text in memos(demo, "document", target)] == ["first"]
        assert status(app) == "saved"
        await type_text(pilot, " second")
        await pilot.pause(MemoEditor.DEBOUNCE + 0.5)
        await settle(app, pilot)
        assert [text for _, text in memos(demo, "document", target)] == ["first second"]
        await type_text(pilot, " third")
        await pilot.press("ctrl+s")  # at once
        await settle(app, pilot)
        assert [text for _, text in memos(demo, "document", target)] == ["first second third"]
        await pilot.press("escape")
        await settle(app, pilot)
    assert memo_actions(demo, start) == [("memo", 0)]  # three saves, one step to undo
    with open_project(demo, coder="tester") as project:
        assert undo(project).summary == "wrote a document memo"
    assert memos(demo, "document", target) == []


def test_an_empty_memo_is_never_created(demo):
    asyncio.run(_empty(demo))


async def _empty(demo):
    guid, start = coding_without_memo(demo), last_action(demo)
    app = Host(editor(demo, "coding", guid))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_text(pilot, "x")
        await pilot.press("backspace", "space", "enter")
        await pilot.pause(MemoEditor.DEBOUNCE + 0.3)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.results == [False]
    assert memos(demo, "coding", guid) == []
    assert memo_actions(demo, start) == []


def test_leaving_during_a_slow_save_still_stores_the_last_text(demo, monkeypatch):
    slow_save = memo_screen.save_memo

    def slow(*args, **kwargs):
        time.sleep(0.4)
        return slow_save(*args, **kwargs)

    monkeypatch.setattr(memo_screen, "save_memo", slow)
    asyncio.run(_slow(demo))


async def _slow(demo):
    guid = coding_without_memo(demo)
    app = Host(editor(demo, "coding", guid))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_text(pilot, "one")
        await pilot.press("ctrl+s")  # a save starts and takes a while
        await pilot.pause(0.1)
        await type_text(pilot, " two")
        await pilot.press("escape")  # while it runs
        await pilot.pause(0.1)
        assert isinstance(app.screen, MemoEditor) and status(app) == "saving…"  # waits for the final save
        await type_text(pilot, " lost")  # read-only while leaving
        await settle(app, pilot)
        await pilot.pause(1.0)
        await settle(app, pilot)
        assert app.results == [True]
    assert [text for _, text in memos(demo, "coding", guid)] == ["one two"]


def test_quitting_the_app_with_the_editor_open_keeps_the_text(demo):
    asyncio.run(_quit(demo))


async def _quit(demo):
    guid = coding_without_memo(demo)
    app = Host(editor(demo, "coding", guid))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_text(pilot, "typed just now")
        app.exit()
    assert [text for _, text in memos(demo, "coding", guid)] == ["typed just now"]


def test_a_save_that_fails_says_so_and_keeps_the_editor_open(demo, monkeypatch):
    from qcode.core import QcodeError

    def failing(*args, **kwargs):
        raise QcodeError("the project is read-only")

    monkeypatch.setattr(memo_screen, "save_memo", failing)
    asyncio.run(_failing(demo))


async def _failing(demo):
    guid = coding_without_memo(demo)
    app = Host(editor(demo, "coding", guid))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_text(pilot, "keep me")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MemoEditor)
        assert status(app).startswith("not saved: the project is read-only")
        assert app.screen.query_one(TextArea).text == "keep me"
        await pilot.press("escape")  # a second escape leaves without saving
        await settle(app, pilot)
        assert app.results == [False]


def test_markup_in_a_memo_and_its_heading_shows_literally(demo):
    asyncio.run(_markup(demo))


MARKUP = "[b]not bold[/b] [@click=app.quit]do not quit[/] [inaudible]"


async def _markup(demo):
    with open_project(demo, coder="tester") as project:
        project.memos.add("document", DOCUMENT, MARKUP)
    app = Host(editor(demo, "document", DOCUMENT, f"Memo on {MARKUP}"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.screen.query_one(TextArea).text == MARKUP
        assert str(app.screen.query_one("#memo-heading", Static).content) == f"Memo on {MARKUP}"
        await pilot.press("escape")
        await settle(app, pilot)
        app.push_screen(MemoList(demo, "tester"))
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        cells = [str(cell) for cell in table.get_row_at(0)]
        assert cells[0] == "document" and cells[1] == DOCUMENT
        assert cells[2] == MARKUP
        assert app.is_running


# --- the list -------------------------------------------------------------------------------------


def test_the_list_shows_every_memo_newest_first_filters_and_opens_one(demo):
    asyncio.run(_list(demo))


async def _list(demo):
    guid = coding_without_memo(demo)
    with open_project(demo, coder="tester") as project:
        project.memos.add("coding", guid, "Coordinator, not supporting: koordinasi")
        project.memos.add("project", None, "Research question: how did IOM's role change?")
    total = len(memos(demo))
    app = Host(MemoList(demo, "tester"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == total
        first = [str(c) for c in table.get_row_at(0)]
        assert first[0] == "project" and first[3] == "tester" and first[2].startswith("Research question")
        second = [str(c) for c in table.get_row_at(1)]
        assert second[0] == "coding" and second[1].startswith("Role set/")
        await type_text(pilot, "koordinasi")
        await pilot.pause()
        assert table.row_count == 1
        assert str(table.get_row_at(0)[2]).startswith("Coordinator, not supporting")
        assert str(app.screen.query_one("#memos-heading", Static).content) == f"Memos: 1 of {total}"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MemoEditor)
        assert app.screen.query_one(TextArea).text.startswith("Coordinator, not supporting")
        assert str(app.screen.query_one("#memo-heading", Static).content).startswith("Memo on coding Role set/")
        await type_text(pilot, " (Batam)")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MemoList)
        assert str(table.get_row_at(0)[2]).endswith("(Batam)")
        await pilot.press("down", "enter")  # from the list itself
        await settle(app, pilot)
        assert isinstance(app.screen, MemoEditor)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.results == [None]
    assert [text for _, text in memos(demo, "coding", guid)] == [
        "Coordinator, not supporting: koordinasi (Batam)"]


# --- the core: one editing session, one undo step ---------------------------------------------------


def test_updates_of_one_session_fold_into_one_action(demo):
    start = last_action(demo)
    with open_project(demo, coder="tester") as project:
        memo = project.memos.add("document", DOCUMENT, "a", session="s1")
        project.memos.update(memo.guid, "ab", session="s1")
        project.memos.update(memo.guid, "abc", session="s1")
        rows = project.conn.execute("SELECT kind, payload FROM actions WHERE id > ?", (start,)).fetchall()
        assert len(rows) == 1 and json.loads(rows[0][1])["session"] == "s1"
        project.memos.update(memo.guid, "abcd", session="s2")  # another session: another step
        project.memos.update(memo.guid, "abcde")  # no session: a step of its own
        assert memo_actions(demo, start) == [("memo", 0)] * 3
        undo(project)
        undo(project)
        assert project.memos.list("document", DOCUMENT)[-1].text == "abc"
        undo(project)
        assert all(m.guid != memo.guid for m in project.memos.list("document", DOCUMENT))


def test_a_session_does_not_fold_over_a_change_made_since(demo):
    start = last_action(demo)
    with open_project(demo, coder="tester") as project:
        memo = project.memos.add("document", DOCUMENT, "a", session="s1")
        undo(project)  # the memo is gone: a later write in the session is a new action
        memo = project.memos.add("document", DOCUMENT, "b", session="s1")
        project.memos.update(memo.guid, "bc", session="s1")
        with open_project(demo, coder="other") as other:
            other.memos.update(memo.guid, "changed by another coder")
        project.memos.update(memo.guid, "bcd", session="s1")  # the row changed since: not folded
        assert memo_actions(demo, start) == [("memo", 2), ("memo", 0), ("memo", 0), ("memo", 0)]
        undo(project)
        assert next(m for m in project.memos.list() if m.guid == memo.guid).text == "changed by another coder"


def test_a_memo_has_a_title_saved_with_its_text_and_shown_again(demo):
    asyncio.run(_title(demo))


async def _title(demo):
    from textual.widgets import Input

    def titled(path):
        with open_project(path) as project:
            return [(m.title, m.text) for m in project.memos.list("document", DOCUMENT)]

    with open_project(demo) as project:
        for memo in project.memos.list("document", DOCUMENT):
            project.memos.delete(memo.guid)
    app = Host(editor(demo, "document", DOCUMENT))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        title = app.screen.query_one("#memo-title", Input)
        title.focus()
        await type_text(pilot, "Role  conflict?")
        await pilot.press("enter")  # on to the text
        assert app.screen.focused is app.screen.query_one(TextArea)
        await type_text(pilot, "IOM both supports and coordinates.")
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.results == [True]
    assert titled(demo) == [("Role conflict?", "IOM both supports and coordinates.")]
    app = Host(editor(demo, "document", DOCUMENT))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        title = app.screen.query_one("#memo-title", Input)
        assert title.value == "Role conflict?"
        area = app.screen.query_one(TextArea)
        area.clear()  # only the title left: the memo stays, with no text
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert titled(demo) == [("Role conflict?", "")]
        title.value = ""  # no title, no text: deleted
        await pilot.press("escape")
        await settle(app, pilot)
    assert titled(demo) == []
