"""The find bar under the document: find as you type, enter to keep the match, escape to leave."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static


class FindBar(Horizontal):
    DEFAULT_CSS = """
    FindBar { height: 1; display: none; background: $boost; }
    FindBar.open { display: block; }
    FindBar > Static { width: auto; padding: 0 1; }
    FindBar > Input { width: 1fr; height: 1; border: none; padding: 0; }
    FindBar > #count { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close find", show=False, id="find-close")]

    class Changed(Message):
        """The term changed: find it (from where the find began)."""

        def __init__(self, term: str) -> None:
            super().__init__()
            self.term = term

    class Closed(Message):
        """Enter (``keep``: stay at the match) or escape."""

        def __init__(self, keep: bool) -> None:
            super().__init__()
            self.keep = keep

    def compose(self) -> ComposeResult:
        # The label, the field and the count are mounted when the bar first opens: an Input (its
        # styles, its cursor) cost a tenth of the time the coding screen takes to appear.
        return iter(())

    def open(self, term: str = "") -> None:
        self.add_class("open")
        fields = self.query(Input)
        if not fields:
            field = Input(term, placeholder="text in this document (n / N: next, previous)", compact=True, id="term")
            self.mount(Static("Find:"), field, Static("", id="count"))
        else:
            field = fields.first()
            field.value = term
        field.focus()

    def close(self, keep: bool) -> None:
        self.remove_class("open")
        self.post_message(self.Closed(keep))

    def show_count(self, found: int, current: int | None) -> None:
        label = "no match" if not found else f"{current}/{found}" if current else f"{found} matches"
        self.query_one("#count", Static).update(Text(label))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.close(keep=True)

    def action_close(self) -> None:
        self.close(keep=False)
