"""The details of a code: its colour, its key, its name in Indonesian and the codebook's texts
(definition, when to use, when not to use, example), edited in one dialog and saved as one
undoable action (``qcode.tui.data.code_edit.update_details``)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from qcode.core import QcodeError
from qcode.tui.data import CodeRow
from qcode.tui.data.code_edit import update_details
from qcode.tui.screens.forms import form_css

# (field, label, placeholder); the values a CodeRow holds under the same names
FIELDS = (
    ("color", "colour", "#RRGGBB"),
    ("shortcut", "key", "one digit or letter that applies the code (empty: none)"),
    ("name_id", "Indonesian", "the code's name in Indonesian"),
    ("definition", "definition", "what the code means"),
    ("when_to_use", "use when", "when to apply it"),
    ("when_not_to_use", "not when", "when not to apply it (and what to use instead)"),
    ("example", "example", "a passage it fits"),
)


class CodeDetailsDialog(ModalScreen[bool | None]):
    """Edit a code's details. Enter in any field or ctrl+s saves; escape cancels. Dismisses with
    True when something was saved, False when nothing changed, None when cancelled. A refusal (a
    colour that is not one, a key taken or kept by the workbench) is shown here, and the dialog
    stays open."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="details-cancel"),
        Binding("down", "app.focus_next", "Next field", show=False, id="details-next-field"),
        Binding("up", "app.focus_previous", "Previous field", show=False, id="details-previous-field"),
        Binding("ctrl+s", "save", "Save", id="details-save"),
    ]
    DEFAULT_CSS = form_css("CodeDetailsDialog", width=90) + """
    CodeDetailsDialog #details-swatch { width: 3; }
    """

    def __init__(self, project: Path, coder: str | None, code: CodeRow):
        super().__init__()
        self.project = Path(project)
        self.coder = coder
        self.code = code
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Details of {self.code.path}"), classes="title")
            for key, label, placeholder in FIELDS:
                with Horizontal(classes="row"):
                    yield Label(label)
                    yield Input(str(getattr(self.code, key) or ""), placeholder=placeholder, compact=True,
                                id=f"details-{key}")
                    if key == "color":
                        yield Static(id="details-swatch")
            yield Static(Text(""), id="details-error", classes="error")
            yield Static(Text("↑↓ fields · enter or ctrl+s: save · escape: cancel · ctrl+z undoes it later"),
                         classes="hint")

    def on_mount(self) -> None:
        self._show_swatch(self.code.color)
        self.query_one("#details-color", Input).focus()

    def values(self) -> dict[str, str]:
        """The fields changed from what the dialog showed (a code without a colour shows the
        default one: left as it is, it stays without)."""
        shown = {key: str(getattr(self.code, key) or "") for key, _, _ in FIELDS}
        typed = {key: self.query_one(f"#details-{key}", Input).value for key, _, _ in FIELDS}
        return {key: value for key, value in typed.items() if value.strip() != shown[key].strip()}

    def _show_swatch(self, color: str) -> None:
        from qcode.codebook.model import COLOR

        swatch = Text(" ■ ", style=color.strip()) if COLOR.fullmatch(color.strip()) else Text(" ? ")
        self.query_one("#details-swatch", Static).update(swatch)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "details-color":
            self._show_swatch(event.value)
        self.query_one("#details-error", Static).update(Text(""))

    @property
    def error(self) -> str:
        return str(self.query_one("#details-error", Static).content)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        if self.busy:
            return
        self.busy = True
        self._save(self.values())

    @work(thread=True, exclusive=True, group="code-details", exit_on_error=False)
    def _save(self, values: dict[str, str]) -> None:
        try:
            changed = update_details(self.project, self.coder, self.code.path, values)
        except QcodeError as exc:
            self.app.call_from_thread(self._refused, str(exc))
        except Exception as exc:  # noqa: BLE001 - a locked or damaged file: say so here, not in a traceback
            self.app.call_from_thread(self._refused, f"could not save: {exc}")
        else:
            self.app.call_from_thread(self.dismiss, changed)

    def _refused(self, message: str) -> None:
        self.busy = False
        self.query_one("#details-error", Static).update(Text(message))

    def action_cancel(self) -> None:
        self.dismiss(None)
