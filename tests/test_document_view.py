"""DocumentView: the Line-API document widget (rendering, wrapping, selection, find, safety)."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("textual")

from textual.app import App, ComposeResult

from qcode.tui.widgets.document_view import DocumentView, Span, display_text, wrap_rows

INTERVIEW = (
    "R.: We sit in the plenary meetings of the task force, but we do not chair them.\n"
    "\n"
    "Interviewer: So the government sets the agenda?\n"
    "[00:01:02] R.: Mostly, yes. When the minister asked us, we did it. Then we left."
)


class DocApp(App):
    def __init__(self, text: str, spans=(), **kwargs):
        super().__init__(**kwargs)
        self._text = text
        self._spans = list(spans)
        self.changes: list[DocumentView.SelectionChanged] = []

    def compose(self) -> ComposeResult:
        yield DocumentView(self._text, self._spans)

    def on_document_view_selection_changed(self, message: DocumentView.SelectionChanged) -> None:
        self.changes.append(message)


def run(app: App, body, size=(60, 12)):
    async def main():
        async with app.run_test(size=size) as pilot:
            await body(pilot, app.query_one(DocumentView))

    asyncio.run(main())


def segments_at(view: DocumentView, offset: int):
    """The segment drawn at ``offset`` (its text starts with that character) and the row's segments."""
    row, x = view.offset_to_cell(offset)
    strip = view.render_line(row - int(view.scroll_y))
    cell = 0
    target = view.gutter_width + x
    for segment in strip:
        if cell <= target < cell + len(segment.text):
            return segment, list(strip)
        cell += len(segment.text)
    raise AssertionError("no segment at that offset")


def test_overlap_most_specific_background_and_underline_for_the_other():
    text = INTERVIEW
    outer = Span(4, 60, key=1, color="#ff0000", label="Arena")
    inner = Span(7, 10, key=2, color="#00ff00", label="Coordinator")  # "sit"

    async def body(pilot, view):
        view.blur()
        await pilot.pause()
        seg, row = segments_at(view, 7)
        assert seg.text.startswith("sit")
        assert seg.style.bgcolor.triplet.hex == "#00ff00"  # the shortest coding's colour
        assert seg.style.underline  # and another coding covers it too
        assert seg.style.color.triplet.hex == "#000000"  # readable on bright green
        only_outer, _ = segments_at(view, 4)
        assert only_outer.style.bgcolor.triplet.hex == "#ff0000" and not only_outer.style.underline
        # gutter: paragraph 1 and the mark "2" (two codes on this row)
        assert row[0].text.strip() == "1" and row[1].text == "2"
        label, _ = segments_at(view, 0)
        assert label.text == "R.:" and label.style.bold
        # the second paragraph in citations is line 3 (the empty line is not counted)
        row3, _ = view.offset_to_cell(text.index("Interviewer"))
        assert view.render_line(row3).text.split()[0] == "2"
        ts, _ = segments_at(view, text.index("[00"))
        assert ts.text.startswith("[00:01:02]") and ts.style.dim
        # recolouring after coding: set_spans invalidates the cache
        view.set_spans([outer])
        seg, _ = segments_at(view, 7)
        assert seg.style.bgcolor.triplet.hex == "#ff0000" and not seg.style.underline
        dark = Span(20, 30, key=3, color="#000080")
        view.set_spans([dark])
        seg, _ = segments_at(view, 20)
        assert seg.style.color.triplet.hex == "#ffffff"

    run(DocApp(text, [outer, inner]), body, size=(100, 12))


WIDE = "日本語のテキスト 😀😀 café naïve e\u0301\u0301 x " * 6 + "\n\nabc 文字 😀\n" + "z" * 70


@pytest.mark.parametrize("width", [1, 2, 3, 7, 13, 40])
def test_wrapping_wide_and_combining_characters_keeps_every_offset(width):
    from rich.cells import cell_len

    rows, _ = wrap_rows(WIDE, width)
    covered = []
    for start, end in rows:
        chunk = WIDE[start:end]
        assert "\n" not in chunk
        assert cell_len(chunk) <= max(width, 2)  # a 2-cell character still gets a 1-cell row
        if chunk and cell_len(chunk[0]) == 0:
            assert start == 0 or WIDE[start - 1] == "\n"  # never a combining mark cut from its base
        covered.extend(range(start, end))
    assert covered == [i for i, ch in enumerate(WIDE) if ch != "\n"]


