"""The codebook model: a tree of codes with everything a coder needs to apply them consistently.

A codebook is independent of any project: it is read from and written to YAML (the native, shareable
format), REFI-QDA ``.qdc``, Word and Markdown, and applied to projects by GUID, then by path.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from typing import Iterator

from qcode.core.errors import QcodeError

# The text fields of a code, in the order they are shown and written.
TEXT_FIELDS = ("definition", "description", "when_to_use", "when_not_to_use", "example")
FIELD_LABELS = {
    "name_id": "Name (Indonesian)",
    "definition": "Definition",
    "description": "Full definition",
    "when_to_use": "When to use",
    "when_not_to_use": "When not to use",
    "example": "Example",
    "keywords_en": "Keywords (English)",
    "keywords_id": "Keywords (Indonesian)",
}
COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
# Keys the coding workbench keeps for itself (see the workbench design): a codebook may not use them.
# A shortcut is one digit or letter; these letters move, select, code, find, memo or quit.
RESERVED_SHORTCUTS = frozenset("cdegGimMnNqruvV")
SHORTCUT = re.compile(r"[0-9A-Za-z]")


def checked_color(color: str) -> str:
    """``color`` as qcode stores it (``#RRGGBB`` in capitals); QcodeError for anything else."""
    if not COLOR.fullmatch(color):
        raise QcodeError(f"colour {color!r} is not a colour (write it as #RRGGBB)")
    return color.upper()


def checked_shortcut(shortcut: str) -> str:
    """``shortcut`` if it can be a code's key (one digit or letter the workbench does not keep)."""
    if not SHORTCUT.fullmatch(shortcut) or shortcut in RESERVED_SHORTCUTS:
        raise QcodeError(f"shortcut {shortcut!r} must be one digit or letter, "
                         f"not one of {' '.join(sorted(RESERVED_SHORTCUTS))}")
    return shortcut


def new_guid() -> str:
    return str(uuid.uuid4()).upper()


PATH_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:qcode:refi-qda:code-path")


def path_guid(path: str) -> str:
    """A GUID made from a code's path: the same path always gets the same GUID.

    ``uuid.uuid5(PATH_NAMESPACE, path)``, upper case, computed directly (three times faster, which
    counts when a tool's export has thousands of codes without GUIDs).
    """
    digest = bytearray(hashlib.sha1(PATH_NAMESPACE.bytes + path.encode("utf-8", "surrogatepass")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    return str(uuid.UUID(bytes=bytes(digest))).upper()


def normalise_guid(value: str) -> str:
    """``{a1b2...}`` or lower case -> the canonical upper-case form; ``ValueError`` if not a GUID."""
    return str(uuid.UUID(value.strip().strip("{}"))).upper()


@dataclass
class CodebookCode:
    name: str
    guid: str = field(default_factory=new_guid)
    name_id: str = ""
    codable: bool = True
    color: str | None = None
    shortcut: str | None = None
    definition: str = ""
    description: str = ""
    when_to_use: str = ""
    when_not_to_use: str = ""
    example: str = ""
    keywords_en: list[str] = field(default_factory=list)
    keywords_id: list[str] = field(default_factory=list)
    children: list["CodebookCode"] = field(default_factory=list)

    def details(self) -> dict:
        """The fields that have no column of their own in a project (stored as JSON)."""
        return {"name_id": self.name_id, "definition": self.definition, "when_to_use": self.when_to_use,
                "when_not_to_use": self.when_not_to_use, "example": self.example,
                "keywords": {"en": list(self.keywords_en), "id": list(self.keywords_id)}}

    def same_content(self, other: "CodebookCode") -> bool:
        """Equal in every field but the children."""
        return all(getattr(self, f) == getattr(other, f) for f in (
            "name", "guid", "name_id", "codable", "color", "shortcut", *TEXT_FIELDS, "keywords_en", "keywords_id"))


@dataclass
class Codebook:
    title: str = ""
    version: str = ""
    description: str = ""
    licence: str = ""
    language: list[str] = field(default_factory=lambda: ["en", "id"])
    authors: list[dict] = field(default_factory=list)
    changelog: list[dict] = field(default_factory=list)
    codes: list[CodebookCode] = field(default_factory=list)

    def walk(self) -> Iterator[tuple[str, CodebookCode, CodebookCode | None]]:
        """Every code in tree order, as (path, code, parent)."""
        def visit(codes, prefix, parent):
            for code in codes:
                path = f"{prefix}/{code.name}" if prefix else code.name
                yield path, code, parent
                yield from visit(code.children, path, code)
        yield from visit(self.codes, "", None)

    def by_guid(self) -> dict[str, CodebookCode]:
        return {code.guid: code for _, code, _ in self.walk()}

    def paths(self) -> dict[str, CodebookCode]:
        return {path: code for path, code, _ in self.walk()}

    def __len__(self) -> int:
        return sum(1 for _ in self.walk())
