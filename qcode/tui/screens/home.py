"""The project home: documents, cases, the codebook with counts and the newest memos, one tab each.

Everything is read in one thread worker. Enter on a document posts ``HomeScreen.OpenDocument``; the
app opens the coding screen on it. ``i`` imports files from inside the app.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Footer,
    Input,
    Static,
    TabbedContent,
    TabPane,
    Tree,
)
from textual.worker import Worker, WorkerState

from qcode.core import QcodeError
from qcode.tui.data import home as home_data
from qcode.tui.screens.analysis import AnalysisScreen
from qcode.tui.screens.excerpts import ExcerptsScreen
from qcode.tui.screens.export import ExportDialog
from qcode.tui.screens.import_files import ImportDialog
from qcode.tui.screens.memo import MemoEditor, MemoList
from qcode.tui.screens.query import QueryScreen
from qcode.tui.widgets.title_bar import TitleBar

EMPTY_HINT = "No documents yet. Press i to import files (or folders), or run: qcode import PROJECT FILES..."


def short_attributes(attributes: dict[str, str], width: int = 40) -> str:
    """``key=value, key=value``, cut to ``width`` characters."""
    text = ", ".join(f"{key}={value}" for key, value in attributes.items())
    return cut(text, width)


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


class HomeScreen(Screen):
    """The project at a glance; where the work starts."""

    class OpenDocument(Message):
        """The researcher chose a document to read and code (at a place in it, from the excerpts)."""

        def __init__(self, name: str, start: int | None = None, end: int | None = None) -> None:
            super().__init__()
            self.name = name
            self.start, self.end = start, end

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("i", "import_files", "Import", id="home-import"),
        Binding("r", "reload", "Reload", id="home-reload"),
        Binding("slash", "filter", "Filter", id="home-filter"),
        Binding("d", "show_tab('documents')", "Documents", show=False, id="home-documents"),
        Binding("c", "show_tab('cases')", "Cases", show=False, id="home-cases"),
        Binding("k", "show_tab('codebook')", "Codebook", show=False, id="home-codebook"),
        Binding("m", "show_tab('memos')", "Memos", show=False, id="home-memos"),
        Binding("q", "app.quit", "Quit", id="home-quit"),
    ]
    DEFAULT_CSS = """
    HomeScreen #summary { height: 1; background: $boost; padding: 0 1; }
    HomeScreen #hint { height: auto; padding: 1 2; color: $text-muted; }
    HomeScreen #filter { height: 1; border: none; padding: 0 1; display: none; }
    HomeScreen #filter.shown { display: block; }
    HomeScreen #tabs { height: 1fr; }
    HomeScreen TabPane { padding: 0; height: 1fr; }
    HomeScreen DataTable, HomeScreen Tree { height: 1fr; }
    """

    def __init__(self, project: Path, coder: str | None = None):
        super().__init__()
        self.project = Path(project)
        self.coder = coder
        self.home: home_data.HomeData | None = None

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(Text("Loading..."), id="summary")
        with TabbedContent(id="tabs"):
            with TabPane("Documents", id="documents"):
                yield Static(Text(EMPTY_HINT), id="hint")
                yield Input(placeholder="filter: part of a name, title, case or attribute (esc clears)", id="filter")
                yield DataTable(cursor_type="row", zebra_stripes=True, id="document-table")
            with TabPane("Cases", id="cases"):
                yield DataTable(cursor_type="row", zebra_stripes=True, id="case-table")
            with TabPane("Codebook", id="codebook"):
                tree: Tree[str] = Tree("Codebook", id="code-tree")
                tree.show_root = False
                yield tree
            with TabPane("Memos", id="memos"):
                yield DataTable(cursor_type="row", zebra_stripes=True, id="memo-table")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#hint").display = False
        self.query_one("#document-table", DataTable).add_columns(
            "Document", "Case", "Codings", "Characters", "Title", "Attributes")
        self.query_one("#case-table", DataTable).add_columns("Case", "Documents", "Attributes", "Description")
        self.query_one("#memo-table", DataTable).add_columns("Kind", "About", "Memo", "Coder", "Modified")
        self.query_one("#document-table").focus()
        self.load()

    # --- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="home-load", exit_on_error=False)
    def load(self) -> None:
        try:
            loaded = home_data.home(self.project)
        except QcodeError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._show, loaded)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.notify(f"Could not read the project: {type(error).__name__}: {error}", severity="error",
                        markup=False)

    def on_screen_resume(self) -> None:
        """Back from the coding screen or the import dialog: the counts may have changed."""
        if self.home is not None:
            self.load()

    def _show(self, loaded: home_data.HomeData) -> None:
        if self not in self.app.screen_stack:
            return  # the screen was closed while the project was read
        self.home = loaded
        self.sub_title = loaded.name
        self._show_summary()
        self._fill_documents()
        self._fill_cases()
        self._fill_codebook()
        self._fill_memos()

    def _show_summary(self) -> None:
        assert self.home is not None
        counts = self.home.counts
        line = Text("  ·  ".join(plural(counts.get(table, 0), word) for table, word in
                                 (("documents", "document"), ("cases", "case"), ("codes", "code"),
                                  ("codings", "coding"))), style="bold")
        if self.coder:
            line.append(f"  ·  coder {self.coder}")
        line.append("  ·  ")
        line.append(self.home.name, style="italic")
        self.query_one("#summary", Static).update(line)

    def _fill_documents(self) -> None:
        assert self.home is not None
        empty = not self.home.documents
        self.query_one("#hint").display = empty
        self.query_one("#document-table").display = not empty
        typed = self.query_one("#filter", Input).value.casefold().split()
        table = self.query_one("#document-table", DataTable)
        chosen = self._current_document()
        table.clear()
        for doc in self.home.documents:
            attributes = short_attributes(doc.attributes)
            every_value = (f"{key}={value}" for key, value in doc.attributes.items())
            haystack = " ".join((doc.name, doc.title or "", *doc.cases, *every_value)).casefold()
            if not all(word in haystack for word in typed):
                continue
            table.add_row(Text(doc.name), Text(", ".join(doc.cases)), Text(str(doc.codings), justify="right"),
                          Text(f"{doc.characters:,}", justify="right"), Text(cut(doc.title or "", 40), style="italic"),
                          Text(attributes, style="dim"), key=doc.name)
        if chosen is not None and chosen in table.rows:
            table.move_cursor(row=table.get_row_index(chosen))

    def _fill_cases(self) -> None:
        assert self.home is not None
        table = self.query_one("#case-table", DataTable)
        table.clear()
        for case in self.home.cases:
            table.add_row(Text(case.name), Text(str(case.documents), justify="right"),
                          Text(short_attributes(case.attributes, 60), style="dim"), Text(case.description),
                          key=case.name)

    def _fill_codebook(self) -> None:
        assert self.home is not None
        tree = self.query_one("#code-tree", Tree)
        tree.clear()
        parents = {}
        has_children = {code.path.rpartition("/")[0] for code in self.home.codes}
        for code in self.home.codes:
            label = Text("■ ", style=code.color)
            label.append(code.name, style="" if code.codable else "italic")
            label.append(f"  {code.total}", style="bold" if code.total else "dim")
            if code.total != code.codings:
                label.append(f" ({code.codings} here)", style="dim")
            parent = parents.get(code.path.rpartition("/")[0], tree.root)
            if code.path in has_children:
                parents[code.path] = parent.add(label, data=code.path, expand=True)
            else:
                parent.add_leaf(label, data=code.path)

    def _fill_memos(self) -> None:
        assert self.home is not None
        table = self.query_one("#memo-table", DataTable)
        table.clear()
        for i, memo in enumerate(self.home.memos):
            table.add_row(Text(memo.kind), Text(memo.target), Text(memo.first_line[:80]), Text(memo.coder or ""),
                          Text(memo.modified[:16].replace("T", " "), style="dim"), key=str(i))

    def _current_document(self) -> str | None:
        table = self.query_one("#document-table", DataTable)
        if not table.row_count:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - no row under the cursor
            return None

    # --- actions ------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#document-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.OpenDocument(event.row_key.value))

    @on(DataTable.RowSelected, "#memo-table")
    def _open_memo(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.home is None or event.row_key.value is None:
            return
        memo = self.home.memos[int(event.row_key.value)]
        heading = f"Memo on the {memo.kind}" + (f" {memo.target}" if memo.target else "")
        self.app.push_screen(MemoEditor(self.project, self.coder, memo.kind, memo.target_key, heading,
                                        memo=memo.guid or None), lambda saved: self.load() if saved else None)

    def action_memos(self) -> None:
        self.app.push_screen(MemoList(self.project, self.coder), lambda _: self.load())

    def action_project_memo(self) -> None:
        self.app.push_screen(MemoEditor(self.project, self.coder, "project", None, "Memo on the project"),
                             lambda saved: self.load() if saved else None)

    def palette_commands(self):
        """What the command palette offers here (see qcode.tui.commands)."""
        yield "Import files …", "Files, folders or a pattern, with a progress bar (i)", self.action_import_files
        yield "All memos", "Every memo, newest first; type to filter", self.action_memos
        yield "Memo on the project", "Notes on the whole study", self.action_project_memo
        yield "Query codings and search the documents", "ctrl+f in a document", \
            lambda: self.app.push_screen(QueryScreen(self.project, self.coder), self._go)
        yield "Tables and charts", "Frequencies, co-occurrence, matrices", \
            lambda: self.app.push_screen(AnalysisScreen(self.project))
        yield "Export …", "Excerpts to Word, CSV, Excel, Markdown or HTML; memos to Word", \
            lambda: self.app.push_screen(ExportDialog(self.project))
        for document in self.home.documents if self.home else ():
            yield f"Go to document: {document.name}", document.title or "Open it", \
                (lambda name=document.name: self.post_message(self.OpenDocument(name)))
        for code in self.home.codes if self.home else ():
            yield f"Excerpts of: {code.path}", f"{code.total} coding(s)", \
                (lambda path=code.path: self.app.push_screen(ExcerptsScreen(self.project, path), self._go))

    def _go(self, place: tuple[str, int, int] | None) -> None:
        if place:
            self.post_message(self.OpenDocument(*place))

    def action_reload(self) -> None:
        self.load()

    def action_import_files(self) -> None:
        def imported(count: int | None) -> None:
            if count:
                self.notify(f"Imported {plural(count, 'document')}.")

        self.app.push_screen(ImportDialog(self.project, self.coder), imported)

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        widget = {"documents": "#document-table", "cases": "#case-table", "codebook": "#code-tree",
                  "memos": "#memo-table"}[tab]
        self.query_one(widget).focus()

    def action_filter(self) -> None:
        self.action_show_tab("documents")
        field = self.query_one("#filter", Input)
        field.add_class("shown")
        field.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        if self.home is not None:
            self._fill_documents()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one("#document-table").focus()

    def on_key(self, event) -> None:
        field = self.query_one("#filter", Input)
        if event.key == "escape" and field.has_focus:
            event.stop()
            field.value = ""
            field.remove_class("shown")
            self.query_one("#document-table").focus()
