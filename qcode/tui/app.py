"""The workbench application: ``QcodeApp(project=PATH, document=NAME)``."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from qcode.core.coders import coder_name
from qcode.tui.screens.coding import CodingScreen


class QcodeApp(App):
    TITLE = "qcode"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, id="app-quit")]

    def __init__(self, project: str | Path, document: str | None = None, coder: str | None = None):
        super().__init__()
        self.project = Path(project)
        self.document = document
        self.coder = coder_name(coder)  # --coder, else $QCODE_CODER, else the login name

    def on_mount(self) -> None:
        self.title = f"qcode · {self.project.stem}"
        self.push_screen(CodingScreen(self.project, self.document, self.coder))