def test_offsets_round_trip_through_row_and_cell():
    async def body(pilot, view):
        from rich.cells import get_character_cell_size

        for offset in range(len(WIDE) + 1):
            row, x = view.offset_to_cell(offset)
            if offset < len(WIDE) and WIDE[offset] != "\n" and get_character_cell_size(WIDE[offset]) == 0:
                continue  # a combining mark shares its base's cell
            assert view.cell_to_offset(row, x) == offset, offset
            # every offset is visible: its cell lies inside the text area
            assert x <= view._width
        assert view.rows[-1][1] == len(WIDE)

    run(DocApp(WIDE), body, size=(30, 10))


def test_shift_right_selects_the_exact_text():
    async def body(pilot, view):
        await pilot.press("ctrl+right", *["shift+right"] * 3)
        assert view.selection == (4, 7)  # ctrl+right skipped from "R" to "We"
        assert view.selected_text == "We "
        change = pilot.app.changes[-1]
        assert (change.start, change.end, change.cursor) == (4, 7, 7)
        await pilot.press("right")  # a plain move drops the selection
        assert view.selection is None and view.cursor == 8

    run(DocApp(INTERVIEW), body)


def test_capital_v_selects_the_paragraph_and_mark_mode_extends():
    async def body(pilot, view):
        view.move_to(INTERVIEW.index("government"))
        await pilot.press("V")
        assert view.selected_text == "Interviewer: So the government sets the agenda?"
        await pilot.press("escape")
        view.move_to(INTERVIEW.index("government"))
        await pilot.press("v", "ctrl+right", "ctrl+right")
        assert view.mark_mode
        start = INTERVIEW.index("government")
        assert view.selected_text == INTERVIEW[start:INTERVIEW.index("the agenda")]
        await pilot.press("v")  # leave mark mode: the selection stays until the next move
        assert not view.mark_mode and view.selection is not None

    run(DocApp(INTERVIEW), body)


def test_page_top_bottom_and_sentence_keys():
    text = "\n".join(f"R.: Turn {i}. It was hard! Was it? Yes." for i in range(60))

    async def body(pilot, view):
        await pilot.press("G")
        assert view.cursor == len(text) and view.row_of(view.cursor) >= view.scroll_y
        await pilot.press("g", "right_parenthesis")
        assert view.cursor == text.index("It was")
        await pilot.press("alt+s")
        assert view.selected_text == "It was hard!"
        await pilot.press("left_parenthesis")  # to the start of this sentence, then the one before
        assert view.selection is None and view.cursor == text.index("It was")
        await pilot.press("left_parenthesis")
        assert view.cursor == 0
        await pilot.press("shift+pagedown")
        height = view.scrollable_content_region.height
        assert view.selection == (0, view.cursor) and view.row_of(view.cursor) == height - 1
        assert view.scroll_y <= view.row_of(view.cursor) < view.scroll_y + height
        await pilot.press("pagedown")
        assert view.selection is None and view.row_of(view.cursor) == 2 * (height - 1)
        assert view.scroll_y <= view.row_of(view.cursor) < view.scroll_y + height

    run(DocApp(text), body)


def test_mouse_drag_selects_and_a_click_only_moves_the_cursor():
    async def body(pilot, view):
        g = view.gutter_width
        await pilot.mouse_down(view, offset=(g + 4, 0))
        await pilot.hover(view, offset=(g + 11, 0))
        await pilot.mouse_up(view, offset=(g + 11, 0))
        assert view.selection == (4, 11)
        assert view.selected_text == "We sit "
        await pilot.click(view, offset=(g + 2, 0))
        assert view.selection is None and view.cursor == 2

    run(DocApp(INTERVIEW), body, size=(100, 12))


def test_find_next_and_previous_select_the_match_and_scroll():
    text = "\n".join(f"line {i} about nothing" for i in range(200)) + "\nThe İstanbul office. istanbul"

    async def body(pilot, view):
        matches = view.find("line 19")
        assert [text[a:b] for a, b in matches] == ["line 19"] * 11
        found = view.find("line 150 ")
        assert view.next_match() == found[0]
        assert view.selected_text == "line 150 "
        row = view.row_of(found[0][0])
        assert view.scroll_y <= row < view.scroll_y + view.scrollable_content_region.height
        view.find("about")
        view.move_to(text.index("line 3 "))
        assert view.next_match()[0] == text.index("about", text.index("line 3 "))
        await pilot.press("N")
        assert view.selection[0] == text.index("about", text.index("line 2 "))
        await pilot.press("n", "n")
        assert view.selection[0] == text.index("about", text.index("line 4 "))

    run(DocApp(text), body)


