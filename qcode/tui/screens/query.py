"""Ask the project a question: a code query (docs/queries.md) or a full-text search.

``QueryScreen(project, coder)`` has an input at the top, a mode switch (ctrl+t: "query" / "search";
in search mode ctrl+o: how words match, as ``qcode search --mode``) and the results below. Enter on
a result dismisses with ``(document_name, start, end)``; escape with ``None``. In search mode
ctrl+k codes every hit with a code chosen in the code finder, after a confirmation, in one
transaction (one undoable action), as ``qcode search --code --yes`` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.suggester import Suggester
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.worker import get_current_worker

from qcode.core import QcodeError
from qcode.tui import data as tui_data
from qcode.tui.data import retrieval as data
from qcode.tui.data.retrieval import ExcerptRow, HitRow
from qcode.tui.screens.excerpts import (
    ResultList,
    counts_text,
    excerpt_prompt,
    hit_prompt,
)
from qcode.tui.screens.pickers import CodeFinder

MODES = ("query", "search")
SEARCH_MODES = ("auto", "words", "substring")  # qcode.analysis.search's modes, as ctrl+o steps through them
SHOWN = 2000  # results listed at most; "code all hits" still codes every hit
HISTORY_SIZE = 50
_HISTORY: dict[str, list[str]] = {mode: [] for mode in MODES}  # the last queries, for this session

HINTS = {
    "query": 'e.g. "Role set/Coordinator" AND NOT "Role of IO/Arena"   (→ completes a code · ctrl+t: search)',
    "auto": "auto: words anywhere inside words (kerja finds bekerja); \"a phrase\", prefix*   (ctrl+o: words)",
    "words": "words: whole words, accents folded; \"a phrase\", peker*, paspor OR visa, gaji NOT calo   "
             "(ctrl+o: substring)",
    "substring": "substring: each term anywhere, as typed (nothing is special)   (ctrl+o: auto · ctrl+t: query)",
}


class CodePathSuggester(Suggester):
    """Completes the code path being typed inside double quotes."""

    def __init__(self, paths: list[str]):
        super().__init__(use_cache=False, case_sensitive=True)
        self.paths = paths

    async def get_suggestion(self, value: str) -> str | None:
        quotes = [i for i, ch in enumerate(value) if ch == '"' and (i == 0 or value[i - 1] != "\\")]
        if len(quotes) % 2 == 0:
            return None
        typed = value[quotes[-1] + 1:]
        if not typed:
            return None
        found = next((path for path in self.paths if path.startswith(typed) and path != typed), None)
        return value + found[len(typed):] + '"' if found else None


class Confirm(ModalScreen[bool]):
    """A yes/no question; dismisses with True for yes."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("y,enter", "answer(True)", "Yes", id="confirm-yes"),
                Binding("n,escape", "answer(False)", "No", id="confirm-no")]
    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Vertical { width: 70; max-width: 90%; height: auto; border: round $warning; background: $surface;
                         padding: 1 2; }
    """

    def __init__(self, question: Text):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, id="question")
            yield Label(Text("y / enter: yes    n / escape: no", style="dim"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class QueryScreen(Screen[tuple[str, int, int] | None]):
    """A code query or a full-text search, with the results in document order."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="query-close"),
        Binding("ctrl+t", "toggle_mode", "Query/search", id="query-mode"),
        Binding("ctrl+k", "code_hits", "Code all hits…", priority=True, id="query-code-hits"),
        Binding("ctrl+o", "search_mode", "Match as", id="query-search-mode"),
        Binding("slash", "focus_input", "Edit", show=False, id="query-edit"),
        Binding("up", "history(-1)", "Older", show=False, id="query-history-back"),
        Binding("down", "history(1)", "Newer", show=False, id="query-history-forward"),
    ]
    DEFAULT_CSS = """
    QueryScreen #bar { height: 3; }
    QueryScreen #mode { width: 10; height: 3; content-align: center middle; text-style: bold;
                        background: $accent; color: $text; }
    QueryScreen #input { width: 1fr; }
    QueryScreen #message { height: 1; padding: 0 1; color: $text-muted; }
    QueryScreen #message.error { color: $error; text-style: bold; }
    QueryScreen #counts { height: 1; padding: 0 1; background: $boost; }
    QueryScreen #results { height: 1fr; border: none; }
    """

    def __init__(self, project: Path, coder: str | None, codes: list[str] | None = None, mode: str = "query"):
        super().__init__()
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.project = Path(project)
        self.coder = coder
        self.mode = mode
        self.search_mode = SEARCH_MODES[0]
        self.code_paths: list[str] = list(codes or [])
        self.code_rows: list[tui_data.CodeRow] | None = None
        self.results: list[ExcerptRow] | list[HitRow] = []
        self.result_mode = mode
        self.error: str | None = None
        self.last_report: data.CodedReport | None = None
        self.drafts = {m: "" for m in MODES}
        self._history_at: int | None = None  # index into the history while stepping through it

    def compose(self) -> ComposeResult:
        with Horizontal(id="bar"):
            yield Static(id="mode")
            yield Input(id="input", suggester=CodePathSuggester(self.code_paths))
        yield Static(id="message")
        yield Static(id="counts")
        yield ResultList(id="results")
        yield Footer()

    def on_mount(self) -> None:
        self._show_mode()
        self.query_one("#input", Input).focus()
        self.load_codes()

    @work(thread=True, group="codes", exit_on_error=False)
    def load_codes(self) -> None:
        try:
            rows = tui_data.codes(self.project)
        except QcodeError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._codes_loaded, rows)

    def _codes_loaded(self, rows: list[tui_data.CodeRow]) -> None:
        self.code_rows = rows
        if not self.code_paths:
            self.code_paths.extend(row.path for row in rows)

    # --- the input ----------------------------------------------------------------------------

    def _show_mode(self) -> None:
        self.query_one("#mode", Static).update(Text(self.mode))
        field = self.query_one("#input", Input)
        field.placeholder = "a code query" if self.mode == "query" else "words to find"
        field.suggester = CodePathSuggester(self.code_paths) if self.mode == "query" else None
        self._message(None)

    def _message(self, error: str | None) -> None:
        self.error = error
        line = self.query_one("#message", Static)
        line.set_class(error is not None, "error")
        hint = HINTS[self.mode if self.mode == "query" else self.search_mode]
        line.update(Text(error if error is not None else hint, no_wrap=True, overflow="ellipsis"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if not value:
            return
        history = _HISTORY[self.mode]
        if value in history:
            history.remove(value)
        history.append(value)
        del history[:-HISTORY_SIZE]
        self._history_at = None
        self.query_one("#counts", Static).update(Text("working…"))
        self.run_query(self.mode, value, self.search_mode)

    @work(thread=True, exclusive=True, group="query", exit_on_error=False)
    def run_query(self, mode: str, value: str, search_mode: str = "auto") -> None:
        try:
            if mode == "query":
                rows = data.query_excerpts(self.project, value)
            else:
                rows = data.search_hits(self.project, value, mode=search_mode)
        except QcodeError as exc:
            self.app.call_from_thread(self._failed, str(exc), getattr(exc, "offset", None))
            return
        if not get_current_worker().is_cancelled:  # a newer query replaced this one
            self.app.call_from_thread(self._show, mode, rows)

    def _failed(self, message: str, offset: int | None) -> None:
        self._message(message)
        self.query_one("#counts", Static).update(Text(""))
        field = self.query_one("#input", Input)
        if offset is not None:
            field.cursor_position = min(offset, len(field.value))
        field.focus()

    def _show(self, mode: str, rows) -> None:
        self.results, self.result_mode = rows, mode
        self._message(None)
        self.refresh_bindings()
        options = self.query_one("#results", ResultList)
        options.show(rows[:SHOWN], excerpt_prompt if mode == "query" else hit_prompt)
        noun = "excerpt" if mode == "query" else "hit"
        if rows:
            line = counts_text(rows, min(len(rows), SHOWN), noun)
            if mode == "search":
                line += "   ctrl+k: code all hits…"
            options.highlighted = 0
            options.focus()
        else:
            line = "no excerpts" if mode == "query" else "no hits"
        self.query_one("#counts", Static).update(Text(line))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        row = self.results[event.option_index]
        self.dismiss((row.document, row.start, row.end))

    # --- actions ------------------------------------------------------------------------------

    def action_toggle_mode(self) -> None:
        field = self.query_one("#input", Input)
        self.drafts[self.mode] = field.value
        self.mode = MODES[(MODES.index(self.mode) + 1) % len(MODES)]
        field.value = self.drafts[self.mode]
        self._history_at = None
        self._show_mode()
        self.refresh_bindings()
        field.focus()

    def action_search_mode(self) -> None:
        """How a search matches: auto, whole words, or substrings; a search on screen is run again."""
        self.search_mode = SEARCH_MODES[(SEARCH_MODES.index(self.search_mode) + 1) % len(SEARCH_MODES)]
        self._show_mode()
        value = self.query_one("#input", Input).value.strip()
        if value and self.result_mode == "search":
            self.run_query("search", value, self.search_mode)

    def action_focus_input(self) -> None:
        self.query_one("#input", Input).focus()

    def action_history(self, step: int) -> None:
        """Up/down in the input: the earlier queries of this mode; down past the newest: the results."""
        field = self.query_one("#input", Input)
        if not field.has_focus:
            return
        history = _HISTORY[self.mode]
        at = len(history) if self._history_at is None else self._history_at
        target = at + step
        if target >= len(history):
            if self._history_at is not None:
                self._history_at = None
                field.value = self.drafts[self.mode]
            elif self.results:
                self.query_one("#results", OptionList).focus()
            return
        if target < 0:
            return
        if self._history_at is None:
            self.drafts[self.mode] = field.value
        self._history_at = target
        field.value = history[target]
        field.cursor_position = len(field.value)

    def action_close(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """"Code all hits" shows only in search mode, and is greyed out until there are hits."""
        if action == "code_hits":
            if self.mode != "search":
                return False
            return True if self.result_mode == "search" and self.results else None
        if action == "search_mode":
            return self.mode == "search"
        return True

    def action_code_hits(self) -> None:
        if self.result_mode != "search" or not self.results:
            self.notify("Search first (ctrl+t for search mode): ctrl+k codes every hit of a search")
            return
        if self.code_rows is None:
            self.notify("The codes are still loading; try again in a moment")
            return
        hits: list[HitRow] = list(self.results)  # the hits of the search shown now

        def chosen(path: str | None) -> None:
            if not path:
                return
            documents = len({hit.document for hit in hits})
            question = Text(f"Code {len(hits)} hit{'' if len(hits) == 1 else 's'} in {documents} "
                            f"document{'' if documents == 1 else 's'} with ")
            question.append(path, style="bold")
            question.append("?\nOne action: ctrl+z on the coding screen takes it back.")
            self.app.push_screen(Confirm(question), lambda yes: yes and self.code_all(hits, path))

        self.app.push_screen(CodeFinder(self.code_rows), chosen)

    @work(thread=True, group="write", exit_on_error=False)
    def code_all(self, hits: list[HitRow], path: str) -> None:
        try:
            report = data.code_hits(self.project, self.coder, [(h.document, h.start, h.end) for h in hits], path)
        except QcodeError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._coded, report, path)

    def _coded(self, report: data.CodedReport, path: str) -> None:
        self.last_report = report
        message = f"coded {report.added} hit(s) with {path}"
        if report.unchanged:
            message += f"; {report.unchanged} were coded already"
        self.notify(message, markup=False)
        self.query_one("#counts", Static).update(Text(message + " · saved"))
