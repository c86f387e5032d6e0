"""Every excerpt of a code across the documents: where it is, who coded it, what it says.

``ExcerptsScreen(project, code_path)`` lists them in document order; enter dismisses with
``(document_name, start, end)`` so the coding screen can jump there, escape with ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from qcode.core import QcodeError
from qcode.tui.data import retrieval as data
from qcode.tui.data.retrieval import ExcerptRow, HitRow

_SPACES = re.compile(r"\s+")
LONGEST = 600  # characters of an excerpt shown in a list; the rest is elided


def one_line(text: str) -> str:
    """Line breaks and runs of spaces as one space: a list shows an excerpt as running text."""
    return " ".join(text.split())


def _clip(text: str, keep: int = LONGEST) -> str:
    if len(text) <= keep:
        return text
    return text[:keep * 2 // 3] + " … " + text[-(keep // 3):]


def _squash(text: str) -> str:
    """Runs of white space (line breaks too) as one space, keeping a space at either end."""
    return _SPACES.sub(" ", text)


def _context(before: str, excerpt: str, after: str, excerpt_style: str = "") -> Text:
    """Context dimmed, the excerpt (or hit) in ``excerpt_style``, on running lines."""
    line = Text()
    head = _squash(before).lstrip()
    tail = _squash(after).rstrip()
    if head:
        line.append("…" + head, style="dim")
    line.append(_clip(_squash(excerpt)), style=excerpt_style)
    if tail:
        line.append(tail + "…", style="dim")
    return line


def excerpt_prompt(row: ExcerptRow, show_code: bool = True) -> Text:
    """An excerpt as a list shows it, built from plain text only (never markup)."""
    prompt = Text()
    prompt.append(row.document, style="bold")
    if row.cases:
        prompt.append("  " + ", ".join(row.cases), style="italic")
    prompt.append(f"  {row.locator}", style="cyan")
    if show_code:
        prompt.append(f"  {row.code}", style="green")
    prompt.append(f"  ({row.coder})", style="dim")
    prompt.append("\n")
    prompt.append_text(_context(row.before, row.text, row.after))
    if row.memo:
        prompt.append("\nmemo: ", style="bold italic")
        prompt.append(one_line(row.memo), style="italic")
    return prompt


def hit_prompt(row: HitRow) -> Text:
    """A search hit as keyword in context, the hit highlighted."""
    prompt = Text()
    prompt.append(row.document, style="bold")
    prompt.append(f"  {row.start}-{row.end}\n", style="dim")
    prompt.append_text(_context(row.before, row.text, row.after, excerpt_style="bold reverse"))
    return prompt


def haystack(row: ExcerptRow) -> str:
    """What the filter looks in: the document, cases, locator, code, coder, text and memo (case-folded)."""
    return " ".join((row.document, *row.cases, row.locator, row.code, row.coder, row.text,
                     row.memo or "")).casefold()


def counts_text(rows, shown: int, noun: str = "excerpt") -> str:
    items, documents, cases = data.summary(rows)
    words = [f"{items} {noun}{'' if items == 1 else 's'}", f"{documents} document{'' if documents == 1 else 's'}"]
    if noun == "excerpt":
        words.append(f"{cases} case{'' if cases == 1 else 's'}")
    line = " · ".join(words)
    if shown != items:
        line += f" · {shown} shown"
    return line


class ResultList(OptionList):
    """An OptionList filled a chunk at a time: the first screenful at once, the rest on later ticks,
    so that thousands of excerpts open at once and the screen answers keys while the rest loads.
    Option ``i`` shows item ``i`` of the last ``show()``; each prompt is made when its chunk is added."""

    FIRST = 40
    CHUNK = 50

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._items: list = []
        self._make: Callable[[Any], Text] = Text
        self._added = 0
        self._generation = 0

    @property
    def loading(self) -> bool:
        """Whether some items are still to be added."""
        return self._added < len(self._items)

    def show(self, items: list, make: Callable[[Any], Text]) -> None:
        """List ``items``, each shown as ``make(item)`` (a rich ``Text``, never a markup string)."""
        self._generation += 1
        self._items, self._make, self._added = items, make, 0
        self.clear_options()
        self._add(self._generation, self.FIRST)
        if items:
            self.highlighted = 0

    def _add(self, generation: int, size: int) -> None:
        if generation != self._generation:
            return  # a newer show() replaced these items
        chunk = self._items[self._added:self._added + size]
        options: list[Option | None] = []
        for item in chunk:
            options += [Option(self._make(item)), None]
        self._added += len(chunk)
        if not self.loading and options:
            options.pop()  # no rule after the last one
        self.add_options(options)
        if self.loading:
            self.set_timer(0.01, partial(self._add, generation, self.CHUNK))


class ExcerptsScreen(Screen[tuple[str, int, int] | None]):
    """Every excerpt of a code (and the codes below it unless ``children`` is False)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="excerpts-close"),
        Binding("c", "toggle_children", "Children on/off", id="excerpts-children"),
        Binding("slash", "filter", "Filter", id="excerpts-filter"),
    ]
    DEFAULT_CSS = """
    ExcerptsScreen #title { height: 1; background: $boost; padding: 0 1; text-style: bold; }
    ExcerptsScreen #counts { height: 1; padding: 0 1; color: $text-muted; }
    ExcerptsScreen #filter { height: 3; }
    ExcerptsScreen #excerpts { height: 1fr; border: none; }
    """

    def __init__(self, project: Path, code_path: str, children: bool = True):
        super().__init__()
        self.project = Path(project)
        self.code_path = code_path
        self.with_children = children
        self.rows: list[ExcerptRow] = []
        self.haystacks: list[str] = []
        self.shown: list[ExcerptRow] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield Static("loading…", id="counts")
        yield Input(placeholder="filter: type words to narrow the list ( / )", id="filter")
        yield ResultList(id="excerpts")
        yield Footer()

    def on_mount(self) -> None:
        self._title()
        self.query_one(OptionList).focus()
        self.load()

    def _title(self) -> None:
        scope = "with the codes below it" if self.with_children else "the code alone"
        self.query_one("#title", Static).update(Text(f"Excerpts of {self.code_path} ({scope})"))

    @work(thread=True, exclusive=True, group="excerpts", exit_on_error=False)
    def load(self) -> None:
        try:
            rows = data.excerpts_of(self.project, self.code_path, self.with_children)
        except QcodeError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        haystacks = [haystack(row) for row in rows]
        if not get_current_worker().is_cancelled:  # c pressed again: a newer load replaced this one
            self.app.call_from_thread(self._show, rows, haystacks)

    def _failed(self, message: str) -> None:
        self.query_one("#counts", Static).update(Text(message))
        self.notify(message, severity="error", markup=False)

    def _show(self, rows: list[ExcerptRow], haystacks: list[str]) -> None:
        self.rows, self.haystacks = rows, haystacks
        self.loaded = True
        self._fill()

    def _fill(self) -> None:
        words = self.query_one("#filter", Input).value.casefold().split()
        chosen = [i for i, text in enumerate(self.haystacks) if all(word in text for word in words)]
        self.shown = [self.rows[i] for i in chosen]
        self.query_one(ResultList).show(self.shown, self._prompt)
        line = counts_text(self.rows, len(self.shown)) if self.rows else "no excerpts"
        self.query_one("#counts", Static).update(Text(line))

    def _prompt(self, row: ExcerptRow) -> Text:
        return excerpt_prompt(row, show_code=row.code != self.code_path)

    # --- actions ------------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.loaded:
            self._fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter jumps to the highlighted (first) excerpt."""
        options = self.query_one(OptionList)
        if options.highlighted is not None and self.shown:
            self._jump(options.highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._jump(event.option_index)

    def _jump(self, index: int) -> None:
        row = self.shown[index]
        self.dismiss((row.document, row.start, row.end))

    def action_toggle_children(self) -> None:
        self.with_children = not self.with_children
        self._title()
        self.query_one("#counts", Static).update("loading…")
        self.load()

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_close(self) -> None:
        """Escape: leave the filter (clearing it) if it is in use, else go back."""
        field = self.query_one("#filter", Input)
        if field.has_focus:
            if field.value:
                field.value = ""
            self.query_one(OptionList).focus()
            return
        self.dismiss(None)
