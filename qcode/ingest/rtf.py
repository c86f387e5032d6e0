"""Rich Text Format (.rtf), through striprtf.

Each paragraph becomes one line; each table row one line with its cells joined by `` | ``. The
code page comes from the file's ``\\ansicpg`` (Windows-1252 when absent); ``\\u`` escapes are
honoured. Of a field (a hyperlink, say) only its result, the text Word shows, is kept. Footnotes and
endnotes are marked ``[1]`` in the body and listed after it (``Footnote 1: ...``, ``Endnote 1:
...``), then comments (``Comment (author): ...``), one a line. The title comes from the
``{\\info{\\title ...}}`` group.
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
_NOTE = re.compile(r"\{\\(?:\*\\)?(footnote|annotation)(?![a-zA-Z])")
_ENDNOTE = re.compile(r"\\ftnalt(?![a-zA-Z])")
_AUTHOR = re.compile(r"\{\\\*\\atnauthor\s*((?:[^{}\\]|\\[^a-zA-Z]|\\[a-zA-Z]+-?\d* ?)*)\}")
_FONTS = re.compile(r"\{\\fonttbl(?![a-zA-Z])")
_TOKEN = re.compile(r"\\bin(\d+) ?|\\[\s\S]|[{}]")
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


def _group_end(source: str, start: int) -> int | None:
    """The index just after the group that opens at ``source[start]`` (``None`` if it never closes)."""
    depth, pos = 0, start
    while True:
        match = _TOKEN.search(source, pos)
        if match is None:
            return None
        if match.group(1) is not None:  # \binN: N bytes of binary data, braces included
            pos = match.end() + int(match.group(1))
            continue
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0:
                return match.end()
        pos = match.end()


def _plain(rtf: str, header: str, encoding: str) -> str:
    """The text of a piece of RTF, on one line."""
    return " ".join(rtf_to_text(header + rtf + "}", encoding=encoding, errors="replace").split())


def _take_notes(source: str, encoding: str) -> tuple[str, list[str]]:
    """``source`` with its footnote, endnote and comment groups taken out (a note leaves its number
    in the text), and the lines those groups become."""
    if _NOTE.search(source) is None:
        return source, []
    header = "{\\rtf1\\ansi "
    fonts = _FONTS.search(source)
    if fonts:
        end = _group_end(source, fonts.start())
        if end is not None:
            header += source[fonts.start():end]
    kept: list[str] = []
    notes: dict[str, list[str]] = {"Footnote": [], "Endnote": [], "Comment": []}
    counts = {"Footnote": 0, "Endnote": 0}
    pos = 0
    while (match := _NOTE.search(source, pos)) is not None:
        end = _group_end(source, match.start())
        if end is None:
            break
        inner = source[match.end():end - 1]
        text = _plain(inner, header, encoding)
        # "{}" ends a control word just before the group (\chatn{...}more must not become \chatnmore)
        kept.append(source[pos:match.start()] + "{}")
        if match.group(1) == "footnote":
            kind = "Endnote" if _ENDNOTE.search(inner) else "Footnote"
            counts[kind] += 1
            kept.append(f"[{counts[kind]}]")
            if text:
                notes[kind].append(f"{kind} {counts[kind]}: {text}")
        elif text:
            authors = _AUTHOR.findall(source, max(0, match.start() - 2000), match.start())
            author = _plain(authors[-1], header, encoding) if authors else ""
            notes["Comment"].append(f"Comment ({author}): {text}" if author else f"Comment: {text}")
        pos = end
    kept.append(source[pos:])
    return "".join(kept), notes["Footnote"] + notes["Endnote"] + notes["Comment"]


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
    try:
        body, after = _take_notes(_FIELD_INSTRUCTION.sub(r"\\fldinst {", source), encoding)
        marked = _ROW_WORD.sub(r"\1" + _ROW, _CELL_WORD.sub(r"\1" + _CELL, body))
        text = rtf_to_text(marked, encoding=encoding, errors="replace")
    except (ValueError, IndexError, RecursionError) as exc:
        raise IngestError(f"damaged RTF ({exc})") from None
    title = None
    match = _TITLE.search(source)
    if match:
        title = " ".join(rtf_to_text("{\\rtf1 " + match.group(1) + "}", encoding=encoding,
                                     errors="replace").split()) or None
    return Extracted(text=join_lines(_rows_to_lines(text) + after), format="rtf", encoding=encoding,
                     title=title)
