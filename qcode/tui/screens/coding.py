"""The coding screen: the code tree, the document, and a side panel with the rules of the code in focus.

Every change is written at once, in a thread worker, as one transaction; the screen then reloads the
document's codings and the counts. There is no Save.
"""

from __future__ import annotations

import gc
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static, Tree

from qcode.analysis.places import HELP as PLACE_HELP
from qcode.analysis.places import place_offset
from qcode.analysis.retrieval import Locator
from qcode.core import QcodeError
from qcode.tui import data
from qcode.tui.screens.analysis import AnalysisScreen
from qcode.tui.screens.code_edit import in_vivo_dialog
from qcode.tui.screens.dialogs import AskText, CodingChooser
from qcode.tui.screens.excerpts import ExcerptsScreen
from qcode.tui.screens.export import ExportDialog
from qcode.tui.screens.help import HelpScreen, key_sections
from qcode.tui.screens.memo import MemoEditor, MemoList
from qcode.tui.screens.pickers import CodeFinder, DocumentPicker
from qcode.tui.screens.query import QueryScreen
from qcode.tui.widgets.code_tree import CodeTree
from qcode.tui.widgets.document_view import DocumentView, Span
from qcode.tui.widgets.find_bar import FindBar
from qcode.tui.widgets.title_bar import TitleBar


def coding_spans(codes: list[data.CodeRow], codings) -> list[Span]:
    """The spans the document view draws for ``codings``, in their codes' colours (any thread)."""
    colors = {code.path: code.color for code in codes}
    make, default = Span._make, data.DEFAULT_COLOR  # _make: thousands of spans when a document opens
    return [make((c.start, c.end, c.guid, colors.get(c.code, default), c.code)) for c in codings]


