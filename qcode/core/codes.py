"""The code tree. A code is named by its path: the names from the root joined with ``/``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from qcode.core.errors import NotFound, QcodeError
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
        self.db = project.db

    def tree(self) -> CodeTree:
        return CodeTree(self.db.conn.execute("SELECT id, parent_id, name FROM codes").fetchall())

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
                cur = self.db.conn.execute(
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
        rows = {r[0]: r for r in self.db.conn.execute(
            "SELECT id, guid, parent_id, name, color, shortcut, description, codable, position FROM codes")}
        ordered: list[Code] = []

        def visit(parent):
            for code_id in sorted(tree.children.get(parent, ()), key=lambda i: (rows[i][8], rows[i][3])):
                ordered.append(self._from_row(rows[code_id], tree))
                visit(code_id)

        visit(None)
        return ordered

    def counts(self) -> dict[int, int]:
        """Codings per code id (the code alone, not its children)."""
        return dict(self.db.conn.execute("SELECT code_id, count(*) FROM codings GROUP BY code_id"))

    def _code(self, code_id: int, tree: CodeTree) -> Code:
        row = self.db.conn.execute(
            "SELECT id, guid, parent_id, name, color, shortcut, description, codable, position FROM codes"
            " WHERE id = ?", (code_id,)).fetchone()
        return self._from_row(row, tree)

    @staticmethod
    def _from_row(row, tree: CodeTree) -> Code:
        return Code(id=row[0], guid=row[1], parent_id=row[2], name=row[3], path=tree.path(row[0]),
                    color=row[4], shortcut=row[5], description=row[6], codable=bool(row[7]),
                    position=row[8])
