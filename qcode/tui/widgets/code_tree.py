"""The code tree: each code with its colour, shortcut and count, and the keys that edit the tree.

``set_codes`` rebuilds the nodes and keeps what the user had folded and the code in focus. Space
folds and unfolds, enter posts the ordinary ``Tree.NodeSelected`` (the screen applies the code).
The editing keys (a, A, r, o, j, x, and p for a code's details) open a dialog
(``qcode.tui.screens.code_edit``, ``code_details``); the change is written in a thread worker
through ``qcode.tui.data.code_edit`` as one undoable action, and the tree then posts
``CodeTree.Changed`` so that the screen reloads the codes and the codings.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from qcode.core import QcodeError
from qcode.tui.data import CodeRow
from qcode.tui.data import code_edit as edits
from qcode.tui.screens.code_details import CodeDetailsDialog
from qcode.tui.screens.code_edit import TOP_LEVEL, CodePicker, ConfirmDialog, NameDialog


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def code_label(code: CodeRow) -> Text:
    """■ (in the code's colour), the name, the shortcut in dim brackets, the count with the codes below."""
    label = Text("■ ", style=code.color)
    label.append(code.name)
    if code.shortcut:
        label.append(f" [{code.shortcut}]", style="dim")
    label.append(f" {code.total}", style="dim")
    return label


def below(codes: list[CodeRow], path: str) -> list[CodeRow]:
    """The codes under ``path`` (not the code itself)."""
    return [code for code in codes if code.path.startswith(path + "/")]


class CodeTree(Tree[str]):
    """The project's codes as a tree; each node's ``data`` is the code's path."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add code", id="code-add"),
        Binding("A", "add_top", "Add top-level code", show=False, id="code-add-top"),
        Binding("r", "rename", "Rename", id="code-rename"),
        Binding("o", "move", "Move", show=False, id="code-move"),
        Binding("j", "merge", "Merge", show=False, id="code-merge"),
        Binding("delete,x", "delete", "Delete", show=False, id="code-delete"),
        Binding("p", "details", "Details", show=False, id="code-details"),
    ]

    class Changed(Message):
        """The code tree was edited and saved: reload codes and codings, show ``message``."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, project: Path, coder: str | None, *, id: str | None = None, classes: str | None = None):
        super().__init__("Codes", id=id, classes=classes)
        self.project = project
        self.coder = coder
        self.show_root = False
        self.auto_expand = False  # enter applies a code; space folds
        self.codes: list[CodeRow] = []
        self._expanded: dict[int, bool] = {}  # code id -> expanded, for codes with children
        self._follow: str | None = None  # the code to highlight after the next set_codes (e.g. just added)

    # --- drawing ------------------------------------------------------------------------------

    _frame_style: Style | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        # Tree.render_line works out the widget's style for every line, and that walks the
        # backgrounds of every ancestor: once a frame is enough (it was half of the tree's first draw).
        self._frame_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None

    def render_line(self, y: int) -> Strip:
        style = self._frame_style
        if style is None:
            return super().render_line(y)
        scroll_x, scroll_y = self.scroll_offset
        return self._render_line(y + scroll_y, scroll_x, scroll_x + self.size.width, style)

    # --- showing ------------------------------------------------------------------------------

    @property
    def highlighted_path(self) -> str | None:
        node = self.cursor_node
        return node.data if node is not None else None

    @property
    def highlighted_code(self) -> CodeRow | None:
        return self.code(self.highlighted_path)

    def _code_for_key(self) -> CodeRow | None:
        """The code an editing key acts on: the highlighted one, or the first when none is yet
        (the tree has no highlight until a key moves it)."""
        if self.cursor_line < 0 and self.last_line >= 0:
            self.cursor_line = 0
        return self.highlighted_code

    def code(self, path: str | None) -> CodeRow | None:
        return next((code for code in self.codes if code.path == path), None)

    def set_codes(self, codes: list[CodeRow]) -> None:
        """Show ``codes`` (in tree order), keeping folds and the highlighted code across reloads.

        When only counts (or other label parts) changed, as after coding, the nodes stay and only
        their labels change: rebuilding the tree made applying a code twice as slow."""
        if self._follow is None and self._relabel(codes):
            return
        self._remember_folds()
        wanted = self._follow or self.highlighted_path
        self._follow = None
        was_line = self.cursor_line
        self.codes = list(codes)
        self.clear()
        parents: dict[str, TreeNode[str]] = {}
        nodes: dict[str, TreeNode[str]] = {}
        has_children = {code.path.rpartition("/")[0] for code in codes}
        for code in codes:
            parent = parents.get(code.path.rpartition("/")[0], self.root)
            if code.path in has_children:
                node = parent.add(code_label(code), data=code.path, expand=self._expanded.get(code.id, True))
                parents[code.path] = node
            else:
                node = parent.add_leaf(code_label(code), data=code.path)
            nodes[code.path] = node
        target = nodes.get(wanted) if wanted else None
        if target is not None:
            ancestor = target.parent
            while ancestor is not None and ancestor is not self.root:
                ancestor.expand()
                ancestor = ancestor.parent
        _ = self.last_line  # lay out the lines now, so that nodes know their line
        if target is not None:
            self.move_cursor(target)
        elif was_line >= 0 and self.last_line >= 0:
            self.cursor_line = min(was_line, self.last_line)

    def _relabel(self, codes: list[CodeRow]) -> bool:
        """Update the labels in place when the tree's shape is the same; False when it is not."""
        old = self.codes
        if len(old) != len(codes) or any(a.path != b.path or a.id != b.id for a, b in zip(old, codes)):
            return False
        nodes: dict[str, TreeNode[str]] = {}
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            if node.data is not None:
                nodes[node.data] = node
            stack.extend(node.children)
        if len(nodes) != len(codes):
            return False
        for before, after in zip(old, codes):
            if before != after:
                nodes[after.path].set_label(code_label(after))
        self.codes = list(codes)
        return True

    def _remember_folds(self) -> None:
        ids = {code.path: code.id for code in self.codes}
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            if node.children and node.data in ids:
                self._expanded[ids[node.data]] = node.is_expanded
            stack.extend(node.children)

    # --- editing ------------------------------------------------------------------------------

    def action_add(self) -> None:
        self._add(self.highlighted_path)

    def action_add_top(self) -> None:
        self._add(None)

    def _add(self, parent: str | None) -> None:
        title = Text(f"New code under {parent}" if parent else "New top-level code")

        def added(path: object) -> None:
            if isinstance(path, str):
                parent_code = self.code(parent)
                if parent_code is not None:
                    self._expanded[parent_code.id] = True
                self._saved(f"added code {path}", follow=path)

        self.app.push_screen(NameDialog(title, submit=lambda name: edits.add_code(self.project, self.coder,
                                                                                  parent, name)), added)

    def action_rename(self) -> None:
        code = self._code_for_key()
        if code is None:
            return

        def renamed(path: object) -> None:
            if isinstance(path, str) and path != code.path:
                self._saved(f"renamed code {code.path} to {path}", follow=path)

        self.app.push_screen(NameDialog(Text(f"Rename {code.path}"), code.name,
                                        submit=lambda name: edits.rename_code(self.project, self.coder,
                                                                              code.path, name)), renamed)

    def action_move(self) -> None:
        code = self._code_for_key()
        if code is None:
            return
        current_parent = code.path.rpartition("/")[0]
        inside = {c.path for c in below(self.codes, code.path)} | {code.path}
        targets = [c for c in self.codes if c.path not in inside and c.path != current_parent]

        def chosen(parent: str | None) -> None:
            if parent is None:
                return
            self._edit(edits.move_code, code.path, None if parent == TOP_LEVEL else parent,
                       done=lambda new: f"moved code {code.path} to {new}", follow=lambda new: new)

        self.app.push_screen(CodePicker(Text(f"Move {code.path} (and the codes below it) under:"), targets,
                                        top_level=bool(current_parent)), chosen)

    def action_merge(self) -> None:
        code = self._code_for_key()
        if code is None:
            return
        inside = {c.path for c in below(self.codes, code.path)} | {code.path}
        targets = [c for c in self.codes if c.path not in inside]

        def chosen(target: str | None) -> None:
            if not target:
                return
            children = [c for c in self.codes if c.path.rpartition("/")[0] == code.path]
            message = Text(f"Merge {code.path} into {target}?\n\n")
            message.append(f"{plural(code.codings, 'coding')} of {code.name} will move to {target}")
            if children:
                message.append(f"; {plural(len(children), 'code')} below it (with "
                               f"{plural(code.total - code.codings, 'coding')}) will go under {target}")
            message.append(f"; then {code.path} is removed. ctrl+z undoes it.")

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._edit(edits.merge_code, code.path, target,
                               done=lambda result: f"merged {code.path} into {target}: "
                                                   f"{plural(result['codings'], 'coding')} moved",
                               follow=lambda _: target)

            self.app.push_screen(ConfirmDialog(message, "Merge", title="Merge codes"), confirmed)

        self.app.push_screen(CodePicker(Text(f"Merge {code.path} into:"), targets), chosen)

    def action_details(self) -> None:
        """Colour, key, Indonesian name, definition, when (not) to use, example: one dialog."""
        code = self._code_for_key()
        if code is None:
            return

        def saved(changed: object) -> None:
            if changed:
                self._saved(f"changed code {code.path}", follow=code.path)

        self.app.push_screen(CodeDetailsDialog(self.project, self.coder, code), saved)

    def action_delete(self) -> None:
        code = self._code_for_key()
        if code is None:
            return
        codes_below = below(self.codes, code.path)
        message = Text(f"Delete {code.path}")
        if codes_below:
            message.append(f" and the {plural(len(codes_below), 'code')} below it")
        if code.total:
            message.append(f"?\n\n{plural(code.total, 'coding')} will be removed with it (all coders'). "
                           "To keep them, merge it into another code (j) instead. ctrl+z undoes it.")
        else:
            message.append("? It has no codings.")

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._edit(edits.delete_code, code.path,
                           done=lambda result: f"deleted code {code.path} and {plural(result['codings'], 'coding')}")

        self.app.push_screen(ConfirmDialog(message, "Delete", title="Delete code"), confirmed)

    @work(thread=True, group="code-edit", exit_on_error=False)
    def _edit(self, function: Callable, *args, done: Callable[[object], str],
              follow: Callable[[object], str | None] | None = None) -> None:
        try:
            result = function(self.project, self.coder, *args)
        except QcodeError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        except Exception as exc:  # noqa: BLE001 - a locked or damaged file: a message, not a traceback
            self.app.call_from_thread(self.notify, f"could not save: {exc}", severity="error", markup=False)
            return
        self.app.call_from_thread(self._saved, done(result), follow(result) if follow else None)

    def _saved(self, message: str, follow: str | None = None) -> None:
        self._follow = follow
        self.post_message(self.Changed(message))
