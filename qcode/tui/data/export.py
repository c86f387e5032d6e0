"""The export dialog's one job: write excerpts (or memos) to a file, as ``qcode export`` does.

Every format is written to a temporary file beside the target and moved into place when complete
(``qcode.export.tables.output_path``), so a failed export leaves no file, and an existing file is
replaced only by a complete one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qcode.analysis.retrieval import Filters
from qcode.core import open_project
from qcode.core.errors import QcodeError
from qcode.export.tables import output_path
from qcode.tui.data.filters import where_pairs

# format key -> (label, file suffixes it writes, default name ending)
FORMATS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "docx": ("Word: excerpts with citations", (".docx",), "excerpts.docx"),
    "csv": ("CSV: one row per coding", (".csv",), "excerpts.csv"),
    "xlsx": ("Excel: one row per coding", (".xlsx",), "excerpts.xlsx"),
    "md": ("Markdown report", (".md", ".markdown"), "excerpts.md"),
    "html": ("HTML report", (".html", ".htm"), "excerpts.html"),
    "memos": ("Memos to Word", (".docx",), "memos.docx"),
}
MEMO_FORMATS = ("docx", "md", "html")  # the formats that can put each coding's memo under its excerpt
FILTERED = ("docx", "csv", "xlsx", "md", "html")  # the formats a code or a query narrows

Progress = Callable[[int, int | None], None]

__all__ = ["FILTERED", "FORMATS", "MEMO_FORMATS", "ExportRequest", "check", "default_path", "export"]


@dataclass(frozen=True)
class ExportRequest:
    kind: str
    out: Path
    code: str | None = None
    query: str | None = None
    memos: bool = False
    names: Path | None = None  # a names table (.csv or .xlsx) of names and pseudonyms
    cases: tuple[str, ...] = ()  # only the documents of these cases
    documents: tuple[str, ...] = ()  # only these documents
    coders: tuple[str, ...] = ()  # only the codings of these coders
    where: tuple[str, ...] = ()  # "attribute=value" items, as qcode export --where takes them


def default_path(project: Path, kind: str) -> Path:
    """``<project stem>-excerpts.<ext>`` (memos: ``-memos.docx``) next to the project."""
    return project.parent / f"{project.stem}-{FORMATS[kind][2]}"


def check(request: ExportRequest) -> Path:
    """The output path, refused (QcodeError) when it cannot be written: a wrong suffix, a missing folder,
    a folder in its place, a missing names table."""
    if request.kind not in FORMATS:
        raise QcodeError(f"no export format {request.kind!r}")
    out = Path(request.out).expanduser()
    suffixes = FORMATS[request.kind][1]
    if not out.name:
        raise QcodeError("give the file to write")
    if out.suffix.lower() not in suffixes:
        raise QcodeError(f"{out.name}: this export writes {' or '.join(suffixes)} files")
    if out.is_dir():
        raise QcodeError(f"cannot write {out}: it is a folder")
    if not out.parent.is_dir():
        raise QcodeError(f"cannot write {out}: folder {out.parent} does not exist")
    if request.names is not None and not Path(request.names).expanduser().is_file():
        raise QcodeError(f"cannot read {request.names}: no such file")
    return out


def _anonymizer(names: Path | None):
    if names is None:
        return None
    from qcode.export.anonymize import anonymizer_from_rows
    from qcode.ingest.tables import read_table

    names = Path(names).expanduser()
    try:
        header, rows = read_table(names)
    except QcodeError as exc:
        raise QcodeError(f"cannot read {names.name}: {exc}") from None
    except OSError as exc:
        raise QcodeError(f"cannot read {names.name}: {exc.strerror or exc}") from None
    return anonymizer_from_rows([header] + rows, names.name)


def export(project: Path, request: ExportRequest, progress: Progress | None = None) -> str:
    """Write the export; returns a line saying what was written. ``progress(done, total)`` is called as
    the Word export writes excerpts; the other formats call it once at the end (``total`` None before:
    the work is not counted)."""
    out = check(request)
    anonymizer = _anonymizer(request.names)
    where = where_pairs(request.where)
    filters = Filters(code=request.code or None, query=request.query or None, cases=tuple(request.cases),
                      documents=tuple(request.documents), coders=tuple(request.coders), where=where)
    kind = request.kind

    def report(done: int, total: int | None) -> None:
        if progress is not None:
            progress(*((1, 1) if total == 0 else (done, total)))  # nothing to write is all of it written

    report(0, None)
    try:
        with open_project(project) as p, output_path(out) as temporary:
            if kind == "docx":
                from qcode.export.word import export_word

                counts = export_word(p, temporary, filters, memos=request.memos, anonymizer=anonymizer,
                                     progress=report)
                said = (f"{counts['excerpts']} excerpt(s) of {counts['codes']} code(s) from "
                        f"{counts['documents']} document(s)")
            elif kind in ("csv", "xlsx"):
                from qcode.export import tables

                writer = tables.export_csv if kind == "csv" else tables.export_xlsx
                said = f"{writer(p, temporary, filters, anonymizer=anonymizer)} coding(s)"
            elif kind in ("md", "html"):
                from qcode.export import report as reports

                writer = reports.export_markdown if kind == "md" else reports.export_html
                said = f"{writer(p, temporary, filters, memos=request.memos, anonymizer=anonymizer)} excerpt(s)"
            else:
                from qcode.export.memos import export_memos_word

                said = f"{export_memos_word(p, temporary, anonymizer=anonymizer)} memo(s)"
    except OSError as exc:
        raise QcodeError(f"cannot write {out}: {exc.strerror or exc}") from None
    if kind != "docx":  # the Word export reports its own end
        report(1, 1)
    return f"wrote {out}: {said}"
