"""The domain model: plain records, as the store hands them out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    id: int
    guid: str
    name: str
    title: str | None
    format: str
    characters: int
    sha256: str
    source_file: str
    encoding: str | None
    imported: str
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DocumentSummary:
    id: int
    name: str
    title: str | None
    format: str
    characters: int
    codings: int
    cases: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    id: int
    guid: str
    name: str
    description: str
    documents: int = 0


@dataclass(frozen=True)
class Code:
    id: int
    guid: str
    parent_id: int | None
    name: str
    path: str
    color: str | None
    shortcut: str | None
    description: str
    codable: bool
    position: int
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Coding:
    """A code applied to a span of a document, with the excerpt's text."""

    id: int
    guid: str
    document: str
    start: int
    end: int
    code: str
    coder: str
    memo: str | None
    text: str
    created: str

    def as_json(self) -> dict[str, Any]:
        return {
            "document": self.document, "start": self.start, "end": self.end, "code": self.code,
            "coder": self.coder, "memo": self.memo, "text": self.text, "created": self.created,
            "guid": self.guid,
        }


@dataclass(frozen=True)
class Memo:
    id: int
    guid: str
    kind: str
    target: str | None
    title: str
    text: str
    coder: str | None
    modified: str
