"""Importing files into a project: all or nothing per file, one outcome per file."""

from __future__ import annotations

import hashlib
import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from qcode.core.errors import QcodeError
from qcode.core.text import clean_name, normalise
from qcode.ingest.base import MAX_FILE_BYTES, Extracted, IngestError

# extension -> (module, function)
FORMATS: dict[str, tuple[str, str]] = {
    ".txt": ("plaintext", "read_txt"), ".text": ("plaintext", "read_txt"),
    ".md": ("plaintext", "read_md"), ".markdown": ("plaintext", "read_md"),
    ".docx": ("docx", "read"), ".odt": ("odt", "read"), ".rtf": ("rtf", "read"), ".pdf": ("pdf", "read"),
    ".html": ("html", "read"), ".htm": ("html", "read"), ".vtt": ("vtt", "read"), ".srt": ("srt", "read"),
}


def reader_for(path: Path) -> Callable[[bytes, str], Extracted]:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(sorted({s for s in FORMATS if s not in (".text", ".markdown", ".htm")}))
        shown = f"'{suffix}'" if suffix else "no extension"
        raise IngestError(f"unsupported file type ({shown}); qcode reads {known}")
    module, function = FORMATS[suffix]
    return getattr(importlib.import_module(f"qcode.ingest.{module}"), function)


def read_bytes(path: Path) -> bytes:
    try:
        if not path.exists():
            raise IngestError("no such file")
        if path.is_dir():
            raise IngestError("it is a folder, not a file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(f"the file is larger than {MAX_FILE_BYTES // 2**20} MB")
        return path.read_bytes()
    except PermissionError:
        raise IngestError("permission denied") from None
    except OSError as exc:
        raise IngestError(exc.strerror or str(exc)) from None


def read_path(path: Path) -> tuple[Extracted, bytes]:
    """Read and extract one file without touching any project (``IngestError`` on bad input)."""
    reader = reader_for(path)
    data = read_bytes(path)
    return extract(reader, data, path), data


def extract(reader: Callable[[bytes, str], Extracted], data: bytes, path: Path) -> Extracted:
    """Run ``reader`` on the bytes of ``path``: normalised text, or one clear ``IngestError``."""
    if not data.strip():
        raise IngestError("the file is empty")
    try:
        extracted = reader(data, path.name)
    except IngestError:
        raise
    except RecursionError:
        raise IngestError("damaged file (nested too deeply)") from None
    except MemoryError:
        raise IngestError("the file needs too much memory to read") from None
    except Exception as exc:  # third-party parsers raise many kinds of error on damaged files
        raise IngestError(f"damaged or unreadable file ({type(exc).__name__})") from None
    extracted.text = normalise(extracted.text)
    if not extracted.text.strip():
        raise IngestError("no text in the file")
    return extracted


@dataclass
class ImportOutcome:
    path: Path
    status: str  # "imported", "skipped" or "refused"
    name: str
    message: str
    warnings: list[str] = field(default_factory=list)
    characters: int = 0

    @property
    def ok(self) -> bool:
        return self.status != "refused"


def import_file(project, path: str | Path, *, name: str | None = None, case: str | None = None,
                title: str | None = None) -> ImportOutcome:
    """Import one file as a document. Never raises for a bad file: the outcome says what happened."""
    path = Path(path)
    doc_name = clean_name(name or path.name)
    shown = clean_name(path.name) or "(unnamed file)"
    try:
        if path.is_dir():
            raise IngestError("it is a folder, not a file")
        reader = reader_for(path)
        data = read_bytes(path)
        data_hash = hashlib.sha256(data).hexdigest()
        existing = project.documents.by_sha256(data_hash)
        if existing is not None:
            note = ""
            if case and project.cases.assign(case, [existing.name], create=True):
                note = f" (now also in case {clean_name(case)})"
            return ImportOutcome(path, "skipped", existing.name,
                                 f"skipped {shown}: already imported as {existing.name}{note}")
        if project.documents.exists(doc_name):
            raise IngestError(f"a document named {doc_name!r} is already in the project "
                              "(give this file another name with --name)")
        extracted = extract(reader, data, path)  # the bytes already read: the file is read once
        document = project.documents.add(
            name=doc_name, text=extracted.text, format=extracted.format, sha256=data_hash,
            source_file=path.name, size=len(data), encoding=extracted.encoding,
            title=title or extracted.title, metadata=extracted.metadata, case=case)
    except QcodeError as exc:
        return ImportOutcome(path, "refused", doc_name, f"cannot import {shown}: {exc}")
    return ImportOutcome(path, "imported", document.name,
                         f"imported {document.name} ({document.characters:,} characters)",
                         extracted.warnings, document.characters)
