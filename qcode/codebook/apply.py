"""Codebooks and projects: the codebook a project holds, and applying a codebook file to a project.

Applying merges by GUID, then by path. It adds what is new, changes what differs (names, places in
the tree, colours, definitions ...), and never deletes: codes the file lacks stay, and those in use
are reported so that the researcher can decide.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from qcode.codebook.model import Codebook, CodebookCode
from qcode.core import actions
from qcode.core.codes import SEPARATOR
from qcode.core.errors import QcodeError
from qcode.core.project import create_project

META_KEY = "codebook"


@dataclass
class ApplyReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    missing_in_use: list[str] = field(default_factory=list)  # codes with codings that the file lacks
    missing_unused: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"added": self.added, "changed": self.changed, "unchanged": self.unchanged,
                "in_use_not_in_file": self.missing_in_use, "unused_not_in_file": self.missing_unused,
                "notes": self.notes}


def _code_from_row(row, details: dict) -> CodebookCode:
    keywords = details.get("keywords") or {}
    return CodebookCode(
        name=row.name, guid=row.guid, name_id=details.get("name_id", ""), codable=row.codable,
        color=row.color, shortcut=row.shortcut, definition=details.get("definition", ""),
        description=row.description, when_to_use=details.get("when_to_use", ""),
        when_not_to_use=details.get("when_not_to_use", ""), example=details.get("example", ""),
        keywords_en=list(keywords.get("en") or []), keywords_id=list(keywords.get("id") or []))


def from_project(project) -> Codebook:
    """The project's codebook: its code tree with every field, and the codebook's own description."""
    meta = json.loads(project.meta(META_KEY) or "{}")
    book = Codebook(title=meta.get("title") or project.name, version=meta.get("version", ""),
                    description=meta.get("description", ""), licence=meta.get("licence", ""),
                    language=meta.get("language") or ["en", "id"], authors=meta.get("authors") or [],
                    changelog=meta.get("changelog") or [])
    by_id: dict[int, CodebookCode] = {}
    for code in project.codes.list():  # parents before children, siblings in order
        node = _code_from_row(code, code.details)
        by_id[code.id] = node
        (by_id[code.parent_id].children if code.parent_id is not None else book.codes).append(node)
    return book


def _fields(code: CodebookCode) -> dict:
    return {"color": code.color, "shortcut": code.shortcut, "description": code.description,
            "codable": int(code.codable), "details": json.dumps(code.details(), ensure_ascii=False, sort_keys=True)}


def apply(project, book: Codebook, *, source: str = "codebook") -> ApplyReport:
    """Merge ``book`` into the project, in one transaction."""
    report = ApplyReport()
    with project.write() as conn:
        rows = {r[0]: r for r in conn.execute(
            "SELECT id, guid, parent_id, name, color, shortcut, description, codable, details FROM codes")}
        by_guid = {r[1]: r[0] for r in rows.values()}
        by_key = {(r[2], r[3]): r[0] for r in rows.values()}
        matched: dict[str, int] = {}  # file guid -> project code id
        seen: set[int] = set()
        shortcut_owner = {r[5]: r[0] for r in rows.values() if r[5]}

        def place(codes: list[CodebookCode], parent_id: int | None, parent_path: str) -> None:
            for position, code in enumerate(codes):
                path = f"{parent_path}{SEPARATOR}{code.name}" if parent_path else code.name
                code_id = by_guid.get(code.guid)
                if code_id is None:
                    code_id = by_key.get((parent_id, code.name))
                    if code_id in seen:
                        code_id = None
                wanted = {"guid": code.guid, "parent_id": parent_id, "name": code.name, "position": position,
                          **_fields(code)}
                if wanted["shortcut"]:
                    owner = shortcut_owner.get(wanted["shortcut"])
                    if owner is not None and owner != code_id:
                        conn.execute("UPDATE codes SET shortcut = NULL WHERE id = ?", (owner,))
                        report.notes.append(f"shortcut {wanted['shortcut']} moved from another code to {path}")
                clash = by_key.get((parent_id, code.name))
                if clash is not None and clash != code_id:
                    raise QcodeError(f"{source}: cannot place {path}: the project has another code by that "
                                     "path (with another GUID); rename one of them first")
                if code_id is None:
                    code_id = conn.execute(
                        "INSERT INTO codes (guid, parent_id, name, position, color, shortcut, description, codable,"
                        " details, created) VALUES (:guid, :parent_id, :name, :position, :color, :shortcut,"
                        " :description, :codable, :details, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))", wanted).lastrowid
                    report.added.append(path)
                else:
                    row = rows[code_id]
                    current = {"guid": row[1], "parent_id": row[2], "name": row[3], "color": row[4],
                               "shortcut": row[5], "description": row[6], "codable": row[7],
                               "details": json.dumps(json.loads(row[8] or "{}"), ensure_ascii=False, sort_keys=True)}
                    differs = [k for k, v in current.items() if wanted[k] != v]
                    by_key.pop((row[2], row[3]), None)
                    conn.execute("UPDATE codes SET guid = :guid, parent_id = :parent_id, name = :name,"
                                 " position = :position, color = :color, shortcut = :shortcut,"
                                 " description = :description, codable = :codable, details = :details"
                                 " WHERE id = :id", {**wanted, "id": code_id})
                    (report.changed if differs else report.unchanged).append(path)
                by_key[(parent_id, code.name)] = code_id
                if wanted["shortcut"]:
                    shortcut_owner[wanted["shortcut"]] = code_id
                matched[code.guid] = code_id
                seen.add(code_id)
                place(code.children, code_id, path)

        place(book.codes, None, "")
        tree = project.codes.tree()
        _after_the_file(conn, tree, seen)
        counts = dict(conn.execute("SELECT code_id, count(*) FROM codings GROUP BY code_id"))
        for code_id in sorted(set(tree.nodes) - seen, key=tree.path):
            (report.missing_in_use if counts.get(code_id) else report.missing_unused).append(tree.path(code_id))
        meta = {"title": book.title, "version": book.version, "description": book.description,
                "licence": book.licence, "language": book.language, "authors": book.authors,
                "changelog": book.changelog}
        project.set_meta(META_KEY, json.dumps(meta, ensure_ascii=False))
        actions.record(conn, "codebook-apply", f"applied codebook {source}",
                       {"added": len(report.added), "changed": len(report.changed)}, project.coder_id())
    return report


def _after_the_file(conn, tree, seen: set[int]) -> None:
    """Codes the file lacks keep their order among themselves, after the file's codes."""
    for children in tree.children.values():
        from_file = sum(1 for code_id in children if code_id in seen)
        others = [code_id for code_id in children if code_id not in seen]
        others.sort(key=lambda code_id: conn.execute("SELECT position, name FROM codes WHERE id = ?",
                                                     (code_id,)).fetchone())
        for offset, code_id in enumerate(others):
            conn.execute("UPDATE codes SET position = ? WHERE id = ?", (from_file + offset, code_id))


def create_with_codebook(path, book: Codebook, *, name: str | None = None, coder: str | None = None,
                         source: str = "codebook"):
    """A new project holding ``book``; on any failure no file is left behind."""
    from pathlib import Path

    project = create_project(path, name=name, coder=coder)
    try:
        apply(project, book, source=source)
    except BaseException:
        project.close()
        for leftover in (Path(path), Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return project
