"""The import dialog: name a file, a folder or a glob, see how many files that is, import them one by one.

Each file is imported in its own transaction (``qcode.ingest.import_file``), so a cancel between files
keeps what is done. File names are untrusted: the log shows them as plain ``Text``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, RichLog, Static

from qcode.core import QcodeError
from qcode.ingest.pipeline import FORMATS
from qcode.tui.data import home as home_data

READS = " ".join(sorted({s for s in FORMATS if s not in (".text", ".markdown", ".htm")}))


class ImportDialog(ModalScreen[int]):
    """Import documents; dismisses with the number of documents imported (0 when none)."""

    BINDINGS: ClassVar[list[Binding]] = [Binding("escape", "close", "Cancel / close", id="import-close")]
    DEFAULT_CSS = """
    ImportDialog { align: center middle; }
    ImportDialog > Vertical { width: 92%; max-width: 110; height: 92%; border: round $accent;
                              background: $surface; padding: 0 1; }
    ImportDialog #options { height: auto; }
    ImportDialog #recursive { width: auto; }
    ImportDialog #case { width: 1fr; }
    ImportDialog #found { height: auto; color: $text-muted; }
    ImportDialog ProgressBar { height: 1; }
    ImportDialog #log { height: 1fr; border: none; background: $surface-darken-1; }
    ImportDialog #buttons { height: auto; align-horizontal: right; }
    ImportDialog #buttons Button { min-width: 10; margin-left: 1; }
    """

    def __init__(self, project: Path, coder: str | None = None):
        super().__init__()
        self.project = project
        self.coder = coder
        self.files: list[Path] = []
        self.listed_for: tuple[str, bool] | None = None  # (path typed, recursive) of self.files
        self.running = False
        self.imported = 0
        self._stop = threading.Event()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Import documents")
            yield Input(placeholder="a file, a folder or a glob, e.g. ~/interviews or ~/notes/*.docx", id="path")
            with Horizontal(id="options"):
                yield Checkbox("Sub-folders too", id="recursive")
                yield Input(placeholder="case (optional): put the documents into this case", id="case")
            yield Static(Text(f"Enter lists the files; enter again imports them. qcode reads {READS}"), id="found")
            yield ProgressBar(total=None, show_eta=False, id="progress")
            yield RichLog(markup=False, highlight=False, wrap=True, id="log")
            with Horizontal(id="buttons"):
                yield Button("List", id="list")
                yield Button("Import", id="import", variant="primary")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False  # until an import starts
        self.query_one("#path", Input).focus()

    # --- what to import -----------------------------------------------------------------------

    @property
    def request(self) -> tuple[str, bool]:
        return self.query_one("#path", Input).value.strip(), self.query_one("#recursive", Checkbox).value

    @on(Input.Changed, "#path")
    @on(Checkbox.Changed, "#recursive")
    def _forget_listing(self) -> None:
        self.listed_for = None

    @on(Input.Submitted, "#path")
    @on(Input.Submitted, "#case")
    def _submitted(self) -> None:
        if self.listed_for == self.request and self.files:
            self.action_start()
        else:
            self.action_list()

    @on(Button.Pressed, "#list")
    def action_list(self) -> None:
        if self.running:
            return
        spec, recursive = self.request
        if not spec:
            self._say("Type the path of a file, a folder or a glob first.")
            return
        self.list_files(spec, recursive, then_import=False)

    @on(Button.Pressed, "#import")
    def action_start(self) -> None:
        if self.running:
            return
        spec, recursive = self.request
        if not spec:
            self._say("Type the path of a file, a folder or a glob first.")
        elif self.listed_for != (spec, recursive):
            self.list_files(spec, recursive, then_import=True)
        elif not self.files:
            self._say("Nothing to import there.")
        else:
            self._begin()

    @work(thread=True, exclusive=True, group="import-list", exit_on_error=False)
    def list_files(self, spec: str, recursive: bool, then_import: bool) -> None:
        try:
            files = home_data.importable_files(spec, recursive)
        except OSError as exc:
            self.app.call_from_thread(self._say, f"Cannot read {spec}: {exc.strerror or exc}")
            return
        self.app.call_from_thread(self._listed, spec, recursive, files, then_import)

    def _listed(self, spec: str, recursive: bool, files: list[Path], then_import: bool) -> None:
        if self not in self.app.screen_stack or self.request != (spec, recursive):
            return  # closed, or the path changed, while the folder was read
        self.files, self.listed_for = files, (spec, recursive)
        log = self.query_one(RichLog)
        log.clear()
        if not files:
            self._say(f"No file to import at {spec} (qcode reads {READS}).")
            return
        self._say(f"{len(files)} file{'s' if len(files) != 1 else ''} to import. Enter or Import starts.")
        base = Path(home_data.clean_spec(spec)).expanduser()
        for file in files:
            shown = file.relative_to(base) if base.is_dir() and file.is_relative_to(base) else file
            log.write(Text(f"  {shown}"))
        if then_import:
            self._begin()

    # --- importing ----------------------------------------------------------------------------

    def _begin(self) -> None:
        self.running = True
        self._stop.clear()
        self._enable(False)
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=len(self.files), progress=0)
        self.query_one(RichLog).clear()
        case = self.query_one("#case", Input).value.strip() or None
        self._say(f"Importing {len(self.files)} files" + (f" into the case {case}" if case else "") + "...")
        self.import_files(list(self.files), case)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def import_files(self, files: list[Path], case: str | None) -> None:
        counts = {"imported": 0, "skipped": 0, "refused": 0}
        done = 0
        error = None
        try:
            for file in files:
                if self._stop.is_set():
                    break
                outcome = home_data.import_one(self.project, self.coder, file, case)
                counts[outcome.status] = counts.get(outcome.status, 0) + 1
                done += 1
                self.app.call_from_thread(self._one_done, done, outcome)
        except QcodeError as exc:
            error = str(exc)
        except Exception as exc:  # noqa: BLE001 - the user gets one line, never a traceback
            error = f"unexpected error ({type(exc).__name__}: {exc})"
        self.app.call_from_thread(self._finished, done, len(files), counts, error)

    def _one_done(self, done: int, outcome) -> None:
        if outcome.status == "imported":
            self.imported += 1
        style = {"imported": "", "skipped": "dim", "refused": "bold red"}.get(outcome.status, "")
        self.query_one(RichLog).write(Text(home_data.outcome_line(outcome), style=style))
        self.query_one(ProgressBar).update(progress=done)

    def _finished(self, done: int, total: int, counts: dict[str, int], error: str | None) -> None:
        self.running = False
        self._enable(True)
        self.listed_for = None  # a second enter lists again: the folder has changed meaning
        summary = (f"imported {counts['imported']}, already there {counts['skipped']}, "
                   f"refused {counts['refused']}")
        if error:
            line = f"Stopped after {done} of {total} files: {error}. So far: {summary}."
        elif done < total:
            line = f"Cancelled after {done} of {total} files: {summary}."
        else:
            line = f"Done, {total} file{'s' if total != 1 else ''}: {summary}."
        self._say(line)
        self.query_one(RichLog).write(Text(line, style="bold"))
        if error:
            self.notify(error, severity="error", markup=False)

    # --- helpers ------------------------------------------------------------------------------

    def _say(self, line: str) -> None:
        self.query_one("#found", Static).update(Text(line))

    def _enable(self, enabled: bool) -> None:
        for selector in ("#path", "#case", "#recursive", "#list", "#import"):
            self.query_one(selector).disabled = not enabled
        self.query_one("#close", Button).label = "Close" if enabled else "Cancel"
        if enabled:
            self.query_one("#path", Input).focus()
        else:
            self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """While importing: stop after the file being read. Otherwise close."""
        if self.running:
            self._stop.set()
            self._say("Cancelling after the file being imported...")
        else:
            self.dismiss(self.imported)
