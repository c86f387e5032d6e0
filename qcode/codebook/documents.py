"""The codebook as a document for people: Word (a thesis appendix) and Markdown.

Each code gets a heading (its path) and a table of every field, in codebook order, after a title
block with the codebook's version, authors, licence, description and changelog.
"""

from __future__ import annotations

import re
from pathlib import Path

from qcode.codebook.model import Codebook, CodebookCode

_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def code_rows(path: str, code: CodebookCode) -> list[tuple[str, str]]:
    """The rows of one code's table: every field, with its label."""
    return [
        ("Name (English)", code.name), ("Name (Indonesian)", code.name_id), ("Path", path),
        ("Definition", code.definition), ("Full definition", code.description),
        ("When to use", code.when_to_use), ("When not to use", code.when_not_to_use), ("Example", code.example),
        ("Keywords (English)", ", ".join(code.keywords_en)), ("Keywords (Indonesian)", ", ".join(code.keywords_id)),
        ("Codable", "yes" if code.codable else "no (a category)"), ("Colour", code.color or ""),
        ("Shortcut", code.shortcut or ""), ("GUID", code.guid),
    ]


def _about(book: Codebook) -> list[tuple[str, str]]:
    authors = "; ".join(", ".join(str(v) for v in a.values() if v) for a in book.authors)
    return [(label, value) for label, value in (
        ("Version", book.version), ("Authors", authors), ("Licence", book.licence),
        ("Languages", ", ".join(book.language)), ("Codes", str(len(book)))) if value]


def _changes(book: Codebook) -> list[str]:
    lines = []
    for entry in book.changelog:
        changes = entry.get("changes") or []
        changes = changes if isinstance(changes, list) else [changes]
        head = " ".join(str(entry.get(k)) for k in ("version", "date") if entry.get(k))
        lines += [f"{head}: {change}" if head else str(change) for change in changes]
    return lines


def to_word(book: Codebook, out: Path) -> None:
    from docx import Document
    from docx.shared import Pt

    def clean(text: str) -> str:
        return _XML_UNSAFE.sub("", text)

    document = Document()
    document.core_properties.title = clean(book.title or "Codebook")
    document.add_heading(clean(book.title or "Codebook"), level=0)
    for label, value in _about(book):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(clean(value))
    if book.description:
        document.add_paragraph(clean(book.description))
    changes = _changes(book)
    if changes:
        document.add_heading("Changes", level=1)
        for line in changes:
            document.add_paragraph(clean(line), style="List Bullet")
    document.add_heading("Codes", level=1)
    for path, code, _ in book.walk():
        depth = path.count("/")
        document.add_heading(clean(path.replace("/", " › ")), level=min(2 + depth, 9))
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in code_rows(path, code):
            cells = table.add_row().cells
            cells[0].text = label
            cells[0].paragraphs[0].runs[0].bold = True
            cells[1].text = clean(value)
        for row in table.rows:
            for paragraph in row.cells[0].paragraphs + row.cells[1].paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    document.save(str(out))


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def to_markdown(book: Codebook) -> str:
    lines = [f"# {book.title or 'Codebook'}", ""]
    lines += [f"- **{label}:** {value}" for label, value in _about(book)]
    if book.description:
        lines += ["", book.description]
    changes = _changes(book)
    if changes:
        lines += ["", "## Changes", ""] + [f"- {line}" for line in changes]
    lines += ["", "## Codes"]
    for path, code, _ in book.walk():
        lines += ["", f"{'#' * min(3 + path.count('/'), 6)} {path}", "", "| Field | Value |", "|---|---|"]
        lines += [f"| {label} | {_md(value)} |" for label, value in code_rows(path, code)]
    return "\n".join(lines) + "\n"
