"""DocumentView: a read-only, coded document drawn with Textual's Line API.

Only the visible rows are drawn (``render_line``), each from precomputed display rows of
``(start, end)`` code-point offsets, and cached until the spans, the width or the focus change.
Document text is data, never markup: rows are built from plain ``Segment``s, control characters are
replaced by U+FFFD at render time, so nothing in a document can reach the terminal as an escape
sequence or a click action.

Offsets are 0-based code points with an exclusive end, as everywhere in qcode.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate, pairwise
from typing import ClassVar, NamedTuple

from rich.cells import cell_len, get_character_cell_size
from rich.color import Color as RichColor
from rich.color import ColorParseError
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

__all__ = ["DocumentView", "Span", "display_text", "wrap_rows"]


class Span(NamedTuple):
    """One coded span to draw: offsets, the coding's key, the code's colour and name.

    A tuple, so that comparing and hashing thousands of them (to find what changed) is fast."""

    start: int
    end: int
    key: object = None
    color: str = "#808080"
    label: str = ""

    @property
    def length(self) -> int:
        return self.end - self.start


# C0 and C1 controls (and DEL) become U+FFFD, a tab becomes one space: a 1:1 mapping, so display
# offsets are document offsets.
_DISPLAY = {c: "\ufffd" for c in [*range(0x20), *range(0x7F, 0xA0)]}
_DISPLAY[0x09] = " "
_DISPLAY[0x2028] = _DISPLAY[0x2029] = "\ufffd"  # line and paragraph separators: no line breaks inside a row
del _DISPLAY[0x0A]  # line ends split rows; a row never holds one
_DISPLAY_TABLE = str.maketrans(_DISPLAY)


def display_text(text: str) -> str:
    """``text`` as it is drawn: same length, every control character made visible and harmless."""
    return text.translate(_DISPLAY_TABLE)


def _cw(char: str) -> int:
    width = _WIDTHS.get(char)
    if width is None:
        width = _WIDTHS[char] = get_character_cell_size(char)
    return width


# Characters one cell wide for certain (the ranges rich.cells treats as single-cell): a line made only
# of these wraps by code points, with no per-character measuring.
_SINGLE_CELL = frozenset(
    chr(c) for a, b in ((0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482), (0x2500, 0x25FC),
                        (0x2800, 0x28FF)) for c in range(a, b + 1)
)
_is_single_cell = _SINGLE_CELL.issuperset
_WIDTHS: dict[str, int] = {}  # cell width by character, filled as characters are met


def _wrap_line(s: str, base: int, width: int, rows: list[tuple[int, int]]) -> None:
    """Append the display rows of one line ``s`` (starting at offset ``base``), soft-wrapped by words.

    A row breaks after the last space that fits, else (one long word) at the width; a row never
    starts with a combining mark cut from its base, and a row of one wide character may be wider
    than a 1-cell ``width``.
    """
    n = len(s)
    if n == 0:
        rows.append((base, base))
        return
    pos = 0
    if s.isascii() or _is_single_cell(s):
        while n - pos > width:
            end = pos + width
            space = s.rfind(" ", pos + 1, end)
            brk = space + 1 if space != -1 else end
            rows.append((base + pos, base + brk))
            pos = brk
        rows.append((base + pos, base + n))
        return
    # cells[k] = cell width of s[:k]; zero-width characters repeat a value, so bisect_right skips them
    widths = _WIDTHS
    try:
        cells = list(accumulate(map(widths.__getitem__, s), initial=0))
    except KeyError:  # characters not met before: measure each once
        for char in set(s).difference(widths):
            widths[char] = get_character_cell_size(char)
        cells = list(accumulate(map(widths.__getitem__, s), initial=0))
    total = cells[-1]
    while total - cells[pos] > width:
        end = bisect_right(cells, cells[pos] + width, pos) - 1  # the first character that does not fit
        if end <= pos:
            end = pos + 1
            while end < n and cells[end + 1] == cells[end]:
                end += 1
        space = s.rfind(" ", pos + 1, end)
        brk = space + 1 if space != -1 else end
        rows.append((base + pos, base + brk))
        pos = brk
    rows.append((base + pos, base + n))


def wrap_rows(display: str, width: int, base: int = 0, first_line: int = 0) -> tuple[list[tuple[int, int]], list[int]]:
    """Display rows ``(start, end)`` of ``display`` wrapped to ``width`` cells, and each row's line index.

    ``display`` may be the tail of a text: ``base`` is the offset of its first character and
    ``first_line`` the index of its first line in the whole text."""
    width = max(1, width)
    rows: list[tuple[int, int]] = []
    row_line: list[int] = []
    for index, line in enumerate(display.split("\n") if "\n" in display else [display], first_line):
        before = len(rows)
        _wrap_line(line, base, width, rows)
        row_line.extend([index] * (len(rows) - before))
        base += len(line) + 1
    return rows, row_line


_SPEAKER = re.compile(
    r"(?P<ts>[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]\s*)?"
    r"(?P<name>[^\W_][^:\n\[\]]{0,29}?:)(?=\s|$)"
)
_TIMESTAMP_ONLY = re.compile(r"[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]")
_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+|\n+")


def _contrast_foreground(color: RichColor) -> str:
    r, g, b = color.get_truecolor()

    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    # contrast with black (lum+0.05)/0.05 against white 1.05/(lum+0.05)
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


class DocumentView(ScrollView, can_focus=True):
    """A read-only document with coded spans, a paragraph gutter, a cursor and a selection."""

    ALLOW_SELECT = False  # the widget owns its selection (offsets), not Textual's screen selection

    DEFAULT_CSS = """
    DocumentView {
        overflow-x: hidden;
        overflow-y: scroll;
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move('left')", "Left", show=False, id="cursor-left"),
        Binding("right", "move('right')", "Right", show=False, id="cursor-right"),
        Binding("up", "move('up')", "Up", show=False, id="cursor-up"),
        Binding("down", "move('down')", "Down", show=False, id="cursor-down"),
        Binding("home", "move('row_start')", "Row start", show=False, id="cursor-row-start"),
        Binding("end", "move('row_end')", "Row end", show=False, id="cursor-row-end"),
        Binding("pageup", "move('page_up')", "Page up", show=False, id="cursor-page-up"),
        Binding("pagedown", "move('page_down')", "Page down", show=False, id="cursor-page-down"),
        Binding("ctrl+home,g", "move('top')", "Top", show=False, id="cursor-top"),
        Binding("ctrl+end,G", "move('bottom')", "Bottom", show=False, id="cursor-bottom"),
        Binding("ctrl+right", "move('word_next')", "Next word", show=False, id="cursor-word-next"),
        Binding("ctrl+left", "move('word_previous')", "Previous word", show=False,
                id="cursor-word-previous"),
        Binding("right_parenthesis", "move('sentence_next')", "Next sentence", show=False,
                id="cursor-sentence-next"),
        Binding("left_parenthesis", "move('sentence_previous')", "Previous sentence", show=False,
                id="cursor-sentence-previous"),
        Binding("shift+left", "move('left', True)", "Select left", show=False, id="select-left"),
        Binding("shift+right", "move('right', True)", "Select right", show=False, id="select-right"),
        Binding("shift+up", "move('up', True)", "Select up", show=False, id="select-up"),
        Binding("shift+down", "move('down', True)", "Select down", show=False, id="select-down"),
        Binding("shift+home", "move('row_start', True)", "Select to row start", show=False,
                id="select-row-start"),
        Binding("shift+end", "move('row_end', True)", "Select to row end", show=False,
                id="select-row-end"),
        Binding("shift+pageup", "move('page_up', True)", "Select page up", show=False,
                id="select-page-up"),
        Binding("shift+pagedown", "move('page_down', True)", "Select page down", show=False,
                id="select-page-down"),
        Binding("ctrl+shift+home", "move('top', True)", "Select to top", show=False, id="select-top"),
        Binding("ctrl+shift+end", "move('bottom', True)", "Select to bottom", show=False,
                id="select-bottom"),
        Binding("ctrl+shift+right", "move('word_next', True)", "Select next word", show=False,
                id="select-word-next"),
        Binding("ctrl+shift+left", "move('word_previous', True)", "Select previous word", show=False,
                id="select-word-previous"),
        Binding("v", "toggle_mark", "Mark mode", id="toggle-mark-mode"),
        Binding("V", "select_paragraph", "Select paragraph", id="select-paragraph"),
        Binding("alt+s", "select_sentence", "Select sentence", show=False, id="select-sentence"),
        Binding("alt+w", "select_word", "Select word", show=False, id="select-word"),
        Binding("escape", "clear_selection", "Clear selection", show=False, id="clear-selection"),
        Binding("n", "find_next", "Next match", show=False, id="find-next"),
        Binding("N", "find_previous", "Previous match", show=False, id="find-previous"),
    ]

    class SelectionChanged(Message):
        """The selection or the cursor moved. ``start == end == cursor`` when nothing is selected."""

        def __init__(self, document_view: DocumentView, start: int, end: int, cursor: int) -> None:
            super().__init__()
            self.document_view = document_view
            self.start = start
            self.end = end
            self.cursor = cursor

        @property
        def control(self) -> DocumentView:
            return self.document_view

        @property
        def selection(self) -> tuple[int, int] | None:
            return (self.start, self.end) if self.start != self.end else None

    CURSOR_STYLE = Style(color="#000000", bgcolor="#ffd75f", bold=True)
    SELECTION_STYLE = Style(reverse=True)
    NAME_STYLE = Style(bold=True)
    TIMESTAMP_STYLE = Style(dim=True)
    GUTTER_STYLE = Style(dim=True)
    COUNT_STYLE = Style(bold=True, reverse=True)

    def __init__(self, text: str = "", spans: Iterable[Span] = (), *, name: str | None = None,
                 id: str | None = None, classes: str | None = None, disabled: bool = False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._frame_cache: tuple[Style, int] | None = None
        self._pending_spans: list[Span] | None = None  # spans still to draw after the first frame
        self._wrapped_at = Size(0, 0)  # the widget size the rows were wrapped for
        self._generation = 0
        self._width = 0  # the text width (cells) the rows are wrapped to; 0 = not wrapped yet
        self._anchor: int | None = None
        self._cursor = 0
        self._goal_x: int | None = None
        self._mark_mode = False
        self._last_posted: tuple[int, int, int] | None = None
        self._matches: list[tuple[int, int]] = []
        self.load(text, list(spans))

    # ------------------------------------------------------------------ content
    def load(self, text: str, spans: Iterable[Span] = ()) -> None:
        """Show ``text`` (normalised document text) with ``spans`` coded; the cursor goes to the top."""
        self._text = text
        self._display = display_text(text)
        self._line_starts = [0]
        numbers: list[int] = []
        count = 0
        start = 0
        for line in text.split("\n"):
            if line.strip():
                count += 1
                numbers.append(count)
            else:
                numbers.append(0)
            start += len(line) + 1
            self._line_starts.append(start)
        self._line_starts.pop()
        self._para_numbers = numbers
        self._digits = max(2, len(str(count)))
        self._labels: dict[int, list[tuple[int, int, Style]]] = {}
        self._anchor = None
        self._cursor = 0
        self._goal_x = None
        self._matches = []
        self._rows: list[tuple[int, int]] = []
        self._row_line: list[int] = []
        self._row_starts: list[int] = []
        self._wrapped_to = len(text)  # offsets past this one are not wrapped yet (see wrap)
        self._width = 0
        spans = list(spans)
        self._spans = None  # another text: nothing of the last one's spans carries over
        if self.is_mounted and len(spans) > self.FIRST_SPANS and len(text) > 2 * self.FIRST_WINDOW:
            # many codings: the spans of the opening screenful first, the rest right after it is drawn
            self.set_spans([s for s in spans if s.start < self.FIRST_WINDOW])
            self._pending_spans = spans
            self.call_after_refresh(self._finish_spans)
        else:
            self.set_spans(spans)
        if self.is_mounted:
            self._rewrap()
            self.scroll_to(y=0, animate=False, immediate=True)
            self._post_selection()

    # a change of at most this many spans (a coding added, removed, recoded) is applied in place
    INCREMENTAL_LIMIT = 32
    # opening a document with more codings than this draws the first characters' spans first
    FIRST_SPANS, FIRST_WINDOW = 2000, 20_000

    def _finish_spans(self) -> None:
        pending, self._pending_spans = self._pending_spans, None
        if pending is not None:
            self.set_spans(pending)

    def set_spans(self, spans: Iterable[Span]) -> None:
        """Replace the coded spans (after coding or uncoding); the text and the selection stay.

        When only a few spans differ from those shown, only the intervals they cover change: applying
        a code to a document with thousands of codings does not rebuild them all."""
        self._pending_spans = None  # these replace any still to come
        n = len(self._text)
        spans = [s for s in spans if 0 <= s.start < s.end <= n]
        old = getattr(self, "_spans", None)
        if old is not None and abs(len(spans) - len(old)) <= self.INCREMENTAL_LIMIT:
            before, after = set(old), set(spans)
            if len(before) == len(old) and len(after) == len(spans):  # no duplicates: a set diff is exact
                removed, added = before - after, after - before
                if len(removed) + len(added) <= self.INCREMENTAL_LIMIT:
                    for span in removed:
                        self._remove_span(span)
                    for span in added:
                        self._add_span(span)
                    self._spans = spans
                    self._invalidate()
                    return
        self._spans = spans
        # building thousands of small tuples would start the garbage collector many times over an
        # app's whole heap (it tripled the time in the workbench); nothing here makes cycles
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._build_intervals(spans)
        finally:
            if collecting:
                gc.enable()
        self._invalidate()

    def _build_intervals(self, spans: list[Span]) -> None:
        # rank: most specific first (shortest, then the later start), so a sorted set of ranks
        # is the covering spans in drawing order
        by_rank = sorted(spans, key=lambda s: (s.end - s.start, -s.start))
        events_at: dict[int, list[int]] = {}
        for rank, span in enumerate(by_rank):
            events_at.setdefault(span.start, []).append(rank)
            events_at.setdefault(span.end, []).append(~rank)
        bounds = sorted(events_at)
        active: set[int] = set()
        interval_active: list[tuple[Span, ...]] = []
        interval_style: list[Style | None] = []
        for bound in bounds:
            for event in events_at[bound]:
                if event >= 0:
                    active.add(event)
                else:
                    active.discard(~event)
            if active:
                ordered = tuple([by_rank[r] for r in sorted(active)])
                interval_active.append(ordered)
                interval_style.append(_coding_style(ordered[0].color, len(ordered) > 1))
            else:
                interval_active.append(())
                interval_style.append(None)
        self._bounds = bounds
        self._interval_active = interval_active
        self._interval_style = interval_style

    def add_spans(self, spans: Iterable[Span]) -> None:
        """Draw a few more spans (a coding just applied) without rebuilding the others."""
        n = len(self._text)
        spans = [s for s in spans if 0 <= s.start < s.end <= n]
        for span in spans:
            self._add_span(span)
        self._spans = self._spans + spans
        if self._pending_spans is not None:
            self._pending_spans = self._pending_spans + spans
        self._invalidate()

    def _split_at(self, offset: int) -> None:
        """Make ``offset`` a bound: the interval holding it becomes two with the same spans."""
        bounds = self._bounds
        i = bisect_left(bounds, offset)
        if i < len(bounds) and bounds[i] == offset:
            return
        bounds.insert(i, offset)
        self._interval_active.insert(i, self._interval_active[i - 1] if i else ())
        self._interval_style.insert(i, self._interval_style[i - 1] if i else None)

    @staticmethod
    def _rank(span: Span) -> tuple[int, int]:
        return span.end - span.start, -span.start

    def _restyle(self, k: int, active: tuple[Span, ...]) -> None:
        self._interval_active[k] = active
        self._interval_style[k] = _coding_style(active[0].color, len(active) > 1) if active else None

    def _add_span(self, span: Span) -> None:
        self._split_at(span.start)
        self._split_at(span.end)
        i, j = bisect_left(self._bounds, span.start), bisect_left(self._bounds, span.end)
        rank = self._rank(span)
        for k in range(i, j):
            active = self._interval_active[k]
            pos = 0
            while pos < len(active) and self._rank(active[pos]) <= rank:
                pos += 1
            self._restyle(k, active[:pos] + (span,) + active[pos:])

    def _remove_span(self, span: Span) -> None:
        i, j = bisect_left(self._bounds, span.start), bisect_left(self._bounds, span.end)
        for k in range(i, j):
            active = self._interval_active[k]
            if span in active:
                self._restyle(k, tuple(s for s in active if s != span))

    @property
    def text(self) -> str:
        return self._text

    @property
    def spans(self) -> list[Span]:
        return list(self._pending_spans if self._pending_spans is not None else self._spans)

    def spans_at(self, offset: int) -> tuple[Span, ...]:
        """The spans covering ``offset``, most specific (shortest) first."""
        i = bisect_right(self._bounds, offset) - 1
        return self._interval_active[i] if i >= 0 else ()

    # ------------------------------------------------------------------ wrapping
    @property
    def gutter_width(self) -> int:
        return self._digits + 3  # "NN" + " " + count + " "

    def _text_width_for(self, width: int) -> int:
        return max(1, width - self.gutter_width - 1)  # one cell kept for the cursor at a row's end

    def wrap(self, width: int, upto: int | None = None) -> None:
        """Wrap the text for a widget ``width`` cells wide (the whole width, gutter included).

        With ``upto``, a long text is wrapped only as far as the end of the line holding that
        offset; the rest is wrapped when something needs it (``_wrap_rest``)."""
        text_width = self._text_width_for(width)
        display = self._display
        cut = len(display)
        if upto is not None and len(display) > 2 * upto:
            newline = display.find("\n", upto)
            if newline != -1:
                cut = newline
        self._rows, self._row_line = wrap_rows(display[:cut] if cut < len(display) else display, text_width)
        self._row_starts = [r[0] for r in self._rows]
        self._wrapped_to = cut
        self._width = text_width
        self._invalidate()

    @property
    def _partly_wrapped(self) -> bool:
        return self._wrapped_to < len(self._display)

    def _wrap_rest(self) -> None:
        """Wrap what ``wrap(upto=...)`` left: opening a long document wraps its first screens before
        the first frame and the rest (a megabyte takes 25 ms) right after it, or at once when a
        motion, a click or a scroll goes past them."""
        if not self._partly_wrapped:
            return
        cut = self._wrapped_to
        rows, row_line = wrap_rows(self._display[cut + 1:], self._width, base=cut + 1,
                                   first_line=self._row_line[-1] + 1 if self._row_line else 0)
        self._rows.extend(rows)
        self._row_line.extend(row_line)
        self._row_starts.extend(r[0] for r in rows)
        self._wrapped_to = len(self._display)
        if self.is_mounted:
            self.virtual_size = Size(self.virtual_size.width, len(self._rows))
            self.refresh()

    def _rewrap(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        self._wrapped_at = self.size
        if self._rows and self._text_width_for(width) == self._width:
            return
        top = self._rows[int(self.scroll_y)][0] if self._rows and self.scroll_y < len(self._rows) else 0
        height = self.scrollable_content_region.height
        cursor_seen = bool(self._rows) and 0 <= self.row_of(self._cursor) - int(self.scroll_y) < height
        self.wrap(width, upto=max(top, self._cursor) + self.FIRST_WINDOW)
        rows = len(self._rows)
        if self._partly_wrapped:  # the height in rows, estimated until the rest is wrapped
            rows = max(rows + 1, rows * len(self._display) // max(1, self._wrapped_to))
            self.call_after_refresh(self._wrap_rest)
        self.virtual_size = Size(width, rows)
        self.scroll_to(y=self.row_of(top), animate=False, immediate=True)
        if cursor_seen:  # keep the cursor in view when it was
            self.scroll_to_offset(self._cursor)

    def on_resize(self, event: events.Resize) -> None:
        self._frame_cache = None
        self._rewrap()

    def on_mount(self) -> None:
        self._rewrap()

    @property
    def rows(self) -> list[tuple[int, int]]:
        """The display rows, as ``(start, end)`` offsets."""
        self._wrap_rest()
        return self._rows

    def row_of(self, offset: int) -> int:
        """The display row that shows ``offset`` (a row boundary belongs to the row it starts)."""
        if offset > self._wrapped_to:
            self._wrap_rest()
        if not self._rows:
            return 0
        return max(0, bisect_right(self._row_starts, offset) - 1)

    def offset_to_cell(self, offset: int) -> tuple[int, int]:
        """``(row, x)`` of ``offset``: x counts text cells (the gutter not included)."""
        row = self.row_of(offset)
        start = self._rows[row][0] if self._rows else 0
        return row, cell_len(self._display[start:offset])

    def cell_to_offset(self, row: int, x: int) -> int:
        """The offset drawn at text cell ``x`` of display ``row`` (clamped into the document)."""
        if row >= len(self._rows) - 1:
            self._wrap_rest()
        if not self._rows:
            return 0
        row = min(max(row, 0), len(self._rows) - 1)
        start, end = self._rows[row]
        acc = 0
        display = self._display
        for i in range(start, end):
            w = _cw(display[i])
            if acc + w > x:
                return i
            acc += w
        return self._row_last(row)

    def _row_last(self, row: int) -> int:
        """The last cursor position on ``row``: its end, or the char before a soft break."""
        if row >= len(self._rows) - 1:
            self._wrap_rest()
        start, end = self._rows[row]
        if row + 1 < len(self._rows) and self._rows[row + 1][0] == end and end > start:
            return end - 1
        return end

    # ------------------------------------------------------------------ rendering
    def _invalidate(self) -> None:
        self._frame_cache = None
        if not hasattr(self, "_cache"):
            return
        self._generation += 1
        self._cache.clear()
        if self.is_mounted:
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._invalidate()

    def on_focus(self, event: events.Focus) -> None:
        self._invalidate()

    def on_blur(self, event: events.Blur) -> None:
        self._invalidate()

    def _labels_for(self, line: int) -> list[tuple[int, int, Style]]:
        cached = self._labels.get(line)
        if cached is not None:
            return cached
        start = self._line_starts[line]
        head = self._text[start:start + 48]
        found: list[tuple[int, int, Style]] = []
        match = _SPEAKER.match(head)
        if match is not None and len(match.group("name").split()) <= 4:
            if match.group("ts"):
                found.append((start + match.start("ts"), start + match.end("ts"), self.TIMESTAMP_STYLE))
            found.append((start + match.start("name"), start + match.end("name"), self.NAME_STYLE))
        else:
            ts = _TIMESTAMP_ONLY.match(head)
            if ts is not None:
                found.append((start + ts.start(), start + ts.end(), self.TIMESTAMP_STYLE))
        self._labels[line] = found
        return found

    def row_count_mark(self, row: int) -> int:
        """How many codings touch display ``row`` (distinct keys)."""
        start, end = self._rows[row]
        if start == end:
            return 0
        bounds = self._bounds
        i = max(0, bisect_right(bounds, start) - 1)
        keys = set()
        while i < len(bounds) and bounds[i] < end:
            for span in self._interval_active[i]:
                keys.add(span.key if span.key is not None else id(span))
            i += 1
        return len(keys)

    def _frame(self) -> tuple[Style, int]:
        """The base style and the drawing width, kept until the styles or the size change."""
        frame = self._frame_cache
        if frame is None:
            frame = self._frame_cache = (self.rich_style, self.scrollable_content_region.width)
        return frame

    def render_line(self, y: int) -> Strip:
        if self.size != self._wrapped_at:
            # laid out at a new size and drawn before the Resize event arrives (the first frame):
            # wrap now, so that the first frame already shows the text rather than a blank
            self._frame_cache = None
            self._rewrap()
        scroll_y = int(self.scroll_y)
        row = scroll_y + y
        base, width = self._frame()
        if row >= len(self._rows):
            self._wrap_rest()  # scrolled past what is wrapped
        if row >= len(self._rows) or width <= 0:
            return Strip.blank(width, base)
        start, end = self._rows[row]
        sel = self.selection
        sel_part = None
        if sel is not None and sel[0] <= end and sel[1] > start:
            sel_part = (max(sel[0], start), min(sel[1], end))
        cursor_part = None
        if self.has_focus and self.row_of(self._cursor) == row:
            cursor_part = self._cursor
        key = (row, self._generation, width, sel_part, cursor_part)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(row, width, base, sel_part, cursor_part)
            self._cache[key] = strip
        return strip

    def _render_row(self, row: int, width: int, base: Style, sel: tuple[int, int] | None,
                    cursor: int | None) -> Strip:
        start, end = self._rows[row]
        line = self._row_line[row]
        display = self._display
        segments: list[Segment] = []
        # gutter
        number = self._para_numbers[line] if start == self._line_starts[line] else 0
        gutter = (f"{number:>{self._digits}} " if number else " " * (self._digits + 1))
        segments.append(Segment(gutter, base + self.GUTTER_STYLE))
        count = self.row_count_mark(row)
        if count > 1:
            segments.append(Segment("+" if count > 9 else str(count), base + self.COUNT_STYLE))
        else:
            segments.append(Segment(" ", base))
        segments.append(Segment(" ", base))
        # cut points
        cuts = {start, end}
        bounds = self._bounds
        i0 = max(0, bisect_right(bounds, start) - 1)
        i = i0
        while i < len(bounds) and bounds[i] < end:
            if bounds[i] > start:
                cuts.add(bounds[i])
            i += 1
        labels = self._labels_for(line) if start < self._line_starts[line] + 48 else []
        for a, b, _ in labels:
            cuts.update((min(max(a, start), end), min(max(b, start), end)))
        if sel is not None:
            cuts.update(sel)
        if cursor is not None and cursor < end:
            cuts.update((cursor, cursor + 1))
        points = sorted(cuts)
        for a, b in pairwise(points):
            if a >= b:
                continue
            style = base
            k = bisect_right(bounds, a) - 1
            if k >= 0 and self._interval_style[k] is not None:
                style = style + self._interval_style[k]
            for la, lb, lstyle in labels:
                if la <= a < lb:
                    style = style + lstyle
            if sel is not None and sel[0] <= a < sel[1]:
                style = style + self.SELECTION_STYLE
            if cursor is not None and cursor == a:
                style = style + self.CURSOR_STYLE
            segments.append(Segment(display[a:b], style))
        used = self.gutter_width + cell_len(display[start:end])
        if cursor is not None and cursor == end:
            segments.append(Segment(" ", base + self.CURSOR_STYLE))
            used += 1
        if used < width:
            segments.append(Segment(" " * (width - used), base))
        return Strip(segments).crop_extend(0, width, base)

    # ------------------------------------------------------------------ selection and cursor
    @property
    def cursor(self) -> int:
        return self._cursor

    @property
    def anchor(self) -> int | None:
        return self._anchor

    @property
    def mark_mode(self) -> bool:
        return self._mark_mode

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected ``(start, end)`` offsets, ordered, end exclusive; None when nothing is selected."""
        if self._anchor is None or self._anchor == self._cursor:
            return None
        return (min(self._anchor, self._cursor), max(self._anchor, self._cursor))

    @property
    def selected_text(self) -> str:
        sel = self.selection
        return self._text[sel[0]:sel[1]] if sel else ""

    def select(self, start: int, end: int) -> None:
        """Select ``start``..``end`` (the cursor goes to ``end``) and scroll it into view."""
        n = len(self._text)
        self._anchor = min(max(start, 0), n)
        self._set_cursor(end)

    def move_to(self, offset: int, select: bool = False) -> None:
        """Move the cursor to ``offset``; with ``select`` extend the selection from its anchor."""
        if select:
            if self._anchor is None:
                self._anchor = self._cursor
        else:
            self._anchor = None
        self._set_cursor(offset)

    def _set_cursor(self, offset: int, keep_goal: bool = False) -> None:
        self._cursor = min(max(offset, 0), len(self._text))
        if not keep_goal:
            self._goal_x = None
        self.scroll_to_offset(self._cursor)
        self.refresh()
        self._post_selection()

    def _post_selection(self) -> None:
        sel = self.selection
        state = (sel[0], sel[1], self._cursor) if sel else (self._cursor, self._cursor, self._cursor)
        if state != self._last_posted:
            self._last_posted = state
            self.post_message(self.SelectionChanged(self, *state))

    def scroll_to_offset(self, offset: int, center: bool = False) -> None:
        """Scroll so that the row showing ``offset`` is visible."""
        if not self._rows or not self.is_mounted:
            return
        row = self.row_of(offset)
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_y)
        if center and not (top <= row < top + height):
            target = max(0, row - height // 2)
        elif row < top:
            target = row
        elif row >= top + height:
            target = row - height + 1
        else:
            return
        self.scroll_to(y=target, animate=False, immediate=True)

    # ------------------------------------------------------------------ motions
    def _skip_marks_forward(self, offset: int) -> int:
        n = len(self._text)
        while offset < n and self._text[offset] != "\n" and _cw(self._display[offset]) == 0:
            offset += 1
        return offset

    def _skip_marks_back(self, offset: int) -> int:
        while offset > 0 and offset < len(self._text) and _cw(self._display[offset]) == 0 \
                and self._text[offset - 1] != "\n":
            offset -= 1
        return offset

    def _paragraph_bounds(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._line_starts, offset) - 1
        start = self._line_starts[line]
        end = self._line_starts[line + 1] - 1 if line + 1 < len(self._line_starts) else len(self._text)
        return start, end

    def _target(self, motion: str) -> int:
        self._wrap_rest()  # motions count rows to the end of the text
        c = self._cursor
        text = self._text
        n = len(text)
        if motion == "left":
            return self._skip_marks_back(max(0, c - 1))
        if motion == "right":
            return self._skip_marks_forward(min(n, c + 1))
        if motion in ("up", "down", "page_up", "page_down"):
            row, x = self.offset_to_cell(c)
            if self._goal_x is None:
                self._goal_x = x
            page = max(1, self.scrollable_content_region.height - 1) if self.is_mounted else 20
            delta = {"up": -1, "down": 1, "page_up": -page, "page_down": page}[motion]
            target_row = min(max(row + delta, 0), len(self._rows) - 1)
            if target_row == row:
                return 0 if delta < 0 else n if delta > 0 and row == len(self._rows) - 1 else c
            if motion in ("page_up", "page_down") and self.is_mounted:
                self.scroll_to(y=self.scroll_y + delta, animate=False, immediate=True)
            return self.cell_to_offset(target_row, self._goal_x)
        if motion == "row_start":
            return self._rows[self.row_of(c)][0] if self._rows else 0
        if motion == "row_end":
            return self._row_last(self.row_of(c)) if self._rows else n
        if motion == "top":
            return 0
        if motion == "bottom":
            return n
        if motion == "word_next":
            m = _WORD.search(text, c)
            if m is not None and m.start() == c:
                m = _WORD.search(text, m.end())
            return m.start() if m is not None else n
        if motion == "word_previous":
            lo = max(0, c - 400)
            while True:
                last = -1
                for m in _WORD.finditer(text, lo, c):
                    last = m.start()
                if last != -1 or lo == 0:
                    return max(last, 0)
                lo = max(0, lo - 4000)
        if motion == "sentence_next":
            m = _SENTENCE_END.search(text, c)
            return m.end() if m is not None else n
        if motion == "sentence_previous":
            return self._sentence_start(max(0, c - 1))
        raise ValueError(f"unknown motion {motion!r}")

    def _sentence_start(self, offset: int) -> int:
        para_start, _ = self._paragraph_bounds(offset)
        start = para_start
        for m in _SENTENCE_END.finditer(self._text, para_start, offset + 1):
            if m.end() <= offset:
                start = m.end()
        return start

    def action_move(self, motion: str, extend: bool = False) -> None:
        keep_goal = motion in ("up", "down", "page_up", "page_down")
        if not keep_goal:
            self._goal_x = None
        target = self._target(motion)
        extend = extend or self._mark_mode
        if extend:
            if self._anchor is None:
                self._anchor = self._cursor
        else:
            self._anchor = None
        self._set_cursor(target, keep_goal=keep_goal)

    def action_toggle_mark(self) -> None:
        self._mark_mode = not self._mark_mode
        if self._mark_mode and self._anchor is None:
            self._anchor = self._cursor
        self.refresh()
        self._post_selection()

    def action_clear_selection(self) -> None:
        """Leave mark mode and drop the selection; with neither, escape goes on to the screen."""
        if self._anchor is None and not self._mark_mode:
            raise SkipAction()
        self._mark_mode = False
        self._anchor = None
        self.refresh()
        self._post_selection()

    def action_select_paragraph(self) -> None:
        """Select the paragraph (line) at the cursor; on a blank line, the next paragraph (or the one
        before, at the end): V between turns of a transcript means the turn that follows."""
        start, end = self._paragraph_bounds(self._cursor)
        if not self._text[start:end].strip():
            line = bisect_right(self._line_starts, self._cursor) - 1

            def has_text(i: int) -> bool:
                return bool(self._text[slice(*self._paragraph_bounds(self._line_starts[i]))].strip())

            nearest = next((i for i in range(line + 1, len(self._line_starts)) if has_text(i)), None)
            if nearest is None:
                nearest = next((i for i in range(line - 1, -1, -1) if has_text(i)), None)
            if nearest is not None:
                start, end = self._paragraph_bounds(self._line_starts[nearest])
        self._mark_mode = False
        self.select(start, end)

    def action_select_sentence(self) -> None:
        start = self._sentence_start(self._cursor)
        _, para_end = self._paragraph_bounds(self._cursor)
        m = _SENTENCE_END.search(self._text, self._cursor, para_end)
        end = m.start() + len(m.group().rstrip()) if m is not None else para_end
        self._mark_mode = False
        self.select(start, end)

    def action_select_word(self) -> None:
        c = self._cursor
        for m in _WORD.finditer(self._text, max(0, c - 200), min(len(self._text), c + 200)):
            if m.start() <= c < m.end() or m.start() >= c:
                self._mark_mode = False
                self.select(m.start(), m.end())
                return

    # ------------------------------------------------------------------ find
    def find(self, term: str) -> list[tuple[int, int]]:
        """Every case-insensitive match of ``term``, as ``(start, end)`` offsets into the text."""
        if not term:
            self._matches = []
        else:
            pattern = re.compile(re.escape(term), re.IGNORECASE)
            self._matches = [(m.start(), m.end()) for m in pattern.finditer(self._text) if m.end() > m.start()]
        return list(self._matches)

    @property
    def matches(self) -> list[tuple[int, int]]:
        return list(self._matches)

    def next_match(self) -> tuple[int, int] | None:
        """Select the first match after the cursor (wrapping round) and scroll to it."""
        if not self._matches:
            return None
        sel = self.selection
        after = sel[0] + 1 if sel else self._cursor
        i = bisect_left(self._matches, (after, -1))
        match = self._matches[i % len(self._matches)]
        return self._goto_match(match)

    def previous_match(self) -> tuple[int, int] | None:
        """Select the last match before the cursor or selection (wrapping round) and scroll to it."""
        if not self._matches:
            return None
        sel = self.selection
        before = sel[0] if sel else self._cursor
        i = bisect_left(self._matches, (before, -1)) - 1
        match = self._matches[i % len(self._matches)]
        return self._goto_match(match)

    def _goto_match(self, match: tuple[int, int]) -> tuple[int, int]:
        self._mark_mode = False
        self._anchor = match[0]
        self._cursor = match[1]
        self._goal_x = None
        self.scroll_to_offset(match[0], center=True)
        self.refresh()
        self._post_selection()
        return match

    def action_find_next(self) -> None:
        self.next_match()

    def action_find_previous(self) -> None:
        self.previous_match()

    # ------------------------------------------------------------------ mouse
    def _offset_at(self, event: events.MouseEvent) -> int:
        point = event.get_content_offset_capture(self)
        self._wrap_rest()
        row = int(self.scroll_y) + point.y
        if row < 0:
            return 0
        if row >= len(self._rows):
            return len(self._text)
        return self.cell_to_offset(row, point.x - self.gutter_width)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        event.stop()
        self.focus()
        offset = self._offset_at(event)
        self._mark_mode = False
        if event.shift:
            self.move_to(offset, select=True)
        else:
            self._anchor = offset
            self._set_cursor(offset)
        self._dragging = True
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if getattr(self, "_dragging", False):
            event.stop()
            offset = self._offset_at(event)
            if self._anchor is None:
                self._anchor = self._cursor
            self._set_cursor(offset)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if getattr(self, "_dragging", False):
            event.stop()
            self._dragging = False
            self.capture_mouse(False)
            self.refresh()
            self._post_selection()

    def on_click(self, event: events.Click) -> None:
        event.stop()  # nothing in a document is an action


_STYLE_CACHE: dict[tuple[str, bool], Style] = {}


def _coding_style(color: str, underline: bool) -> Style:
    key = (color, underline)
    style = _STYLE_CACHE.get(key)
    if style is None:
        try:
            bg = RichColor.parse(color)
            bg.get_truecolor()
        except ColorParseError:
            bg = RichColor.parse("#808080")
        style = Style(color=_contrast_foreground(bg), bgcolor=bg, underline=underline or None)
        _STYLE_CACHE[key] = style
    return style
