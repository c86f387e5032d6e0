"""The excerpts and query screens' reads and writes: excerpts of a code, a code query, a full-text
search, and coding every hit of a search in one action.

Each function opens the project, does one thing (one transaction when it writes) and closes it, so
that it can run in a thread worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qcode.analysis.retrieval import Excerpt, Filters, Locators
from qcode.analysis.retrieval import excerpts as find_excerpts
from qcode.analysis.search import search as find_hits
from qcode.core import open_project
from qcode.core.codings import CodingRequest

CONTEXT = 80  # characters of context shown either side of an excerpt or a hit

__all__ = [
    "CONTEXT",
    "CodedReport",
    "ExcerptRow",
    "HitRow",
    "code_hits",
    "excerpts_of",
    "query_excerpts",
    "search_hits",
    "summary",
]


@dataclass(frozen=True, slots=True)
class ExcerptRow:
    """An excerpt as the screens list it: where it is, what it says, and a little context."""

    document: str
    start: int
    end: int
    code: str
    coder: str
    memo: str | None
    text: str
    cases: tuple[str, ...]
    locator: str  # "¶ 12-13", "00:01:05" (a transcript), "p. 3, ¶ 14" (a PDF)
    before: str   # context before the excerpt
    after: str    # context after it


@dataclass(frozen=True, slots=True)
class HitRow:
    """A search hit: ``text`` is the document's ``[start, end)``; ``before``/``after`` its context."""

    document: str
    start: int
    end: int
    text: str
    before: str
    after: str


@dataclass(frozen=True)
class CodedReport:
    added: int
    unchanged: int
    created_codes: tuple[str, ...]


def locator_text(locators: Locators, excerpt: Excerpt) -> str:
    """Where an excerpt lies, as a citation names it: the time for a transcript, else paragraphs
    (with the page first for a PDF)."""
    locator = locators(excerpt.document_id)
    time = locator.time(excerpt.start)
    if time is not None:
        return time
    first, last = locator.paragraphs(excerpt.start, excerpt.end)
    where = f"¶ {first}" if first == last else f"¶ {first}-{last}"
    page = locator.page(excerpt.start)
    return f"p. {page}, {where}" if page is not None else where


def _rows(project, found: list[Excerpt]) -> list[ExcerptRow]:
    locators = Locators(project.conn)
    rows = []
    for e in found:
        if e.context is not None and e.context_start is not None:
            before = e.context[:e.start - e.context_start]
            after = e.context[e.end - e.context_start:]
        else:
            before = after = ""
        rows.append(ExcerptRow(e.document, e.start, e.end, e.code, e.coder, e.memo, e.text, e.cases,
                               locator_text(locators, e), before, after))
    return rows


def excerpts_of(path: Path, code: str, children: bool = True, context: int = CONTEXT) -> list[ExcerptRow]:
    """Every excerpt of ``code`` (and the codes below it unless ``children`` is False), in document order."""
    with open_project(path) as project:
        return _rows(project, find_excerpts(project, Filters(code=code, children=children), context=context))


def query_excerpts(path: Path, query: str, context: int = CONTEXT) -> list[ExcerptRow]:
    """The excerpts a code query selects; raises ``QueryError`` (with ``offset``) for a bad query."""
    from qcode.analysis.query import parse

    parse(query)  # a malformed query fails here, before the project is read
    with open_project(path) as project:
        return _rows(project, find_excerpts(project, Filters(query=query), context=context))


def search_hits(path: Path, terms: str, mode: str = "auto", context: int = CONTEXT) -> list[HitRow]:
    """Every hit of a full-text search, in document order. Never raises on what the user typed."""
    with open_project(path) as project:
        hits = find_hits(project, terms, mode=mode, context=0)
        texts: dict[int, str] = {}
        rows = []
        for hit in hits:
            if hit.document_id not in texts:
                texts[hit.document_id] = project.conn.execute(
                    "SELECT text FROM documents WHERE id = ?", (hit.document_id,)).fetchone()[0]
            text = texts[hit.document_id]
            rows.append(HitRow(hit.document, hit.start, hit.end, hit.text,
                               text[max(0, hit.start - context):hit.start], text[hit.end:hit.end + context]))
        return rows


def code_hits(path: Path, coder: str | None, spans: list[tuple[str, int, int]], code: str) -> CodedReport:
    """Code every ``(document, start, end)`` with ``code`` in one transaction: one undoable action,
    as ``qcode search --code --yes`` does."""
    with open_project(path, coder=coder) as project:
        report = project.codings.add_many([CodingRequest(doc, start, end, code) for doc, start, end in spans])
        return CodedReport(report.added, report.unchanged, tuple(report.created_codes))


def summary(rows) -> tuple[int, int, int]:
    """(items, documents, cases) of a list of ExcerptRow (cases 0 for hits, which carry none)."""
    documents = {row.document for row in rows}
    cases = {case for row in rows for case in getattr(row, "cases", ())}
    return len(rows), len(documents), len(cases)
