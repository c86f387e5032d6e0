"""Undo and redo: the action log read backwards. No copy of the file is ever kept.

Each undoable action carries, in its payload, a ``"changes"`` list written by
``qcode.core.actions.Changes``: one entry per row the action added, changed or deleted::

    [table, guid, before, after]        # before/after: the row as a list, or null (no such row)
    [table, guid, before, after, 1]     # a code created on the way by coding (see below)

``table`` is ``codes``, ``codings`` or ``memos``; a row lists ``actions.ROW_COLUMNS[table]``, with
every reference to another row as that row's GUID (integer ids are only valid inside one file),
stored once in the payload's ``"refs"`` list and given in the row as its index there:

- ``codes``: parent GUID, name, position, color, shortcut, description, codable, details, created
- ``codings``: document GUID, code GUID, coder GUID, start, end, created
- ``memos``: kind, target GUID (document, case, code or coding), title, text, coder GUID, created,
  modified

Undo checks that every row is still as ``after`` says, then puts back ``before``; redo checks
``before`` and puts back ``after``. Rows come back with the same GUIDs and values (a redone coding
is the same coding), so exports, merges and agreement see no difference.

The rules:

- **Coders.** ``undo`` and ``redo`` work on one coder's actions: the given coder, by default this
  session's (``project.coder``). Two coders sharing a file do not undo each other's work.
- **One transaction.** Each undo or redo is one ``BEGIN IMMEDIATE`` transaction that changes the
  rows and the action's ``undone`` flag together: 0 done, 1 undone, 2 dropped.
- **The redo chain.** ``redo`` re-applies the coder's most recently undone action. Any new action
  of that coder (``actions.record``) marks the coder's undone actions as dropped (2): they can no
  longer be redone.
- **Actions that cannot be undone** (import, title, cases, attributes, codebook-apply, a code
  update that changed a GUID, and actions logged by a qcode without undo) stop undo: ``undo``
  raises ``UndoError`` naming the action, and leaves everything as it was. Undo never skips one.
- **Later changes.** When a row the action touched has changed since (by another coder, or an
  action that cannot be undone), ``UndoError`` says which and nothing is changed. Undo never
  deletes what a later action added: a coding that got a memo since, a code that got codings,
  children or memos since.
- **Codes created by coding** (``qcode code ... "New/Code"``, marked ``1``) are removed by undo
  only while nothing else uses them and they are unchanged; otherwise they stay. Redo recreates
  them when they are missing.
- **Retries.** ``undo(..., expect=GUID)`` and ``redo(..., expect=GUID)`` act only when the next
  action is that one, so a retried request cannot take back two actions.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from qcode.core.actions import expand, read_rows
from qcode.core.errors import QcodeError

UNDOABLE = frozenset({"code", "uncode", "recode", "memo", "memo-delete", "code-add", "code-update", "code-rename",
                      "code-move", "code-merge", "code-delete"})
DONE, UNDONE, DROPPED = 0, 1, 2

_MEMO_TARGETS = {"document": ("document_id", "documents"), "case": ("case_id", "cases"),
                 "code": ("code_id", "codes"), "coding": ("coding_id", "codings")}


class UndoError(QcodeError):
    """An action that cannot be undone or redone (now): nothing was changed."""


@dataclass(frozen=True)
class Action:
    guid: str
    kind: str
    summary: str
    at: str
    coder: str | None


def _coder_id(project, coder: str | None) -> int | None:
    from qcode.core.coders import coder_name

    name = coder_name(coder) if coder else project.coder
    row = project.conn.execute("SELECT id FROM coders WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


_SELECT = ("SELECT a.id, a.guid, a.kind, a.summary, a.at, c.name, a.payload FROM actions a"
           " LEFT JOIN coders c ON c.id = a.coder_id WHERE a.coder_id = ? AND a.undone = ?")


def _next_undo(conn, coder_id):
    return conn.execute(_SELECT + " ORDER BY a.id DESC LIMIT 1", (coder_id, DONE)).fetchone()


def _next_redo(conn, coder_id):
    return conn.execute(_SELECT + " ORDER BY a.id ASC LIMIT 1", (coder_id, UNDONE)).fetchone()


def _action(row) -> Action:
    return Action(guid=row[1], kind=row[2], summary=row[3], at=row[4], coder=row[5])


def can_undo(project, coder: str | None = None) -> Action | None:
    """The action ``undo`` would take back (which may still refuse), or None."""
    coder_id = _coder_id(project, coder)
    row = None if coder_id is None else _next_undo(project.conn, coder_id)
    return _action(row) if row else None


def can_redo(project, coder: str | None = None) -> Action | None:
    """The action ``redo`` would re-apply, or None."""
    coder_id = _coder_id(project, coder)
    row = None if coder_id is None else _next_redo(project.conn, coder_id)
    return _action(row) if row else None


def undo(project, coder: str | None = None, *, expect: str | None = None) -> Action | None:
    """Take back the coder's most recent action that is not undone; None when there is none."""
    return _step(project, coder, expect, undoing=True)


