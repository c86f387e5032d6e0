"""The bar chart and the heat map, rendered without a terminal at a fixed width."""

from __future__ import annotations

import io

from rich.color import Color, ColorType
from rich.console import Console

from qcode.tui.widgets.charts import RAMP, Bar, BarChart, HeatMap, bar, fit, shade


def render(renderable, width: int = 40) -> str:
    console = Console(width=width, color_system=None, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(renderable)
    return console.export_text()


def test_fit_cuts_with_an_ellipsis():
    assert fit("Coordinator", 20) == "Coordinator"
    assert fit("Coordinator", 6) == "Coord…"
    assert fit("Coordinator", 0) == ""


def test_bar_counts_in_eighths_and_shows_any_value_above_zero():
    assert bar(8, 8, 3) == "███"
    assert bar(1, 8, 3) == "▍"  # 3/8 of a cell
    assert bar(1, 1000, 3) == "▏"  # too small to draw: still one eighth
    assert bar(0, 8, 3) == ""


def test_bar_chart_lines_labels_bars_and_values():
    chart = BarChart([Bar("Coordinator", 7, "#5FD7AF"), Bar("[b]x[/b]", 1), Bar("A very long label indeed", 0)])
    # label column: min(longest, 40 // 3) = 13; values 1 wide; bars 40 - 13 - 1 - 2 = 24 cells
    assert render(chart) == (
        "Coordinator   ████████████████████████ 7\n"
        "[b]x[/b]      ███▍                     1\n"  # 24 * 8 / 7 = 27 eighths: 3 cells and 3/8
        "A very long …                          0\n")


def test_bar_chart_uses_the_code_colour():
    chart = BarChart([Bar("Coordinator", 2, "#5FD7AF"), Bar("Arena", 1)])
    first, second = chart.lines(40)
    assert [(span.style.color.triplet.hex) for span in first.spans if span.style] == ["#5fd7af"]
    assert not [span for span in second.spans if span.style]


def test_bar_chart_narrows_with_the_width():
    chart = BarChart([Bar("Role set/Coordinator", 6)])
    assert render(chart, 20) == "Role se… █████████ 6\n"  # labels take at most 8 cells, or a third
    assert render(BarChart([])) == "nothing to show\n"


def test_heat_map_full_labels_and_a_number_in_every_cell():
    heat = HeatMap(["Role set/Coordinator", "[red]b"], ["x", "[b]y"], [[1, 0], [10, 3]])
    assert render(heat, 60) == (
        "                      x [b]y\n"
        "Role set/Coordinator  1    0\n"
        "[red]b               10    3\n")
    assert render(heat, 40).splitlines()[1] == "Role set/Coo…  1    0"  # row labels cut to a third


def test_heat_map_shades_by_value_on_the_256_colour_ramp():
    heat = HeatMap(["a", "b"], ["x", "y"], [[1, 0], [10, 3]])
    _, first, second = heat.lines(40)
    backgrounds = {t.plain[s.start:s.end].strip(): s.style.bgcolor for t in (first, second) for s in t.spans
                   if not isinstance(s.style, str)}
    assert backgrounds["10"] == Color.from_ansi(RAMP[-1])
    assert backgrounds["1"] == Color.from_ansi(RAMP[0])
    assert "0" not in backgrounds  # zero: no shade, the number alone
    assert all(color.type == ColorType.EIGHT_BIT for color in backgrounds.values())  # safe on 256 colours
    assert shade(0, 10) == 0 and shade(1, 10) == 1 and shade(10, 10) == len(RAMP)


def test_heat_map_cuts_column_labels_when_they_do_not_fit():
    heat = HeatMap(["a", "b"], ["Gugus Tugas PP-TPPO NTT", "returned migrant workers", "IOM"], [[1, 0, 2], [10, 3, 4]])
    assert render(heat, 40) == (
        "  Gugus Tugas… returned mi…          IOM\n"
        "a            1            0            2\n"
        "b           10            3            4\n")


def test_heat_map_numbers_columns_with_a_legend_when_cut_labels_would_say_too_little():
    labels = [f"Role set/code {n}" for n in range(1, 11)]
    heat = HeatMap(["r"], labels, [list(range(10))])
    text = render(heat, 40)
    lines = text.splitlines()
    assert lines[0] == "   1  2  3  4  5  6  7  8  9 10"
    assert lines[1] == "r  0  1  2  3  4  5  6  7  8  9"
    assert lines[2] == ""
    assert lines[3:] == [f"{n:>2} Role set/code {n}" for n in range(1, 11)]
