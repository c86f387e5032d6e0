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


class DocumentPicker(ModalScreen[str | None]):
    """Choose a document: type part of its name or title; enter opens the highlighted one. Dismisses
    with its name, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Close", id="picker-close"),
        Binding("down", "focus_list", "Choose", show=False, id="picker-down"),
    ]
    DEFAULT_CSS = """
    DocumentPicker { align: center middle; }
    DocumentPicker > Vertical { width: 80%; height: 70%; border: round $accent; background: $surface; }
    """

    def __init__(self, documents: list[tuple[str, str | None, int, int]]):
        super().__init__()
        self.documents = documents

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Documents ({len(self.documents)}): type part of a name or title"))
            yield Input(placeholder="e.g. wawancara", id="typed")
            yield OptionList(id="documents")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, typed: str) -> None:
        words = typed.casefold().split()
        found = [d for d in self.documents if all(w in f"{d[0]} {d[1] or ''}".casefold() for w in words)]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(Text(f"{name}  ({codings} codings)" + (f"  {title}" if title else "")), id=name)
                             for name, title, _, codings in found])
        if found:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_focus_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


def matches(code: CodeRow, typed: str) -> bool:
    """Whether every typed word is part of the code's path or Indonesian name (any case)."""
    haystack = f"{code.path} {code.name_id}".casefold()
    return all(word in haystack for word in typed.casefold().split())


class CodeFinder(ModalScreen[str | None]):
    """Type part of a code's name, in English or Indonesian; enter applies the highlighted code."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Close", id="finder-close"),
                Binding("down", "focus_list", "Choose", show=False, id="finder-down")]
    DEFAULT_CSS = """
    CodeFinder { align: center middle; }
    CodeFinder > Vertical { width: 80%; height: 70%; border: round $accent; background: $surface; }
    """

    def __init__(self, codes: list[CodeRow], title: str = "Apply code: type part of a name (English or Indonesian)"):
        super().__init__()
        self.codes = [code for code in codes if code.codable]
        self.heading = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.heading))
            yield Input(placeholder="e.g. koord", id="typed")
            yield OptionList(id="codes")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, typed: str) -> None:
        found = [code for code in self.codes if matches(code, typed)]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(Text(f"{code.path}  ·  {code.name_id}" if code.name_id else code.path), id=code.path)
                             for code in found])
        if found:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_focus_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
