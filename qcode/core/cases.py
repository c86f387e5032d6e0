"""Cases (the units of a case study: an organisation, a person, a province) and attributes.

An attribute is a variable with one value per case (scope ``case``) or per document (scope
``document``), such as ``organisation=IOM`` or ``language=id``.
"""

from __future__ import annotations

import re
import uuid
from typing import Iterable

from qcode.core import actions
from qcode.core.errors import NotFound, QcodeError, Refused
from qcode.core.models import Case
from qcode.core.schema import now
from qcode.core.text import clean_name

SCOPES = ("case", "document")
TYPES = ("text", "integer", "float", "date", "boolean")


class Cases:
    def __init__(self, project):
        self.project = project
        self.conn = project.conn

    def _id(self, name: str, create: bool = False) -> int:
        name = clean_name(name)
        row = self.conn.execute("SELECT id FROM cases WHERE name = ?", (name,)).fetchone()
        if row:
            return row[0]
        if not create:
            raise NotFound(f"no case {name!r} in this project")
        if not name:
            raise QcodeError("a case needs a name")
        return self.conn.execute("INSERT INTO cases (guid, name, created) VALUES (?, ?, ?)",
                                    (str(uuid.uuid4()), name, now())).lastrowid

    def add(self, name: str, description: str = "") -> Case:
        name = clean_name(name)
        with self.project.write() as conn:
            if conn.execute("SELECT 1 FROM cases WHERE name = ?", (name,)).fetchone():
                raise Refused(f"a case named {name!r} already exists")
            case_id = self._id(name, create=True)
            conn.execute("UPDATE cases SET description = ? WHERE id = ?", (description, case_id))
            actions.record(conn, "case", f"added case {name}", {"case": case_id}, self.project.coder_id())
        return self.get(name)

    def get(self, name: str) -> Case:
        row = self.conn.execute(
            "SELECT id, guid, name, description, (SELECT count(*) FROM case_documents WHERE case_id = cases.id)"
            " FROM cases WHERE name = ?", (clean_name(name),)).fetchone()
        if row is None:
            raise NotFound(f"no case {name!r} in this project")
        return Case(*row)

    def list(self) -> list[Case]:
        rows = self.conn.execute(
            "SELECT id, guid, name, description, (SELECT count(*) FROM case_documents WHERE case_id = cases.id)"
            " FROM cases ORDER BY name").fetchall()
        return [Case(*r) for r in rows]

    def documents_of(self, name: str) -> list[str]:
        case_id = self._id(name)
        return [r[0] for r in self.conn.execute(
            "SELECT d.name FROM case_documents cd JOIN documents d ON d.id = cd.document_id"
            " WHERE cd.case_id = ? ORDER BY d.id", (case_id,))]

    def assign(self, case: str, documents: Iterable[str], create: bool = False) -> int:
        """Put documents into a case; returns how many were not in it yet."""
        with self.project.write() as conn:
            case_id = self._id(case, create=create)
            added = 0
            for ref in documents:
                doc = self.project.documents.get(ref)
                added += conn.execute(
                    "INSERT INTO case_documents (case_id, document_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    (case_id, doc.id)).rowcount
            actions.record(conn, "assign", f"assigned {added} document(s) to case {clean_name(case)}",
                           {"case": case_id}, self.project.coder_id())
        return added

    def unassign(self, case: str, documents: Iterable[str]) -> int:
        with self.project.write() as conn:
            case_id = self._id(case)
            removed = 0
            for ref in documents:
                doc = self.project.documents.get(ref)
                removed += conn.execute("DELETE FROM case_documents WHERE case_id = ? AND document_id = ?",
                                           (case_id, doc.id)).rowcount
            actions.record(conn, "unassign", f"removed {removed} document(s) from case {clean_name(case)}",
                           {"case": case_id}, self.project.coder_id())
        return removed

    def rename(self, name: str, new_name: str) -> Case:
        new_name = clean_name(new_name)
        with self.project.write() as conn:
            case_id = self._id(name)
            if not new_name:
                raise QcodeError("a case needs a name")
            if conn.execute("SELECT 1 FROM cases WHERE name = ? AND id <> ?", (new_name, case_id)).fetchone():
                raise Refused(f"a case named {new_name!r} already exists")
            conn.execute("UPDATE cases SET name = ? WHERE id = ?", (new_name, case_id))
            actions.record(conn, "rename-case", f"renamed case {name} to {new_name}",
                           {"case": case_id, "before": name}, self.project.coder_id())
        return self.get(new_name)

    def delete(self, name: str) -> None:
        """Delete a case; its documents stay in the project."""
        with self.project.write() as conn:
            case_id = self._id(name)
            conn.execute("DELETE FROM cases WHERE id = ?", (case_id,))
            actions.record(conn, "delete-case", f"deleted case {name}", {"case": case_id}, self.project.coder_id())


_INTEGER = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BOOLEAN = {"true", "false", "yes", "no", "ya", "tidak"}


_FITS = {"integer": _INTEGER.fullmatch, "float": _FLOAT.fullmatch, "date": _DATE.fullmatch,
         "boolean": lambda v: v.lower() in _BOOLEAN}


def fits(kind: str, value: str) -> bool:
    """Whether ``value`` is a value of an attribute of type ``kind``."""
    check = _FITS.get(kind)
    return check is None or bool(check(value.strip()))


def infer_type(values: Iterable[str]) -> str:
    """The narrowest attribute type that every non-empty value fits."""
    values = [v.strip() for v in values if v and v.strip()]
    if not values:
        return "text"
    for name in _FITS:
        if all(fits(name, v) for v in values):
            return name
    return "text"


class Attributes:
    def __init__(self, project):
        self.project = project
        self.conn = project.conn

    def _attribute_id(self, name: str, scope: str, type_: str | None = None) -> int:
        if scope not in SCOPES:
            raise QcodeError(f"an attribute belongs to a case or a document, not to {scope!r}")
        name = clean_name(name)
        if not name:
            raise QcodeError("an attribute needs a name")
        row = self.conn.execute("SELECT id FROM attributes WHERE name = ? AND scope = ?", (name, scope)).fetchone()
        if row:
            return row[0]
        if type_ is not None and type_ not in TYPES:
            raise QcodeError(f"unknown attribute type {type_!r} (one of {', '.join(TYPES)})")
        return self.conn.execute(
            "INSERT INTO attributes (guid, name, scope, type) VALUES (?, ?, ?, ?)",
            (str(uuid.uuid4()), name, scope, type_ or "text")).lastrowid

    def _target(self, scope: str, target: str, create_case: bool) -> tuple[str, int]:
        if scope == "case":
            return "case_id", self.project.cases._id(target, create=create_case)
        return "document_id", self.project.documents.get(target).id

    def set(self, scope: str, target: str, name: str, value: str, *, type_: str | None = None,
            create_case: bool = False) -> None:
        """Give ``target`` (a case or document name) the value ``value`` for attribute ``name``."""
        with self.project.write() as conn:
            self._set(scope, target, name, value, type_, create_case)
            actions.record(conn, "attribute", f"set {name}={value} on {scope} {target}",
                           {"scope": scope, "target": target, "name": name}, self.project.coder_id())

    def _set(self, scope, target, name, value, type_=None, create_case=False) -> None:
        attribute_id = self._attribute_id(name, scope, type_)
        column, target_id = self._target(scope, target, create_case)
        value = " ".join(str(value).split())
        kind = self.conn.execute("SELECT type FROM attributes WHERE id = ?", (attribute_id,)).fetchone()[0]
        if value and not fits(kind, value):
            raise QcodeError(f"{name} holds {kind} values: {value!r} is not one")
        self.conn.execute(f"DELETE FROM attribute_values WHERE attribute_id = ? AND {column} = ?",
                             (attribute_id, target_id))
        if value:
            self.conn.execute(f"INSERT INTO attribute_values (attribute_id, {column}, value) VALUES (?, ?, ?)",
                                 (attribute_id, target_id, value))

    def unset(self, scope: str, target: str, name: str) -> bool:
        with self.project.write() as conn:
            row = conn.execute("SELECT id FROM attributes WHERE name = ? AND scope = ?",
                                  (clean_name(name), scope)).fetchone()
            if row is None:
                raise NotFound(f"no {scope} attribute {name!r} in this project")
            column, target_id = self._target(scope, target, False)
            removed = conn.execute(f"DELETE FROM attribute_values WHERE attribute_id = ? AND {column} = ?",
                                      (row[0], target_id)).rowcount
            actions.record(conn, "attribute", f"unset {name} on {scope} {target}",
                           {"scope": scope, "target": target, "name": name}, self.project.coder_id())
        return bool(removed)

    def import_rows(self, scope: str, header: list[str], rows: list[list[str]], *, source: str) -> dict:
        """Set attributes in bulk: ``header[0]`` names the case or document, the rest are attributes.

        All rows in one transaction: an unknown document refuses the whole file. Cases named in the
        file are created. Returns counts for the report.
        """
        names = [clean_name(h) for h in header[1:]]
        if not names or any(not n for n in names):
            raise QcodeError(f"{source}: every column after the first needs an attribute name")
        if len(set(names)) != len(names):
            raise QcodeError(f"{source}: an attribute column appears twice")
        created_cases = 0
        with self.project.write() as conn:
            for column, name in enumerate(names, start=1):
                self._attribute_id(name, scope, infer_type(r[column] if column < len(r) else "" for r in rows))
            for number, row in enumerate(rows, start=2):
                target = clean_name(row[0]) if row else ""
                if not target:
                    raise QcodeError(f"{source}, row {number}: the first cell names no {scope}")
                if scope == "document" and not self.project.documents.exists(target):
                    raise NotFound(f"{source}, row {number}: no document {target!r} in this project")
                if scope == "case" and conn.execute("SELECT 1 FROM cases WHERE name = ?", (target,)).fetchone() is None:
                    created_cases += 1
                for column, name in enumerate(names, start=1):
                    self._set(scope, target, name, row[column] if column < len(row) else "", create_case=True)
            actions.record(conn, "attribute-import", f"imported attributes from {source}",
                           {"scope": scope, "rows": len(rows)}, self.project.coder_id())
        return {"rows": len(rows), "attributes": len(names), "cases_created": created_cases}

    def values(self, scope: str) -> dict[str, dict[str, str]]:
        """``{case or document name: {attribute: value}}``."""
        table, column = ("cases", "case_id") if scope == "case" else ("documents", "document_id")
        result: dict[str, dict[str, str]] = {}
        for target, name, value in self.conn.execute(
                f"SELECT t.name, a.name, v.value FROM attribute_values v JOIN attributes a ON a.id = v.attribute_id"
                f" JOIN {table} t ON t.id = v.{column} ORDER BY t.name, a.name"):
            result.setdefault(target, {})[name] = value
        return result

    def list(self) -> list[dict]:
        rows = self.conn.execute(
            "SELECT a.name, a.scope, a.type, (SELECT count(*) FROM attribute_values v WHERE v.attribute_id = a.id)"
            " FROM attributes a ORDER BY a.scope, a.name").fetchall()
        return [dict(zip(("name", "scope", "type", "values"), r)) for r in rows]