def redo(project, coder: str | None = None, *, expect: str | None = None) -> Action | None:
    """Re-apply the coder's most recently undone action; None when there is none."""
    return _step(project, coder, expect, undoing=False)


def _step(project, coder, expect, *, undoing: bool) -> Action | None:
    verb = "undo" if undoing else "redo"
    with project.write() as conn:
        coder_id = _coder_id(project, coder)
        if coder_id is None:
            return None
        row = _next_undo(conn, coder_id) if undoing else _next_redo(conn, coder_id)
        if row is None:
            return None
        action = _action(row)
        if expect is not None and action.guid != expect:
            raise UndoError(f"cannot {verb} {action.summary!r}: the next action to {verb} is not the one expected")
        payload = json.loads(row[6] or "{}")
        if action.kind not in UNDOABLE:
            raise UndoError(f"cannot undo {action.summary!r} ({action.kind}, {action.at}): this kind of action "
                            "cannot be undone, so undo stops here")
        if not isinstance(payload.get("changes"), list):
            raise UndoError(f"cannot undo {action.summary!r} ({action.kind}, {action.at}): it was logged without "
                            "what undo needs (by an older qcode, or it changed a GUID), so undo stops here")
        try:
            _apply(conn, expand(payload), undoing=undoing, coder_id=coder_id)
        except UndoError as exc:
            raise UndoError(f"cannot {verb} {action.summary!r}: {exc}") from None
        except sqlite3.IntegrityError as exc:
            raise UndoError(f"cannot {verb} {action.summary!r}: the project has changed since ({exc})") from None
        conn.execute("UPDATE actions SET undone = ? WHERE id = ?", (UNDONE if undoing else DONE, row[0]))
    return action


# --- applying a change set --------------------------------------------------------------------------


class _Ids:
    """GUID -> id, looked up as needed (rows inserted on the way are found too)."""

    def __init__(self, conn):
        self.conn = conn
        self.cache: dict[tuple[str, str], int] = {}

    def __call__(self, table: str, guid: str | None, what: str) -> int | None:
        if guid is None:
            return None
        key = (table, guid)
        if key not in self.cache:
            row = self.conn.execute(f"SELECT id FROM {table} WHERE guid = ?", (guid,)).fetchone()
            if row is None:
                raise UndoError(f"{what} {guid} no longer exists")
            self.cache[key] = row[0]
        return self.cache[key]


def _describe(conn, table: str, guid: str, row: list | None) -> str:
    if table == "codes":
        return f"code {row[1]!r}" if row else f"code {guid}"
    if table == "codings":
        if row:
            code = conn.execute("SELECT name FROM codes WHERE guid = ?", (row[1],)).fetchone()
            doc = conn.execute("SELECT name FROM documents WHERE guid = ?", (row[0],)).fetchone()
            return (f"the coding of {code[0] if code else row[1]!r} in {doc[0] if doc else row[0]}"
                    f" at {row[3]}-{row[4]}")
        return f"coding {guid}"
    return f"the {row[0]} memo" if row else f"memo {guid}"


