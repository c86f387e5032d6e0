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


def test_a_long_document_shows_its_first_codings_first_then_all_of_them(tmp_path):
    """Opening at a document reads only the codings of its first screens before the first frame;
    the rest follow once it is drawn, and then the screen holds every coding."""
    import gc

    from qcode.core import create_project
    from qcode.core.codings import CodingRequest

    text = "\n".join(f"R{n}: the task force met the ministry and IOM again." for n in range(2000))
    path = tmp_path / "long.qcode"
    with create_project(path, coder="tester") as project:
        project.documents.add(name="long.txt", text=text, format="txt", sha256="x", source_file="long.txt",
                              size=len(text))
        starts = range(0, len(text) - 10, 997)
        project.codings.add_many([CodingRequest("long.txt", s, s + 8, "Theme/Code") for s in starts])
    first_shown = []

    async def body():
        app = QcodeApp(path, document="long.txt", coder="tester")
        async with app.run_test(size=(100, 30)) as pilot:
            while not hasattr(app.screen, "doc") or app.screen.doc is None:
                await pilot.pause(0.01)
            first_shown.append((app.screen.doc.complete, len(app.screen.doc.codings)))
            await settle(app, pilot, rounds=2)
            view = app.screen.query_one(DocumentView)
            assert app.screen.doc.complete and len(app.screen.doc.codings) == len(starts)
            assert len(view.spans) == len(starts)
            far = starts[-1]
            assert [s.label for s in view.spans_at(far + 1)] == ["Theme/Code"]
            assert gc.isenabled()  # the collector, paused for the first frame, runs again

    asyncio.run(body())
    complete, count = first_shown[0]
    assert not complete and 0 < count < len(starts)
    assert gc.isenabled()


def test_the_title_bar_shows_names_as_plain_text(tmp_path):
    from qcode.core import create_project
    from qcode.tui.widgets.title_bar import TitleBar

    path = tmp_path / "p.qcode"
    name = "[b]bold[/b] [@click=app.quit]x[/].txt"
    with create_project(path, coder="tester") as project:
        project.documents.add(name=name, text="Interviewer: hello.", format="txt", sha256="y", source_file=name,
                              size=19)

    async def body():
        app = QcodeApp(path, document=name, coder="tester")
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(app, pilot)
            shown = str(app.screen.query_one(TitleBar).render())
            assert shown == f"qcode · p — {name}"
            app.screen.sub_title = "other"
            await pilot.pause()
            assert str(app.screen.query_one(TitleBar).render()) == "qcode · p — other"

    asyncio.run(body())


def test_every_binding_names_an_action_that_exists():
    """A binding whose action is missing does nothing and hides the app's own binding for its key
    (tab did nothing on the coding screen: Screen has no action_focus_next)."""
    import importlib
    import inspect
    import pkgutil

    from textual.app import App
    from textual.binding import Binding
    from textual.dom import DOMNode

    import qcode.tui.app
    import qcode.tui.screens
    import qcode.tui.widgets

    modules = [qcode.tui.app] + [importlib.import_module(f"{package.__name__}.{info.name}")
                                 for package in (qcode.tui.screens, qcode.tui.widgets)
                                 for info in pkgutil.iter_modules(package.__path__)]
    missing, checked = [], 0
    for module in modules:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, DOMNode) or not cls.__module__.startswith("qcode."):
                continue
            for binding in cls.__dict__.get("BINDINGS", []):
                if not isinstance(binding, Binding):
                    continue
                target, action = cls, binding.action
                if action.startswith("app."):
                    target, action = App, action[4:]
                checked += 1
                if not hasattr(target, f"action_{action.partition('(')[0]}"):
                    missing.append(f"{cls.__name__}: {binding.key} -> {binding.action}")
    assert checked > 50 and missing == []


def test_tab_moves_from_the_document_to_the_next_pane(demo):
    async def body():
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            assert isinstance(app.focused, DocumentView)
            await pilot.press("tab")
            assert app.focused is app.screen.query_one("#side")
            await pilot.press("tab")
            assert type(app.focused).__name__ == "CodeTree"

    asyncio.run(body())
