"""Memos: the researcher's notes on the project, a document, a case, a code or a coding."""

from __future__ import annotations

import json
import uuid

from qcode.core import actions
from qcode.core.errors import NotFound, QcodeError
from qcode.core.models import Memo
from qcode.core.schema import now

KINDS = ("project", "document", "case", "code", "coding")


class Memos:
    def __init__(self, project):
        self.project = project
        self.conn = project.conn

    def _target(self, kind: str, target: str | None) -> tuple[str | None, int | None]:
        if kind not in KINDS:
            raise QcodeError(f"a memo belongs to one of {', '.join(KINDS)}, not to {kind!r}")
        if kind == "project":
            return None, None
        if target is None:
            raise QcodeError(f"a {kind} memo needs the {kind} it belongs to")
        if kind == "document":
            return "document_id", self.project.documents.get(target).id
        if kind == "case":
            return "case_id", self.project.cases.get(target).id
        if kind == "code":
            return "code_id", self.project.codes.get(target).id
        row = self.conn.execute("SELECT id FROM codings WHERE guid = ?", (target,)).fetchone()
        if row is None:
            raise NotFound(f"no coding {target}")
        return "coding_id", row[0]

    def add(self, kind: str, target: str | None, text: str, title: str = "", *, session: str | None = None) -> Memo:
        """Write a memo (a coding's one memo is replaced): one action, which undo takes back.

        ``session``: see ``update``; later updates of the same session fold into this action.
        """
        with self.project.write() as conn:
            column, target_id = self._target(kind, target)
            coder = self.project.coder_id()
            stamp, guid = now(), str(uuid.uuid4())
            changes = actions.Changes(conn)
            if kind == "coding":
                changes.watch_where("memos", "coding_id = ?", (target_id,))
                conn.execute(
                    "INSERT INTO memos (guid, kind, coding_id, title, text, coder_id, created, modified)"
                    " VALUES (?, 'coding', ?, ?, ?, ?, ?, ?) ON CONFLICT(coding_id) WHERE coding_id IS NOT NULL"
                    " DO UPDATE SET text = excluded.text, title = excluded.title, modified = excluded.modified",
                    (guid, target_id, title, text, coder, stamp, stamp))
            else:
                columns = "guid, kind, title, text, coder_id, created, modified" + (f", {column}" if column else "")
                values = [guid, kind, title, text, coder, stamp, stamp] + ([target_id] if column else [])
                conn.execute(f"INSERT INTO memos ({columns}) VALUES ({','.join('?' * len(values))})", values)
            if kind == "coding":
                changes.created_where("memos", "coding_id = ?", (target_id,))
            else:
                changes.created("memos", [guid])
            actions.record(conn, "memo", f"wrote a {kind} memo",
                           {"kind": kind, "target": target, **changes.payload(), **_session(session)}, coder)
        return self.list(kind, target)[-1]

    def _get(self, guid: str) -> tuple[int, str]:
        row = self.conn.execute("SELECT id, kind FROM memos WHERE guid = ?", (guid,)).fetchone()
        if row is None:
            raise NotFound(f"no memo {guid}")
        return row

    def update(self, guid: str, text: str, title: str | None = None, *, session: str | None = None) -> None:
        """Change a memo's text (and title, when given): one action, which undo takes back.

        ``session`` (any string, e.g. a UUID per editor that saves as the user types): when this
        coder's latest action is a write of this memo in the same session, and the memo is still as
        that action left it, the change folds into that action instead of adding one, so that one
        editing session undoes as one step (its payload keeps the memo as it was before the session).
        """
        with self.project.write() as conn:
            memo_id, kind = self._get(guid)
            coder = self.project.coder_id()
            folded = self._session_action(conn, session, guid, coder) if session else None
            changes = actions.Changes(conn)
            changes.watch("memos", [guid])
            if folded:
                changes.before[("memos", guid)] = folded[2]
            if title is None:
                conn.execute("UPDATE memos SET text = ?, modified = ? WHERE id = ?", (text, now(), memo_id))
            else:
                conn.execute("UPDATE memos SET text = ?, title = ?, modified = ? WHERE id = ?",
                             (text, title, now(), memo_id))
            if folded:
                payload = {**folded[1], **changes.payload()}
                conn.execute("UPDATE actions SET payload = ?, at = ? WHERE id = ?",
                             (json.dumps(payload, ensure_ascii=False, separators=(",", ":")), now(), folded[0]))
            else:
                actions.record(conn, "memo", f"edited a {kind} memo",
                               {"memo": guid, **changes.payload(), **_session(session)}, coder)

    def _session_action(self, conn, session: str, guid: str, coder: int) -> tuple[int, dict, list | None] | None:
        """(action id, payload, memo row before it) of the coder's latest action when it is a write of
        memo ``guid`` in ``session`` and the memo is still as it left it; else None."""
        row = conn.execute("SELECT id, kind, payload, undone FROM actions WHERE coder_id = ? ORDER BY id DESC LIMIT 1",
                           (coder,)).fetchone()
        if row is None or row[1] != "memo" or row[3] != 0:
            return None
        payload = json.loads(row[2] or "{}")
        if payload.get("session") != session or not isinstance(payload.get("changes"), list):
            return None
        changes = actions.expand(payload)
        if len(changes) != 1 or changes[0][:2] != ["memos", guid]:
            return None
        if actions.read_rows(conn, "memos", [guid]).get(guid) != changes[0][3]:
            return None
        return row[0], payload, changes[0][2]

    def delete(self, guid: str) -> None:
        """Delete a memo: one action, which undo takes back."""
        with self.project.write() as conn:
            memo_id, kind = self._get(guid)
            changes = actions.Changes(conn)
            changes.watch("memos", [guid])
            conn.execute("DELETE FROM memos WHERE id = ?", (memo_id,))
            actions.record(conn, "memo-delete", f"deleted a {kind} memo", {"memo": guid, **changes.payload()},
                           self.project.coder_id())

    def list(self, kind: str | None = None, target: str | None = None) -> list[Memo]:
        sql = ("SELECT m.id, m.guid, m.kind, coalesce(d.name, k.name, c.name, g.guid), m.title, m.text, r.name,"
               " m.modified FROM memos m LEFT JOIN documents d ON d.id = m.document_id"
               " LEFT JOIN cases k ON k.id = m.case_id LEFT JOIN codes c ON c.id = m.code_id"
               " LEFT JOIN codings g ON g.id = m.coding_id LEFT JOIN coders r ON r.id = m.coder_id")
        params: list = []
        if kind is not None:
            column, target_id = self._target(kind, target) if target is not None or kind == "project" else (None, None)
            sql += " WHERE m.kind = ?"
            params.append(kind)
            if column:
                sql += f" AND m.{column} = ?"
                params.append(target_id)
        sql += " ORDER BY m.id"
        rows = self.conn.execute(sql, params).fetchall()
        memos = [Memo(*r) for r in rows]
        if memos and kind == "code":
            tree = self.project.codes.tree()
            ids = dict(self.conn.execute("SELECT id, code_id FROM memos WHERE code_id IS NOT NULL"))
            memos = [Memo(m.id, m.guid, m.kind, tree.path(ids[m.id]), m.title, m.text, m.coder, m.modified)
                     for m in memos]
        return memos


def _session(session: str | None) -> dict[str, str]:
    return {"session": session} if session else {}
