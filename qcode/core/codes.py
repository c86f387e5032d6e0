"""The code tree. A code is named by its path: the names from the root joined with ``/``."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from qcode.core import actions
from qcode.core.errors import NotFound, QcodeError, Refused
from qcode.core.models import Code
from qcode.core.schema import now
from qcode.core.text import clean_name

SEPARATOR = "/"


def split_path(path: str) -> list[str]:
    """``"Role set/Coordinator"`` -> ``["Role set", "Coordinator"]``; refuses empty parts."""
    parts = [clean_name(p) for p in path.split(SEPARATOR)]
    if not path.strip() or any(not p for p in parts):
        raise QcodeError(f"not a code path: {path!r} (names joined with '/', none empty)")
    return parts


@dataclass
class _Node:
    id: int
    parent_id: int | None
    name: str


class CodeTree:
    """An in-memory snapshot of the code tree, for resolving paths fast."""

    def __init__(self, rows: list[tuple[int, int | None, str]]):
        self.nodes = {r[0]: _Node(*r) for r in rows}
        self.by_key = {(n.parent_id, n.name): n.id for n in self.nodes.values()}
        self.children: dict[int | None, list[int]] = {}
        for node in self.nodes.values():
            self.children.setdefault(node.parent_id, []).append(node.id)
        self._paths: dict[int, str] = {}

    def path(self, code_id: int) -> str:
        if code_id not in self._paths:
            parts, node, seen = [], self.nodes[code_id], set()
            while node is not None and node.id not in seen:
                seen.add(node.id)
                parts.append(node.name)
                node = self.nodes.get(node.parent_id) if node.parent_id is not None else None
            self._paths[code_id] = SEPARATOR.join(reversed(parts))
        return self._paths[code_id]

    def find(self, path: str) -> int | None:
        parent = None
        for name in split_path(path):
            parent = self.by_key.get((parent, name))
            if parent is None:
                return None
        return parent

    def descendants(self, code_id: int) -> list[int]:
        """``code_id`` and every code below it."""
        found, stack = [], [code_id]
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(self.children.get(current, ()))
        return found

    def add(self, code_id: int, parent_id: int | None, name: str) -> None:
        self.nodes[code_id] = _Node(code_id, parent_id, name)
        self.by_key[(parent_id, name)] = code_id
        self.children.setdefault(parent_id, []).append(code_id)


class Codes:
    def __init__(self, project):
        self.project = project
        self.conn = project.conn

    def tree(self) -> CodeTree:
        return CodeTree(self.conn.execute("SELECT id, parent_id, name FROM codes").fetchall())

    def ensure(self, path: str, tree: CodeTree | None = None) -> tuple[int, list[str]]:
        """The id of the code at ``path``, creating missing codes (inside a write transaction).

        Returns the id and the paths of the codes it created, so that callers can say so.
        """
        tree = tree or self.tree()
        parent, created, parts = None, [], split_path(path)
        for depth, name in enumerate(parts):
            code_id = tree.by_key.get((parent, name))
            if code_id is None:
                position = len(tree.children.get(parent, ()))
                cur = self.conn.execute(
                    "INSERT INTO codes (guid, parent_id, name, position, created) VALUES (?, ?, ?, ?, ?)",
                    (str(uuid.uuid4()), parent, name, position, now()))
                code_id = cur.lastrowid
                tree.add(code_id, parent, name)
                created.append(SEPARATOR.join(parts[: depth + 1]))
            parent = code_id
        return parent, created

    def get(self, path: str) -> Code:
        tree = self.tree()
        code_id = tree.find(path)
        if code_id is None:
            raise NotFound(f"no code {path!r} in this project")
        return self._code(code_id, tree)

    def list(self) -> list[Code]:
        """Every code, in tree order (depth first, by position then name)."""
        tree = self.tree()
        rows = {r[0]: r for r in self.conn.execute(
            "SELECT id, guid, parent_id, name, color, shortcut, description, codable, position, details FROM codes")}
        ordered: list[Code] = []

        def visit(parent):
            for code_id in sorted(tree.children.get(parent, ()), key=lambda i: (rows[i][8], rows[i][3])):
                ordered.append(self._from_row(rows[code_id], tree))
                visit(code_id)

        visit(None)
        return ordered

    def counts(self) -> dict[int, int]:
        """Codings per code id (the code alone, not its children)."""
        return dict(self.conn.execute("SELECT code_id, count(*) FROM codings GROUP BY code_id"))

    def totals(self, counts: dict[int, int] | None = None, tree: CodeTree | None = None) -> dict[int, int]:
        """Codings per code id, the code with every code below it."""
        counts = self.counts() if counts is None else counts
        tree = tree or self.tree()
        return {code_id: sum(counts.get(i, 0) for i in tree.descendants(code_id)) for code_id in tree.nodes}

    def _code(self, code_id: int, tree: CodeTree) -> Code:
        row = self.conn.execute(
            "SELECT id, guid, parent_id, name, color, shortcut, description, codable, position, details FROM codes"
            " WHERE id = ?", (code_id,)).fetchone()
        return self._from_row(row, tree)

    @staticmethod
    def _from_row(row, tree: CodeTree) -> Code:
        return Code(id=row[0], guid=row[1], parent_id=row[2], name=row[3], path=tree.path(row[0]),
                    color=row[4], shortcut=row[5], description=row[6], codable=bool(row[7]),
                    position=row[8], details=json.loads(row[9] or "{}"))


class CodeEditor:
    """Changes to the code tree: add, update, rename, move, merge, delete. Each is one action."""

    def __init__(self, project):
        self.project = project
        self.conn = project.conn

    def _require(self, tree: CodeTree, path: str) -> int:
        code_id = tree.find(path)
        if code_id is None:
            raise NotFound(f"no code {path!r} in this project")
        return code_id

    def _check_free(self, tree: CodeTree, parent: int | None, name: str, moving: int | None = None) -> None:
        other = tree.by_key.get((parent, name))
        if other is not None and other != moving:
            where = tree.path(parent) if parent is not None else "the top"
            raise QcodeError(f"there is already a code {name!r} under {where}")

    def add(self, path: str, *, guid: str | None = None, **fields) -> int:
        """Add a code (its parents are created as needed); refuses a path that exists."""
        with self.project.write() as conn:
            tree = self.project.codes.tree()
            if tree.find(path) is not None:
                raise QcodeError(f"code {path!r} already exists")
            code_id, created = self.project.codes.ensure(path, tree)
            if guid or fields:
                self._update(code_id, guid=guid, **fields)
            changes = actions.Changes(conn)
            ids = [tree.find(p) for p in created]
            changes.created_where("codes", f"id IN ({','.join('?' * len(ids))})", ids)
            actions.record(conn, "code-add", f"added code {path}", {"codes": created, **changes.payload()},
                           self.project.coder_id())
        return code_id

    def _update(self, code_id: int, *, guid: str | None = None, **fields) -> None:
        allowed = {"color", "shortcut", "description", "codable", "details", "position", "name"}
        unknown = set(fields) - allowed
        if unknown:
            raise QcodeError(f"codes have no field {', '.join(sorted(unknown))}")
        if guid:
            fields["guid"] = guid
        if "details" in fields and not isinstance(fields["details"], str):
            fields["details"] = json.dumps(fields["details"], ensure_ascii=False, sort_keys=True)
        if "codable" in fields:
            fields["codable"] = int(bool(fields["codable"]))
        if fields.get("shortcut"):  # one key, one code: the workbench binds each key once
            owner = self.conn.execute("SELECT id FROM codes WHERE shortcut = ? AND id != ?",
                                      (fields["shortcut"], code_id)).fetchone()
            if owner is not None:
                raise QcodeError(f"shortcut {fields['shortcut']!r} is already the key of "
                                 f"{self.project.codes.tree().path(owner[0])}")
        if fields:
            columns = ", ".join(f"{name} = ?" for name in fields)
            self.conn.execute(f"UPDATE codes SET {columns} WHERE id = ?", (*fields.values(), code_id))

    def update(self, path: str, **fields) -> None:
        with self.project.write() as conn:
            code_id = self._require(self.project.codes.tree(), path)
            before = self._row(code_id)
            changes = actions.Changes(conn)
            changes.watch("codes", [before["guid"]])
            self._update(code_id, **fields)
            payload = {"code": code_id, "before": before}
            if "guid" not in fields:  # a new GUID makes it another code for undo: not undoable
                payload.update(changes.payload())
            actions.record(conn, "code-update", f"changed code {path}", payload, self.project.coder_id())

    def _row(self, code_id: int) -> dict:
        cur = self.conn.execute("SELECT * FROM codes WHERE id = ?", (code_id,))
        return dict(zip([d[0] for d in cur.description], cur.fetchone()))

    def rename(self, path: str, new_name: str) -> str:
        new_name = clean_name(new_name)
        if not new_name or SEPARATOR in new_name:
            raise QcodeError(f"not a code name: {new_name!r} (names cannot be empty or contain '/')")
        with self.project.write() as conn:
            tree = self.project.codes.tree()
            code_id = self._require(tree, path)
            parent = tree.nodes[code_id].parent_id
            self._check_free(tree, parent, new_name, moving=code_id)
            changes = actions.Changes(conn)
            changes.watch_where("codes", "id = ?", (code_id,))
            conn.execute("UPDATE codes SET name = ? WHERE id = ?", (new_name, code_id))
            new_path = (tree.path(parent) + SEPARATOR if parent is not None else "") + new_name
            actions.record(conn, "code-rename", f"renamed code {path} to {new_path}",
                           {"code": code_id, "before": tree.nodes[code_id].name, **changes.payload()},
                           self.project.coder_id())
        return new_path

    def move(self, path: str, new_parent: str | None) -> str:
        """Move a code (with its children) under ``new_parent`` (``None``: to the top)."""
        with self.project.write() as conn:
            tree = self.project.codes.tree()
            code_id = self._require(tree, path)
            parent_id = None if not new_parent else self._require(tree, new_parent)
            if parent_id is not None and parent_id in tree.descendants(code_id):
                raise QcodeError(f"cannot move {path!r} under itself ({new_parent!r})")
            name = tree.nodes[code_id].name
            self._check_free(tree, parent_id, name, moving=code_id)
            position = len(tree.children.get(parent_id, ()))
            changes = actions.Changes(conn)
            changes.watch_where("codes", "id = ?", (code_id,))
            conn.execute("UPDATE codes SET parent_id = ?, position = ? WHERE id = ?", (parent_id, position, code_id))
            new_path = (tree.path(parent_id) + SEPARATOR if parent_id is not None else "") + name
            actions.record(conn, "code-move", f"moved code {path} to {new_path}",
                           {"code": code_id, "before": tree.nodes[code_id].parent_id, **changes.payload()},
                           self.project.coder_id())
        return new_path

    def merge(self, source: str, target: str) -> dict[str, int]:
        """Merge ``source`` into ``target``: its codings and children follow, then it is deleted.

        A coding that ``target`` already has (same document, span and coder) is not duplicated.
        """
        with self.project.write() as conn:
            tree = self.project.codes.tree()
            source_id, target_id = self._require(tree, source), self._require(tree, target)
            if source_id == target_id:
                raise QcodeError("a code cannot be merged into itself")
            if target_id in tree.descendants(source_id):
                raise QcodeError(f"cannot merge {source!r} into its own child {target!r}")
            for child in tree.children.get(source_id, ()):
                self._check_free(tree, target_id, tree.nodes[child].name)
            changes = actions.Changes(conn)
            changes.watch_where("codes", "id = ? OR parent_id = ?", (source_id, source_id))
            changes.watch_where("codings", "code_id = ?", (source_id,))
            changes.watch_where("memos", "code_id = ? OR coding_id IN (SELECT id FROM codings WHERE code_id = ?)",
                                (source_id, source_id))
            conn.execute("UPDATE codes SET parent_id = ? WHERE parent_id = ?", (target_id, source_id))
            moved = conn.execute(
                "UPDATE OR IGNORE codings SET code_id = ? WHERE code_id = ?", (target_id, source_id)).rowcount
            duplicates = conn.execute("SELECT count(*) FROM codings WHERE code_id = ?", (source_id,)).fetchone()[0]
            conn.execute("DELETE FROM codings WHERE code_id = ?", (source_id,))
            conn.execute("UPDATE memos SET code_id = ? WHERE code_id = ?", (target_id, source_id))
            conn.execute("DELETE FROM codes WHERE id = ?", (source_id,))
            actions.record(conn, "code-merge", f"merged code {source} into {target}",
                           {"source": source, "target": target, "codings": moved, "duplicates": duplicates,
                            **changes.payload()},
                           self.project.coder_id())
        return {"codings": moved, "duplicates": duplicates}

    def delete(self, path: str, *, force: bool = False) -> dict[str, int]:
        """Delete a code and the codes below it; refused while any has codings, unless ``force``."""
        with self.project.write() as conn:
            tree = self.project.codes.tree()
            code_id = self._require(tree, path)
            ids = tree.descendants(code_id)
            marks = ",".join("?" * len(ids))
            codings = conn.execute(f"SELECT count(*) FROM codings WHERE code_id IN ({marks})", ids).fetchone()[0]
            if codings and not force:
                raise Refused(f"code {path!r} has {codings} coding(s) (with the codes below it); "
                              "merge it into another code, or delete with --force to remove them")
            changes = actions.Changes(conn)
            changes.watch_where("codes", f"id IN ({marks})", ids)
            changes.watch_where("codings", f"code_id IN ({marks})", ids)
            changes.watch_where("memos", f"code_id IN ({marks}) OR coding_id IN"
                                f" (SELECT id FROM codings WHERE code_id IN ({marks}))", ids + ids)
            conn.execute(f"DELETE FROM codings WHERE code_id IN ({marks})", ids)
            for child_first in reversed(ids):
                conn.execute("DELETE FROM codes WHERE id = ?", (child_first,))
            actions.record(conn, "code-delete", f"deleted code {path}",
                           {"codes": len(ids), "codings": codings, **changes.payload()},
                           self.project.coder_id())
        return {"codes": len(ids), "codings": codings}