def test_case_insensitive_find_keeps_offsets_exact_with_dotted_capital_i():
    text = "İİİ said: İstanbul, ISTANBUL and istanbul. ß straße STRASSE"

    async def body(pilot, view):
        for term in ("istanbul", "İSTANBUL"):
            found = view.find(term)
            assert [text[a:b] for a, b in found] == ["İstanbul", "ISTANBUL", "istanbul"]
        assert [text[a:b] for a, b in view.find("STRASSE")] == ["STRASSE"]  # no full case folding
        assert view.next_match() == (text.index("STRASSE"), len(text))
        assert view.selected_text == "STRASSE"

    run(DocApp(text), body)


def test_markup_is_shown_literally_and_a_click_on_it_does_nothing():
    text = "Before [inaudible] and [@click=app.quit]quit[/] and [bold]x[/bold]."

    async def body(pilot, view):
        line = view.render_line(0).text
        assert "[inaudible]" in line and "[@click=app.quit]quit[/]" in line and "[bold]x[/bold]" in line
        for segment in view.render_line(0):
            assert not segment.style or not segment.style.meta
        x = view.gutter_width + text.index("[@click")
        await pilot.click(view, offset=(x + 3, 0))
        await pilot.pause()
        assert pilot.app.is_running and pilot.app.return_code is None
        assert view.cursor == text.index("[@click") + 3

    run(DocApp(text), body, size=(100, 8))


def test_no_control_character_reaches_the_terminal():
    text = "red \x1b[31mALERT\x1b[0m \x9b31m bell\x07 osc \x1b]8;;http://x\x07link\ttab\x00nul\x7f"
    assert display_text(text) == text.translate({c: "\ufffd" for c in range(0x20) if c != 9} | {9: " "}
                                                | {c: "\ufffd" for c in range(0x7f, 0xa0)})

    async def body(pilot, view):
        drawn = ""
        for y in range(len(view.rows)):
            for segment in view.render_line(y):
                assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in segment.text), segment
                drawn += segment.text
        assert "\ufffd[31mALERT" in drawn

    run(DocApp(text, [Span(0, 8, 1, "#336699", "c")]), body, size=(40, 8))


def test_resize_rewraps_and_keeps_offsets():
    text = " ".join(f"word{i}" for i in range(300))

    async def body(pilot, view):
        wide = len(view.rows)
        view.move_to(text.index("word250"))
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert len(view.rows) > wide
        assert max(end - start for start, end in view.rows) <= view._width
        assert view.selection is None and view.cursor == text.index("word250")
        row = view.row_of(view.cursor)
        assert view.scroll_y <= row < view.scroll_y + view.scrollable_content_region.height
        assert "".join(text[a:b] for a, b in view.rows) == text

    run(DocApp(text), body, size=(100, 12))


def test_every_binding_has_an_id():
    ids = [binding.id for binding in DocumentView.BINDINGS]
    assert all(ids) and len(set(ids)) == len(ids)
    assert "select-paragraph" in ids and "toggle-mark-mode" in ids

    async def body(pilot, view):  # a user keymap remaps by id
        pilot.app.set_keymap({"select-paragraph": "p"})
        await pilot.press("p")
        assert view.selected_text == INTERVIEW.split("\n")[0]

    run(DocApp(INTERVIEW), body)


class SnapApp(App):
    def compose(self) -> ComposeResult:
        yield DocumentView(INTERVIEW, [Span(4, 80, 1, "#5f87d7", "Arena"),
                                       Span(7, 10, 2, "#ffaf00", "Coordinator")])


def test_snapshot_of_a_coded_document(snap_compare):
    assert snap_compare(SnapApp(), terminal_size=(60, 10))


def test_a_few_changed_spans_are_applied_in_place_and_draw_as_a_rebuild_would():
    import random

    rng = random.Random(5)
    text = "".join(rng.choice("abc de\n") for _ in range(3000))

    def random_span(key):
        start = rng.randrange(0, 2900)
        return Span(start, start + rng.randint(1, 100), key=key, color=rng.choice(["#ff0000", "#00ff00", "#0000ff"]),
                    label=f"c{key}")

    spans = [random_span(k) for k in range(300)]
    view = DocumentView(text, spans)
    for round_ in range(20):
        removed = rng.sample(spans, 3)
        spans = [s for s in spans if s not in removed] + [random_span(1000 + round_ * 5 + i) for i in range(4)]
        view.set_spans(spans)
        fresh = DocumentView(text, spans)
        for offset in range(len(text)):
            here, expected = view.spans_at(offset), fresh.spans_at(offset)
            assert set(here) == set(expected), offset
            if expected:  # the most specific span is drawn on top in both
                assert (here[0].end - here[0].start, -here[0].start) == \
                    (expected[0].end - expected[0].start, -expected[0].start)


