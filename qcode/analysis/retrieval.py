"""Retrieval: the excerpts of codes, filtered by code, query, document, case, attribute and coder.

An excerpt is a coding with its text, its document and cases, and (on request) some context: N
characters either side, or the whole paragraph(s) it lies in. ``Locator`` turns offsets into what a
citation names: paragraph and line numbers, a transcript's time, a PDF's page.
"""

from __future__ import annotations

import bisect
import gc
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qcode.core.errors import NotFound, QcodeError

PARAGRAPH = "paragraph"


@dataclass(frozen=True)
class Filters:
    """What to retrieve. Every filter narrows; empty filters retrieve every coding."""

    code: str | None = None
    children: bool = True
    query: str | None = None
    documents: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    where: tuple[tuple[str, str], ...] = ()
    coders: tuple[str, ...] = ()

    def describe(self) -> list[str]:
        """The filters in words, for a report's title page."""
        parts = []
        if self.code:
            parts.append(f"code: {self.code}" + ("" if self.children else " (without the codes below it)"))
        if self.query:
            parts.append(f"query: {self.query}")
        for label, values in (("documents", self.documents), ("cases", self.cases), ("coders", self.coders)):
            if values:
                parts.append(f"{label}: {', '.join(values)}")
        if self.where:
            parts.append("where " + " and ".join(f"{k} = {v}" for k, v in self.where))
        return parts or ["all codings"]


def parse_where(items) -> tuple[tuple[str, str], ...]:
    """``["organisation=IOM", "province=NTT"]`` -> pairs; refuses an item without ``=``."""
    pairs = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QcodeError(f"--where wants ATTRIBUTE=VALUE, not {item!r}")
        pairs.append((name.strip(), value.strip()))
    return tuple(pairs)


@dataclass(slots=True, eq=True)
class Excerpt:
    """A coding with its text (a plain slotted record: building 20,000 of them must cost little).

    ``guid`` and ``created`` are read from the project when first asked for (see ``_Stamps``)."""

    id: int
    document: str
    document_id: int
    start: int
    end: int
    code: str
    code_id: int
    coder: str
    memo: str | None
    text: str
    cases: tuple[str, ...] = ()
    context: str | None = None
    context_start: int | None = None
    stamps: _Stamps | None = field(default=None, repr=False, compare=False)

    @property
    def guid(self) -> str:
        return self.stamps(self.id)[0] if self.stamps else ""

    @property
    def created(self) -> str:
        return self.stamps(self.id)[1] if self.stamps else ""

    def as_json(self) -> dict[str, Any]:
        data = {"document": self.document, "start": self.start, "end": self.end, "code": self.code,
                "coder": self.coder, "memo": self.memo, "text": self.text, "context": self.context,
                "cases": list(self.cases), "created": self.created, "guid": self.guid}
        return data


class _Stamps:
    """The GUIDs and creation times of one retrieval's codings, read in one go when the first is
    asked for. Reading two more strings a row with the rest makes retrieval a third slower, and
    the screens, the reports and most citations never show them.

    They are read through the project's connection, or, once that is closed (or from another
    thread), through a read-only connection of their own. A coding deleted in between has
    empty ones."""

    __slots__ = ("_conn", "_path", "_rows", "_found")

    def __init__(self, conn: sqlite3.Connection, path: Path, rows: list[tuple]):
        self._conn, self._path, self._rows = conn, path, rows  # coding ids at index 3
        self._found: dict[int, tuple[str, str]] | None = None

    def __call__(self, coding_id: int) -> tuple[str, str]:
        if self._found is None:
            try:
                self._found = self._read(self._conn)
            except sqlite3.ProgrammingError:  # closed, or used from another thread
                conn = sqlite3.connect(f"{self._path.resolve().as_uri()}?mode=ro", uri=True)
                try:
                    self._found = self._read(conn)
                finally:
                    conn.close()
            self._conn = self._rows = None
        return self._found.get(coding_id, ("", ""))

    def _read(self, conn: sqlite3.Connection) -> dict[int, tuple[str, str]]:
        found = {}
        ids = [row[3] for row in self._rows]
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for coding_id, guid, created in conn.execute(
                    f"SELECT id, guid, created FROM codings WHERE id IN ({placeholders(chunk)})", chunk):
                found[coding_id] = (guid, created)
        return found


