"""Reading attribute tables: .csv (any common encoding and delimiter) and .xlsx (first sheet)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from qcode.ingest.base import IngestError
from qcode.ingest.encoding import decode
from qcode.ingest.pipeline import read_bytes
from qcode.ingest.safezip import SafeZip

MAX_ROWS = 100_000


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 and getattr(value, "minute", 0) == 0 \
            else value.isoformat()
    return " ".join(str(value).split())


def _csv(data: bytes) -> list[list[str]]:
    text, _, _ = decode(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        raise IngestError(f"damaged CSV ({exc})") from None


def _xlsx(data: bytes) -> list[list[str]]:
    SafeZip(data, ".xlsx")  # the same checks as any untrusted package, before openpyxl opens it
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error on damaged files
        raise IngestError(f"damaged .xlsx ({type(exc).__name__})") from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell(value) for value in row])
            if len(rows) > MAX_ROWS:
                raise IngestError(f"more than {MAX_ROWS:,} rows")
        return rows
    finally:
        book.close()


def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of a table, without empty rows and trailing empty columns."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise IngestError(f"an attribute table is a .csv or .xlsx file, not {suffix or 'a file without extension'}")
    data = read_bytes(path)
    rows = _csv(data) if suffix == ".csv" else _xlsx(data)
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise IngestError("the table is empty")
    width = max(i + 1 for row in rows for i, cell in enumerate(row) if cell)
    rows = [(row + [""] * width)[:width] for row in rows]
    return rows[0], rows[1:]