def test_a_document_with_many_codings_shows_its_first_screen_first_then_every_span():
    import asyncio
    import random

    from textual.app import App

    rng = random.Random(9)
    text = "\n".join("".join(rng.choice("abcde fgh") for _ in range(80)) for _ in range(1000))
    spans = []
    for key in range(3000):
        start = rng.randrange(0, len(text) - 300)
        spans.append(Span(start, start + rng.randint(1, 300), key=key, color="#ff0000", label=f"c{key}"))

    class Host(App):
        def compose(self):
            yield DocumentView()

    async def body():
        app = Host()
        async with app.run_test(size=(100, 30)) as pilot:
            view = app.query_one(DocumentView)
            view.load(text, spans)
            assert len(view.spans) == 3000  # the whole set, even before it is all drawn
            far = next(s for s in spans if s.start > 2 * DocumentView.FIRST_WINDOW)
            await pilot.pause()
            await pilot.pause()
            fresh = DocumentView(text, spans)
            assert set(view.spans_at(far.start)) == set(fresh.spans_at(far.start))
            assert far in view.spans_at(far.start)
            assert "".join(seg.text for seg in view.render_line(0)).strip()  # drawn, with text
    asyncio.run(body())


def test_v_on_a_blank_line_selects_the_paragraph_that_follows_or_the_last_one():
    view = DocumentView("First turn.\n\nSecond turn.\n\n")
    view.move_to(len("First turn.\n"))  # the blank line between the turns
    view.action_select_paragraph()
    assert view.selected_text == "Second turn."
    view.move_to(len(view.text))  # the blank end: the paragraph before
    view.action_select_paragraph()
    assert view.selected_text == "Second turn."
    view.move_to(3)
    view.action_select_paragraph()
    assert view.selected_text == "First turn."


def _long_text(lines: int = 2000) -> str:
    import random

    rng = random.Random(3)
    words = ["kerja", "IOM", "bekerja", "the", "task", "force", "migrant", "workers", "ministry", "é"]
    return "\n".join(f"R{n}: " + " ".join(rng.choice(words) for _ in range(rng.randint(0, 40)))
                     for n in range(lines))


def test_a_long_document_wraps_its_first_screens_first_then_the_rest_as_a_full_wrap_would():
    text = _long_text()
    assert len(text) > 4 * DocumentView.FIRST_WINDOW

    async def body(pilot, view):
        await pilot.pause()
        await pilot.pause()
        expected, expected_lines = wrap_rows(display_text(text), view._width)
        assert view._rows == expected and view._row_line == expected_lines  # the rest came after the frame
        assert view.virtual_size.height == len(expected)
        assert view.row_of(len(text)) == len(expected) - 1

    run(DocApp(text), body, size=(70, 20))


def test_a_motion_or_a_far_offset_before_the_rest_is_wrapped_wraps_it_at_once():
    text = _long_text()
    view = DocumentView(text)
    view.wrap(60, upto=DocumentView.FIRST_WINDOW)
    assert view._partly_wrapped and view._rows[-1][1] < len(text)
    full, _ = wrap_rows(display_text(text), view._width)
    assert view.row_of(len(text)) == len(full) - 1  # asking for a far offset wraps the rest
    assert not view._partly_wrapped and view._rows == full

    async def body(pilot, view):
        view.wrap(view.size.width, upto=0)  # as if the rest were still to come
        assert view._partly_wrapped
        await pilot.press("G")  # bottom: the motion counts rows to the end
        assert view.cursor == len(text) and not view._partly_wrapped
        row, _ = view.offset_to_cell(len(text))
        assert int(view.scroll_y) <= row < int(view.scroll_y) + view.scrollable_content_region.height
        await pilot.press("g")
        view.wrap(view.size.width, upto=0)
        view.scroll_to(y=view.max_scroll_y, animate=False, immediate=True)
        await pilot.pause()  # drawing rows past the wrapped part wraps the rest
        assert not view._partly_wrapped

    run(DocApp(text), body, size=(70, 20))