class Locator:
    """Where an offset lies in one document: paragraph (non-empty line), line, page, time."""

    def __init__(self, text: str, metadata: dict[str, Any] | None = None):
        self.text = text
        self.line_starts = [0]
        self.paragraph_numbers = []  # per line: the number of the paragraph it is (0 for an empty line)
        count = 0
        start = 0
        for line in text.split("\n"):
            if line.strip():
                count += 1
                self.paragraph_numbers.append(count)
            else:
                self.paragraph_numbers.append(0)
            start += len(line) + 1
            self.line_starts.append(start)
        self.line_starts.pop()
        metadata = metadata or {}
        self.pages = [span[0] for span in metadata.get("pages") or []]
        cues = metadata.get("cues") or []
        self.cue_starts = [cue["start"] for cue in cues]
        self.cues = cues

    def line(self, offset: int) -> int:
        """The 1-based line of ``offset``."""
        return bisect.bisect_right(self.line_starts, offset)

    def lines(self, start: int, end: int) -> tuple[int, int]:
        return self.line(start), self.line(max(start, end - 1))

    def paragraphs(self, start: int, end: int) -> tuple[int, int]:
        """The first and last paragraph (numbered among non-empty lines) the span touches."""
        first, last = self.lines(start, end)
        numbers = [n for n in self.paragraph_numbers[first - 1:last] if n]
        if not numbers:  # a span of blank lines only: the paragraph before it
            before = [n for n in self.paragraph_numbers[:first] if n]
            number = before[-1] if before else 1
            return number, number
        return numbers[0], numbers[-1]

    def page(self, offset: int) -> int | None:
        if not self.pages:
            return None
        return max(1, bisect.bisect_right(self.pages, offset))

    def time(self, offset: int) -> str | None:
        """The start time (hh:mm:ss) of the cue holding ``offset``, for transcripts."""
        if not self.cues:
            return None
        index = max(0, bisect.bisect_right(self.cue_starts, offset) - 1)
        seconds = int(self.cues[index].get("begin_s") or 0)
        return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"

    def paragraph_span(self, start: int, end: int) -> tuple[int, int]:
        """The offsets of the whole line(s) the span lies in."""
        first, last = self.lines(start, end)
        line_start = self.line_starts[first - 1]
        line_end = self.line_starts[last] - 1 if last < len(self.line_starts) else len(self.text)
        return line_start, line_end


def allowed_documents(project, filters: Filters) -> set[int] | None:
    """The documents the document, case and attribute filters allow (``None``: every document).

    For ``where``, a document's value of an attribute is its own, if it has one, else its cases'.
    """
    conn = project.conn
    chosen: set[int] | None = None

    def narrow(ids: set[int]) -> None:
        nonlocal chosen
        chosen = ids if chosen is None else chosen & ids

    if filters.documents:
        narrow({project.documents.get(name).id for name in filters.documents})
    if filters.cases:
        ids = set()
        for name in filters.cases:
            case = project.cases.get(name)
            ids |= {r[0] for r in conn.execute("SELECT document_id FROM case_documents WHERE case_id = ?", (case.id,))}
        narrow(ids)
    for name, value in filters.where:
        known = conn.execute("SELECT count(*) FROM attributes WHERE name = ?", (name,)).fetchone()[0]
        if not known:
            raise NotFound(f"no attribute {name!r} in this project")
        ids = {r[0] for r in conn.execute(
            "SELECT v.document_id FROM attribute_values v JOIN attributes a ON a.id = v.attribute_id"
            " WHERE a.name = ? AND v.value = ? AND v.document_id IS NOT NULL"
            " UNION SELECT cd.document_id FROM attribute_values v JOIN attributes a ON a.id = v.attribute_id"
            " JOIN case_documents cd ON cd.case_id = v.case_id WHERE a.name = ? AND v.value = ?"
            " AND cd.document_id NOT IN (SELECT w.document_id FROM attribute_values w JOIN attributes b"
            "   ON b.id = w.attribute_id WHERE b.name = ? AND w.document_id IS NOT NULL)",
            (name, value, name, value, name))}
        narrow(ids)
    return chosen


def placeholders(values) -> str:
    """"?,?,?" for an SQL IN list of ``values``."""
    return ",".join("?" * len(values))


