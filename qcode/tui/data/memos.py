"""The memo editor's and the memo list's reads and writes.

Each call opens the project, does one thing (one transaction when it writes) and closes it, so it can
run in a thread worker. ``save_memo`` passes the editor's ``session`` to ``Memos.add``/``update``: the
saves of one editing session fold into one undoable action instead of one per pause in typing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qcode.core import open_project
from qcode.core.errors import NotFound

__all__ = ["MemoRow", "SaveResult", "all_memos", "find_memo", "is_empty", "save_memo"]


@dataclass(frozen=True)
class MemoRow:
    guid: str
    kind: str
    target: str | None  # what the editor needs: a document or case name, a code path, a coding GUID
    where: str  # what the user reads: "interview-a.docx", "Role set/Coordinator in interview-a.docx"
    title: str
    text: str
    coder: str | None
    modified: str

    @property
    def first_line(self) -> str:
        return next((line.strip() for line in self.text.splitlines() if line.strip()), "")

    @property
    def heading(self) -> str:
        """What the memo is on, as the editor's heading says it."""
        return "Memo on the project" if self.kind == "project" else f"Memo on {self.kind} {self.where}"


@dataclass(frozen=True)
class SaveResult:
    guid: str | None  # the memo now holding the text; None when there is none (deleted, or never written)
    outcome: str  # "saved", "deleted", "empty" (nothing written), "kept" (empty text, memo left as it was)


def is_empty(text: str) -> bool:
    return not text.strip()


def _rows(project, memos) -> list[MemoRow]:
    codings = {}
    guids = [m.target for m in memos if m.kind == "coding"]
    if guids:
        tree = project.codes.tree()
        for i in range(0, len(guids), 500):
            chunk = guids[i:i + 500]
            codings.update({guid: f"{tree.path(code_id)} in {document}" for guid, code_id, document in
                            project.conn.execute("SELECT g.guid, g.code_id, d.name FROM codings g JOIN documents d"
                                                 f" ON d.id = g.document_id WHERE g.guid IN ({','.join('?' * len(chunk))})",
                                                 chunk)})
    return [MemoRow(m.guid, m.kind, m.target, codings.get(m.target, m.target or "") if m.kind == "coding"
                    else (m.target or ""), m.title, m.text, m.coder, m.modified) for m in memos]


def find_memo(path: Path, kind: str, target: str | None, guid: str | None = None) -> MemoRow | None:
    """The memo ``guid``, else the most recently modified memo on this target; None when there is none."""
    with open_project(path) as project:
        memos = project.memos.list(kind, target)
        if guid is not None:
            memos = [m for m in memos if m.guid == guid]
        if not memos:
            return None
        newest = max(memos, key=lambda m: (m.modified, m.id))
        return _rows(project, [newest])[0]


def save_memo(path: Path, coder: str | None, kind: str, target: str | None, guid: str | None, text: str,
              session: str | None = None, *, title: str = "", delete_empty: bool = True) -> SaveResult:
    """Store ``title`` and ``text`` as the memo ``guid`` (a new memo on the target when ``guid`` is None).

    No title and empty text (blank lines only) never create a memo; it deletes an existing one when
    ``delete_empty``, else leaves it as it was. A memo deleted meanwhile (by undo, say) is written
    again as a new one: the text typed is never dropped.
    """
    with open_project(path, coder=coder) as project:
        title = " ".join(title.split())
        if is_empty(text) and not title:
            if guid is None:
                return SaveResult(None, "empty")
            if not delete_empty:
                return SaveResult(guid, "kept")
            try:
                project.memos.delete(guid)
            except NotFound:
                pass
            return SaveResult(None, "deleted")
        if guid is not None:
            try:
                project.memos.update(guid, text, title, session=session)
                return SaveResult(guid, "saved")
            except NotFound:
                pass
        memo = project.memos.add(kind, target, text, title, session=session)
        return SaveResult(memo.guid, "saved")


def all_memos(path: Path) -> list[MemoRow]:
    """Every memo of the project, the most recently modified first."""
    with open_project(path) as project:
        memos = project.memos.list()
        code_memos = {m.guid: m for m in project.memos.list("code")}  # targets as code paths, not names
        memos = [code_memos.get(m.guid, m) for m in memos]
        rows = _rows(project, memos)
    return sorted(rows, key=lambda r: r.modified, reverse=True)
