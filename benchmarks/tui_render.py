"""How fast the document view draws a 1 MB coded transcript, beside baselines timed in the same run.

A 1 MB transcript (benchmarks/corpus.py, one turn a line) with 5,000 random coded spans (lengths 5 to
2,000 characters, 40 colours, so overlaps are common), in a headless 120 x 40 app (``App.run_test``).
Figures time the widget's own work (no Pilot, no terminal I/O), best and median of ``--runs``:

* construct: ``DocumentView(text, spans)`` (line and paragraph index, span intervals and styles);
* wrap: soft-wrapping every line to the widget width (also what a resize costs), on the ASCII
  transcript and on the same text with a non-ASCII character in every line (the cell-width path);
* render: ``render_line(y)`` for the 40 visible rows with an empty cache;
* page-down + render: the cursor moved a page (the view scrolls), then the 40 rows drawn;
* shift+down + render: the selection extended a row, then the 40 rows drawn (cache warm);
* baselines: the same 40 rows drawn as plain ``rich.text.Text`` without spans, gutter or selection
  (``Text(row).render(console)`` into a ``Strip``), and Textual's own Line-API ``Log`` widget holding
  the same display rows (``render_line`` with its cache cleared).

    python benchmarks/tui_render.py [--runs 20] [--spans 5000] [--size-mb 1.0] [--all-cores]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import best_and_median, pin_one_core, transcript

WIDTH, HEIGHT = 120, 40


def make_text(size_mb: float) -> str:
    target = int(size_mb * 1024 * 1024)
    words = int(target / 7.57)
    text = transcript(seed=1, index=0, words=words)
    return text[:target]


def make_spans(text: str, count: int, seed: int = 7):
    from qcode.tui.widgets.document_view import Span

    rng = random.Random(seed)
    colours = [f"#{rng.randrange(0x1000000):06x}" for _ in range(40)]
    spans = []
    for key in range(count):
        length = int(rng.choice([rng.randint(5, 80), rng.randint(80, 600), rng.randint(600, 2000)]))
        start = rng.randrange(0, len(text) - length)
        code = rng.randrange(len(colours))
        spans.append(Span(start, start + length, key, colours[code], f"code {code}"))
    return spans


def timed(function, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        function()
        times.append(time.perf_counter() - t0)
    return best_and_median(times)


def ms(pair: tuple[float, float]) -> str:
    return f"{pair[0] * 1000:8.2f} ms (median {pair[1] * 1000:.2f})"


async def measure(text: str, spans, runs: int) -> list[tuple[str, tuple[float, float], str]]:
    from rich.text import Text
    from textual.app import App, ComposeResult
    from textual.strip import Strip
    from textual.widgets import Log

    from qcode.tui.widgets.document_view import DocumentView, display_text

    results = []
    results.append(("construct DocumentView(text, spans)",
                    timed(lambda: DocumentView(text, spans), max(3, runs // 4)), ""))
    loose = DocumentView(text, spans)
    results.append(("wrap to 120 columns (ASCII)", timed(lambda: loose.wrap(WIDTH), max(3, runs // 4)), ""))
    accented = "\n".join("ā" + line for line in text.split("\n"))
    loose_accented = DocumentView(accented, [])
    results.append(("wrap to 120 columns (accented Latin)",
                    timed(lambda: loose_accented.wrap(WIDTH), max(3, runs // 4)), ""))
    one_line = DocumentView(text.replace("\n", " "), [])
    results.append(("wrap to 120 columns (1 MB as one line)",
                    timed(lambda: one_line.wrap(WIDTH), max(3, runs // 4)), ""))
    wide = text.replace("a", "日").replace("e", "\u0301")  # wide and zero-width characters everywhere
    loose_wide = DocumentView(wide, [])
    results.append(("wrap to 120 columns (CJK + combining marks)",
                    timed(lambda: loose_wide.wrap(WIDTH), max(3, runs // 4)), ""))

    class BenchApp(App):
        def compose(self) -> ComposeResult:
            yield DocumentView(text, spans)
            yield Log(highlight=False)

    app = BenchApp()
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        view = app.query_one(DocumentView)
        log = app.query_one(Log)
        view.styles.height = HEIGHT
        log.styles.height = HEIGHT
        log.styles.display = "none"
        await pilot.pause()
        height = view.scrollable_content_region.height
        rows = view.rows
        display = display_text(text)
        rng = random.Random(3)
        tops = [rng.randrange(0, len(rows) - height) for _ in range(runs)]

        def render_screen():
            for y in range(height):
                view.render_line(y)

        def cold_render():
            view.scroll_to(y=tops.pop() if tops else 0, animate=False, immediate=True)
            view._invalidate()
            render_screen()

        results.append((f"render one {WIDTH}x{height} screen (cold cache)", timed(cold_render, runs), ""))
        results.append(("render the same screen again (cache warm)", timed(render_screen, runs), ""))
        view.move_to(len(text) // 3)

        def page_down():
            view.action_move("page_down")
            render_screen()

        results.append(("page-down + render", timed(page_down, runs), ""))

        def shift_down():
            view.action_move("down", True)
            render_screen()

        results.append(("shift+down + render", timed(shift_down, runs), ""))
        results.append(("resize re-wrap 120 -> 100 columns", timed(lambda: view.wrap(100), max(3, runs // 4)), ""))
        view.wrap(view.scrollable_content_region.width)

        # baseline 1: the same rows as plain rich Text, no spans
        top = int(view.scroll_y)
        console = app.console
        width = view.scrollable_content_region.width

        def plain_rich():
            for start, end in rows[top:top + height]:
                Strip(Text(display[start:end]).render(console)).crop_extend(0, width, None)

        results.append(("baseline: plain rich Text rows, no spans", timed(plain_rich, runs), "base"))

        # baseline 2: textual's Log widget holding the same display rows
        log.styles.display = "block"
        view.styles.display = "none"
        log.write_lines([display[a:b] for a, b in rows])
        await pilot.pause()
        log.scroll_to(y=top, animate=False, immediate=True)
        await pilot.pause()

        def log_render():
            log._render_line_cache.clear()
            for y in range(height):
                log.render_line(y)

        results.append(("baseline: textual Log.render_line, same rows", timed(log_render, runs), "log"))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--spans", type=int, default=5000)
    parser.add_argument("--size-mb", type=float, default=1.0)
    parser.add_argument("--all-cores", action="store_true")
    args = parser.parse_args(argv)
    pinned = "all cores" if args.all_cores else pin_one_core()
    text = make_text(args.size_mb)
    spans = make_spans(text, args.spans)
    print(f"document view benchmark: {len(text):,} characters, {text.count(chr(10)) + 1:,} lines, "
          f"{len(spans):,} spans, {WIDTH}x{HEIGHT}; {pinned}; best of {args.runs}")
    results = asyncio.run(measure(text, spans, args.runs))
    base = next(r[1][0] for r in results if r[2] == "base")
    log = next(r[1][0] for r in results if r[2] == "log")
    for label, pair, _ in results:
        print(f"  {label:48s} {ms(pair)}   x{pair[0] / base:6.1f} plain Text   x{pair[0] / log:6.1f} Log")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