class CodingScreen(Screen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "find_code", "Code", id="code-finder"),
        Binding("u", "uncode", "Uncode", id="uncode"),
        Binding("r", "recode", "Recode", show=False, id="recode"),
        Binding("i", "in_vivo", "In vivo", show=False, id="in-vivo"),
        Binding("e", "excerpts", "Excerpts", id="excerpts"),
        Binding("m", "memo", "Memo", id="memo-coding"),
        Binding("M", "document_memo", "Document memo", show=False, id="memo-document"),
        Binding("ctrl+f", "query", "Query & search", show=False, id="query"),
        Binding("ctrl+t", "analysis", "Tables & charts", show=False, id="analysis"),
        Binding("ctrl+e", "export", "Export", show=False, id="export"),
        Binding("escape", "home", "Home", show=False, id="home"),
        Binding("ctrl+z", "undo", "Undo", id="undo"),
        Binding("ctrl+y", "redo", "Redo", id="redo"),
        Binding("right_square_bracket", "next_coding", "Next coding", show=False, id="next-coding"),
        Binding("left_square_bracket", "previous_coding", "Previous coding", show=False, id="previous-coding"),
        Binding("right_curly_bracket", "next_coding(True)", "Next coding of the code in focus", show=False,
                id="next-coding-of-code"),
        Binding("left_curly_bracket", "previous_coding(True)", "Previous coding of the code in focus", show=False,
                id="previous-coding-of-code"),
        Binding("slash", "find", "Find", id="find"),
        Binding("colon,ctrl+g", "go_to", "Go to", show=False, id="go-to"),
        Binding("d", "pick_document", "Documents", id="documents"),
        Binding("tab", "app.focus_next", "Next pane", show=False, id="next-pane"),
        Binding("question_mark,f1", "help", "Keys", id="help"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]
    DEFAULT_CSS = """
    CodingScreen #panes { height: 1fr; }
    CodingScreen #codes { width: 32; border-right: solid $primary-darken-2; }
    CodingScreen #reader { width: 1fr; }
    CodingScreen #side { width: 36; border-left: solid $primary-darken-2; padding: 0 1; }
    CodingScreen #status { height: 1; background: $boost; padding: 0 1; }
    """

    def __init__(self, project: Path, document: str | None = None, coder: str | None = None,
                 ready: tuple | None = None):
        """``ready``: (codes, document, locator, spans) already read for ``document``, to show at once."""
        super().__init__()
        self._ready = ready
        self.project = project
        self.document_name = document
        self.coder = coder
        self.codes: list[data.CodeRow] = []
        self.doc: data.DocumentData | None = None
        self.message = "saved"
        self.document_names: list[str] = []
        self.locator: Locator | None = None
        self.focus_code: str | None = None  # the code last highlighted in the tree
        self._find_origin: int | None = None
        self._pending_place: tuple[int, int | None] | None = None
        self._held: list[tuple[str, str | None]] | None = None  # keys typed while a dialog opens
        self._hold_timer: Timer | None = None  # drops the held keys when no dialog opens
        self._shortcut_keys: list[str] = []
        self._shortcuts_bound: list[tuple[str | None, str]] = []
        self._collector_paused = False  # the collector waits for the first frame (see compose)

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Composing, styling and drawing the first frame make tens of thousands of objects and no
        # garbage: the collector waits until that frame is drawn (it cost 8 ms of it).
        self._collector_paused = gc.isenabled()
        gc.disable()
        yield TitleBar()
        with Horizontal(id="panes"):
            yield CodeTree(self.project, self.coder, id="codes")
            with Vertical(id="reader"):
                yield DocumentView(id="document")
                yield FindBar(id="find")
            with VerticalScroll(id="side"):
                yield Static(id="rules")
        yield Static(id="status")
        yield Footer()

    def _resume_collector(self) -> None:
        if self._collector_paused:
            self._collector_paused = False
            gc.enable()

    def on_unmount(self) -> None:
        self._resume_collector()

    def on_mount(self) -> None:
        self.call_after_refresh(self._resume_collector)
        self.query_one(DocumentView).focus()
        if self._ready is not None:  # read already (at start-up): shown in the first frame
            codes, doc, locator, spans = self._ready
            self._ready = None
            self._show(codes, doc, None, locator, spans)
            self._load_names()
            if not doc.complete:  # only the codings of the first screens: the rest once they are drawn
                self.call_after_refresh(self._reload)
        else:
            self.load()

    @work(thread=True, group="names", exit_on_error=False)
    def _load_names(self) -> None:
        try:
            names = [n[0] for n in data.documents(self.project)]
        except QcodeError:
            return
        self.app.call_from_thread(self._set_names, names)

    def on_resize(self, event) -> None:
        """Below 110 columns the side panel gives way to the document (it works at 80x24)."""
        self.query_one("#side").display = event.size.width >= 110
        self.query_one("#codes").styles.width = 32 if event.size.width >= 90 else 24

    # --- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        try:
            codes = data.codes(self.project)
            names = None if self.document_name else [n[0] for n in data.documents(self.project)]
            name = self.document_name or (names[0] if names else None)
            doc = data.document(self.project, name) if name else None
        except QcodeError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        locator = Locator(doc.text, doc.metadata) if doc is not None else None  # here, not in the UI thread
        self.app.call_from_thread(self._show, codes, doc, names, locator)
        if names is None:  # the list of documents (for "doc 3/9" and the palette) can come after
            self.app.call_from_thread(self._load_names)

    def _set_names(self, names: list[str]) -> None:
        self.document_names = names
        self._update_panels()

    def _show(self, codes: list[data.CodeRow], doc: data.DocumentData | None,
              names: list[str] | None = None, locator: Locator | None = None,
              spans: list[Span] | None = None) -> None:
        first = self.doc is None or doc is None or self.doc.name != (doc.name if doc else None)
        self.codes, self.doc = codes, doc
        if names is not None:
            self.document_names = names
        self._fill_tree()
        view = self.query_one(DocumentView)
        if doc is None:
            self.title = "qcode"
            self.sub_title = "no documents yet: import some with qcode import"
            return
        self.document_name = doc.name
        self.sub_title = doc.title or doc.name
        spans = spans if spans is not None else self._spans()
        if first:
            view.load(doc.text, spans)
            self.locator = locator or Locator(doc.text, doc.metadata)
            place, self._pending_place = self._pending_place, None
            if place is not None:
                self.call_after_refresh(self.go_to_offset, *place)
        else:
            view.set_spans(spans)
        self._update_panels()

    def _spans(self) -> list[Span]:
        return coding_spans(self.codes, self.doc.codings if self.doc else ())

    def _fill_tree(self) -> None:
        self.query_one(CodeTree).set_codes(self.codes)
        if [(c.shortcut, c.path) for c in self.codes] != self._shortcuts_bound:
            self._shortcuts_bound = [(c.shortcut, c.path) for c in self.codes]
            self._bind_shortcuts()

    def on_code_tree_changed(self, event: CodeTree.Changed) -> None:
        """A code was added, renamed, moved, merged or deleted: codes and spans are read again."""
        self.message = f"{event.message} · saved"
        self._reload()

    @work(thread=True, group="write", exit_on_error=False)
    def _reload(self) -> None:
        try:
            self.reload_codings()
        except QcodeError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)

    # --- what is where ------------------------------------------------------------------------

    def on_document_view_selection_changed(self, event: DocumentView.SelectionChanged) -> None:
        self._update_panels()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        code = self._code(event.node.data)
        if code is not None:
            self.focus_code = code.path
            self._show_rules(code)

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        code = self._code(event.node.data)
        if code is not None and code.codable:
            self.apply(code.path)

    def _code(self, path: str | None) -> data.CodeRow | None:
        return next((code for code in self.codes if code.path == path), None)

    def _codings_here(self) -> list[data.CodingRow]:
        if self.doc is None:
            return []
        view = self.query_one(DocumentView)
        # with a selection, where it starts: after V (or coding it) the cursor sits just past the end
        cursor = view.selection[0] if view.selection else view.cursor
        here = [c for c in self.doc.codings if c.start <= cursor < c.end]
        return sorted(here, key=lambda c: c.end - c.start)

    def _update_panels(self) -> None:
        here = self._codings_here()
        code = self._code(here[0].code) if here else self._code(self.focus_code)
        if code is not None:
            self._show_rules(code, here)
        else:
            self._show_document_card()
        view = self.query_one(DocumentView)
        selection = view.selection
        selected = f"sel {selection[1] - selection[0]} chars" if selection else "no selection"
        names = ", ".join(dict.fromkeys(c.code.rpartition("/")[2] for c in here)) or "none"
        where = ""
        if self.locator is not None and view.text:
            paragraph = self.locator.paragraphs(view.cursor, view.cursor + 1)[0]
            time = self.locator.time(view.cursor)
            where = f"¶{paragraph}" + (f" {time}" if time else "")
        position = ""
        if self.document_name in self.document_names:
            position = f"doc {self.document_names.index(self.document_name) + 1}/{len(self.document_names)} │ "
        # narrow terminals: the header names the document already, and "saved" must stay in view
        name = f"{self.document_name or ''} " if self.size.width >= 110 else ""
        selected = selected if self.size.width >= 90 else selected.replace(" chars", "").replace("no selection", "—")
        status = Text(f" {name}{where} │ {selected} │ codes here: {names} │ {position}{self.message}")
        self.query_one("#status", Static).update(status)

    def _show_document_card(self) -> None:
        """With no code in focus: what the document is (title, cases, attributes, size, codings)."""
        doc = self.doc
        if doc is None:
            return
        card = Text()
        card.append((doc.title or doc.name) + "\n", style="bold")
        if doc.title:
            card.append(doc.name + "\n", style="dim")
        if doc.cases:
            card.append("\nCase: ", style="bold")
            card.append(", ".join(doc.cases) + "\n")
        for key, value in doc.attributes.items():
            card.append(f"{key}: ", style="bold")
            card.append(f"{value}\n")
        mine = sum(1 for c in doc.codings if c.coder == self.coder)
        card.append(f"\n{len(doc.text):,} characters · {len(doc.codings)} codings ({mine} yours)\n", style="dim")
        card.append("\nSelect a passage (shift+arrows, V for a paragraph, v to mark), then press a code's key, "
                    "enter on the tree, or c to find a code. Highlight a code in the tree to read its rules.",
                    style="dim italic")
        self.query_one("#rules", Static).update(card)

    def _show_rules(self, code: data.CodeRow, here: list[data.CodingRow] | None = None) -> None:
        rules = Text()
        rules.append(code.path + "\n", style=f"bold {code.color}")
        if code.name_id:
            rules.append(code.name_id + "\n", style="italic")
        for label, value in (("", code.definition), ("Use when: ", code.when_to_use),
                             ("Not when: ", code.when_not_to_use), ("Example: ", code.example)):
            if value:
                rules.append("\n" + label, style="bold")
                rules.append(value + "\n")
        if here:
            rules.append("\nHere:\n", style="bold")
            for coding in here:
                rules.append(f"• {coding.code} ({coding.coder})\n")
                if coding.memo:
                    rules.append(f"  memo: {coding.memo}\n", style="italic")
        self.query_one("#rules", Static).update(rules)

    # --- actions ------------------------------------------------------------------------------

    # keys whose action opens a dialog or the find bar: what is typed right after them belongs there
    OPENS_INPUT = frozenset({"find_code", "recode", "uncode", "in_vivo", "go_to", "find", "pick_document",
                             "query", "export", "excerpts", "help", "memo", "document_memo"})

    def on_key(self, event: events.Key) -> None:
        """Keys reach this screen before their bindings run, so keys typed fast after ``c`` (``koord``)
        would be taken as codebook shortcuts before the finder is open: they are held instead, and
        passed on once the dialog or the find bar has the focus."""
        if self._held is not None:
            event.stop()
            event.prevent_default()
            self._held.append((event.key, event.character))
            return
        if isinstance(self.focused, DocumentView):
            bound = self.active_bindings.get(event.key)
            if bound is not None and bound.binding.action.partition("(")[0] in self.OPENS_INPUT:
                self._held = []
                self._stop_hold_timer()
                self._hold_timer = self.set_timer(0.5, self._drop_held)  # nothing opened (nothing selected ...)

    def _bind_shortcuts(self) -> None:
        """The codebook's shortcuts as bindings of this screen, so that they run in the order typed
        with the other keys (``V`` then ``5``: the paragraph is selected before it is coded)."""
        keys = self._bindings.key_to_bindings
        for key in self._shortcut_keys:
            keys.pop(key, None)
        self._shortcut_keys = []
        for code in self.codes:
            if code.shortcut and code.codable and code.shortcut not in keys:
                self._bindings.bind(code.shortcut, f"shortcut({code.path!r})", code.path, show=False)
                self._shortcut_keys.append(code.shortcut)
        self.refresh_bindings()

    def action_shortcut(self, path: str) -> None:
        """A code's key: apply it to the selection (in the document; elsewhere the key does nothing)."""
        if not isinstance(self.focused, DocumentView):
            raise SkipAction()
        self.apply(path)

    def _drop_held(self) -> None:
        """The key said why it could not open its dialog: what was typed for the dialog is dropped,
        never taken as commands or codebook shortcuts."""
        if self._held is not None and self.app.screen is self:
            self._held = None

    def _stop_hold_timer(self) -> None:
        """The timer of an earlier hold must not drop the keys of this one."""
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None

    def _release_held(self) -> None:
        self._stop_hold_timer()
        held, self._held = self._held, None
        if held:
            self._replay(held)

    def _replay(self, keys: list[tuple[str, str | None]]) -> None:
        """Pass held keys on one at a time, each after the last has been handled: posted at once, an
        Input would take in the letters after an enter before the enter submits it."""
        key, character = keys[0]
        # sent as from the app, as the terminal's keys are: a key sent by this screen would stop
        # bubbling at this screen and never reach the bindings
        self.app.post_message(events.Key(key, character).set_sender(self.app))
        if len(keys) > 1:
            # after the key has been handled and the screen redrawn (an enter may close a dialog first)
            self.app.call_after_refresh(lambda: self.set_timer(0.01, lambda: self._replay(keys[1:])))

    def on_screen_suspend(self) -> None:
        """A dialog opened: once it has the focus, it gets the keys typed meanwhile."""
        if self._held is not None:
            self.set_timer(0.05, self._release_held)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self._held is not None and not isinstance(event.widget, DocumentView):
            self.call_after_refresh(self._release_held)  # the find bar

    def apply(self, path: str) -> None:
        selection = self.query_one(DocumentView).selection
        if selection is None or self.doc is None:
            self.notify("Select a passage first (shift+arrows, V for a paragraph, v for mark mode)")
            return
        self._write(data.apply_code, self.document_name, selection[0], selection[1], path,
                    done=f"coded with {path}")

    def action_find_code(self) -> None:
        def chosen(path: str | None) -> None:
            if path:
                self.apply(path)
        self.app.push_screen(CodeFinder(self.codes), chosen)

    def _choose_mine(self, verb: str, then) -> None:
        """The coder's coding at the cursor to act on: the only one, or one chosen from a list."""
        here = self._codings_here()
        mine = [c for c in here if c.coder == self.coder]
        if not mine:
            self.notify("None of your codings is at the cursor (others' are theirs to change)" if here
                        else "No coding at the cursor")
            return
        if len(mine) == 1:
            then(mine[0])
            return
        by_guid = {c.guid: c for c in mine}

        def chosen(guid: str | None) -> None:
            if guid in by_guid:
                then(by_guid[guid])
        self.app.push_screen(CodingChooser(f"{verb}: which coding?", mine, self.doc.text, self.coder), chosen)

    def action_uncode(self) -> None:
        """Remove one of this coder's codings at the cursor (a chooser when there are several)."""
        def uncode(coding: data.CodingRow) -> None:
            self._write(data.uncode, coding.guid, done=f"removed {coding.code}")
            if self.app.screen is self:
                self._release_held()  # no chooser opened: what was typed after u is for this screen
        self._choose_mine("Uncode", uncode)

    def action_recode(self) -> None:
        """Give one of this coder's codings at the cursor another code, keeping its span and memo."""
        def recode(coding: data.CodingRow) -> None:
            def to(path: str | None) -> None:
                if path:
                    self._write(data.recode, coding.guid, path, done=f"recoded {coding.code} as {path}")
            self.app.push_screen(CodeFinder(self.codes, title=f"Recode {coding.code} as…"), to)
        self._choose_mine("Recode", recode)

    def action_undo(self) -> None:
        self._write(data.undo, done="undone")

    def action_redo(self) -> None:
        self._write(data.redo, done="redone")

    def action_next_coding(self, of_code: bool = False) -> None:
        self._jump(forward=True, of_code=of_code)

    def action_previous_coding(self, of_code: bool = False) -> None:
        self._jump(forward=False, of_code=of_code)

    def _jump(self, forward: bool, of_code: bool = False) -> None:
        """To the next or previous coding; of the code in focus (and codes below it) when asked, or when
        the code tree has the focus."""
        if self.doc is None:
            return
        codings = self.doc.codings
        code = self.focus_code if of_code or self.focused is self.query_one("#codes") else None
        if code is not None:
            codings = [c for c in codings if c.code == code or c.code.startswith(code + "/")]
            if not codings:
                self.notify(f"No coding of {code} in this document", markup=False)
                return
        view = self.query_one(DocumentView)
        starts = sorted({c.start for c in codings})
        cursor = view.cursor
        target = next((s for s in starts if s > cursor), None) if forward else \
            next((s for s in reversed(starts) if s < cursor), None)
        if target is None:
            self.notify("No more codings " + ("below" if forward else "above"))
            return
        view.move_to(target)
        view.scroll_to_offset(target, center=True)
        self._update_panels()

    # --- finding and going to places ----------------------------------------------------------

    def action_find(self) -> None:
        view = self.query_one(DocumentView)
        self._find_origin = view.cursor
        self.query_one(FindBar).open(view.selected_text if view.selection and "\n" not in view.selected_text
                                     and len(view.selected_text) < 60 else "")

    def on_find_bar_changed(self, event: FindBar.Changed) -> None:
        view = self.query_one(DocumentView)
        found = view.find(event.term)
        if self._find_origin is not None:
            view.move_to(self._find_origin)
        match = view.next_match() if found else None
        current = found.index(match) + 1 if match in found else None
        self.query_one(FindBar).show_count(len(found), current)

    def on_find_bar_closed(self, event: FindBar.Closed) -> None:
        view = self.query_one(DocumentView)
        if not event.keep and self._find_origin is not None:
            view.move_to(self._find_origin)
            view.scroll_to_offset(self._find_origin, center=True)
        self._find_origin = None
        view.focus()

    def action_go_to(self) -> None:
        if self.locator is None:
            return

        def check(typed: str) -> str | None:
            try:
                place_offset(self.locator, typed)
            except ValueError as exc:
                return str(exc)
            return None

        def go(typed: str | None) -> None:
            if typed is None or self.locator is None:
                return
            offset = place_offset(self.locator, typed)
            view = self.query_one(DocumentView)
            view.move_to(offset)
            view.scroll_to_offset(offset, center=True)
            view.focus()
            self._update_panels()
        self.app.push_screen(AskText("Go to", placeholder="12, line 40, page 3, 1:02:03", hint=PLACE_HELP,
                                     check=check), go)

    def go_to_offset(self, start: int, end: int | None = None) -> None:
        """Put the cursor at ``start`` (selecting up to ``end``) and bring it into view."""
        view = self.query_one(DocumentView)
        if end is not None and end > start:
            view.select(start, end)
        else:
            view.move_to(start)
        view.scroll_to_offset(start, center=True)
        view.focus()
        self._update_panels()

    def action_help(self) -> None:
        shortcuts = [(c.shortcut, c.path) for c in self.codes if c.shortcut and c.codable]
        self.app.push_screen(HelpScreen(key_sections(self), shortcuts))

    def palette_commands(self):
        """What the command palette offers here (see qcode.tui.commands)."""
        yield "Find in this document", "Find text (/), then n and N", self.action_find
        yield "Go to a paragraph, line, page or time", PLACE_HELP, self.action_go_to
        yield "Undo", "Take back your last action", self.action_undo
        yield "Redo", "Do again what you undid", self.action_redo
        yield "Keys", "Every key of this screen", self.action_help
        yield "Query codings", "AND, OR, NOT, OVERLAPS, WITHIN, NEAR/N, FOLLOWEDBY (ctrl+f)", self.action_query
        yield "Search the documents", "Words, phrases and parts of words, in every document", self.action_search
        yield "Tables and charts", "Frequencies, co-occurrence, matrices (ctrl+t)", self.action_analysis
        yield "Export …", "Excerpts to Word, CSV, Excel, Markdown or HTML; memos to Word (ctrl+e)", \
            self.action_export
        yield "In vivo: the selection names a new code", "The selected words become a code, applied here", \
            self.action_in_vivo
        yield "Project home", "Documents, cases, codebook and memos (escape)", self.action_home
        yield "Memo on the coding here", "m", self.action_memo
        yield "Memo on this document", "M", self.action_document_memo
        yield "Memo on the code in focus", "The code highlighted in the tree, or the one at the cursor", \
            self.action_code_memo
        yield "Memo on the project", "Notes on the whole study", self.action_project_memo
        yield "All memos", "Every memo, newest first; type to filter", self.action_memos
        focus = self.code_in_focus()
        if focus:
            yield f"Export the excerpts of {focus} …", "To Word or another format", \
                (lambda: self.action_export(of_code=True))
        for code in self.codes:
            if code.codable:
                yield f"Apply code: {code.path}", code.name_id or code.definition[:80], \
                    (lambda path=code.path: self.apply(path))
        for name in self.document_names:
            yield f"Go to document: {name}", "Open it here", (lambda name=name: self.open_document(name))
        for code in self.codes:
            yield f"Excerpts of: {code.path}", f"{code.total} coding(s), across documents", \
                (lambda path=code.path: self.app.push_screen(ExcerptsScreen(self.project, path), self._jump_back))

    def open_at(self, start: int, end: int | None = None) -> None:
        """Before the document loads: where to put the cursor (selecting up to ``end``)."""
        self._pending_place = (start, end)

    def open_document(self, name: str, start: int | None = None, end: int | None = None) -> None:
        """Show document ``name`` (at ``start``, selecting up to ``end``, when given)."""
        if name == self.document_name and self.doc is not None:
            if start is not None:
                self.go_to_offset(start, end)
            return
        self.document_name = name
        self.doc = None
        self._pending_place = (start, end) if start is not None else None
        self.load()

    # --- other screens ------------------------------------------------------------------------

    def code_in_focus(self) -> str | None:
        """The code highlighted in the tree when the tree has the focus, else the most specific code at
        the cursor, else the code last highlighted in the tree."""
        tree = self.query_one(CodeTree)
        if self.focused is tree and tree.highlighted_path:
            return tree.highlighted_path
        here = self._codings_here()
        return here[0].code if here else self.focus_code or tree.highlighted_path

    def action_in_vivo(self) -> None:
        view = self.query_one(DocumentView)
        selection = view.selection
        if selection is None or self.doc is None or not view.selected_text.strip():
            self.notify("Select the words that name the new code first")
            return

        def done(path: str | None) -> None:
            if path:
                self.message = f"in vivo: coded with {path} · saved"
                self._reload()
        self.app.push_screen(in_vivo_dialog(self.project, self.coder, self.document_name, selection[0],
                                            selection[1], view.selected_text), done)

    def _memo_closed(self, saved: bool | None) -> None:
        if saved:
            self.message = "memo saved"
            self._reload()

    def action_memo(self) -> None:
        """Memo on the coding at the cursor (a chooser when several; your own first); on the code when
        the code tree has the focus."""
        if self.focused is self.query_one(CodeTree):
            self.action_code_memo()
            return
        here = self._codings_here()
        if not here or self.doc is None:
            self.notify("No coding at the cursor: M writes a memo on the document")
            return
        doc = self.doc

        def write(coding: data.CodingRow) -> None:
            first, last = self.locator.paragraphs(coding.start, coding.end) if self.locator else (0, 0)
            where = f"¶{first}" + (f"-{last}" if last != first else "")
            heading = f"Memo on the coding {coding.code} ({coding.coder}) in {doc.name}, {where}"
            self.app.push_screen(MemoEditor(self.project, self.coder, "coding", coding.guid, heading),
                                 self._memo_closed)

        if len(here) == 1:
            write(here[0])
            return
        ordered = sorted(here, key=lambda c: c.coder != self.coder)
        by_guid = {c.guid: c for c in ordered}
        self.app.push_screen(CodingChooser("Memo: on which coding?", ordered, doc.text, self.coder),
                             lambda guid: write(by_guid[guid]) if guid in by_guid else None)

    def action_document_memo(self) -> None:
        if self.doc is None:
            return
        self.app.push_screen(MemoEditor(self.project, self.coder, "document", self.doc.name,
                                        f"Memo on the document {self.doc.name}"), self._memo_closed)

    def action_code_memo(self) -> None:
        code = self.code_in_focus()
        if code is None:
            self.notify("Highlight a code in the tree first")
            return
        self.app.push_screen(MemoEditor(self.project, self.coder, "code", code, f"Memo on the code {code}"),
                             self._memo_closed)

    def action_project_memo(self) -> None:
        self.app.push_screen(MemoEditor(self.project, self.coder, "project", None, "Memo on the project"),
                             self._memo_closed)

    def action_memos(self) -> None:
        self.app.push_screen(MemoList(self.project, self.coder), lambda _: self._reload())

    def _jump_back(self, place: tuple[str, int, int] | None) -> None:
        """After a screen that may have changed codings: read them again, then go where it says."""
        if place and place[0] != self.document_name:
            self.open_document(*place)  # reads the codes and the codings too
            return
        self._reload()
        if place:
            self.go_to_offset(place[1], place[2])

    def action_excerpts(self) -> None:
        code = self.code_in_focus()
        if code is None:
            self.notify("Highlight a code in the tree (or put the cursor on a coding) first")
            return
        self.app.push_screen(ExcerptsScreen(self.project, code), self._jump_back)

    def action_query(self) -> None:
        self.app.push_screen(QueryScreen(self.project, self.coder, [c.path for c in self.codes]), self._jump_back)

    def action_search(self) -> None:
        self.app.push_screen(QueryScreen(self.project, self.coder, [c.path for c in self.codes], mode="search"),
                             self._jump_back)

    def action_analysis(self) -> None:
        self.app.push_screen(AnalysisScreen(self.project))

    def action_export(self, of_code: bool = False) -> None:
        self.app.push_screen(ExportDialog(self.project, code_path=self.code_in_focus() if of_code else None))

    def action_home(self) -> None:
        """Back to the project home (escape with nothing selected)."""
        self.app.action_home()

    def action_pick_document(self) -> None:
        self._pick()

    @work(thread=True, group="pick", exit_on_error=False)
    def _pick(self) -> None:
        names = data.documents(self.project)

        def chosen(name: str | None) -> None:
            if name:
                self.open_document(name)
        self.app.call_from_thread(self.app.push_screen, DocumentPicker(names), chosen)

    @work(thread=True, group="write", exit_on_error=False)
    def _write(self, function, *args, done: str) -> None:
        try:
            result = function(self.project, self.coder, *args)
        except QcodeError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        if function in (data.undo, data.redo):
            message = f"{done}: {result}" if result else f"nothing to {'undo' if function is data.undo else 'redo'}"
        elif function is data.apply_code and not result:
            message = "already coded so"
        else:
            message = done
        self.message = f"{message} · saved"
        if function is data.apply_code and result and len(result) == 1:
            document_name, start, end, code = args
            added = data.CodingRow(result[0], start, end, code, self.coder, None)
            codes = data.codes(self.project)
            self.app.call_from_thread(self._show_added, codes, document_name, added)
            return
        self.reload_codings()

    def _show_added(self, codes: list[data.CodeRow], document_name: str, added: data.CodingRow) -> None:
        """A coding just applied: add its span to the view (the others stay) and refresh the counts."""
        if self.doc is None or self.doc.name != document_name:
            return
        self.doc = replace(self.doc, codings=self.doc.codings + (added,))
        self.codes = codes
        self._fill_tree()
        color = next((code.color for code in codes if code.path == added.code), data.DEFAULT_COLOR)
        self.query_one(DocumentView).add_spans([Span(added.start, added.end, key=added.guid, color=color,
                                                     label=added.code)])
        self._update_panels()

    def reload_codings(self) -> None:
        """After a change: the codes with their counts and this document's codings (not its text)."""
        codes = data.codes(self.project)
        doc = self.doc
        if doc is None or doc.name != self.document_name:
            doc = data.document(self.project, self.document_name)
        else:
            doc = replace(doc, codings=data.codings(self.project, doc.name), complete=True)
        self.app.call_from_thread(self._show, codes, doc)
