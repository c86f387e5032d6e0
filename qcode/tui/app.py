"""The workbench application: ``QcodeApp(project=PATH, document=NAME)``."""

from __future__ import annotations

import asyncio
import gc
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from qcode.analysis.retrieval import Locator
from qcode.core import QcodeError
from qcode.core.coders import coder_name
from qcode.core.errors import ProjectError
from qcode.tui import data
from qcode.tui.commands import ScreenCommands
from qcode.tui.screens.coding import CodingScreen, coding_spans
from qcode.tui.screens.home import HomeScreen
from qcode.tui.settings import DARK, LIGHT, load_settings, remember_theme
from qcode.tui.widgets.document_view import DocumentView


class ProblemScreen(Screen):
    """What went wrong with the project, in words, instead of the workbench (and never a traceback)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q,escape,enter", "app.quit", "Quit", id="problem-quit")]
    DEFAULT_CSS = """
    ProblemScreen { align: center middle; }
    ProblemScreen > Vertical { width: 80%; height: auto; border: round $error; padding: 1 2; }
    """

    def __init__(self, message: str):
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("qcode cannot open this project", style="bold"))
            yield Static(Text(self.message))
            yield Static(Text("\nPress q to quit.", style="dim"))


class QcodeApp(App):
    TITLE = "qcode"
    COMMANDS = App.COMMANDS | {ScreenCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, id="app-quit"),
        Binding("f10", "toggle_dark", "Light / dark", show=False, id="toggle-theme"),
    ]

    def __init__(self, project: str | Path, document: str | None = None, coder: str | None = None,
                 theme: str | None = None):
        super().__init__()
        # A workbench holds many small objects (widgets, styles, thousands of coded spans): with the
        # default thresholds the collector scanned them over and over while a document opened.
        gc.set_threshold(max(gc.get_threshold()[0], 10_000), 50, 50)
        # What exists now (modules, classes, Textual's and Rich's tables) lives as long as the app:
        # frozen, the collector never scans it again (10 ms of the first screen, and every later
        # collection is cheaper).
        gc.freeze()
        self.project = Path(project)
        self.document = document
        self.coder = coder_name(coder)  # --coder, else $QCODE_CODER, else the login name
        self.settings = load_settings()
        self._asked_theme = theme
        # Opening at a document: read it while Textual starts (SQLite lets go of the GIL while it
        # reads), so that the first screen comes sooner; see _open_first_document.
        self._early: Future | None = None
        if document:
            self._early = Future()
            threading.Thread(target=self._read_early, args=(self._early, document), daemon=True).start()

    def _read_early(self, future: Future, document: str) -> None:
        try:
            # the codings of the first screens (the screen reads the rest once it is drawn)
            codes, doc = data.opening(self.project, document, codings_before=DocumentView.FIRST_WINDOW)
            future.set_result((codes, doc, Locator(doc.text, doc.metadata), coding_spans(codes, doc.codings)))
        except BaseException as exc:  # noqa: BLE001 - handed over whole, to be raised where it is taken
            future.set_exception(exc)

    def on_mount(self) -> None:
        self.title = f"qcode · {self.project.stem}"
        if self.settings.keys:
            self.set_keymap(self.settings.keys)
        wanted = self._asked_theme or self.settings.theme
        if wanted in self.available_themes:
            self.theme = wanted
        elif wanted:
            self.notify(f"no theme {wanted!r}: using {self.theme}", severity="warning", markup=False)
        self.theme_changed_signal.subscribe(self, lambda theme: remember_theme(theme.name))
        if self.settings.problem:
            self.notify(f"{self.settings.problem}; using the usual keys", severity="warning", timeout=10, markup=False)
        # the check runs beside the first screen and covers it when the project is bad
        if self.document:
            self._open_first_document()
        else:
            self.push_screen(HomeScreen(self.project, self.coder))
        self.check_project()

    @work(exclusive=True, group="first-screen", exit_on_error=False)
    async def _open_first_document(self) -> None:
        """Give the document read at start-up a moment to arrive, so that the coding screen is drawn
        once, with its text and codings, instead of empty and then again (the event loop stays free
        meanwhile); a slow read is left to the screen's own loading."""
        ready = None
        if self._early is not None:
            try:
                ready = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(self._early)), 0.5)
            except ProjectError as exc:  # missing, damaged, busy: words instead of the workbench
                self._problem(str(exc))
                return
            except Exception:  # noqa: BLE001 - too slow, or a missing document: the screen reads it
                ready = None  # again, and says what is wrong
            else:
                self._early = None
        if not any(isinstance(screen, ProblemScreen) for screen in self.screen_stack):
            self.push_screen(CodingScreen(self.project, self.document, self.coder, ready=ready))

    @work(thread=True, exit_on_error=False)
    def check_project(self) -> None:
        """Open the project once, off the UI thread: missing, busy, read-only or damaged gets words."""
        try:
            data.project_name(self.project)
        except QcodeError as exc:
            self.call_from_thread(self._problem, str(exc))

    def _problem(self, message: str) -> None:
        """Say what is wrong with the project, once, on top of whatever screen got as far as opening."""
        if any(isinstance(screen, ProblemScreen) for screen in self.screen_stack):
            return
        self.clear_notifications()  # the screen below failed too; this says it once, in words
        self.push_screen(ProblemScreen(message))

    def on_home_screen_open_document(self, message: HomeScreen.OpenDocument) -> None:
        screen = CodingScreen(self.project, message.name, self.coder)
        if message.start is not None:
            screen.open_at(message.start, message.end)
        self.push_screen(screen)

    def action_home(self) -> None:
        """Back to the project home: the screens above it close (their work is saved already)."""
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        if not isinstance(self.screen, HomeScreen):
            self.push_screen(HomeScreen(self.project, self.coder))

    def action_toggle_dark(self) -> None:
        self.theme = LIGHT if self.current_theme.dark else DARK
