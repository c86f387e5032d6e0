"""Small modal dialogs of the coding screen: choose one of the codings at the cursor, type a place."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from qcode.tui.data import CodingRow


def preview(text: str, start: int, end: int, width: int = 60) -> str:
    """The coded text on one line, cut in the middle when long."""
    piece = " ".join(text[start:end].split())
    if len(piece) <= width:
        return piece
    half = (width - 3) // 2
    return piece[:half] + " … " + piece[-half:]


class CodingChooser(ModalScreen[str | None]):
    """Choose one of several codings (at the cursor); dismisses with its GUID, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Close", id="chooser-close")]
    DEFAULT_CSS = """
    CodingChooser { align: center middle; }
    CodingChooser > Vertical { width: 90%; max-width: 100; height: auto; max-height: 80%;
                               border: round $accent; background: $surface; padding: 0 1; }
    CodingChooser OptionList { height: auto; max-height: 20; }
    """

    def __init__(self, title: str, codings: list[CodingRow], text: str, me: str | None = None):
        super().__init__()
        self.heading = title
        self.codings = codings
        self.text = text
        self.me = me

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.heading, style="bold"))
            options = []
            for coding in self.codings:
                prompt = Text()
                prompt.append(coding.code, style="bold")
                prompt.append(f"  ({coding.coder}{', you' if coding.coder == self.me else ''})", style="dim")
                prompt.append("\n  " + preview(self.text, coding.start, coding.end))
                options.append(Option(prompt, id=coding.guid))
            yield OptionList(*options)

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class AskText(ModalScreen[str | None]):
    """One line of input. ``check(value)`` returns a message when the value will not do, else None:
    the dialog stays open and shows why. Dismisses with the value, or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Close", id="ask-close")]
    DEFAULT_CSS = """
    AskText { align: center middle; }
    AskText > Vertical { width: 80%; max-width: 90; height: auto; border: round $accent;
                         background: $surface; padding: 0 1; }
    AskText #why { color: $error; height: auto; }
    AskText #hint { color: $text-muted; height: auto; }
    """

    def __init__(self, title: str, *, value: str = "", placeholder: str = "", hint: str = "",
                 check: Callable[[str], str | None] | None = None):
        super().__init__()
        self.heading, self.value, self.placeholder, self.hint = title, value, placeholder, hint
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.heading, style="bold"))
            yield Input(value=self.value, placeholder=self.placeholder)
            yield Static(Text(self.hint), id="hint")
            yield Static("", id="why")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        why = self.check(event.value) if self.check else None
        if why:
            self.query_one("#why", Static).update(Text(why))
            return
        self.dismiss(event.value)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
