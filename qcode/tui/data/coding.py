"""The coding screen's reads and writes: codes, a document with its codings, apply, uncode, undo.

Textual runs database work in thread workers, and an SQLite connection belongs to one thread: each
call here opens the project, does one thing (one transaction when it writes) and closes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from qcode.core import open_project
from qcode.core.codings import CodingRequest
from qcode.core.undo import redo as redo_action
from qcode.core.undo import undo as undo_action

DEFAULT_COLOR = "#AFAFAF"

__all__ = [
    "DEFAULT_COLOR",
    "CodeRow",
    "CodingRow",
    "DocumentData",
    "apply_code",
    "codes",
    "codings",
    "document",
    "documents",
    "opening",
    "project_name",
    "recode",
    "redo",
    "uncode",
    "undo"
]


@dataclass(frozen=True)
class CodeRow:
    id: int
    path: str
    name: str
    name_id: str
    depth: int
    color: str
    shortcut: str | None
    codable: bool
    definition: str
    description: str
    when_to_use: str
    when_not_to_use: str
    example: str
    codings: int
    total: int  # codings of the code and every code below it


class CodingRow(NamedTuple):  # a tuple: thousands are made per document, fast
    guid: str
    start: int
    end: int
    code: str
    coder: str
    memo: str | None


@dataclass(frozen=True)
class DocumentData:
    name: str
    title: str | None
    text: str
    codings: tuple[CodingRow, ...]
    metadata: dict = field(default_factory=dict)  # pages and cues, for citations and go-to
    cases: tuple[str, ...] = ()
    attributes: dict = field(default_factory=dict)  # the document's own, then its cases' (name -> value)
    complete: bool = True  # False: only the codings that start before some offset (see ``opening``)


def project_name(path: Path) -> str:
    with open_project(path) as project:
        return project.name


def documents(path: Path) -> list[tuple[str, str | None, int, int]]:
    """(name, title, characters, codings) of every document, in import order."""
    with open_project(path) as project:
        return [(d.name, d.title, d.characters, d.codings) for d in project.documents.list()]


def codes(path: Path) -> list[CodeRow]:
    with open_project(path) as project:
        counts = project.codes.counts()
        totals = project.codes.totals(counts)
        rows = []
        for code in project.codes.list():
            d = code.details
            rows.append(CodeRow(code.id, code.path, code.name, d.get("name_id", ""), code.path.count("/"),
                                code.color or DEFAULT_COLOR, code.shortcut, code.codable, d.get("definition", ""),
                                code.description, d.get("when_to_use", ""), d.get("when_not_to_use", ""),
                                d.get("example", ""), counts.get(code.id, 0), totals[code.id]))
        return rows


def _codings_of(project, document_id: int, before: int | None = None) -> tuple[CodingRow, ...]:
    """The document's codings without their texts (the view has the text), by start then age;
    with ``before``, only those that start before that offset.

    Read for the first screen of a document with thousands of codings, so kept lean: no joins
    (coders and paths are a few; memos are read only for codings that have one), a sort in Python,
    and rows made by ``_make`` rather than by a Python ``__new__``."""
    conn = project.conn
    tree = project.codes.tree()
    coders = dict(conn.execute("SELECT id, name FROM coders"))
    memo = dict(conn.execute(
        "SELECT m.coding_id, m.text FROM memos m JOIN codings g ON g.id = m.coding_id"
        " WHERE m.coding_id IS NOT NULL AND g.document_id = ?", (document_id,))).get
    sql = 'SELECT start, id, guid, "end", code_id, coder_id FROM codings WHERE document_id = ?'
    if before is None:
        rows = conn.execute(sql, (document_id,)).fetchall()
    else:
        rows = conn.execute(sql + " AND start < ?", (document_id, before)).fetchall()
    rows.sort()
    paths = {code_id: tree.path(code_id) for code_id in {row[4] for row in rows}}
    make = CodingRow._make
    return tuple([make((guid, start, end, paths[code_id], coders[coder_id], memo(coding_id)))
                  for start, coding_id, guid, end, code_id, coder_id in rows])


def document(path: Path, name: str, codings_before: int | None = None) -> DocumentData:
    """Document ``name`` with its codings (only those starting before ``codings_before``, if given:
    then ``complete`` is False)."""
    with open_project(path) as project:
        doc = project.documents.get(name)
        text = project.documents.text(doc)
        cases = tuple(name for (name,) in project.conn.execute(
            "SELECT c.name FROM cases c JOIN case_documents cd ON cd.case_id = c.id WHERE cd.document_id = ?"
            " ORDER BY c.name", (doc.id,)))
        attributes: dict[str, str] = {}
        case_values = project.attributes.values("case")
        for case in cases:
            for key, value in case_values.get(case, {}).items():
                attributes.setdefault(key, value)
        attributes.update(project.attributes.values("document").get(doc.name, {}))
        return DocumentData(doc.name, doc.title, text, _codings_of(project, doc.id, codings_before),
                            doc.metadata or {}, cases, attributes,
                            codings_before is None or codings_before >= len(text))


def opening(path: Path, name: str, codings_before: int | None = None) -> tuple[list[CodeRow], DocumentData]:
    """What the coding screen shows first: the codes and the document (with ``codings_before``,
    only the codings of its first screens: the rest come after the first frame)."""
    return codes(path), document(path, name, codings_before)


def codings(path: Path, name: str) -> tuple[CodingRow, ...]:
    """Only the codings of document ``name``: what changes after coding, uncoding or undo."""
    with open_project(path) as project:
        return _codings_of(project, project.documents.get(name).id)


def apply_code(path: Path, coder: str | None, document_name: str, start: int, end: int, code: str) -> list[str]:
    """Apply ``code`` to a span; returns the GUIDs of the codings added (none: it was there already)."""
    with open_project(path, coder=coder) as project:
        return project.codings.add_many([CodingRequest(document_name, start, end, code)]).guids


def recode(path: Path, coder: str | None, guid: str, code: str) -> None:
    with open_project(path, coder=coder) as project:
        project.codings.recode(guid, code)


def uncode(path: Path, coder: str | None, guid: str) -> None:
    with open_project(path, coder=coder) as project:
        project.codings.remove(guid)


def undo(path: Path, coder: str | None) -> str | None:
    """Take back this coder's last action; its summary, or None when there is nothing to undo."""
    with open_project(path, coder=coder) as project:
        action = undo_action(project)
        return action.summary if action else None


def redo(path: Path, coder: str | None) -> str | None:
    with open_project(path, coder=coder) as project:
        action = redo_action(project)
        return action.summary if action else None
