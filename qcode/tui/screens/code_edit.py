"""The modal dialogs of code editing: a name, a code to choose, a confirmation.

Names, paths and error messages hold the user's words: they are shown as ``Text``, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from qcode.core import QcodeError
from qcode.tui.data import CodeRow
from qcode.tui.data.code_edit import in_vivo, in_vivo_name
from qcode.tui.screens.pickers import FilterPicker, matches

TOP_LEVEL = ""
"""What ``CodePicker`` returns for the "(top level)" choice (``None`` means cancelled)."""

_DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 70; max-width: 95%; height: auto; max-height: 90%; border: round $accent;
    background: $surface; padding: 0 1; }}
{name} .title {{ text-style: bold; }}
{name} .hint {{ color: $text-muted; }}
"""


class NameDialog(ModalScreen[object]):
    """Ask for a name. Enter submits, escape cancels (dismisses with ``None``).

    Without ``submit`` it dismisses with the cleaned-up text typed. With ``submit`` (a blocking
    function of the name, e.g. one that writes to the project), it runs it in a thread worker and
    dismisses with its result; a ``QcodeError`` it raises is shown in the dialog, which stays open
    so the name can be corrected.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="dialog-cancel")]
    DEFAULT_CSS = _DIALOG_CSS.format(name="NameDialog") + """
    NameDialog #error { color: $text-error; height: auto; }
    """

    def __init__(self, title: str | Text, value: str = "", *, submit: Callable[[str], object] | None = None,
                 placeholder: str = "name"):
        super().__init__()
        self.title_text = title if isinstance(title, Text) else Text(title)
        self.value = value
        self.submit = submit
        self.placeholder = placeholder
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="title")
            yield Input(self.value, placeholder=self.placeholder, id="name")
            yield Static(Text(""), id="error")
            yield Static(Text("enter: OK · escape: cancel"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @property
    def error(self) -> str:
        """The message shown in the dialog ("" when none)."""
        return str(self.query_one("#error", Static).content)

    def show_error(self, message: str) -> None:
        self.busy = False
        self.query_one("#error", Static).update(Text(message))

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.error:
            self.query_one("#error", Static).update(Text(""))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.busy:
            return
        value = event.value
        if not value.strip():
            self.show_error("Type a name (escape cancels)")
            return
        if self.submit is None:
            self.dismiss(" ".join(value.split()))
            return
        self.busy = True
        self._submit(value)

    @work(thread=True, exclusive=True, group="name-dialog", exit_on_error=False)
    def _submit(self, value: str) -> None:
        try:
            result = self.submit(value)
        except QcodeError as exc:
            self.app.call_from_thread(self.show_error, str(exc))
        except Exception as exc:  # noqa: BLE001 - a locked or damaged file: say so here rather than fail silently
            self.app.call_from_thread(self.show_error, f"could not save: {exc}")
        else:
            self.app.call_from_thread(self.dismiss, result)

    def action_cancel(self) -> None:
        self.dismiss(None)


def code_label(code: CodeRow) -> Text:
    label = Text("■ ", style=code.color)
    label.append(code.path)
    if code.name_id:
        label.append(f"  · {code.name_id}", style="dim")
    return label


class CodePicker(FilterPicker):
    """Choose a code, typing part of its name to narrow the list.

    Dismisses with the chosen code's path, ``TOP_LEVEL`` for "(top level)" (offered when
    ``top_level``), or ``None`` when cancelled.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Cancel", id="dialog-cancel"),
                Binding("down", "focus_list", "Choose", show=False, id="picker-list")]
    DEFAULT_CSS = _DIALOG_CSS.format(name="CodePicker") + """
    CodePicker > Vertical { height: 80%; }
    CodePicker OptionList { height: 1fr; }
    """

    def __init__(self, title: str | Text, codes: list[CodeRow], *, top_level: bool = False):
        super().__init__(title)
        self.codes = codes
        self.top_level = top_level

    def choices(self, typed: str) -> list[tuple[str, Text]]:
        found = [(TOP_LEVEL, Text("(top level)", style="italic"))] if self.top_level and not typed.strip() else []
        return found + [(code.path, code_label(code)) for code in self.codes if matches(code, typed)]

    def hint(self) -> ComposeResult:
        yield Static(Text("enter: choose · escape: cancel"), classes="hint")


class ConfirmDialog(ModalScreen[bool]):
    """Ask before a change: ``y`` or the confirm button says yes, ``n``, escape or Cancel say no.

    The Cancel button has the focus at first, so a stray enter changes nothing.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "answer(False)", "Cancel", id="dialog-cancel"),
                Binding("n", "answer(False)", "No", show=False, id="confirm-no"),
                Binding("y", "answer(True)", "Yes", show=False, id="confirm-yes")]
    DEFAULT_CSS = _DIALOG_CSS.format(name="ConfirmDialog") + """
    ConfirmDialog Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ConfirmDialog Button { margin-left: 2; }
    """

    def __init__(self, message: str | Text, confirm: str = "Delete", *, title: str | Text = "Are you sure?"):
        super().__init__()
        self.message = message if isinstance(message, Text) else Text(message)
        self.title_text = title if isinstance(title, Text) else Text(title)
        self.confirm = confirm

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="title")
            yield Static(self.message, id="message")
            with Horizontal():
                yield Button(Text(f"{self.confirm} (y)"), variant="error", id="confirm")
                yield Button(Text("Cancel (n)"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def in_vivo_dialog(project: Path, coder: str | None, document: str, start: int, end: int, selected: str,
                   parent: str | None = None) -> NameDialog:
    """The in-vivo dialog: the selected words, cleaned, as the name of a new code (editable).

    Enter creates the code under ``parent`` (``None``: the top level), or uses the one of that name
    there, and applies it to ``start:end`` as one undoable action. Dismisses with the code's path,
    or ``None``; errors (e.g. a category that cannot be coded) are shown in the dialog.
    """
    where = f" under {parent}" if parent else ""
    return NameDialog(Text(f"In vivo: a new code{where}, applied to the selection"), in_vivo_name(selected),
                      submit=partial(in_vivo, project, coder, document, start, end, parent=parent))
