"""The coding screen's reading and correcting keys: find, go to, jump, recode and uncode with a chooser,
help, the command palette's commands, keymaps, and a project that cannot be opened."""

from __future__ import annotations

import asyncio

import pytest
from helpers_tui import settle
from textual.widgets import Input, OptionList

from qcode.core import open_project
from qcode.tui.app import ProblemScreen, QcodeApp
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.screens.dialogs import AskText, CodingChooser
from qcode.tui.screens.help import HelpScreen
from qcode.tui.widgets.document_view import DocumentView

DOCUMENT = "interview-iom-programme-officer.docx"
VTT = "webinar-safe-migration.vtt"


async def wait_until(pilot, condition, seconds: float = 10.0) -> None:
    """Keys replayed after a dialog opens arrive one at a time: wait for what they should do."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)


def run(coroutine):
    asyncio.run(coroutine)


def mine(path, document=DOCUMENT):
    with open_project(path) as project:
        return sorted((c.code, c.start, c.end) for c in project.codings.list(document=document, coder="tester"))


def test_find_as_you_type_then_code_the_match(demo):
    async def body():
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            view = app.screen.query_one(DocumentView)
            await pilot.press("slash", *"task force")
            await pilot.pause()
            first = view.text.lower().index("task force")
            assert view.selection == (first, first + len("task force"))
            assert str(app.screen.query_one("#find #count").render()).startswith("1/")
            await pilot.press("enter")  # keep the match and go back to the document
            await pilot.pause()
            assert app.focused is view and view.selection == (first, first + 10)
            await pilot.press("n")
            second = view.text.lower().index("task force", first + 1)
            assert view.selection == (second, second + 10)
            await pilot.press("5")
            await settle(app, pilot)
            assert mine(demo) == [("Role set/Coordinator", second, second + 10)]
            # escape leaves the find where it began
            view.move_to(100)
            await pilot.press("slash", *"ministry")
            await pilot.pause()
            assert view.cursor != 100
            await pilot.press("escape")
            await pilot.pause()
            assert view.cursor == 100 and app.focused is view
    run(body())


def test_go_to_a_paragraph_and_a_time(demo):
    async def body():
        app = QcodeApp(demo, document=VTT, coder="tester")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            view = app.screen.query_one(DocumentView)
            with open_project(demo) as project:
                cues = project.documents.get(VTT).metadata["cues"]
            await pilot.press("colon")
            await pilot.pause()
            assert isinstance(app.screen, AskText)
            await pilot.press(*"0:00:25", "enter")  # inside the third cue (21 s to 38 s)
            await pilot.pause()
            assert view.cursor == cues[2]["start"]
            await pilot.press("ctrl+g", *"999", "enter")  # no such paragraph: the dialog says so and stays
            await pilot.pause()
            assert isinstance(app.screen, AskText)
            assert "paragraph 999 is not in this document" in str(app.screen.query_one("#why").render())
            field = app.screen.query_one(Input)
            field.value = "2"
            await pilot.press("enter")
            await pilot.pause()
            lines = view.text.split("\n")
            second = [i for i, line in enumerate(lines) if line.strip()][1]
            assert view.cursor == sum(len(line) + 1 for line in lines[:second])
            assert "¶2" in str(app.screen.query_one("#status").render())
    run(body())


def test_uncode_and_recode_choose_among_overlapping_codings(demo):
    async def body():
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            view = app.screen.query_one(DocumentView)
            turn = view.text.index("R.: Our unit works")
            view.move_to(turn + 5)
            await pilot.press("V", "5")  # Coordinator on the whole turn
            await settle(app, pilot)
            view.select(turn + 4, turn + 12)  # "Our unit"
            await pilot.press("2")  # Arena on a phrase inside it: an overlap
            await settle(app, pilot)
            assert [c[0] for c in mine(demo)] == ["Role of IO/Arena", "Role set/Coordinator"]
            view.move_to(turn + 6)
            await pilot.press("r")
            await pilot.pause()
            assert isinstance(app.screen, CodingChooser)
            options = app.screen.query_one(OptionList)
            assert options.option_count == 2
            first = str(options.get_option_at_index(0).prompt)
            assert first.startswith("Role of IO/Arena")  # the most specific first
            await pilot.press("enter")  # recode Arena ...
            await pilot.pause()
            await pilot.press(*"instrument")
            await pilot.pause()
            await pilot.press("enter")  # ... as Instrument
            await settle(app, pilot)
            assert [c[0] for c in mine(demo)] == ["Role of IO/Instrument", "Role set/Coordinator"]
            await pilot.press("u")
            await pilot.pause()
            await pilot.press("down", "enter")  # uncode the second: Coordinator
            await settle(app, pilot)
            assert [c[0] for c in mine(demo)] == ["Role of IO/Instrument"]
            await pilot.press("ctrl+z", "ctrl+z")
            await settle(app, pilot)
            assert [c[0] for c in mine(demo)] == ["Role of IO/Arena", "Role set/Coordinator"]
    run(body())


def test_jump_to_the_codings_of_the_code_in_focus(demo):
    async def body():
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            screen = app.screen
            view = screen.query_one(DocumentView)
            await pilot.press("right_square_bracket")
            assert view.cursor == 657  # the first coding of any code
            screen.focus_code = "Role of IO"  # as highlighting it in the tree does
            await pilot.press("right_curly_bracket")
            assert view.cursor == 929  # Instrument, below Role of IO
            await pilot.press("right_curly_bracket")
            assert view.cursor == 1441  # Independent actor (Stakeholder/Ministries at 983 is skipped)
            await pilot.press("left_curly_bracket")
            assert view.cursor == 929
    run(body())


def test_help_lists_keys_with_their_ids_and_a_keymap_remaps_them(demo, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[keys]\ncode-finder = "f5"\n', encoding="utf-8")
    monkeypatch.setenv("QCODE_CONFIG", str(config))

    async def body():
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            shown = {row for _, rows in app.screen.sections for row in rows}
            assert ("f5", "Code", "code-finder") in shown
            assert any(ident == "select-paragraph" for _, _, ident in shown)
            assert ("5", "Role set/Coordinator") in app.screen.shortcuts
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, CodingScreen)
            await pilot.press("f5")
            await pilot.pause()
            assert type(app.screen).__name__ == "CodeFinder"
    run(body())


def test_palette_offers_what_fits_the_coding_screen(demo):
    async def body():
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            titles = [title for title, _, _ in app.screen.palette_commands()]
            assert "Apply code: Role set/Coordinator" in titles
            assert f"Go to document: {VTT}" in titles
            view = app.screen.query_one(DocumentView)
            view.select(10, 20)
            {t: c for t, _, c in app.screen.palette_commands()}["Apply code: Role set/Coordinator"]()
            await settle(app, pilot)
            assert mine(demo) == [("Role set/Coordinator", 10, 20)]
            {t: c for t, _, c in app.screen.palette_commands()}[f"Go to document: {VTT}"]()
            await settle(app, pilot)
            assert app.screen.document_name == VTT
    run(body())


def test_a_document_of_markup_and_escapes_shows_as_typed(tmp_path):
    from qcode.core import create_project
    path = tmp_path / "m.qcode"
    text = "[b]x[/b] [inaudible] [@click=app.quit]click[/] \x1b[31mred"
    with create_project(path) as project:
        project.documents.add(name="m.txt", text=text, format="txt", sha256="m", source_file="m.txt",
                              size=len(text))

    async def body():
        app = QcodeApp(path, document="m.txt", coder="tester")
        async with app.run_test(size=(100, 24)) as pilot:
            await settle(app, pilot)
            view = app.screen.query_one(DocumentView)
            await pilot.click(DocumentView, offset=(20, 0))
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, CodingScreen)
            line = "".join(segment.text for segment in view.render_line(0))
            assert "[b]x[/b] [inaudible] [@click=app.quit]click[/]" in line
            assert "\x1b" not in line
    run(body())


@pytest.mark.parametrize("content, says", [
    (None, "no such project"), (b"", "is empty"), (b"not a database at all" * 100, "not a qcode project"),
])
def test_a_project_that_cannot_be_opened_gets_words_not_a_traceback(tmp_path, content, says):
    path = tmp_path / "x.qcode"
    if content is not None:
        path.write_bytes(content)

    async def body():
        app = QcodeApp(path, coder="tester")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            assert isinstance(app.screen, ProblemScreen)
            assert says in app.screen.message
            await pilot.press("q")
            await pilot.pause()
        assert app.return_code in (0, None)
    run(body())


def test_keys_typed_fast_after_c_or_slash_go_to_the_dialog_not_to_shortcuts(demo):
    """A terminal delivers `c` and `koord` in one burst: `k` and `o` are also codebook shortcuts."""
    from textual import events

    async def body():
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            view = app.screen.query_one(DocumentView)
            view.move_to(view.text.index("R.: Our unit works") + 3)
            for key in ["V", "c", *"koord"]:
                app.post_message(events.Key(key, key))
            await wait_until(pilot, lambda: type(app.screen).__name__ == "CodeFinder"
                             and app.screen.query_one(Input).value == "koord")
            assert type(app.screen).__name__ == "CodeFinder"
            assert app.screen.query_one(Input).value == "koord"
            app.post_message(events.Key("enter", "\r"))
            await settle(app, pilot)
            assert [code for code, _, _ in mine(demo)] == ["Role set/Coordinator"]
            for key in ["slash", *"ministry"]:
                app.post_message(events.Key(key, "/" if key == "slash" else key))
            # the find bar's field is mounted when the bar first opens
            await wait_until(pilot, lambda: any(f.value == "ministry" for f in app.screen.query("#find Input")))
            field = app.screen.query_one("#find Input", Input)
            assert field.value == "ministry"
            # one line, no border, also when it has the focus (a focused Input's border took over once)
            assert field.region.height == 1 and not field.styles.border_top[0]
            assert view.selected_text.lower() == "ministry"
            assert [code for code, _, _ in mine(demo)] == ["Role set/Coordinator"]  # no shortcut taken
    run(body())


def test_the_side_panel_shows_the_document_then_the_rules_of_the_code_here(demo):
    async def body():
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(130, 36)) as pilot:
            await settle(app, pilot)
            rules = app.screen.query_one("#rules")
            card = str(rules.render())
            assert "Case: IOM Indonesia" in card and "organisation: IOM" in card and "12 codings" in card
            view = app.screen.query_one(DocumentView)
            await pilot.press("right_square_bracket")  # the first coding: Supporting role
            await pilot.pause()
            shown = str(rules.render())
            assert shown.startswith("Role set/Supporting role") and "Use when:" in shown and "(demo)" in shown
            assert view.cursor == 657
    run(body())


def test_v_then_a_code_key_typed_in_one_burst_codes_the_paragraph(demo):
    """The shortcut is a binding like V, so the two run in the order typed (seen in tmux: `V3`)."""
    from textual import events

    async def body():
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            view = app.screen.query_one(DocumentView)
            turn = view.text.index("R.: Our unit works")
            view.move_to(turn + 3)
            for key in ("V", "3"):
                app.post_message(events.Key(key, key))
            await settle(app, pilot)
            end = view.text.index("\n", turn)
            assert mine(demo) == [("Role of IO/Independent actor", turn, end)]
    run(body())


def test_a_burst_through_the_go_to_dialog_goes_then_codes(demo):
    """`:1:20⏎V3` as a script or a paste sends it: each held key is passed on after the one before."""
    from textual import events

    async def body():
        app = QcodeApp(demo, document=VTT, coder="tester")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            view = app.screen.query_one(DocumentView)
            for key, character in [("colon", ":"), ("1", "1"), ("colon", ":"), ("2", "2"), ("0", "0"),
                                   ("enter", "\r"), ("V", "V"), ("3", "3")]:
                app.post_message(events.Key(key, character))
            await wait_until(pilot, lambda: bool(mine(demo, VTT)))
            await settle(app, pilot)
            with open_project(demo) as project:
                cue = next(c for c in project.documents.get(VTT).metadata["cues"] if c["begin_s"] <= 80 < c["end_s"] + 1)
            assert isinstance(app.screen, CodingScreen)
            assert mine(demo, VTT) == [("Role of IO/Independent actor", cue["start"], view.text.index("\n", cue["start"]))]
    run(body())


def test_keys_typed_for_a_dialog_that_cannot_open_are_dropped_not_run(demo):
    """m with no coding at the cursor only says so: `IOM note` typed after it must not code (I is a
    shortcut) nor open the document memo (M)."""
    from textual import events

    async def body():
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            view = app.screen.query_one(DocumentView)
            view.select(0, 10)  # no coding here
            for key in ["m", *"IOM"]:
                app.post_message(events.Key(key, key))
            await pilot.pause(0.8)
            await settle(app, pilot)
            assert isinstance(app.screen, CodingScreen) and mine(demo) == []
    run(body())


def test_after_v_and_a_code_m_writes_on_that_coding(demo):
    async def body():
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            view = app.screen.query_one(DocumentView)
            view.move_to(view.text.index("Interviewer: Thank you") + 3)
            await pilot.press("V", "5")
            await settle(app, pilot)
            await pilot.press("m")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "MemoEditor"
            assert "Role set/Coordinator" in app.screen.heading
    run(body())


@pytest.mark.parametrize("document", ["no-such-document.txt", DOCUMENT])
def test_opening_at_a_document_of_a_missing_project_or_a_missing_document_says_so(tmp_path, demo, document):
    async def body(path):
        app = QcodeApp(path, document=document, coder="tester")
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await settle(app, pilot)
            if path.exists():  # a document that is not there: the coding screen says so, once
                assert isinstance(app.screen, CodingScreen)
                assert any("no-such-document.txt" in str(n.message) for n in app._notifications)
            else:
                assert isinstance(app.screen, ProblemScreen) and "no such project" in app.screen.message
    run(body(demo if document != DOCUMENT else tmp_path / "gone.qcode"))


def test_the_document_picker_filters_as_you_type(demo):
    async def body():
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            await pilot.press("d")
            await settle(app, pilot)
            options = app.screen.query_one(OptionList)
            assert options.option_count == 9
            await pilot.press(*"wawancara")
            await pilot.pause()
            assert [options.get_option_at_index(i).id for i in range(options.option_count)] == \
                ["wawancara-gugus-tugas-ntt.txt", "wawancara-bp2mi.odt"]
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, CodingScreen) and app.screen.document_name == "wawancara-gugus-tugas-ntt.txt"
    run(body())


def test_a_bad_config_or_an_unknown_theme_is_said_in_words_and_the_app_runs(demo, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('theme = "nope[b]x[/b]"\n', encoding="utf-8")
    monkeypatch.setenv("QCODE_CONFIG", str(config))

    async def body():
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await settle(app, pilot)
            assert isinstance(app.screen, CodingScreen)
            assert any("no theme 'nope[b]x[/b]'" in str(n.message) for n in app._notifications)
        config.write_text("[keys\n", encoding="utf-8")
        app = QcodeApp(demo, document=DOCUMENT, coder="tester")
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await settle(app, pilot)
            assert isinstance(app.screen, CodingScreen)
            assert any("not valid TOML" in str(n.message) for n in app._notifications)
            await pilot.press("c")  # the usual keys work
            await pilot.pause()
            assert type(app.screen).__name__ == "CodeFinder"
    run(body())
