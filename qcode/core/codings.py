"""Codings: a code applied to a span ``[start, end)`` of a document, in code points.

Coding the same span of the same document with the same code by the same coder again changes
nothing (a unique key, not a check that a second process could race).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Iterable

from qcode.core import actions
from qcode.core.errors import NotFound, QcodeError
from qcode.core.models import Coding
from qcode.core.schema import new_guids, now
from qcode.core.text import check_span


# The memo of the coding with this unique key (document, code, coder, start, end).
_MEMO_OF_KEY = ("coding_id IN (SELECT id FROM codings WHERE document_id = ? AND code_id = ? AND coder_id = ?"
                ' AND start = ? AND "end" = ?)')


@dataclass(frozen=True)
class CodingRequest:
    document: str
    start: int
    end: int
    code: str
    memo: str | None = None
    coder: str | None = None


@dataclass
class CodingReport:
    added: int = 0
    unchanged: int = 0
    created_codes: list[str] | None = None
    guids: list[str] | None = None


class Codings:
    def __init__(self, project):
        self.project = project
        self.conn = project.conn

    def add(self, document: str, start: int, end: int, code: str, *, memo: str | None = None,
            coder: str | None = None) -> CodingReport:
        return self.add_many([CodingRequest(document, start, end, code, memo, coder)])

    def add_many(self, requests: Iterable[CodingRequest], *, label: str = "") -> CodingReport:
        """Apply codings, all in one transaction: one bad request leaves the project as it was."""
        report = CodingReport(created_codes=[], guids=[])
        with self.project.write() as conn:
            tree = self.project.codes.tree()
            documents: dict[str, tuple[int, int]] = {}
            coders: dict[str | None, int] = {}
            code_ids: dict[str, int] = {}
            stamp = now()
            rows, memos = [], []
            requests = list(requests)
            guids = new_guids(len(requests))
            for number, req in enumerate(requests, start=1):
                where = f"{label}line {number}: " if label else ""
                if req.document not in documents:
                    try:
                        doc = self.project.documents.get(req.document)
                    except NotFound as exc:
                        raise NotFound(f"{where}{exc}") from None
                    documents[req.document] = (doc.id, doc.characters)
                doc_id, length = documents[req.document]
                try:
                    check_span(length, req.start, req.end)
                except ValueError as exc:
                    raise QcodeError(f"{where}{req.document}: {exc}") from None
                if req.code not in code_ids:
                    try:
                        code_ids[req.code], created = self.project.codes.ensure(req.code, tree)
                    except QcodeError as exc:
                        raise QcodeError(f"{where}{exc}") from None
                    report.created_codes.extend(created)
                    if not created and not self._codable(code_ids[req.code]):
                        raise QcodeError(f"{where}{req.code} is a category, not codable: code one of its children")
                if req.coder not in coders:
                    coders[req.coder] = self.project.coder_id(req.coder)
                guid = guids[number - 1]
                rows.append((guid, doc_id, code_ids[req.code], coders[req.coder], req.start, req.end, stamp))
                if req.memo:
                    memos.append((req.memo, doc_id, code_ids[req.code], coders[req.coder], req.start, req.end))
            changes = actions.Changes(conn)
            before = conn.total_changes
            conn.executemany(
                'INSERT INTO codings (guid, document_id, code_id, coder_id, start, "end", created)'
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", rows)
            report.added = conn.total_changes - before
            report.unchanged = len(rows) - report.added
            if memos and report.unchanged:  # memos of codings that were there already: as they were
                for _text, *key in memos:
                    changes.watch_where("memos", _MEMO_OF_KEY, key)
            if memos:
                self._set_memos(memos, stamp)
            if report.added == len(rows):
                added_guids = [r[0] for r in rows]
            else:
                added_guids = self._existing_guids([r[0] for r in rows]) if report.added else []
            report.guids = added_guids
            if report.added or memos:
                if report.created_codes:
                    created_ids = [tree.find(path) for path in report.created_codes]
                    changes.created_where("codes", f"id IN ({','.join('?' * len(created_ids))})", created_ids,
                                          soft=True)
                changes.inserted_rows("codings", self._portable(rows, set(added_guids) if
                                                                len(added_guids) != len(rows) else None))
                if memos and report.unchanged:
                    for _text, *key in memos:
                        changes.created_where("memos", _MEMO_OF_KEY, key)
                elif memos:  # every coding is new, and so is every memo
                    for i in range(0, len(added_guids), 500):
                        chunk = added_guids[i:i + 500]
                        changes.created_where(
                            "memos", f"coding_id IN (SELECT id FROM codings WHERE guid IN ({','.join('?' * len(chunk))}))",
                            chunk)
                actions.record(conn, "code", f"applied {report.added} coding(s)",
                               {"codings": added_guids, "codes_created": report.created_codes,
                                **changes.payload()},
                               self.project.coder_id())
        return report

    def _portable(self, rows, keep: set[str] | None) -> dict[str, list]:
        """Inserted rows as undo records them (``actions.ROW_COLUMNS``): references as GUIDs."""
        def guids(table: str, ids: set[int]) -> dict[int, str]:
            return {i: self.conn.execute(f"SELECT guid FROM {table} WHERE id = ?", (i,)).fetchone()[0] for i in ids}

        docs = guids("documents", {r[1] for r in rows})
        codes = guids("codes", {r[2] for r in rows})
        coders = guids("coders", {r[3] for r in rows})
        return {r[0]: [docs[r[1]], codes[r[2]], coders[r[3]], r[4], r[5], r[6]]
                for r in rows if keep is None or r[0] in keep}

    def _codable(self, code_id: int) -> bool:
        return bool(self.conn.execute("SELECT codable FROM codes WHERE id = ?", (code_id,)).fetchone()[0])

    def _existing_guids(self, guids: list[str]) -> list[str]:
        conn, found = self.conn, []
        for i in range(0, len(guids), 500):
            chunk = guids[i:i + 500]
            found += [r[0] for r in conn.execute(
                f"SELECT guid FROM codings WHERE guid IN ({','.join('?' * len(chunk))})", chunk)]
        return found

    def _set_memos(self, memos, stamp: str) -> None:
        """Attach each memo to its coding (found by its unique key), replacing an older memo."""
        self.conn.executemany(
            "INSERT INTO memos (guid, kind, coding_id, text, coder_id, created, modified)"
            " SELECT ?, 'coding', c.id, ?, c.coder_id, ?, ? FROM codings c"
            ' WHERE c.document_id = ? AND c.code_id = ? AND c.coder_id = ? AND c.start = ? AND c."end" = ?'
            " ON CONFLICT(coding_id) WHERE coding_id IS NOT NULL DO UPDATE SET text = excluded.text,"
            " modified = excluded.modified",
            [(str(uuid.uuid4()), text, stamp, stamp, *key) for text, *key in memos])

    def list(self, *, code: str | None = None, document: str | None = None, coder: str | None = None,
             children: bool = True) -> list[Coding]:
        """Codings with their excerpts, in document order; ``code`` includes its children by default."""
        tree = self.project.codes.tree()
        where, params = [], []
        if code is not None:
            code_id = tree.find(code)
            if code_id is None:
                raise NotFound(f"no code {code!r} in this project")
            ids = tree.descendants(code_id) if children else [code_id]
            where.append(f"c.code_id IN ({','.join('?' * len(ids))})")
            params += ids
        if document is not None:
            where.append("c.document_id = ?")
            params.append(self.project.documents.get(document).id)
        if coder is not None:
            where.append("k.name = ?")
            params.append(coder)
        sql = ('SELECT c.id, c.guid, c.document_id, d.name, c.start, c."end", c.code_id, k.name, m.text, c.created'
               " FROM codings c JOIN documents d ON d.id = c.document_id JOIN coders k ON k.id = c.coder_id"
               " LEFT JOIN memos m ON m.coding_id = c.id")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += ' ORDER BY c.document_id, c.start, c."end", c.id'
        rows = self.conn.execute(sql, params).fetchall()
        texts = self._texts({r[2] for r in rows})
        return [Coding(id=r[0], guid=r[1], document=r[3], start=r[4], end=r[5], code=tree.path(r[6]),
                       coder=r[7], memo=r[8], text=texts[r[2]][r[4]:r[5]], created=r[9]) for r in rows]

    def _texts(self, document_ids: set[int]) -> dict[int, str]:
        if not document_ids:
            return {}
        ids = sorted(document_ids)
        texts = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            texts.update(self.conn.execute(
                f"SELECT id, text FROM documents WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        return texts

    def recode(self, guid: str, code: str) -> None:
        """Give one coding another code, keeping its span, coder and memo: one action, which undo
        takes back. Refused when the coder has coded the same span with that code already."""
        with self.project.write() as conn:
            row = conn.execute('SELECT id, document_id, code_id, coder_id, start, "end" FROM codings WHERE guid = ?',
                               (guid,)).fetchone()
            if row is None:
                raise NotFound(f"no coding {guid}")
            code_id = self.project.codes.get(code).id
            if not self._codable(code_id):
                raise QcodeError(f"{code} is a category, not codable: code one of its children")
            if code_id == row[2]:
                return
            if conn.execute('SELECT 1 FROM codings WHERE document_id = ? AND code_id = ? AND coder_id IS ?'
                            ' AND start = ? AND "end" = ?', (row[1], code_id, row[3], row[4], row[5])).fetchone():
                raise QcodeError(f"this span is coded with {code} already")
            changes = actions.Changes(conn)
            changes.watch("codings", [guid])
            conn.execute("UPDATE codings SET code_id = ? WHERE id = ?", (code_id, row[0]))
            actions.record(conn, "recode", f"recoded a coding as {code}", {"coding": guid, **changes.payload()},
                           self.project.coder_id())

    def remove(self, guid: str) -> None:
        """Remove one coding (and its memo)."""
        with self.project.write() as conn:
            row = conn.execute('SELECT id, document_id, code_id, coder_id, start, "end", created FROM codings'
                                  " WHERE guid = ?", (guid,)).fetchone()
            if row is None:
                raise NotFound(f"no coding {guid}")
            changes = actions.Changes(conn)
            changes.watch("codings", [guid])
            changes.watch_where("memos", "coding_id = ?", (row[0],))
            conn.execute("DELETE FROM codings WHERE id = ?", (row[0],))
            actions.record(conn, "uncode", "removed a coding",
                           {"coding": guid, "row": list(row[1:]), **changes.payload()},
                           self.project.coder_id())