def _apply(conn, changes: list[list], *, undoing: bool, coder_id: int) -> None:
    # Each entry: (table, guid, expected now, wanted, soft).
    steps = []
    for change in changes:
        table, guid, before, after = change[:4]
        soft = len(change) > 4 and bool(change[4])
        steps.append((table, guid, after, before, soft) if undoing else (table, guid, before, after, soft))
    current = {}
    for table in ("codes", "codings", "memos"):
        guids = [s[1] for s in steps if s[0] == table]
        current[table] = read_rows(conn, table, guids) if guids else {}

    plan = []  # (table, guid, now, wanted, soft) to carry out
    for table, guid, expected, wanted, soft in steps:
        now = current[table].get(guid)
        if soft:
            if wanted is None and now is not None:
                if now == expected:
                    plan.append((table, guid, now, None, True))  # removed below if nothing uses it
            elif wanted is not None and now is None:
                plan.append((table, guid, None, wanted, True))
            continue
        if now != expected:
            what = _describe(conn, table, guid, now if now is not None else expected)
            if now is None:
                raise UndoError(f"{what} no longer exists")
            if expected is None:
                raise UndoError(f"{what} exists already")
            raise UndoError(f"{what} has changed since")
        if now != wanted:
            plan.append((table, guid, now, wanted, False))

    ids = _Ids(conn)
    deleting = {t: {p[1] for p in plan if p[0] == t and p[3] is None and not p[4]} for t in ("codes", "codings", "memos")}

    # Codes: inserts (parents first), then updates.
    _insert_codes(conn, [p for p in plan if p[0] == "codes" and p[2] is None], ids)
    for table, guid, now, wanted, soft in plan:
        if table == "codes" and now is not None and wanted is not None:
            conn.execute("UPDATE codes SET parent_id = ?, name = ?, position = ?, color = ?, shortcut = ?,"
                         " description = ?, codable = ?, details = ?, created = ? WHERE guid = ?",
                         (ids("codes", wanted[0], "code"), *wanted[1:], guid))
    # Codings, then memos: inserts and updates.
    coding_rows, coding_updates = [], []
    for table, guid, now, wanted, soft in plan:
        if table == "codings" and wanted is not None:
            values = (ids("documents", wanted[0], "document"), ids("codes", wanted[1], "code"),
                      ids("coders", wanted[2], "coder"), *wanted[3:])
            (coding_rows if now is None else coding_updates).append((guid, values))
    conn.executemany('INSERT INTO codings (guid, document_id, code_id, coder_id, start, "end", created)'
                     " VALUES (?, ?, ?, ?, ?, ?, ?)", [(g, *v) for g, v in coding_rows])
    conn.executemany('UPDATE codings SET document_id = ?, code_id = ?, coder_id = ?, start = ?, "end" = ?,'
                     " created = ? WHERE guid = ?", [(*v, g) for g, v in coding_updates])
    for table, guid, now, wanted, soft in plan:
        if table == "memos" and wanted is not None:
            kind, target, title, text, coder, created, modified = wanted
            targets = {"document_id": None, "case_id": None, "code_id": None, "coding_id": None}
            if kind in _MEMO_TARGETS:
                column, target_table = _MEMO_TARGETS[kind]
                targets[column] = ids(target_table, target, kind)
            values = (kind, *targets.values(), title, text, ids("coders", coder, "coder"), created, modified)
            if now is None:
                conn.execute("INSERT INTO memos (kind, document_id, case_id, code_id, coding_id, title, text,"
                             " coder_id, created, modified, guid) VALUES (?,?,?,?,?,?,?,?,?,?,?)", (*values, guid))
            else:
                conn.execute("UPDATE memos SET kind = ?, document_id = ?, case_id = ?, code_id = ?, coding_id = ?,"
                             " title = ?, text = ?, coder_id = ?, created = ?, modified = ? WHERE guid = ?",
                             (*values, guid))
    # Deletes: memos, codings, then codes (children first); soft codes only when nothing uses them.
    _check_deletes(conn, deleting, ids)
    conn.executemany("DELETE FROM memos WHERE guid = ?", [(g,) for g in deleting["memos"]])
    conn.executemany("DELETE FROM codings WHERE guid = ?", [(g,) for g in deleting["codings"]])
    _delete_codes(conn, deleting["codes"], strict=True)
    _delete_codes(conn, {p[1] for p in plan if p[0] == "codes" and p[3] is None and p[4]}, strict=False,
                  coder_id=coder_id)


