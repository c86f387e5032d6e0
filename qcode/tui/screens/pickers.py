"""Small modal pickers: a document, and a code found by typing part of its name (English or Indonesian)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from qcode.tui.data import CodeRow


class FilterPicker(ModalScreen[str | None]):
    """A heading, a field to type in and a list that narrows as you type; enter (in the field or on
    the list) dismisses with the highlighted choice's value, escape with None. Subclasses say what
    the choices are, with a method ``choices(typed) -> [(value, prompt Text), ...]`` giving those that
    fit what was typed, and give their own bindings, so that each keeps its binding ids."""

    DEFAULT_CSS = """
    FilterPicker { align: center middle; }
    FilterPicker > Vertical { width: 80%; height: 70%; border: round $accent; background: $surface; }
    FilterPicker .title { text-style: bold; }
    FilterPicker .hint { color: $text-muted; }
    """
    PLACEHOLDER = "type part of a name"

    def __init__(self, heading: str | Text):
        super().__init__()
        self.heading = heading if isinstance(heading, Text) else Text(heading)
        self.shown: list[str] = []  # the value of each option, in the list's order

    def hint(self) -> ComposeResult:
        """Anything to show under the list."""
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.heading, classes="title")
            yield Input(placeholder=self.PLACEHOLDER, id="typed")
            yield OptionList(id="choices")
            yield from self.hint()

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, typed: str) -> None:
        found = self.choices(typed)
        self.shown = [value for value, _ in found]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(prompt, id=value or None) for value, prompt in found])
        if found:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is not None and self.shown:
            self.dismiss(self.shown[options.highlighted])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.shown[event.option_index])

    def action_focus_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


def typed_words_in(typed: str, haystack: str) -> bool:
    """Whether every typed word is part of ``haystack`` (any case)."""
    haystack = haystack.casefold()
    return all(word in haystack for word in typed.casefold().split())


class DocumentPicker(FilterPicker):
    """Choose a document: type part of its name or title. Dismisses with its name, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Close", id="picker-close"),
        Binding("down", "focus_list", "Choose", show=False, id="picker-down"),
    ]
    PLACEHOLDER = "e.g. wawancara"

    def __init__(self, documents: list[tuple[str, str | None, int, int]]):
        super().__init__(f"Documents ({len(documents)}): type part of a name or title")
        self.documents = documents

    def choices(self, typed: str) -> list[tuple[str, Text]]:
        return [(name, Text(f"{name}  ({codings} codings)" + (f"  {title}" if title else "")))
                for name, title, _, codings in self.documents if typed_words_in(typed, f"{name} {title or ''}")]


def matches(code: CodeRow, typed: str) -> bool:
    """Whether every typed word is part of the code's path or Indonesian name (any case)."""
    return typed_words_in(typed, f"{code.path} {code.name_id}")


class CodeFinder(FilterPicker):
    """Type part of a code's name, in English or Indonesian; enter applies the highlighted code."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Close", id="finder-close"),
        Binding("down", "focus_list", "Choose", show=False, id="finder-down"),
    ]
    PLACEHOLDER = "e.g. koord"

    def __init__(self, codes: list[CodeRow], title: str = "Apply code: type part of a name (English or Indonesian)"):
        super().__init__(title)
        self.codes = [code for code in codes if code.codable]

    def choices(self, typed: str) -> list[tuple[str, Text]]:
        return [(code.path, Text(f"{code.path}  ·  {code.name_id}" if code.name_id else code.path))
                for code in self.codes if matches(code, typed)]
