"""Codings as a table: one row per coding, to .csv (UTF-8 with a BOM) or .xlsx.

The columns, in order:

``document, title, cases, start, end, code, code_name, coder, created, memo, text`` (then
``context`` when asked for), ``paragraph, line, time, page``, then one column per attribute: the
case attributes (``case:NAME``), then the document attributes (``document:NAME``), each in
alphabetical order. ``cases`` lists a document's cases, joined with ``"; "``; a case attribute of a
document in several cases lists their distinct values the same way. ``paragraph`` and ``line`` are
``12`` or ``12-13`` (paragraphs are the non-empty lines, numbered from 1); ``time`` is the start of
the transcript cue that holds the start of the coding (``hh:mm:ss``); ``page`` is the PDF page it
starts on. Empty where they do not apply.

Safe to open in a spreadsheet:

- CSV is UTF-8 with a byte-order mark, so that Excel reads Indonesian (and any other) text right.
- A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or their
  full-width forms) gets a leading apostrophe, so that no spreadsheet runs it as a formula (OWASP,
  "CSV injection"). The same holds for the text cells of the .xlsx file, which openpyxl would
  otherwise store as formulas. Numbers (start, end, page) stay numbers.
- In .xlsx, characters that XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE and
  U+FFFF) are dropped, and a cell longer than Excel's limit of 32,767 characters is cut, with a
  note at its end saying how much was cut.

With an anonymizer, every text cell (the header too) passes through it before anything else.
"""

from __future__ import annotations

import csv
import os
import re
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from qcode.analysis.retrieval import Excerpt, Filters, Locators, excerpts
from qcode.export.anonymize import identity

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
XLSX_CELL_LIMIT = 32_767
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
BASE_COLUMNS = ("document", "title", "cases", "start", "end", "code", "code_name", "coder", "created", "memo", "text")
PLACE_COLUMNS = ("paragraph", "line", "time", "page")


def formula_safe(value: Any) -> Any:
    """``value`` with a leading apostrophe when it is text a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_safe(value: Any) -> Any:
    """A text cell that an .xlsx file can hold: no characters XML refuses, at most 32,767 characters."""
    if not isinstance(value, str):
        return value
    value = _XML_ILLEGAL.sub("", value)
    if len(value) > XLSX_CELL_LIMIT:
        keep = XLSX_CELL_LIMIT - 48  # room for the note
        value = value[:keep] + f" [cut: {len(value) - keep:,} more characters]"
    return value


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


@contextmanager
def output_path(out: str | os.PathLike) -> Iterator[Path]:
    """A temporary file beside ``out`` that replaces it only when the export succeeds."""
    target = Path(out)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.part")
    with open(temporary, "xb"):  # created as open() creates files (the umask decides its mode)
        pass
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


class CodingTable:
    """The header and rows of the codings table (values: text, int or ``""``), anonymized."""

    def __init__(self, project, filters: Filters = Filters(), *, anonymizer: Callable | None = None,
                 context: int | str | None = None):
        self.project = project
        self.filters = filters
        self.context = context
        self.anonymize = anonymizer or identity
        self.excerpts: list[Excerpt] = excerpts(project, filters, context=context)
        conn = project.conn
        self.titles = dict(conn.execute("SELECT id, title FROM documents"))
        names = {"case": [], "document": []}
        for row in project.attributes.list():
            names[row["scope"]].append(row["name"])
        self.case_attributes = sorted(names["case"])
        self.document_attributes = sorted(names["document"])
        self.case_values = project.attributes.values("case")
        self.document_values = project.attributes.values("document")
        self.locators = Locators(conn)

    def header(self) -> list[str]:
        columns = list(BASE_COLUMNS)
        if self.context is not None:
            columns.append("context")
        columns += PLACE_COLUMNS
        columns += [f"case:{name}" for name in self.case_attributes]
        columns += [f"document:{name}" for name in self.document_attributes]
        return [self.anonymize(c) for c in columns]

    def rows(self) -> Iterator[list[Any]]:
        a = self.anonymize
        for e in self.excerpts:
            locator = self.locators(e.document_id)
            paragraphs = locator.paragraphs(e.start, e.end)
            lines = locator.lines(e.start, e.end)
            page = locator.page(e.start)
            row: list[Any] = [
                a(e.document), a(self.titles.get(e.document_id) or ""), a("; ".join(e.cases)), e.start, e.end,
                a(e.code), a(e.code.rsplit("/", 1)[-1]), a(e.coder), e.created, a(e.memo or ""), a(e.text)]
            if self.context is not None:
                row.append(a(e.context or ""))
            row += [_span(*paragraphs), _span(*lines), locator.time(e.start) or "", page if page is not None else ""]
            for name in self.case_attributes:
                values: list[str] = []
                for case in e.cases:
                    value = self.case_values.get(case, {}).get(name)
                    if value is not None and value not in values:
                        values.append(value)
                row.append(a("; ".join(values)))
            own = self.document_values.get(e.document, {})
            row += [a(own.get(name, "")) for name in self.document_attributes]
            yield row


def export_csv(project, out, filters: Filters = Filters(), *, anonymizer: Callable | None = None,
               context: int | str | None = None) -> int:
    """Write one row per coding to ``out`` (a path, or a text stream opened with ``newline=""``).

    Returns the number of codings written.
    """
    table = CodingTable(project, filters, anonymizer=anonymizer, context=context)

    def write(stream) -> None:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow([formula_safe(v) for v in table.header()])
        for row in table.rows():
            writer.writerow([formula_safe(v) for v in row])

    if hasattr(out, "write"):
        write(out)
    else:
        with output_path(out) as path, open(path, "w", encoding="utf-8-sig", newline="") as stream:
            write(stream)
    return len(table.excerpts)


def export_xlsx(project, out, filters: Filters = Filters(), *, anonymizer: Callable | None = None,
                context: int | str | None = None) -> int:
    """Write one row per coding to a worksheet "Codings" in ``out`` (a path, or a binary stream),
    with a second sheet "About" naming the project, the filters and the date.

    Returns the number of codings written.
    """
    import datetime

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    table = CodingTable(project, filters, anonymizer=anonymizer, context=context)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Codings")
    sheet.freeze_panes = "A2"
    header = [xlsx_safe(formula_safe(v)) for v in table.header()]
    widths = {"text": 80, "context": 80, "memo": 40, "document": 30, "title": 30, "code": 30, "cases": 20}
    for index, name in enumerate(header, start=1):
        if name in widths:
            sheet.column_dimensions[get_column_letter(index)].width = widths[name]
    bold = Font(bold=True)
    cells = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    wrap = Alignment(wrap_text=True, vertical="top")
    text_columns = {i for i, name in enumerate(header) if name in ("text", "context", "memo")}
    for row in table.rows():
        values = []
        for i, value in enumerate(row):
            value = xlsx_safe(formula_safe(value))
            if value == "":
                values.append(None)  # an empty cell, not an empty string
            elif i in text_columns:
                cell = WriteOnlyCell(sheet, value=value)
                cell.alignment = wrap
                values.append(cell)
            else:
                values.append(value)
        sheet.append(values)
    about = book.create_sheet("About")
    a = table.anonymize
    for label, value in (("project", a(project.name)), ("exported", datetime.date.today().isoformat()),
                         ("filters", a("; ".join(filters.describe()))), ("codings", len(table.excerpts))):
        about.append([label, xlsx_safe(formula_safe(value))])
    if hasattr(out, "write"):
        book.save(out)
    else:
        with output_path(out) as path:
            book.save(path)
    return len(table.excerpts)