def _check_deletes(conn, deleting: dict[str, set[str]], ids: _Ids) -> None:
    """Refuse to delete a row that a later action made something else depend on."""
    codings = list(deleting["codings"])
    for i in range(0, len(codings), 500):
        chunk = codings[i:i + 500]
        for memo, guid in conn.execute("SELECT m.guid, c.guid FROM memos m JOIN codings c ON c.id = m.coding_id"
                                       f" WHERE c.guid IN ({','.join('?' * len(chunk))})", chunk):
            if memo not in deleting["memos"]:
                raise UndoError(f"{_describe(conn, 'codings', guid, read_rows(conn, 'codings', [guid]).get(guid))}"
                                " has a memo written since")
    for guid in deleting["codes"]:
        code_id = ids("codes", guid, "code")
        name = conn.execute("SELECT name FROM codes WHERE id = ?", (code_id,)).fetchone()[0]
        for g, in conn.execute("SELECT guid FROM codings WHERE code_id = ?", (code_id,)):
            if g not in deleting["codings"]:
                raise UndoError(f"code {name!r} has codings made since")
        for g, in conn.execute("SELECT guid FROM codes WHERE parent_id = ?", (code_id,)):
            if g not in deleting["codes"]:
                raise UndoError(f"code {name!r} has codes added below it since")
        for g, in conn.execute("SELECT guid FROM memos WHERE code_id = ?", (code_id,)):
            if g not in deleting["memos"]:
                raise UndoError(f"code {name!r} has a memo written since")


def _insert_codes(conn, inserts: list, ids: _Ids) -> None:
    pending = list(inserts)
    while pending:
        waiting = []
        for table, guid, now, wanted, soft in pending:
            parent = wanted[0]
            if parent is not None and conn.execute("SELECT 1 FROM codes WHERE guid = ?", (parent,)).fetchone() is None:
                waiting.append((table, guid, now, wanted, soft))
                continue
            parent_id = ids("codes", parent, "parent code")
            if conn.execute("SELECT 1 FROM codes WHERE ifnull(parent_id, 0) = ifnull(?, 0) AND name = ?",
                            (parent_id, wanted[1])).fetchone():
                raise UndoError(f"another code named {wanted[1]!r} exists already in its place")
            conn.execute("INSERT INTO codes (guid, parent_id, name, position, color, shortcut, description, codable,"
                         " details, created) VALUES (?,?,?,?,?,?,?,?,?,?)",
                         (guid, parent_id, *wanted[1:]))
        if len(waiting) == len(pending):
            raise UndoError(f"the parent of code {waiting[0][3][1]!r} no longer exists")
        pending = waiting


def _delete_codes(conn, guids: set[str], *, strict: bool, coder_id: int | None = None) -> None:
    """Delete codes children first; ``strict=False`` keeps a code that anything still uses, or that
    an action of another coder than ``coder_id`` names: that coder could undo or redo it (bring back
    a coding of the code) later, and would find the code gone."""
    pending = set(guids)
    while pending:
        done = set()
        for guid in pending:
            row = conn.execute("SELECT id FROM codes WHERE guid = ?", (guid,)).fetchone()
            if row is None:
                done.add(guid)
                continue
            used = conn.execute(
                "SELECT EXISTS(SELECT 1 FROM codes WHERE parent_id = ?) OR EXISTS(SELECT 1 FROM codings"
                " WHERE code_id = ?) OR EXISTS(SELECT 1 FROM memos WHERE code_id = ?)", (row[0],) * 3).fetchone()[0]
            if not used and not strict:
                used = conn.execute("SELECT EXISTS(SELECT 1 FROM actions WHERE coder_id IS NOT ?"
                                    " AND instr(payload, ?) > 0)", (coder_id, guid)).fetchone()[0]
            if not used:
                conn.execute("DELETE FROM codes WHERE id = ?", (row[0],))
                done.add(guid)
        if not done:
            if strict:
                raise UndoError("a code to remove is still in use")
            return
        pending -= done
