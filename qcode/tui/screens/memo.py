"""Memos: an editor that saves as you type, and a list of every memo in the project.

``MemoEditor`` edits the memo (an optional title, and the text) on the project, a document, a
case, a code or a coding. There is no Save: the text is stored 0.8 s after the last keystroke, at
once on ctrl+s, and on leaving (escape).
Saves run one at a time (a lock) and each stores the latest text, so the last text always wins and
leaving waits for the final save. Empty text never creates a memo; clearing a memo deletes it when
the editor is left (or on ctrl+s), not while typing, so that retyping it is one edit, not two.
All saves of one editor share a session, so they undo as one step (see ``Memos.update``).
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static, TextArea

from qcode.core import QcodeError
from qcode.tui.data.memos import (
    MemoRow,
    SaveResult,
    all_memos,
    find_memo,
    is_empty,
    save_memo,
)

SAVE_ERRORS = (QcodeError, sqlite3.Error, OSError)
SAVING = "saving…"
EMPTIED = "empty: the memo will be deleted when you leave"
Content = tuple[str, str]  # a memo as the editor holds it: (title, text)


def blank(content: Content) -> bool:
    """No title and no text: such a memo is never created, and an existing one is deleted."""
    title, text = content
    return is_empty(text) and not title.strip()


class MemoEditor(ModalScreen[bool]):
    """Edit the memo on ``kind``/``target`` (the most recent one, or ``memo``: a GUID); dismisses
    with True when anything was saved or deleted, else False."""

    DEBOUNCE = 0.8  # seconds after the last keystroke
    BINDINGS: ClassVar = [Binding("escape", "leave", "Save and close", id="memo-close"),
                Binding("ctrl+s", "save_now", "Save now", id="memo-save")]
    DEFAULT_CSS = """
    MemoEditor { align: center middle; }
    MemoEditor > Vertical { width: 90%; max-width: 110; height: 85%; border: round $accent;
                            background: $surface; padding: 0 1; }
    MemoEditor #memo-heading { height: auto; max-height: 3; text-style: bold; }
    MemoEditor #memo-text { height: 1fr; }
    MemoEditor #memo-status { height: 1; }
    MemoEditor #memo-keys { height: 1; color: $text-muted; }
    """

    def __init__(self, project: Path, coder: str | None, kind: str, target: str | None, heading: str,
                 *, memo: str | None = None):
        super().__init__()
        self.project, self.coder, self.kind, self.target, self.heading = Path(project), coder, kind, target, heading
        self.session = str(uuid.uuid4())
        self._guid = memo  # the memo being edited; None until one exists
        self._stored: Content = ("", "")  # the (title, text) the project holds, as the editor shows them
        self._wanted: Content = ("", "")  # the latest (title, text) to store
        self._save_lock = threading.Lock()  # one save at a time
        self._loaded = False
        self._leaving = False
        self._gone = False
        self._failed_leave = False
        self._saved_any = False
        self._debounce: Timer | None = None
        self.status = ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.heading), id="memo-heading")
            yield Input(placeholder="title (optional)", compact=True, disabled=True, id="memo-title")
            yield TextArea(id="memo-text", soft_wrap=True, read_only=True)
            yield Static(Text("loading…"), id="memo-status")
            yield Static(Text("esc save and close · ctrl+s save now · saved as you type"), id="memo-keys")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()
        self._load()

    # --- loading ----------------------------------------------------------------------------------

    @work(thread=True, exit_on_error=False, group="memo-load")
    def _load(self) -> None:
        try:
            row = find_memo(self.project, self.kind, self.target, self._guid)
        except SAVE_ERRORS as exc:
            self.app.call_from_thread(self._set_status, f"cannot open the memo: {exc}")
            return
        self.app.call_from_thread(self._loaded_memo, row)

    def _loaded_memo(self, row: MemoRow | None) -> None:
        if self._gone:
            return
        area = self.query_one(TextArea)
        area.load_text(row.text if row else "")
        area.move_cursor(area.document.end)
        title = self.query_one("#memo-title", Input)
        with self.prevent(Input.Changed):
            title.value = row.title if row else ""
        self._guid = row.guid if row else None
        self._stored = self._wanted = self._content()
        self._loaded = True
        area.read_only = False
        title.disabled = False
        if row is None:
            self._set_status("new memo: saved as you type")
        else:
            by = f" by {row.coder}" if row.coder and row.coder != self.coder else ""
            self._set_status(f"saved · last changed {local_time(row.modified)}{by}")

    # --- saving -----------------------------------------------------------------------------------

    def _content(self) -> Content:
        return self.query_one("#memo-title", Input).value, self.query_one(TextArea).text

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "memo-title":
            self._changed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "memo-title":  # enter in the title goes on to the text
            event.stop()
            self.query_one(TextArea).focus()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._changed()

    def _changed(self) -> None:
        if not self._loaded or self._leaving:
            return
        self._wanted = self._content()
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        if self._wanted == self._stored:
            if not self.status.startswith(("saved", "new memo")):  # typed back to what is stored
                self._set_status("saved" if self._guid else "")
        elif blank(self._wanted) and self._guid:
            self._set_status(EMPTIED)
        elif blank(self._wanted):
            self._set_status("")
        else:
            self._set_status(SAVING)
            self._debounce = self.set_timer(self.DEBOUNCE, self._debounced)

    def _debounced(self) -> None:
        self._debounce = None
        self._save(final=False, leave=False)

    def action_save_now(self) -> None:
        if self._loaded and not self._leaving:
            self._start_save(final=True, leave=False)

    def action_leave(self) -> None:
        if self._leaving:
            return
        if not self._loaded or self._failed_leave:  # nothing to lose, or the user said so
            self._close()
            return
        self._start_save(final=True, leave=True)

    def _start_save(self, *, final: bool, leave: bool) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        area = self.query_one(TextArea)
        self._wanted = self._content()
        if leave:
            self._leaving = True
            area.read_only = True
            self.query_one("#memo-title", Input).disabled = True
        if self._wanted != self._stored:
            self._set_status(SAVING)
        self._save(final=final, leave=leave)

    @work(thread=True, exit_on_error=False, group="memo-save")
    def _save(self, final: bool, leave: bool) -> None:
        text, result, error = self._store(final)
        try:
            self.app.call_from_thread(self._after_save, text, result, error, leave)
        except RuntimeError:  # the app has stopped
            pass

    def _store(self, final: bool) -> tuple[Content, SaveResult | None, Exception | None]:
        """Store the latest title and text unless the project holds them already (any thread; one at
        a time)."""
        with self._save_lock:
            content = self._wanted
            if content == self._stored or (not final and blank(content) and self._guid):
                return content, None, None
            title, text = content
            try:
                result = save_memo(self.project, self.coder, self.kind, self.target, self._guid, text,
                                   self.session, title=title, delete_empty=final)
            except Exception as exc:  # noqa: BLE001 (any failure is said in the status line; the text stays)
                return content, None, exc
            self._guid = result.guid
            if result.outcome != "kept":
                self._stored = content
            if result.outcome in ("saved", "deleted"):
                self._saved_any = True
            return content, result, None

    def _after_save(self, content: Content, result: SaveResult | None, error: Exception | None, leave: bool) -> None:
        if self._gone:
            return
        if error is not None:
            if leave:
                self._leaving, self._failed_leave = False, True
                self.query_one(TextArea).read_only = False
                self.query_one("#memo-title", Input).disabled = False
                self._set_status(f"not saved: {error} · ctrl+s tries again, esc closes without saving")
            else:
                self._set_status(f"not saved: {error}")
            return
        self._failed_leave = False
        if leave:
            self._close()
            return
        if self._wanted != self._stored:
            return  # typed more since: the save to come reports
        if result is not None and result.outcome == "deleted":
            self._set_status("deleted: the memo was empty")
        elif (result is not None and result.outcome == "saved") or (self._guid and content == self._stored):
            self._set_status("saved")

    def _close(self) -> None:
        self._gone = True
        self.dismiss(self._saved_any)

    def on_unmount(self) -> None:
        """Closed another way (the app quits): store what was typed since the last save."""
        if not self._gone and self._loaded:
            self._gone = True
            if self._debounce is not None:
                self._debounce.stop()
            self._store(final=True)

    def _set_status(self, message: str) -> None:
        self.status = message
        self.query_one("#memo-status", Static).update(Text(message))


def local_time(stamp: str) -> str:
    """``2024-05-01T10:22:33.123Z`` as the local date and time to the minute."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def memo_matches(row: MemoRow, typed: str) -> bool:
    """Whether every typed word is in the memo's kind, target, coder or text (any case)."""
    haystack = f"{row.kind} {row.where} {row.coder or ''} {row.title} {row.text}".casefold()
    return all(word in haystack for word in typed.casefold().split())


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


