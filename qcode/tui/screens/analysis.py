"""The analysis screen: code frequencies, the co-occurrence of codes, and codes by case or attribute.

``AnalysisScreen(project)`` shows three tabs. The numbers come from ``qcode.analysis.stats`` (the
same as ``qcode stats``), computed in thread workers; each tab says "computing…" until its numbers
arrive. ``s`` saves the table of the tab in view as CSV.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    DataTable,
    Footer,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from qcode.analysis.retrieval import Filters
from qcode.analysis.stats import MEASURES, Matrix
from qcode.core import QcodeError
from qcode.tui.data import analysis as data
from qcode.tui.screens.narrow import NarrowDialog
from qcode.tui.widgets.charts import Bar, BarChart, HeatMap
from qcode.tui.widgets.title_bar import TitleBar

COMPUTING = "computing…"
TABS = ("frequencies", "cooccurrence", "matrix")


def _cell(value: Any) -> Text:
    """A table cell: numbers right-aligned, every text literal (never markup)."""
    if isinstance(value, (int, float)):
        return Text(f"{value:,}", justify="right")
    return Text(str(value))


def _short(path: str, depth: int | None = None) -> str:
    """A code path as the tree shows it: the last name, indented by depth."""
    depth = path.count("/") if depth is None else depth
    return "  " * depth + path.rsplit("/", 1)[-1]


class MatrixView(Vertical):
    """A matrix as a heat map above the same numbers in a table (the table scrolls both ways)."""

    DEFAULT_CSS = """
    MatrixView { height: 1fr; }
    MatrixView > ScrollableContainer { height: 1fr; }
    MatrixView .heatmap { width: auto; height: auto; }
    MatrixView > DataTable { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.matrix: Matrix | None = None

    def compose(self) -> ComposeResult:
        with ScrollableContainer():
            yield Static(Text(COMPUTING, style="italic"), classes="heatmap")
        yield DataTable(zebra_stripes=True)

    def show(self, matrix: Matrix) -> None:
        self.matrix = matrix
        self._draw()
        table = self.query_one(DataTable)
        table.clear(columns=True)
        header, *rows = matrix.grid()
        for index, label in enumerate(header):
            table.add_column(Text(str(label)), key=f"c{index}")
        for row in rows:
            table.add_row(*(_cell(v) for v in row), key=str(row[0]))

    def waiting(self) -> None:
        self.query_one(".heatmap", Static).update(Text(COMPUTING, style="italic"))

    def clear(self) -> None:
        """No table: the last one must not stand beside a message saying this one failed."""
        self.matrix = None
        self.query_one(".heatmap", Static).update(Text(""))
        self.query_one(DataTable).clear(columns=True)

    def _draw(self) -> None:
        if self.matrix is None:
            return
        m = self.matrix
        width = self.query_one(ScrollableContainer).scrollable_content_region.width or self.app.size.width
        self.query_one(".heatmap", Static).update(HeatMap(m.rows, m.columns, m.cells, width=max(width, 20)))

    def on_resize(self) -> None:
        self._draw()


class SaveTable(ModalScreen[Path | None]):
    """Save a table as CSV: a path, written atomically; an existing file is replaced only when confirmed."""

    BINDINGS: ClassVar[list[Binding]] = [Binding("escape", "cancel", "Cancel", id="save-table-cancel")]
    DEFAULT_CSS = """
    SaveTable { align: center middle; }
    SaveTable > Vertical { width: 76; max-width: 100%; height: auto; border: round $accent;
                           background: $surface; padding: 0 1; }
    SaveTable #save-error { color: $error; height: auto; }
    """

    def __init__(self, table: Matrix, default: Path):
        super().__init__()
        self.table = table
        self.default = default
        self.confirmed: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Save as CSV: {self.table.title}"))
            yield Input(str(self.default), id="save-path")
            yield Static(id="save-error")
            yield Label(Text("enter saves · escape cancels", style="dim"))

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _error(self, message: str) -> None:
        self.query_one("#save-error", Static).update(Text(message))

    def on_input_changed(self) -> None:
        self.confirmed = None
        self._error("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if not value:
            self._error("give the file to write")
            return
        out = Path(value).expanduser()
        if out.exists() and not out.is_dir() and self.confirmed != out:
            self.confirmed = out
            self._error(f"{out.name} exists: press enter again to replace it")
            return
        self.save(out)

    @work(thread=True, exclusive=True, group="save-table", exit_on_error=False)
    def save(self, out: Path) -> None:
        try:
            written = data.save_csv(out, self.table)
        except QcodeError as exc:
            self.app.call_from_thread(self._error, str(exc))
            return
        self.app.call_from_thread(self.dismiss, written)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AnalysisScreen(Screen):
    """Frequencies, co-occurrence and the code-by-case (or attribute) matrix of a project."""

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("s", "save_csv", "Save CSV", id="analysis-save-csv"),
        Binding("r", "refresh", "Recompute", id="analysis-refresh"),
        Binding("n", "narrow", "Narrow…", id="analysis-narrow"),
        Binding("f", "show_tab('frequencies')", "Frequencies", show=False, id="analysis-frequencies"),
        Binding("o", "show_tab('cooccurrence')", "Co-occurrence", show=False, id="analysis-cooccurrence"),
        Binding("m", "show_tab('matrix')", "Matrix", show=False, id="analysis-matrix"),
        Binding("escape", "close", "Back", id="analysis-close"),
    ]
    DEFAULT_CSS = """
    AnalysisScreen TabbedContent { height: 1fr; }
    AnalysisScreen TabPane { padding: 0; height: 1fr; }
    AnalysisScreen .status { height: auto; color: $text-muted; padding: 0 1; }
    AnalysisScreen #analysis-filters { height: 1; padding: 0 1; background: $boost; }
    AnalysisScreen #frequencies-table { height: 1fr; }
    AnalysisScreen #frequencies-chart-box { height: 1fr; border-top: solid $primary-darken-2; }
    AnalysisScreen #matrix-controls { height: 1; }
    AnalysisScreen #matrix-controls Label { width: auto; padding: 0 1; }
    AnalysisScreen #matrix-controls Select { width: 32; }
    """

    def __init__(self, project: Path):
        super().__init__()
        self.project = Path(project)
        self.frequencies: data.Frequencies | None = None
        self.cooccurrence: Matrix | None = None
        self.matrix: Matrix | None = None
        self.by = "case"
        self.measure = "codings"
        self.filters = Filters()  # which codings are counted (n: narrow)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="analysis-filters")
        with TabbedContent(initial="frequencies"):
            with TabPane("Frequencies", id="frequencies"):
                yield Static(Text(COMPUTING), id="frequencies-status", classes="status")
                yield DataTable(id="frequencies-table", zebra_stripes=True, cursor_type="row")
                with ScrollableContainer(id="frequencies-chart-box"):
                    yield Static(id="frequencies-chart")
            with TabPane("Co-occurrence", id="cooccurrence"):
                yield Static(Text(COMPUTING), id="cooccurrence-status", classes="status")
                yield MatrixView(id="cooccurrence-view")
            with TabPane("Matrix", id="matrix"):
                with Horizontal(id="matrix-controls"):
                    yield Label("by")
                    yield Select([(Text("case"), "case")], value="case", allow_blank=False, compact=True,
                                 id="matrix-by")
                    yield Label("count")
                    yield Select([(Text(m), m) for m in MEASURES], value="codings", allow_blank=False,
                                 compact=True, id="matrix-measure")
                yield Static(Text(COMPUTING), id="matrix-status", classes="status")
                yield MatrixView(id="matrix-view")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "analysis"
        self.action_refresh()

    # --- computing ------------------------------------------------------------------------------

    def action_refresh(self) -> None:
        counted = "; ".join(self.filters.describe())
        self.query_one("#analysis-filters", Static).update(
            Text(f"counting {counted}" + ("   (n: narrow)" if counted == "all codings" else "   (n: change)"),
                 no_wrap=True, overflow="ellipsis"))
        self._status("frequencies", COMPUTING)
        self._status("cooccurrence", COMPUTING)
        self.load_frequencies()
        self.load_cooccurrence()
        self.load_attributes()
        self._compute_matrix()

    def _status(self, tab: str, message: str | Text) -> None:
        self.query_one(f"#{tab}-status", Static).update(message if isinstance(message, Text) else Text(message))

    def _fail(self, tab: str, message: str) -> None:
        if tab == "frequencies":
            self.frequencies = None
            self.query_one("#frequencies-table", DataTable).clear(columns=True)
            self.query_one("#frequencies-chart", Static).update(Text(""))
        else:
            setattr(self, tab, None)
            self.query_one(f"#{tab}-view", MatrixView).clear()
        self._status(tab, Text(message, style="bold"))
        self.notify(message, severity="error", markup=False)

    @work(thread=True, exclusive=True, group="analysis-frequencies", exit_on_error=False)
    def load_frequencies(self) -> None:
        try:
            found = data.frequencies(self.project, self.filters)
        except QcodeError as exc:
            self.app.call_from_thread(self._fail, "frequencies", str(exc))
            return
        self.app.call_from_thread(self._show_frequencies, found)

    @work(thread=True, exclusive=True, group="analysis-cooccurrence", exit_on_error=False)
    def load_cooccurrence(self) -> None:
        try:
            found = data.cooccurrence(self.project, self.filters)
        except QcodeError as exc:
            self.app.call_from_thread(self._fail, "cooccurrence", str(exc))
            return
        self.app.call_from_thread(self._show_cooccurrence, found)

    @work(thread=True, exclusive=True, group="analysis-attributes", exit_on_error=False)
    def load_attributes(self) -> None:
        try:
            names = data.attributes(self.project)
        except QcodeError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._show_attributes, names)

    def _compute_matrix(self) -> None:
        self._status("matrix", COMPUTING)
        self.query_one("#matrix-view", MatrixView).waiting()
        self.load_matrix(self.by, self.measure)

    @work(thread=True, exclusive=True, group="analysis-matrix", exit_on_error=False)
    def load_matrix(self, by: str, measure: str) -> None:
        try:
            found = data.matrix(self.project, by, measure, self.filters)
        except QcodeError as exc:
            self.app.call_from_thread(self._fail, "matrix", str(exc))
            return
        self.app.call_from_thread(self._show_matrix, found)

    # --- showing --------------------------------------------------------------------------------

    def _show_frequencies(self, found: data.Frequencies) -> None:
        self.frequencies = found
        table = self.query_one("#frequencies-table", DataTable)
        table.clear(columns=True)
        table.add_column(Text("code"), key="code")
        for column in data.FREQUENCY_COLUMNS:
            table.add_column(Text(column, justify="right"), key=column)
        for row in found.rows:
            table.add_row(Text(_short(row.code, row.depth)), *(_cell(v) for v in (
                row.codings, row.documents, row.cases, row.words,
                "" if row.total_codings is None else row.total_codings)), key=row.code)
        bars = [Bar(_short(row.code, row.depth), row.codings, found.colors.get(row.code))
                for row in found.rows if row.codings]
        self.query_one("#frequencies-chart", Static).update(BarChart(bars, empty="no codings yet"))
        codings = sum(row.codings for row in found.rows)
        coded = sum(1 for row in found.rows if row.codings)
        self._status("frequencies", f"{len(found.rows)} codes, {coded} with codings; {codings:,} codings. "
                                    "Bars: codings of each code (without the codes below it).")

    def _show_cooccurrence(self, found: Matrix) -> None:
        self.cooccurrence = found
        self.query_one("#cooccurrence-view", MatrixView).show(found)
        self._status("cooccurrence", " ".join(found.notes[:1]))

    def _show_matrix(self, found: Matrix) -> None:
        self.matrix = found
        self.query_one("#matrix-view", MatrixView).show(found)
        self._status("matrix", f"{found.title}. " + " ".join(found.notes))

    def _show_attributes(self, names: list[str]) -> None:
        select = self.query_one("#matrix-by", Select)
        with self.prevent(Select.Changed):
            select.set_options([(Text("case"), "case"), *((Text(name), name) for name in names if name != "case")])
            if self.by != "case" and self.by not in names:  # the attribute is gone: back to cases
                self.by = "case"
                self._compute_matrix()
            select.value = self.by

    @on(Select.Changed, "#matrix-by")
    def _by_changed(self, event: Select.Changed) -> None:
        if event.value is not Select.BLANK and event.value != self.by:
            self.by = str(event.value)
            self._compute_matrix()

    @on(Select.Changed, "#matrix-measure")
    def _measure_changed(self, event: Select.Changed) -> None:
        if event.value is not Select.BLANK and event.value != self.measure:
            self.measure = str(event.value)
            self._compute_matrix()

    # --- actions --------------------------------------------------------------------------------

    def action_narrow(self) -> None:
        def chosen(filters: Filters | None) -> None:
            if filters is not None and filters != self.filters:
                self.filters = filters
                self.action_refresh()

        self.app.push_screen(NarrowDialog(self.filters), chosen)

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def current_table(self) -> tuple[str, Matrix | None]:
        """The tab in view and its table (None while it is computing)."""
        tab = self.query_one(TabbedContent).active or "frequencies"
        if tab == "frequencies":
            return tab, data.frequency_matrix(self.frequencies.rows) if self.frequencies else None
        if tab == "cooccurrence":
            return tab, self.cooccurrence
        return tab, self.matrix

    def action_save_csv(self) -> None:
        tab, table = self.current_table()
        if table is None:
            self.notify("no table to save yet: save it when it is shown", severity="warning")
            return
        name = tab if tab != "matrix" else f"by-{self.by}-{self.measure}"
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name)
        default = self.project.parent / f"{self.project.stem}-{safe}.csv"

        def saved(path: Path | None) -> None:
            if path is not None:
                self.notify(f"saved {path}", markup=False)

        self.app.push_screen(SaveTable(table, default), saved)

    def action_close(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
