"""The export dialog: excerpts to Word, CSV, Excel, Markdown or HTML, or every memo to Word.

``ExportDialog(project, code_path=None, query=None)`` dismisses with the Path written, or None when
cancelled. The export runs in a thread worker with a progress bar; the file appears only when it is
complete, and an existing file is replaced only after a second press of Export.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, Select, Static

from qcode.core import QcodeError
from qcode.tui.data import export as data
from qcode.tui.data.filters import split_list
from qcode.tui.screens.forms import form_css
from qcode.tui.screens.narrow import filter_rows


class ExportDialog(ModalScreen[Path | None]):
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape", "cancel", "Cancel", id="export-cancel"),
        Binding("ctrl+s", "export", "Export", id="export-run"),
    ]
    DEFAULT_CSS = form_css("ExportDialog") + """
    ExportDialog Checkbox { border: none; padding: 0; height: 1; background: $surface; }
    ExportDialog #export-error { color: $error; height: auto; }
    ExportDialog #export-buttons { height: 1; align-horizontal: right; }
    ExportDialog #export-buttons Button { margin-left: 2; }
    """

    def __init__(self, project: Path, code_path: str | None = None, query: str | None = None):
        super().__init__()
        self.project = Path(project)
        self.code_path = code_path
        self.query_text = query
        self.kind = "docx"
        self.confirmed: Path | None = None
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Export from {self.project.name}", style="bold"))
            with Horizontal(classes="row"):
                yield Label("format")
                yield Select([(Text(f"{kind}  {label}"), kind) for kind, (label, _, _) in data.FORMATS.items()],
                             value=self.kind, allow_blank=False, compact=True, id="export-format")
            with Horizontal(classes="row"):
                yield Label("file")
                yield Input(str(data.default_path(self.project, self.kind)), compact=True, id="export-path")
            with Horizontal(classes="row"):
                yield Label("code")
                yield Input(self.code_path or "", placeholder="all codes (or a code and the codes below it)",
                            compact=True, id="export-code")
            with Horizontal(classes="row"):
                yield Label("query")
                yield Input(self.query_text or "", placeholder='e.g. "Role set/Coordinator" AND NOT "Role of IO/Arena"',
                            compact=True, id="export-query")
            yield from filter_rows("export")
            with Horizontal(classes="row"):
                yield Label("pseudonyms")
                yield Input(placeholder="a names table (.csv or .xlsx): name, pseudonym", compact=True,
                            id="export-names")
            yield Checkbox("put each coding's memo under its excerpt", id="export-memos")
            yield ProgressBar(total=None, show_eta=False, id="export-progress")
            yield Static(id="export-error")
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", compact=True, id="export-run")
                yield Button("Cancel", compact=True, id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-progress", ProgressBar).display = False
        self.query_one("#export-path", Input).focus()

    # --- the form -------------------------------------------------------------------------------

    def _error(self, message: str) -> None:
        self.query_one("#export-error", Static).update(Text(" ".join(message.split())))

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        if event.value is Select.BLANK:
            return
        path = self.query_one("#export-path", Input)
        if Path(path.value).expanduser() == data.default_path(self.project, self.kind):
            path.value = str(data.default_path(self.project, str(event.value)))  # the default follows the format
        self.kind = str(event.value)
        self.query_one("#export-memos", Checkbox).disabled = self.kind not in data.MEMO_FORMATS
        for name in ("code", "query", "documents", "cases", "where", "coders"):
            self.query_one(f"#export-{name}", Input).disabled = self.kind not in data.FILTERED
        self.confirmed = None
        self._error("")

    @on(Input.Changed)
    def _changed(self) -> None:
        self.confirmed = None
        if not self.running:
            self._error("")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    @on(Button.Pressed, "#export-run")
    def _run_pressed(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#export-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def request(self) -> data.ExportRequest:
        def value(name: str) -> str:
            return self.query_one(f"#export-{name}", Input).value.strip()

        filtered = self.kind in data.FILTERED
        names = value("names")
        return data.ExportRequest(kind=self.kind, out=Path(value("path")).expanduser(),
                                  code=(value("code") or None) if filtered else None,
                                  query=(value("query") or None) if filtered else None,
                                  cases=split_list(value("cases")) if filtered else (),
                                  documents=split_list(value("documents")) if filtered else (),
                                  coders=split_list(value("coders")) if filtered else (),
                                  where=split_list(value("where")) if filtered else (),
                                  memos=self.kind in data.MEMO_FORMATS and self.query_one(Checkbox).value,
                                  names=Path(names).expanduser() if names else None)

    # --- running --------------------------------------------------------------------------------

    def action_export(self) -> None:
        if self.running:
            return
        request = self.request()
        try:
            out = data.check(request)
        except QcodeError as exc:
            self._error(str(exc))
            return
        if out.exists() and self.confirmed != out:
            self.confirmed = out
            self._error(f"{out.name} exists: press Export again to replace it")
            return
        self.running = True
        self._error("")
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.query_one("#export-run", Button).disabled = True
        self.run_export(request)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def run_export(self, request: data.ExportRequest) -> None:
        bar = self.query_one("#export-progress", ProgressBar)

        def progress(done: int, total: int | None) -> None:
            self.app.call_from_thread(bar.update, total=total, progress=done)

        try:
            said = data.export(self.project, request, progress)
        except QcodeError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 (a library's own error: one line, never a traceback)
            self.app.call_from_thread(self._failed, f"cannot write {request.out.name}: {exc}")
            return
        self.app.call_from_thread(self._done, request.out, said)

    def _failed(self, message: str) -> None:
        self.running = False
        self.query_one("#export-progress", ProgressBar).display = False
        self.query_one("#export-run", Button).disabled = False
        self._error(message)

    def _done(self, out: Path, said: str) -> None:
        self.running = False
        self.app.notify(said, markup=False)
        self.dismiss(out)

    def action_cancel(self) -> None:
        if self.running:
            self._error("the export is running: wait for it to finish")
            return
        self.dismiss(None)
