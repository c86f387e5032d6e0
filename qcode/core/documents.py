"""Documents: text that was normalised once at import and never changes afterwards."""

from __future__ import annotations

import json
import uuid
from typing import Any

from qcode.core import actions
from qcode.core.errors import NotFound, Refused
from qcode.core.models import Document, DocumentSummary
from qcode.core.schema import now
from qcode.core.text import clean_name, normalise

_COLUMNS = "id, guid, name, title, format, characters, sha256, source_file, encoding, imported, metadata"


def _document(row) -> Document:
    return Document(id=row[0], guid=row[1], name=row[2], title=row[3], format=row[4],
                    characters=row[5], sha256=row[6], source_file=row[7], encoding=row[8],
                    imported=row[9], metadata=json.loads(row[10]))


class Documents:
    def __init__(self, project):
        self.project = project
        self.conn = project.conn

    def add(self, *, name: str, text: str, format: str, sha256: str, source_file: str, size: int,
            encoding: str | None = None, title: str | None = None,
            metadata: dict[str, Any] | None = None, case: str | None = None) -> Document:
        """Store a document; ``text`` is normalised here, once. Refuses a name already in use."""
        name = clean_name(name)
        if not name:
            raise Refused("a document needs a name")
        text = normalise(text)
        with self.project.write() as conn:
            if conn.execute("SELECT 1 FROM documents WHERE name = ?", (name,)).fetchone():
                raise Refused(f"a document named {name!r} is already in the project "
                              "(give this one another name with --name)")
            coder = self.project.coder_id()
            cur = conn.execute(
                "INSERT INTO documents (guid, name, title, format, text, characters, sha256, source_file,"
                " bytes, encoding, metadata, imported, coder_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (str(uuid.uuid4()), name, clean_name(title) if title else None, format, text, len(text),
                 sha256, clean_name(source_file), size, encoding,
                 json.dumps(metadata or {}, ensure_ascii=False), now(), coder))
            doc_id = cur.lastrowid
            if case:
                self.project.cases.assign(case, [name], create=True)
            actions.record(conn, "import", f"imported {name}", {"document": doc_id}, coder)
        return self.get(doc_id)

    def _row(self, ref: str | int):
        conn = self.conn
        row = conn.execute(f"SELECT {_COLUMNS} FROM documents WHERE name = ?", (str(ref),)).fetchone()
        if row is None and str(ref).isdigit():
            row = conn.execute(f"SELECT {_COLUMNS} FROM documents WHERE id = ?", (int(ref),)).fetchone()
        if row is None:
            raise NotFound(f"no document {str(ref)!r} in this project")
        return row

    def get(self, ref: str | int) -> Document:
        """A document by name, or by id."""
        return _document(self._row(ref))

    def text(self, ref: str | int | Document) -> str:
        doc_id = ref.id if isinstance(ref, Document) else self._row(ref)[0]
        return self.conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]

    def by_sha256(self, sha256: str) -> Document | None:
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM documents WHERE sha256 = ? LIMIT 1",
                                   (sha256,)).fetchone()
        return _document(row) if row else None

    def exists(self, name: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE name = ?", (name,)).fetchone() is not None

    def list(self) -> list[DocumentSummary]:
        rows = self.conn.execute(
            "SELECT d.id, d.name, d.title, d.format, d.characters,"
            " (SELECT count(*) FROM codings c WHERE c.document_id = d.id),"
            " (SELECT group_concat(name, char(31)) FROM (SELECT k.name FROM case_documents cd"
            "   JOIN cases k ON k.id = cd.case_id WHERE cd.document_id = d.id ORDER BY k.name))"
            " FROM documents d ORDER BY d.id").fetchall()
        return [DocumentSummary(id=r[0], name=r[1], title=r[2], format=r[3], characters=r[4],
                                codings=r[5], cases=tuple(r[6].split("\x1f")) if r[6] else ())
                for r in rows]

    def set_title(self, ref: str | int, title: str) -> Document:
        doc = self.get(ref)
        with self.project.write() as conn:
            conn.execute("UPDATE documents SET title = ? WHERE id = ?", (clean_name(title) or None, doc.id))
            actions.record(conn, "title", f"titled {doc.name}", {"document": doc.id, "before": doc.title},
                           self.project.coder_id())
        return self.get(doc.id)