class MemoList(ModalScreen[None]):
    """Every memo of the project, newest first; type to filter, enter opens one in the editor."""

    BINDINGS: ClassVar = [Binding("escape", "close", "Close", id="memos-close"),
                Binding("down", "focus_table", "Choose", show=False, id="memos-down")]
    DEFAULT_CSS = """
    MemoList { align: center middle; }
    MemoList > Vertical { width: 95%; height: 90%; border: round $accent; background: $surface; padding: 0 1; }
    MemoList #memos-heading, MemoList #memos-keys { height: 1; }
    MemoList #memos-keys { color: $text-muted; }
    MemoList DataTable { height: 1fr; }
    """

    def __init__(self, project: Path, coder: str | None):
        super().__init__()
        self.project, self.coder = Path(project), coder
        self.memos: list[MemoRow] = []
        self.shown: list[MemoRow] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Memos"), id="memos-heading")
            yield Input(placeholder="type to filter: kind, document, code, coder, words of the memo", id="memos-filter")
            table = DataTable(id="memos", cursor_type="row", zebra_stripes=True)
            table.add_columns("kind", "on", "memo", "coder", "modified")
            yield table
            yield Static(Text("enter opens · ↓ to the list · esc closes"), id="memos-keys")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.load()

    @work(thread=True, exclusive=True, group="memos-load", exit_on_error=False)
    def load(self) -> None:
        try:
            memos = all_memos(self.project)
        except SAVE_ERRORS as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._show, memos)

    def _show(self, memos: list[MemoRow]) -> None:
        self.memos = memos
        self._fill(self.query_one(Input).value)

    def _fill(self, typed: str) -> None:
        self.shown = [row for row in self.memos if memo_matches(row, typed)]
        table = self.query_one(DataTable)
        table.clear()
        for row in self.shown:
            table.add_row(Text(row.kind), Text(_cut(row.where, 36)), Text(_cut(row.first_line, 60)),
                          Text(row.coder or ""), Text(local_time(row.modified)), key=row.guid)
        heading = f"Memos: {len(self.shown)} of {len(self.memos)}" if typed.strip() else f"Memos: {len(self.memos)}"
        self.query_one("#memos-heading", Static).update(Text(heading))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        table = self.query_one(DataTable)
        if self.shown:
            self._open(self.shown[min(table.cursor_row, len(self.shown) - 1)])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(next(row for row in self.shown if row.guid == event.row_key.value))

    def _open(self, row: MemoRow) -> None:
        def closed(saved: bool | None) -> None:
            if saved:
                self.load()
        self.app.push_screen(MemoEditor(self.project, self.coder, row.kind, row.target, row.heading, memo=row.guid),
                             closed)

    def action_focus_table(self) -> None:
        self.query_one(DataTable).focus()

    def action_close(self) -> None:
        self.dismiss(None)
