"""The code tree edited as a researcher would: add, rename, move, merge, delete, each undone; in-vivo coding."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from helpers_tui import settle
from textual.app import App, ComposeResult
from textual.widgets import Tree

from qcode.core import open_project
from qcode.core.undo import undo
from qcode.tui import data
from qcode.tui.data.code_edit import in_vivo, in_vivo_name
from qcode.tui.screens.code_edit import (
    CodePicker,
    ConfirmDialog,
    NameDialog,
    in_vivo_dialog,
)
from qcode.tui.widgets.code_tree import CodeTree

DOCUMENT = "interview-iom-programme-officer.docx"


class Host(App):
    """A minimal screen around the tree: reloads the codes when the tree says it changed."""

    def __init__(self, project):
        super().__init__()
        self.project = project
        self.messages: list[str] = []
        self.selected: list[str] = []

    def compose(self) -> ComposeResult:
        yield CodeTree(self.project, "tester", id="codes")

    def on_mount(self) -> None:
        self.reload()
        self.query_one(CodeTree).focus()

    def reload(self) -> None:
        self.query_one(CodeTree).set_codes(data.codes(self.project))

    def on_code_tree_changed(self, event: CodeTree.Changed) -> None:
        self.messages.append(event.message)
        self.reload()

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        self.selected.append(event.node.data)


def paths(project):
    with open_project(project) as p:
        return [code.path for code in p.codes.list()]


def codings_of(project, code, children=True):
    with open_project(project) as p:
        return sorted((c.document, c.start, c.end, c.coder) for c in p.codings.list(code=code, children=children))


def undo_last(project):
    with open_project(project, coder="tester") as p:
        return undo(p).kind


def label_of(tree: CodeTree, path: str) -> str:
    stack = list(tree.root.children)
    while stack:
        node = stack.pop()
        if node.data == path:
            return node.label.plain
        stack.extend(node.children)
    raise AssertionError(f"no node {path}")


def go_to(tree: CodeTree, path: str) -> None:
    stack = list(tree.root.children)
    while stack:
        node = stack.pop()
        if node.data == path:
            tree.move_cursor(node)
            return
        stack.extend(node.children)
    raise AssertionError(f"no node {path}")


async def type_text(pilot, text):
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


def run(coroutine_function, *args):
    asyncio.run(coroutine_function(*args))


# --- add ------------------------------------------------------------------------------------------


def test_add_a_child_code_with_the_key_and_the_dialog_then_undo(demo):
    run(_add_child, demo)


async def _add_child(demo):
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot, rounds=2)
        tree = app.query_one(CodeTree)
        go_to(tree, "Role set")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NameDialog)
        await type_text(pilot, "Mediator")
        await pilot.press("enter")
        await settle(app, pilot, rounds=2)
        assert not isinstance(app.screen, NameDialog)
        assert "Role set/Mediator" in paths(demo)
        assert app.messages == ["added code Role set/Mediator"]
        assert tree.highlighted_path == "Role set/Mediator"
        assert label_of(tree, "Role set/Mediator") == "■ Mediator 0"
        # a name taken under the same parent: the core's message shows in the dialog, which stays open
        go_to(tree, "Role set")
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "Coordinator")
        await pilot.press("enter")
        await settle(app, pilot, rounds=2)
        dialog = app.screen
        assert isinstance(dialog, NameDialog)
        assert "already exists" in dialog.error
        await pilot.press("escape")
        await settle(app, pilot, rounds=2)
        assert not isinstance(app.screen, NameDialog)
        # A adds at the top level
        await pilot.press("A")
        await pilot.pause()
        await type_text(pilot, "Emergent")
        await pilot.press("enter")
        await settle(app, pilot, rounds=2)
        assert "Emergent" in paths(demo)
    assert undo_last(demo) == "code-add"
    assert "Emergent" not in paths(demo)
    assert undo_last(demo) == "code-add"
    assert "Role set/Mediator" not in paths(demo)


def test_a_name_with_a_slash_is_refused_in_the_dialog(demo):
    run(_slash, demo)


async def _slash(demo):
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot, rounds=2)
        await pilot.press("A")
        await pilot.pause()
        await type_text(pilot, "a/b")
        await pilot.press("enter")
        await settle(app, pilot, rounds=2)
        assert isinstance(app.screen, NameDialog)
        assert "cannot be empty or contain '/'" in app.screen.error
        assert "a" not in paths(demo) and "a/b" not in paths(demo)


# --- rename ---------------------------------------------------------------------------------------


def test_rename_keeps_codings_and_follows_the_code_then_undo(demo):
    run(_rename, demo)


async def _rename(demo):
    before = codings_of(demo, "Role set/Coordinator")
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot, rounds=2)
        tree = app.query_one(CodeTree)
        go_to(tree, "Role set/Coordinator")
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NameDialog)
        assert dialog.query_one("#name").value == "Coordinator"
        # the prefilled name is selected: typing replaces it
        await type_text(pilot, "Coordinating role")
        await pilot.press("enter")
        await settle(app, pilot, rounds=2)
        assert "Role set/Coordinating role" in paths(demo)
        assert "Role set/Coordinator" not in paths(demo)
        assert codings_of(demo, "Role set/Coordinating role") == before
        assert tree.highlighted_path == "Role set/Coordinating role"
        assert label_of(tree, "Role set/Coordinating role") == f"■ Coordinating role [5] {len(before)}"
    assert undo_last(demo) == "code-rename"
    assert "Role set/Coordinator" in paths(demo)
    assert codings_of(demo, "Role set/Coordinator") == before


# --- move -----------------------------------------------------------------------------------------


def test_move_under_another_code_and_to_the_top_then_undo(demo):
    run(_move, demo)


async def _move(demo):
    before = codings_of(demo, "Trafficking/Means")
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot, rounds=2)
        tree = app.query_one(CodeTree)
        go_to(tree, "Trafficking/Means")
        await pilot.press("o")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, CodePicker)
        assert picker.shown[0] == ""  # (top level) first
        assert "Trafficking/Means" not in picker.shown and "Trafficking" not in picker.shown
        await type_text(pilot, "Context")
        await pilot.press("enter")
        await settle(app, pilot, rounds=2)
        assert "Context/Means" in paths(demo)
        assert codings_of(demo, "Context/Means") == before
        assert tree.highlighted_path == "Context/Means"
        context_total = 3 + len(before)
        assert label_of(tree, "Context") == f"■ Context {context_total}"
        assert label_of(tree, "Trafficking") == f"■ Trafficking {7 - len(before)}"
        # and to the top level
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("enter")  # (top level) is highlighted first
        await settle(app, pilot, rounds=2)
        assert "Means" in paths(demo)
    assert undo_last(demo) == "code-move"
    assert "Context/Means" in paths(demo)
    assert undo_last(demo) == "code-move"
    assert "Trafficking/Means" in paths(demo)
    assert codings_of(demo, "Trafficking/Means") == before


def test_a_code_cannot_be_moved_under_itself(demo):
    run(_move_inside, demo)


async def _move_inside(demo):
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot, rounds=2)
        tree = app.query_one(CodeTree)
        go_to(tree, "Role set")
        await pilot.press("o")
        await pilot.pause()
        assert not [p for p in app.screen.shown if p == "Role set" or p.startswith("Role set/")]
        assert "" not in app.screen.shown  # already at the top level
        await pilot.press("escape")
        await settle(app, pilot, rounds=2)
        assert app.messages == []


# --- merge ----------------------------------------------------------------------------------------


def test_merge_moves_codings_and_updates_counts_then_undo(demo):
    run(_merge, demo)


async def _merge(demo):
    source = codings_of(demo, "Role set/Role expectation")
    target = codings_of(demo, "Role set/Role conception")
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot, rounds=2)
        tree = app.query_one(CodeTree)
        go_to(tree, "Role set/Role expectation")
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        assert "Role set/Role expectation" not in app.screen.shown
        await type_text(pilot, "conception")
        await pilot.press("enter")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog)
        text = confirm.message.plain
        assert "3 codings of Role expectation will move to Role set/Role conception" in text
        await pilot.press("y")
        await settle(app, pilot, rounds=2)
        assert "Role set/Role expectation" not in paths(demo)
        assert codings_of(demo, "Role set/Role conception") == sorted(source + target)
        assert label_of(tree, "Role set/Role conception") == f"■ Role conception [o] {len(source) + len(target)}"
        assert label_of(tree, "Role set") == "■ Role set 22"
        assert app.messages == ["merged Role set/Role expectation into Role set/Role conception: 3 codings moved"]
    assert undo_last(demo) == "code-merge"
    assert codings_of(demo, "Role set/Role expectation") == source
    assert codings_of(demo, "Role set/Role conception") == target


def test_merge_a_category_takes_its_children_along_and_cancel_changes_nothing(demo):
    run(_merge_category, demo)


async def _merge_category(demo):
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot, rounds=2)
        tree = app.query_one(CodeTree)
        go_to(tree, "Context")
        await pilot.press("j")
        await pilot.pause()
        await type_text(pilot, "Evaluation")
        await pilot.press("enter")
        await pilot.pause()
        text = app.screen.message.plain
        assert "0 codings of Context" in text and "2 codes below it (with 3 codings) will go under Evaluation" in text
        await pilot.press("escape")
        await settle(app, pilot, rounds=2)
        assert "Context/TIP tier" in paths(demo)
        await pilot.press("j")
        await pilot.pause()
        await type_text(pilot, "Evaluation")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot, rounds=2)
        assert "Evaluation/TIP tier" in paths(demo) and "Context" not in paths(demo)
        assert label_of(tree, "Evaluation") == "■ Evaluation 6"
    assert undo_last(demo) == "code-merge"
    assert "Context/TIP tier" in paths(demo)


# --- delete ---------------------------------------------------------------------------------------


def test_delete_asks_naming_the_codings_cancel_keeps_confirm_removes_undo_restores(demo):
    run(_delete, demo)


async def _delete(demo):
    before = codings_of(demo, "Trafficking")
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot, rounds=2)
        tree = app.query_one(CodeTree)
        go_to(tree, "Trafficking")
        await pilot.press("x")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog)
        assert "4 codes below it" in confirm.message.plain
        assert f"{len(before)} codings will be removed" in confirm.message.plain
        await pilot.press("enter")  # the focus starts on Cancel
        await settle(app, pilot, rounds=2)
        assert not isinstance(app.screen, ConfirmDialog)
        assert "Trafficking/Act" in paths(demo) and codings_of(demo, "Trafficking") == before
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("n")
        await settle(app, pilot, rounds=2)
        assert "Trafficking" in paths(demo)
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot, rounds=2)
        assert not [p for p in paths(demo) if p.startswith("Trafficking")]
        with open_project(demo) as p:
            assert p.conn.execute("SELECT count(*) FROM codings").fetchone()[0] == 67 - len(before)
        assert app.messages == [f"deleted code Trafficking and {len(before)} codings"]
        assert "Trafficking" not in [node.data for node in tree.root.children]
        assert tree.highlighted_path is not None
    assert undo_last(demo) == "code-delete"
    assert codings_of(demo, "Trafficking") == before
    assert "Trafficking/Vulnerability" in paths(demo)


def test_deleting_an_empty_code_asks_simply(demo):
    run(_delete_empty, demo)


async def _delete_empty(demo):
    with open_project(demo, coder="tester") as p:
        p.code_editor.add("Spare")
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot, rounds=2)
        go_to(app.query_one(CodeTree), "Spare")
        await pilot.press("x")
        await pilot.pause()
        assert app.screen.message.plain == "Delete Spare? It has no codings."
        await pilot.press("y")
        await settle(app, pilot, rounds=2)
        assert "Spare" not in paths(demo)


# --- showing --------------------------------------------------------------------------------------


def test_folds_and_the_highlighted_code_survive_set_codes(demo):
    run(_folds, demo)


async def _folds(demo):
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot, rounds=2)
        tree = app.query_one(CodeTree)
        go_to(tree, "Trafficking")
        await pilot.press("space")
        go_to(tree, "Response/Protection")
        await pilot.pause()
        app.reload()
        await pilot.pause()
        state = {node.data: node.is_expanded for node in tree.root.children}
        assert state["Trafficking"] is False
        assert state["Role set"] is True and state["Response"] is True
        assert tree.highlighted_path == "Response/Protection"
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == ["Response/Protection"]
        # space unfolds again
        go_to(tree, "Trafficking")
        await pilot.press("space")
        app.reload()
        await pilot.pause()
        assert {node.data: node.is_expanded for node in tree.root.children}["Trafficking"] is True
        # a folded code stays folded when it is renamed (folds are kept by code, not by name)
        go_to(tree, "Response")
        await pilot.press("space", "r")
        await pilot.pause()
        await type_text(pilot, "Responses")
        await pilot.press("enter")
        await settle(app, pilot, rounds=2)
        state = {node.data: node.is_expanded for node in tree.root.children}
        assert state["Responses"] is False and "Response" not in state
        assert tree.highlighted_path == "Responses"


def test_a_code_name_with_markup_shows_literally(demo):
    run(_markup, demo)


async def _markup(demo):
    with open_project(demo, coder="tester") as p:
        p.code_editor.add("[b]x[b]")  # a name cannot hold '/', so no '[/b]' from the core
        p.code_editor.add("[@click=app.quit]y")
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot, rounds=2)
        tree = app.query_one(CodeTree)
        assert label_of(tree, "[b]x[b]") == "■ [b]x[b] 0"
        assert label_of(tree, "[@click=app.quit]y") == "■ [@click=app.quit]y 0"
        go_to(tree, "[b]x[b]")
        await pilot.press("x")
        await pilot.pause()
        assert "Delete [b]x[b]?" in app.screen.message.plain
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running
        # a name from elsewhere (set_codes takes any rows): '[b]x[/b]' as typed, with its shortcut
        row = data.codes(demo)[0]
        tree.set_codes([replace(row, path="[b]x[/b]", name="[b]x[/b]", shortcut="[", total=2)])
        await pilot.pause()
        assert label_of(tree, "[b]x[/b]") == "■ [b]x[/b] [[] 2"
        assert "[b]x[/b]" in "".join(strip.text for strip in tree.render_lines(tree.region.reset_offset))


# --- in vivo --------------------------------------------------------------------------------------


def test_in_vivo_name_is_cleaned_and_cut_at_a_word():
    assert in_vivo_name('  "we  were\n just\tthe bridge"  ') == "we were just the bridge"
    assert in_vivo_name("push/pull") == "push-pull"
    long = in_vivo_name("the coordinator role was never written down anywhere but everyone knew who held it")
    assert len(long) <= 60 and long.endswith("…") and long.startswith("the coordinator role")
    assert " ".join(long[:-1].split()) == long[:-1] and long[:-1] in \
        "the coordinator role was never written down anywhere but everyone knew who held it"


def _span(demo, words):
    with open_project(demo) as p:
        text = p.documents.text(p.documents.get(DOCUMENT))
    start = text.index(words)
    return start, start + len(words)


def test_in_vivo_creates_and_applies_in_one_action_and_undo_takes_both_back(demo):
    start, end = _span(demo, "Interviewer")
    with open_project(demo) as p:
        actions_before = p.conn.execute("SELECT count(*) FROM actions").fetchone()[0]
    path = in_vivo(demo, "tester", DOCUMENT, start, end, " Interviewer\n", parent="Role set")
    assert path == "Role set/Interviewer"
    assert codings_of(demo, path) == [(DOCUMENT, start, end, "tester")]
    with open_project(demo) as p:
        assert p.conn.execute("SELECT count(*) FROM actions").fetchone()[0] == actions_before + 1
    assert undo_last(demo) == "code"
    assert path not in paths(demo)
    with open_project(demo) as p:
        assert not [c for c in p.codings.list(document=DOCUMENT, coder="tester") if (c.start, c.end) == (start, end)]
    # an existing code of that name is used, not duplicated
    path = in_vivo(demo, "tester", DOCUMENT, start, end, "Coordinator", parent="Role set")
    assert path == "Role set/Coordinator"
    assert paths(demo).count("Role set/Coordinator") == 1
    assert (DOCUMENT, start, end, "tester") in codings_of(demo, path)


def test_in_vivo_dialog_prefills_the_selection_and_shows_errors(demo):
    run(_in_vivo_dialog, demo)


async def _in_vivo_dialog(demo):
    start, end = _span(demo, "Interviewer")
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot, rounds=2)
        results = []
        app.push_screen(in_vivo_dialog(demo, "tester", DOCUMENT, start, end, "Interviewer:"), results.append)
        await pilot.pause()
        assert app.screen.query_one("#name").value == "Interviewer:"
        await pilot.press("end", "backspace")  # the user edits the name before enter
        await pilot.press("enter")
        await settle(app, pilot, rounds=2)
        assert results == ["Interviewer"]
        assert codings_of(demo, results[0]) == [(DOCUMENT, start, end, "tester")]
        # a category cannot be coded: the dialog says so and stays
        app.push_screen(in_vivo_dialog(demo, "tester", DOCUMENT, start, end, "Role set"), results.append)
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot, rounds=2)
        assert isinstance(app.screen, NameDialog)
        assert "category" in app.screen.error
        await pilot.press("escape")
        await pilot.pause()
        assert results[-1] is None


# --- details ----------------------------------------------------------------------------------------


def code_row(project, path):
    return next(c for c in data.codes(project) if c.path == path)


def test_details_set_colour_key_and_texts_refuse_bad_ones_and_undo_in_one_step(demo):
    run(_details, demo)


async def _details(demo):
    from textual.widgets import Input

    from qcode.tui.screens.code_details import CodeDetailsDialog

    before = code_row(demo, "Role set/Coordinator")
    taken = next(c for c in data.codes(demo) if c.shortcut and c.path != before.path)
    used = {c.shortcut for c in data.codes(demo)}
    free = next(k for k in "zyxwvutsrqponmlkjihgfbaZYXWTSRQPOLKJIHFEDCBA" if k not in used and k not in "cdegGimMnNqruvV")
    app = Host(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot, rounds=2)
        tree = app.query_one(CodeTree)
        go_to(tree, "Role set/Coordinator")
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CodeDetailsDialog)
        assert dialog.query_one("#details-definition", Input).value == before.definition

        def field(key):
            return dialog.query_one(f"#details-{key}", Input)

        # refusals keep the dialog open and save nothing
        for key, value, said in (("color", "red", "is not a colour"),
                                 ("color", "#12345", "is not a colour"),
                                 ("shortcut", "c", "must be one digit or letter"),
                                 ("shortcut", taken.shortcut, f"already the key of {taken.path}")):
            field("color").value = before.color
            field("shortcut").value = before.shortcut or ""
            field(key).value = value
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert app.screen is dialog and said in dialog.error, (key, value, dialog.error)
        field("color").value = "#12ab34"
        field("shortcut").value = free
        field("when_to_use").value = "  IOM brings  [b]stakeholders[/b] together  "
        field("example").value = ""
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=2)
        assert app.screen is not dialog, dialog.error
        assert app.messages[-1] == "changed code Role set/Coordinator"
        assert label_of(tree, "Role set/Coordinator").startswith(f"■ Coordinator [{free}]")
        # nothing changed: nothing saved, no message
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot, rounds=2)
        assert len(app.messages) == 1
    after = code_row(demo, "Role set/Coordinator")
    assert (after.color, after.shortcut, after.when_to_use, after.example) == (
        "#12AB34", free, "IOM brings [b]stakeholders[/b] together", "")
    assert after.definition == before.definition and after.name_id == before.name_id
    assert undo_last(demo) == "code-update"
    again = code_row(demo, "Role set/Coordinator")
    assert (again.color, again.shortcut, again.when_to_use, again.example) == (
        before.color, before.shortcut, before.when_to_use, before.example)


def test_an_editing_key_with_no_code_highlighted_acts_on_the_first(demo):
    async def body():
        from qcode.tui.screens.code_details import CodeDetailsDialog

        app = Host(demo)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot, rounds=2)
            tree = app.query_one(CodeTree)
            assert tree.cursor_line == -1 and tree.has_focus  # no highlight until a key moves it
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, CodeDetailsDialog)
            assert app.screen.code.path == tree.highlighted_path == "Role of IO"

    run(body)
