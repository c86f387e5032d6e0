"""The project home's reads, and the import dialog's listing and one-file import.

Each function opens the project, does one thing and closes it, so it can run in a thread worker.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path

from qcode.core import open_project
from qcode.core.text import clean_name
from qcode.ingest import import_file
from qcode.ingest.pipeline import FORMATS, ImportOutcome
from qcode.tui.data.coding import CodeRow, codes

__all__ = [
    "RECENT_MEMOS",
    "CaseInfo",
    "DocumentInfo",
    "HomeData",
    "MemoInfo",
    "clean_spec",
    "home",
    "import_one",
    "importable_files",
    "outcome_line",
]

RECENT_MEMOS = 10


@dataclass(frozen=True)
class DocumentInfo:
    name: str
    title: str | None
    format: str
    cases: tuple[str, ...]
    attributes: dict[str, str]
    characters: int
    codings: int


@dataclass(frozen=True)
class CaseInfo:
    name: str
    description: str
    documents: int
    attributes: dict[str, str]


@dataclass(frozen=True)
class MemoInfo:
    kind: str
    target: str  # a readable name: the document, case or code, or "document · code" for a coding
    first_line: str
    coder: str | None
    modified: str
    guid: str = ""
    target_key: str | None = None  # what the memo is on, as the memo editor names it


@dataclass(frozen=True)
class HomeData:
    name: str
    counts: dict[str, int]  # documents, cases, codes, codings, memos, coders
    documents: list[DocumentInfo]
    cases: list[CaseInfo]
    codes: list[CodeRow]
    memos: list[MemoInfo]  # the newest first, at most RECENT_MEMOS


def first_line(title: str, text: str) -> str:
    if title.strip():
        return title.strip()
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def home(path: Path) -> HomeData:
    """Everything the project home shows."""
    with open_project(path) as project:
        name = project.name
        counts = project.summary()
        doc_attributes = project.attributes.values("document")
        case_attributes = project.attributes.values("case")
        documents = [DocumentInfo(d.name, d.title, d.format, d.cases, doc_attributes.get(d.name, {}),
                                  d.characters, d.codings) for d in project.documents.list()]
        cases = [CaseInfo(c.name, c.description, c.documents, case_attributes.get(c.name, {}))
                 for c in project.cases.list()]
        newest = sorted(project.memos.list(), key=lambda m: (m.modified, m.id), reverse=True)[:RECENT_MEMOS]
        targets = _coding_targets(project, [m.target for m in newest if m.kind == "coding" and m.target])
        memos = [MemoInfo(m.kind, targets.get(m.target, m.target) if m.kind == "coding" else (m.target or ""),
                          first_line(m.title, m.text), m.coder, m.modified, m.guid, m.target) for m in newest]
    return HomeData(name, counts, documents, cases, codes(path), memos)


def _coding_targets(project, guids: list[str]) -> dict[str, str]:
    """``{coding guid: "document · code"}``: a coding memo named by where it is, not by its GUID."""
    if not guids:
        return {}
    tree = project.codes.tree()
    rows = project.conn.execute(
        "SELECT c.guid, d.name, c.code_id FROM codings c JOIN documents d ON d.id = c.document_id"
        f" WHERE c.guid IN ({','.join('?' * len(guids))})", guids).fetchall()
    return {guid: f"{document} · {tree.path(code_id)}" for guid, document, code_id in rows}


# --- import -----------------------------------------------------------------------------------------


def importable(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in FORMATS and not path.name.startswith(".")


def clean_spec(spec: str) -> str:
    """The path as typed, without the quotes a terminal adds when a file is dropped on it."""
    spec = spec.strip()
    if len(spec) >= 2 and spec[0] == spec[-1] and spec[0] in "'\"":
        spec = spec[1:-1]
    return spec


def importable_files(spec: str, recursive: bool = False) -> list[Path]:
    """The files an import of ``spec`` would read: a file, a folder's importable files, or a glob.

    A named file is listed whatever its type (the import then says why it cannot be read); a folder
    and a glob give only the files of a type qcode reads. ``~`` is expanded.
    """
    spec = clean_spec(spec)
    if not spec:
        return []
    path = Path(spec).expanduser()
    if path.is_dir():
        found = path.rglob("*") if recursive else path.iterdir()
        return sorted((p for p in found if importable(p)), key=lambda p: str(p).casefold())
    if path.exists():
        return [path]
    if glob.has_magic(spec):
        matches = (Path(p) for p in glob.glob(str(path), recursive=recursive))
        return sorted((p for p in matches if importable(p)), key=lambda p: str(p).casefold())
    return []


def import_one(path: Path, coder: str | None, file: Path, case: str | None = None) -> ImportOutcome:
    """Import one file (committed at once, or refused leaving the project as it was)."""
    with open_project(path, coder=coder) as project:
        return import_file(project, file, case=case or None)


def outcome_line(outcome: ImportOutcome) -> str:
    """One line for the import log: the file, then imported, already there, or refused with the reason."""
    shown = clean_name(outcome.path.name) or "(unnamed file)"
    if outcome.status == "imported":
        line = f"{shown}: imported as {outcome.name} ({outcome.characters:,} characters)"
    elif outcome.status == "skipped":
        line = f"{shown}: already there, as {outcome.name}"
        if " (now also in case " in outcome.message:
            line += " (now also in case " + outcome.message.partition(" (now also in case ")[2]
    else:
        reason = outcome.message.removeprefix(f"cannot import {shown}: ")
        line = f"{shown}: refused: {reason}"
    return line + "".join(f"; warning: {w}" for w in outcome.warnings)
