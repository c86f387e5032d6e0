"""The action log: one row per user action, with a GUID so that a retried write is not applied twice.

The payload holds what is needed to undo the action (the rows it added, or the rows it changed as
they were before).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from qcode.core.schema import now


def record(conn, kind: str, summary: str, payload: dict[str, Any], coder_id: int | None,
           guid: str | None = None) -> bool:
    """Log an action inside the caller's transaction. False when an action with ``guid`` exists."""
    cur = conn.execute(
        "INSERT INTO actions (guid, at, coder_id, kind, summary, payload) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(guid) DO NOTHING",
        (guid or str(uuid.uuid4()), now(), coder_id, kind, summary,
         json.dumps(payload, ensure_ascii=False, separators=(",", ":"))),
    )
    if cur.rowcount != 1:
        return False
    drop_redo(conn, coder_id, cur.lastrowid)
    return True


def drop_redo(conn, coder_id: int | None, before_id: int) -> None:
    """A new action of a coder ends that coder's redo chain: their undone actions become dropped.

    The undone actions (``undone = 1``) of a coder always follow that coder's last live action, so
    the scan walks back from the newest action and stops at the first live one of this coder.
    """
    dropped = []
    for action_id, undone in conn.execute(
            "SELECT id, undone FROM actions WHERE coder_id IS ? AND id < ? ORDER BY id DESC",
            (coder_id, before_id)):
        if undone == 0:
            break
        if undone == 1:
            dropped.append(action_id)
    if dropped:
        conn.executemany("UPDATE actions SET undone = 2 WHERE id = ?", [(i,) for i in dropped])


# Rows as undo sees them: foreign keys as GUIDs, so that a row can be put back in another state of
# the file (integer ids are only valid inside one file and change when a row is re-inserted).
ROW_SQL = {
    "codes": ("SELECT c.guid, p.guid, c.name, c.position, c.color, c.shortcut, c.description, c.codable,"
              " c.details, c.created FROM codes c LEFT JOIN codes p ON p.id = c.parent_id WHERE c.guid IN ({})"),
    "codings": ('SELECT g.guid, d.guid, k.guid, r.guid, g.start, g."end", g.created FROM codings g'
                " JOIN documents d ON d.id = g.document_id JOIN codes k ON k.id = g.code_id"
                " JOIN coders r ON r.id = g.coder_id WHERE g.guid IN ({})"),
    "memos": ("SELECT m.guid, m.kind, coalesce(d.guid, s.guid, k.guid, g.guid), m.title, m.text, r.guid,"
              " m.created, m.modified FROM memos m LEFT JOIN documents d ON d.id = m.document_id"
              " LEFT JOIN cases s ON s.id = m.case_id LEFT JOIN codes k ON k.id = m.code_id"
              " LEFT JOIN codings g ON g.id = m.coding_id LEFT JOIN coders r ON r.id = m.coder_id"
              " WHERE m.guid IN ({})"),
}
# Where a row refers to another row (by its GUID). In a payload these hold an index into its "refs".
REFERENCES = {"codes": (0,), "codings": (0, 1, 2), "memos": (1, 4)}
ROW_COLUMNS = {
    "codes": ("parent", "name", "position", "color", "shortcut", "description", "codable", "details", "created"),
    "codings": ("document", "code", "coder", "start", "end", "created"),
    "memos": ("kind", "target", "title", "text", "coder", "created", "modified"),
}


def read_rows(conn, table: str, guids) -> dict[str, list]:
    """The rows of ``table`` with these GUIDs, as lists in ``ROW_COLUMNS`` order (absent: left out)."""
    guids, found = list(guids), {}
    for i in range(0, len(guids), 500):
        chunk = guids[i:i + 500]
        for row in conn.execute(ROW_SQL[table].format(",".join("?" * len(chunk))), chunk):
            found[row[0]] = list(row[1:])
    return found


