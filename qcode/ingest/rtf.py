"""Rich Text Format (.rtf), through striprtf.

Each paragraph becomes one line; each table row one line with its cells joined by `` | ``. The
code page comes from the file's ``\\ansicpg`` (Windows-1252 when absent); ``\\u`` escapes are
honoured. The title comes from the ``{\\info{\\title ...}}`` group.
"""

from __future__ import annotations

import re

from striprtf.striprtf import rtf_to_text

from qcode.ingest.base import Extracted, IngestError, join_lines

_CELL, _ROW = "\x1e", "\x1d"
# a control word, not the text "\\cell" (an escaped backslash before the letters): the backslash
# must follow an even number of backslashes
_CELL_WORD = re.compile(r"(?<!\\)((?:\\\\)*)\\(?:nest)?cell(?![a-zA-Z])(?:-?\d+)? ?")
_ROW_WORD = re.compile(r"(?<!\\)((?:\\\\)*)\\(?:nest)?row(?![a-zA-Z])(?:-?\d+)? ?")
# striprtf rewrites a one-line HYPERLINK field as "text(url)", adding the address to the text;
# a space after \fldinst keeps the field as Word shows it (only its result, the visible text)
_FIELD_INSTRUCTION = re.compile(r"\\fldinst\{")
_CODEPAGE = re.compile(r"\\ansicpg(\d+)")
_TITLE = re.compile(r"\{\\title\s+((?:[^{}\\]|\\[^a-zA-Z]|\\[a-zA-Z]+-?\d* ?)*)\}")


def _encoding(source: str) -> str:
    match = _CODEPAGE.search(source[:4096])
    if match:
        name = f"cp{match.group(1)}"
        try:
            "".encode(name)
            return name
        except LookupError:
            pass
    return "cp1252"


def _rows_to_lines(text: str) -> list[str]:
    lines: list[str] = []
    for chunk in text.split(_ROW):
        if _CELL not in chunk:
            lines.extend(chunk.split("\n"))
            continue
        *cells, rest = chunk.split(_CELL)
        before, _, first = cells[0].rstrip("\n").rpartition("\n")
        lines.extend(before.split("\n"))
        cells[0] = first
        lines.append(" | ".join(" ".join(cell.split()) for cell in cells))
        lines.extend(rest.split("\n"))
    return lines


def read(data: bytes, filename: str) -> Extracted:
    source = data.decode("latin-1")
    if not source.lstrip().startswith("{\\rtf"):
        raise IngestError("not an RTF file (it does not start with {\\rtf)")
    encoding = _encoding(source)
    marked = _ROW_WORD.sub(r"\1" + _ROW, _CELL_WORD.sub(r"\1" + _CELL, source))
    marked = _FIELD_INSTRUCTION.sub(r"\\fldinst {", marked)
    try:
        text = rtf_to_text(marked, encoding=encoding, errors="replace")
    except (ValueError, IndexError, RecursionError) as exc:
        raise IngestError(f"damaged RTF ({exc})") from None
    title = None
    match = _TITLE.search(source)
    if match:
        title = " ".join(rtf_to_text("{\\rtf1 " + match.group(1) + "}", encoding=encoding,
                                     errors="replace").split()) or None
    return Extracted(text=join_lines(_rows_to_lines(text)), format="rtf", encoding=encoding, title=title)
