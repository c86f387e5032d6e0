"""All the keys of the screen it is opened from, as they are now (after the user's keymap), with the
binding ids that ``config.toml`` can remap, and the codebook's shortcuts."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from qcode.tui.settings import config_path

Row = tuple[str, str, str]  # keys, what they do, binding id


def _section_name(node: DOMNode) -> str:
    if node is node.app:
        return "Everywhere"
    if isinstance(node, Screen):
        return "This screen"
    return node.__class__.__name__.replace("View", " view").replace("Tree", " tree").strip()


def key_sections(screen: Screen) -> list[tuple[str, list[Row]]]:
    """(section, rows) for the screen, each of its widgets that has keys, and the app."""
    app = screen.app
    nodes: list[DOMNode] = [screen]
    seen_classes: set[type] = set()
    for widget in screen.query("*"):
        if widget.__class__ in seen_classes or not widget._bindings.key_to_bindings:
            continue
        if not any(getattr(b, "id", None) for bs in widget._bindings.key_to_bindings.values() for b in bs):
            continue  # Textual's own widgets (lists, inputs): their keys are the usual ones
        seen_classes.add(widget.__class__)
        nodes.append(widget)
    nodes.append(app)
    sections = []
    for node in nodes:
        bindings = node._bindings.copy()
        if app._keymap:
            bindings.apply_keymap(app._keymap)
        by_id: dict[str, tuple[list[str], Binding]] = {}
        for items in bindings.key_to_bindings.values():
            for binding in items:
                if binding.action.startswith("shortcut("):
                    continue  # the codebook's keys: listed on their own
                ident = binding.id or f"{binding.action}"
                keys, _ = by_id.setdefault(ident, ([], binding))
                shown = app.get_key_display(binding)
                if shown not in keys:
                    keys.append(shown)
        rows = [(", ".join(keys), binding.description or binding.action, binding.id or "")
                for keys, binding in by_id.values() if binding.description or binding.id]
        if rows:
            sections.append((_section_name(node), rows))
    return sections


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help-close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 95%; max-width: 110; height: 90%; border: round $accent;
                                  background: $surface; padding: 0 1; }
    """

    def __init__(self, sections: list[tuple[str, list[Row]]], shortcuts: list[tuple[str, str]] = ()):
        super().__init__()
        self.sections = sections
        self.shortcuts = list(shortcuts)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("Keys (escape closes)", style="bold"))
            for title, rows in self.sections:
                table = Table(title=Text(title, style="bold"), title_justify="left", expand=True, box=None,
                              show_header=False, padding=(0, 1))
                table.add_column("keys", style="bold", no_wrap=True, ratio=1)
                table.add_column("does", ratio=3)
                table.add_column("id", style="dim", ratio=2)
                for keys, does, ident in rows:
                    table.add_row(Text(keys), Text(does), Text(ident))
                yield Static(table)
            if self.shortcuts:
                table = Table(title=Text("Codebook shortcuts (on the document)", style="bold"),
                              title_justify="left", expand=True, box=None, show_header=False, padding=(0, 1))
                table.add_column("key", style="bold", no_wrap=True, ratio=1)
                table.add_column("code", ratio=5)
                for key, code in self.shortcuts:
                    table.add_row(Text(key), Text(code))
                yield Static(table)
            yield Static(Text(f"\nRemap any key by its id in {config_path()} under [keys], e.g.\n"
                              '[keys]\ncode-finder = "c,f5"', style="dim"))
