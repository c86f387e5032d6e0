"""Charts drawn as Rich renderables: a horizontal ``BarChart`` and a ``HeatMap`` of a matrix.

Both fit the width they are given (a heat map too wide even with numbered columns is drawn at its
narrowest and left to a scrolling container). Labels are untrusted text: they are always ``Text``,
never markup. Colour is never the only signal: each bar ends with its value, each cell holds its number.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.color import Color, ColorParseError
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text

ELLIPSIS = "…"
EIGHTHS = " ▏▎▍▌▋▊▉"  # index n: a cell filled n/8 from the left
FULL = "█"
# A sequential ramp of the xterm 256-colour cube (light to dark blue): the same on every terminal
# that has 256 colours. Index 0 is for zero (no background).
RAMP = (195, 153, 117, 111, 75, 69, 33, 27, 21, 19)
DARK_FROM = 5  # ramp levels from here on take white numbers, lighter ones black
MIN_ABBREVIATION = 6  # shorter than this, abbreviated column labels say too little: number them


def fit(label: str, width: int) -> str:
    """``label`` cut to ``width`` cells, its last kept cell an ellipsis when cut."""
    if width <= 0:
        return ""
    text = Text(label)
    if text.cell_len <= width:
        return label
    text.truncate(width - 1)
    return text.plain + ELLIPSIS


def bar(value: float, top: float, width: int) -> str:
    """A bar of ``width`` cells at most, ``value / top`` of it filled, in eighths of a cell.

    A value above zero always shows at least one eighth.
    """
    if top <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(1, round(min(value / top, 1.0) * width * 8))
    return FULL * (eighths // 8) + (EIGHTHS[eighths % 8] if eighths % 8 else "")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    color: str | None = None  # a code colour such as "#5F87AF"; None: the default colour


def _style(color: str | None) -> Style:
    if not color:
        return Style()
    try:
        return Style(color=Color.parse(color))
    except ColorParseError:  # a colour Rich cannot read is drawn in the default colour
        return Style()


class BarChart:
    """Horizontal bars, one line each: the label (cut to fit), the bar, the value right-aligned.

    ``label_width``: the most cells a label takes (default: the longest label, but at most a third
    of the width). The bars scale so that the largest value fills the space between.
    """

    def __init__(self, bars: list[Bar], *, label_width: int | None = None, empty: str = "nothing to show"):
        self.bars = list(bars)
        self.label_width = label_width
        self.empty = empty

    def _format(self, value: float) -> str:
        return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"

    def lines(self, width: int) -> list[Text]:
        if not self.bars:
            return [Text(self.empty, style="dim")]
        values = [self._format(b.value) for b in self.bars]
        value_width = max(len(v) for v in values)
        longest = max(Text(b.label).cell_len for b in self.bars)
        label_width = min(longest, self.label_width or max(8, width // 3))
        label_width = max(1, min(label_width, width - value_width - 3))
        bar_width = max(1, width - label_width - value_width - 2)
        top = max(b.value for b in self.bars)
        lines = []
        for item, value in zip(self.bars, values):
            line = Text(fit(item.label, label_width))
            line.pad_right(label_width - line.cell_len)
            line.append(" ")
            drawn = bar(item.value, top, bar_width)
            line.append(drawn, _style(item.color))
            line.append(" " * (bar_width - len(drawn) + 1))
            line.append(value.rjust(value_width))
            lines.append(line)
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines(options.max_width):
            line.no_wrap = True
            line.overflow = "crop"
            yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min(options.max_width, 24), options.max_width)


def shade(value: int, top: int) -> int:
    """The ramp level of ``value`` (0 for zero; 1..len(RAMP) otherwise, the top value darkest)."""
    if value <= 0 or top <= 0:
        return 0
    return max(1, min(len(RAMP), round(value / top * len(RAMP))))


class HeatMap:
    """A matrix of counts: row labels, column labels, each cell shaded by its value with its number in it.

    Column labels are written in full when they fit the width, else cut to a common width when that
    leaves at least ``MIN_ABBREVIATION`` cells and keeps them distinct, else numbered 1..n with a
    legend under the map ("1 label"). Row labels are cut to ``label_width`` (default: a third of the
    width, at least 12 cells). ``width`` fixes the width the layout is chosen for (default: the width
    offered); a map wider than that even when numbered is drawn whole, for a scrolling container.
    """

    def __init__(self, rows: list[str], columns: list[str], cells: list[list[int]], *,
                 label_width: int | None = None, width: int | None = None, empty: str = "nothing to show"):
        self.rows = list(rows)
        self.width = width
        self.columns = list(columns)
        self.cells = [list(r) for r in cells]
        self.label_width = label_width
        self.empty = empty

    def layout(self, width: int) -> tuple[int, str, list[str], int]:
        """(row label width, "full" | "cut" | "numbered", the column headers, the column width)."""
        longest = max((Text(r).cell_len for r in self.rows), default=0)
        label_width = min(longest, self.label_width or max(12, width // 3))
        digits = max((len(f"{v:,}") for row in self.cells for v in row), default=1)
        room = width - label_width
        full = [Text(c).cell_len for c in self.columns]
        if sum(max(w, digits) + 1 for w in full) <= room:
            return label_width, "full", list(self.columns), 0
        count = len(self.columns)
        cut_width = room // count - 1 if count else 0
        if cut_width >= max(MIN_ABBREVIATION, digits):
            headers = [fit(c, cut_width) for c in self.columns]
            if len(set(headers)) == count:
                return label_width, "cut", headers, cut_width
        numbers = [str(n) for n in range(1, count + 1)]
        return label_width, "numbered", numbers, max([digits, *(len(n) for n in numbers)])

    def lines(self, width: int) -> list[Text]:
        if not self.rows or not self.columns:
            return [Text(self.empty, style="dim")]
        label_width, mode, headers, column_width = self.layout(width)
        digits = max(len(f"{v:,}") for row in self.cells for v in row)
        widths = ([max(Text(h).cell_len, digits) for h in headers] if mode == "full"
                  else [column_width] * len(headers))
        top = max((v for row in self.cells for v in row), default=0)
        header = Text(" " * label_width, no_wrap=True)
        for heading, w in zip(headers, widths):
            header.append(" ")
            header.append(" " * (w - Text(heading).cell_len) + heading, style="bold")
        lines = [header]
        for label, row in zip(self.rows, self.cells):
            line = Text(fit(label, label_width), no_wrap=True)
            line.pad_right(label_width - line.cell_len)
            for value, w in zip(row, widths):
                line.append(" ")
                level = shade(value, top)
                number = f"{value:,}".rjust(w)
                if level == 0:
                    line.append(number, style="dim")
                else:
                    line.append(number, style=Style(bgcolor=Color.from_ansi(RAMP[level - 1]),
                                                    color=Color.from_ansi(231 if level > DARK_FROM else 16)))
            lines.append(line)
        if mode == "numbered":
            lines.append(Text(""))
            for number, label in zip(headers, self.columns):
                lines.append(Text(f"{number.rjust(len(headers[-1]))} ") + Text(label))
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines(self.width or options.max_width):
            line.no_wrap = True
            line.overflow = "crop"
            yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((line.cell_len for line in self.lines(self.width or options.max_width)), default=1)
        return Measurement(widest, widest)