class Changes:
    """The rows an action changes, as they were before it and as they are after it.

    Call ``watch`` before the change for rows it may alter or delete, ``created`` after it for the
    rows it added; ``payload()`` lists ``[table, guid, before, after]`` (``None``: no such row) for
    every row that differs, plus a fifth element ``1`` for a code created on the way (kept by undo
    while other codings, codes or memos use it), with each reference to another row as an index
    into ``refs``. This is what ``qcode.core.undo`` reverses.
    """

    def __init__(self, conn):
        self.conn = conn
        self.before: dict[tuple[str, str], list | None] = {}
        self.soft: set[tuple[str, str]] = set()
        self.inserted: list[tuple[str, dict[str, list]]] = []  # new rows whose values the caller knows

    def watch(self, table: str, guids) -> None:
        guids = [g for g in guids if (table, g) not in self.before]
        rows = read_rows(self.conn, table, guids)
        for guid in guids:
            self.before[(table, guid)] = rows.get(guid)

    def watch_where(self, table: str, where: str, params=()) -> None:
        self.watch(table, [r[0] for r in self.conn.execute(f"SELECT guid FROM {table} WHERE {where}", params)])

    def created(self, table: str, guids, *, soft: bool = False) -> None:
        for guid in guids:
            self.before.setdefault((table, guid), None)
            if soft:
                self.soft.add((table, guid))

    def inserted_rows(self, table: str, rows: dict[str, list]) -> None:
        """New rows (GUID -> row in ``ROW_COLUMNS`` order, lists that this takes over and changes)
        that the caller has just inserted: not read back."""
        self.inserted.append((table, rows))

    def created_where(self, table: str, where: str, params=(), *, soft: bool = False) -> None:
        self.created(table, [r[0] for r in self.conn.execute(f"SELECT guid FROM {table} WHERE {where}", params)],
                     soft=soft)

    def payload(self) -> dict[str, list]:
        """``{"changes": [...], "refs": [...]}`` to put in the action's payload (see ``expand``)."""
        refs: list[str] = []
        index: dict[str, int] = {}

        def compact(table: str, row: list | None) -> list | None:
            if row is None:
                return None
            row = list(row)
            for i in REFERENCES[table]:
                if row[i] is not None:
                    if row[i] not in index:
                        index[row[i]] = len(refs)
                        refs.append(row[i])
                    row[i] = index[row[i]]
            return row

        changes = []
        for table, rows in self.inserted:  # fast: thousands of codings referring to a few rows
            positions = REFERENCES[table]
            for guid in {row[i] for row in rows.values() for i in positions if row[i] is not None}:
                if guid not in index:
                    index[guid] = len(refs)
                    refs.append(guid)
            for guid, row in rows.items():
                for i in positions:
                    if row[i] is not None:
                        row[i] = index[row[i]]
                changes.append([table, guid, None, row])
        changes += [[c[0], c[1], compact(c[0], c[2]), compact(c[0], c[3]), *c[4:]] for c in self._changes()]
        return {"changes": changes, "refs": refs}

    def _changes(self) -> list[list]:
        by_table: dict[str, list[str]] = {}
        for table, guid in self.before:
            by_table.setdefault(table, []).append(guid)
        after = {table: read_rows(self.conn, table, guids) for table, guids in by_table.items()}
        changes = []
        for (table, guid), before in self.before.items():
            now_row = after[table].get(guid)
            if now_row != before:
                change = [table, guid, before, now_row]
                if (table, guid) in self.soft:
                    change.append(1)
                changes.append(change)
        return changes


def already_done(conn, guid: str) -> bool:
    return conn.execute("SELECT 1 FROM actions WHERE guid = ?", (guid,)).fetchone() is not None


def recent(conn, limit: int = 20) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT a.guid, a.at, c.name, a.kind, a.summary, a.undone FROM actions a"
        " LEFT JOIN coders c ON c.id = a.coder_id ORDER BY a.id DESC LIMIT ?", (limit,)).fetchall()
    return [dict(zip(("guid", "at", "coder", "kind", "summary", "undone"), r)) for r in rows]


def expand(payload: dict) -> list[list]:
    """The ``changes`` of a payload with every reference as a GUID again (the inverse of ``payload``)."""
    refs = payload.get("refs", [])

    def full(table: str, row: list | None) -> list | None:
        if row is None:
            return None
        row = list(row)
        for i in REFERENCES[table]:
            if isinstance(row[i], int):
                row[i] = refs[row[i]]
        return row

    return [[c[0], c[1], full(c[0], c[2]), full(c[0], c[3]), *c[4:]] for c in payload["changes"]]