def coding_conditions(project, filters: Filters, tree=None) -> tuple[list[str], list] | None:
    """SQL conditions on ``codings c`` (and their parameters) for the codings ``filters`` select;
    ``None`` when none can match. Shared by retrieval and the statistics."""
    conn = project.conn
    tree = tree or project.codes.tree()
    where: list[str] = []
    params: list = []
    if filters.code is not None:
        code_id = tree.find(filters.code)
        if code_id is None:
            raise NotFound(f"no code {filters.code!r} in this project")
        ids = tree.descendants(code_id) if filters.children else [code_id]
        where.append(f"c.code_id IN ({placeholders(ids)})")
        params += ids
    document_ids = allowed_documents(project, filters)
    if filters.query:
        from qcode.analysis.query import run as run_query

        coding_ids = run_query(project, filters.query, document_ids=document_ids)
        if not coding_ids:
            return None
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS _chosen (id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp._chosen")
        conn.executemany("INSERT INTO temp._chosen (id) VALUES (?)", ((i,) for i in coding_ids))
        where.append("c.id IN (SELECT id FROM temp._chosen)")
    if document_ids is not None:
        if not document_ids:
            return None
        where.append(f"c.document_id IN ({placeholders(document_ids)})")
        params += sorted(document_ids)
    if filters.coders:
        where.append(f"c.coder_id IN (SELECT id FROM coders WHERE name IN ({placeholders(filters.coders)}))")
        params += list(filters.coders)
    return where, params


def excerpts(project, filters: Filters = Filters(), *, context: int | str | None = None) -> list[Excerpt]:
    """The excerpts that ``filters`` select, in document order (document, start, end, id)."""
    conn = project.conn
    tree = project.codes.tree()
    selection = coding_conditions(project, filters, tree)
    if selection is None:
        return []
    where, params = selection
    # No ORDER BY and no join: SQLite's sorter copies every row into a temporary B-tree, and a LEFT
    # JOIN on memos probes an index once per coding even when there are no memos. The columns are
    # those of the index codings_code_place (the rowid is in it), so a code's codings are read from
    # the index alone, in document order; rows start with (document, start, end, id), so a plain
    # sort of the tuples is the document order whatever the filters. The memos are read on their
    # own (see ``_memos``), GUIDs and creation times when asked for (see ``_Stamps``). The code and
    # the coder are not read when they can only be one (each column read costs an eighth).
    coders = dict(conn.execute("SELECT id, name FROM coders"))
    code_id = _one_code(tree, filters)
    narrow = code_id is not None and len(coders) == 1
    sql = 'SELECT c.document_id, c.start, c."end", c.id' + ("" if narrow else ", c.code_id, c.coder_id")
    sql += " FROM codings c"
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = conn.execute(sql, params).fetchall()
    if not rows:
        return []
    rows.sort()
    stamps = _Stamps(conn, project.path, rows)
    memos = _memos(conn, rows)
    docs = _documents(conn, {r[0] for r in rows})
    cases = _cases(conn, set(docs))
    if narrow:
        paths = {code_id: tree.path(code_id)}
        coder_id = next(iter(coders))
    else:
        paths = {code: tree.path(code) for code in {r[4] for r in rows}}
    memo = memos.get if memos else _no_memo
    locators: dict[int, Locator] = {}
    in_words = isinstance(context, int) and not isinstance(context, bool) and context >= 0
    found: list[Excerpt] = []
    append = found.append
    current = None
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of small objects, none of them garbage: spare the collector's rescans
    try:
        for row in rows:
            if narrow:
                document_id, start, end, coding_id = row
            else:
                document_id, start, end, coding_id, code_id, coder_id = row
            if document_id != current:
                current = document_id
                name, text = docs[document_id]
                in_cases = cases.get(document_id, ())
            context_text = context_start = None
            if context is None:
                pass
            elif context == PARAGRAPH:
                if document_id not in locators:
                    locators[document_id] = Locator(text)
                context_start, context_end = locators[document_id].paragraph_span(start, end)
                context_text = text[context_start:context_end]
            elif in_words:
                context_start = max(0, start - context)
                context_text = text[context_start:end + context]
            append(Excerpt(coding_id, name, document_id, start, end, paths[code_id], code_id, coders[coder_id],
                           memo(coding_id), text[start:end], in_cases, context_text, context_start, stamps))
        return found
    finally:
        if collecting:
            gc.enable()


def _no_memo(coding_id: int) -> None:
    return None


def _one_code(tree, filters: Filters) -> int | None:
    """The one code that ``filters`` can return codings of, if there is only one."""
    if filters.code is None or filters.query:
        return None
    code_id = tree.find(filters.code)
    if code_id is None or (filters.children and len(tree.descendants(code_id)) > 1):
        return None
    return code_id


def _memos(conn, rows: list) -> dict[int, str]:
    """The memos of the codings in ``rows`` (coding id at index 3), by coding id.

    Few memos (no more than the rows): all the codings' memos at once, through the partial index on
    ``memos.coding_id``. Many: only those of these codings, a chunk of ids at a time.
    """
    memos = conn.execute("SELECT count(*) FROM memos WHERE coding_id IS NOT NULL").fetchone()[0]
    if not memos:
        return {}
    if memos <= len(rows):
        return dict(conn.execute("SELECT coding_id, text FROM memos WHERE coding_id IS NOT NULL"))
    found: dict[int, str] = {}
    ids = sorted(r[3] for r in rows)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        found.update(conn.execute(f"SELECT coding_id, text FROM memos WHERE coding_id IN ({placeholders(chunk)})",
                                  chunk))
    return found


def _documents(conn, ids: set[int]) -> dict[int, tuple[str, str]]:
    found = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i:i + 500]
        for row in conn.execute(f"SELECT id, name, text FROM documents WHERE id IN ({placeholders(chunk)})", chunk):
            found[row[0]] = (row[1], row[2])
    return found


def _cases(conn, ids: set[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    for document_id, name in conn.execute(
            "SELECT cd.document_id, k.name FROM case_documents cd JOIN cases k ON k.id = cd.case_id ORDER BY k.name"):
        if document_id in ids:
            found.setdefault(document_id, []).append(name)
    return {k: tuple(v) for k, v in found.items()}


class Locators:
    """One ``Locator`` per document, made on first use from the store."""

    def __init__(self, conn):
        self.conn = conn
        self._found: dict[int, Locator] = {}

    def __call__(self, document_id: int) -> Locator:
        if document_id not in self._found:
            row = self.conn.execute("SELECT text, metadata FROM documents WHERE id = ?", (document_id,)).fetchone()
            if row is None:
                raise NotFound(f"no document {document_id}")
            self._found[document_id] = Locator(row[0], json.loads(row[1] or "{}"))
        return self._found[document_id]
