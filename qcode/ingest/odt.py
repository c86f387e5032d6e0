"""OpenDocument text (.odt), as LibreOffice, pandoc and others write it.

Each paragraph and heading becomes one line, list items included; each table row one line with its
cells joined by `` | ``; text in frames follows its paragraph. Footnotes and endnotes are marked
``[1]`` in the body and listed after it (``Footnote 1: ...``), then comments (``Comment (author):
...``). Tracked deletions are left out. The title comes from meta.xml.
"""

from __future__ import annotations

from qcode.ingest.base import Extracted, IngestError, join_lines
from qcode.ingest.safezip import SafeZip
from qcode.ingest.xmlsafe import attr, local, parse

_SKIP = {"tracked-changes", "soft-page-break", "annotation-end", "sequence-decls", "variable-decls",
         "user-field-decls", "table-columns", "table-column", "note-citation", "bookmark",
         "bookmark-start", "bookmark-end", "reference-mark-start", "reference-mark-end"}
_BLOCKS = {"p", "h"}


class _Walker:
    def __init__(self):
        self.notes: list[tuple[str, str]] = []  # (class, text), in order of appearance
        self.comments: list[str] = []

    def block(self, element, lines: list[str]) -> None:
        name = local(element.tag)
        if name in _SKIP:
            return
        if name in _BLOCKS:
            frames: list[str] = []
            parts: list[str] = []
            self._inline(element, parts, frames)
            lines.append("".join(parts))
            lines.extend(frames)
        elif name == "table":
            for row in _rows(element):
                cells = []
                for cell in row:
                    if local(cell.tag) == "table-cell":
                        inner: list[str] = []
                        for child in cell:
                            self.block(child, inner)
                        cells.append(" ".join(part.strip() for part in inner if part.strip()))
                lines.append(" | ".join(cells))
        else:  # list, list-item, section, index bodies, ...: containers of blocks
            for child in element:
                self.block(child, lines)

    def _inline(self, element, parts: list[str], frames: list[str]) -> None:
        if element.text:
            parts.append(element.text)
        for child in element:
            name = local(child.tag)
            if name == "s":
                count = child.get(attr(child, "c")) or "1"
                parts.append(" " * (min(int(count), 1000) if count.isdigit() else 1))
            elif name == "tab":
                parts.append("\t")
            elif name == "line-break":
                parts.append("\n")
            elif name == "note":
                self._note(child, parts)
            elif name == "annotation":
                self._comment(child)
            elif name in ("text-box", "frame") or name in _BLOCKS:
                for block in child:
                    self.block(block, frames)
            elif name not in _SKIP:
                self._inline(child, parts, frames)
            if child.tail:
                parts.append(child.tail)

    def _note(self, note, parts: list[str]) -> None:
        kind = note.get(attr(note, "note-class")) or "footnote"
        body = next((c for c in note if local(c.tag) == "note-body"), None)
        lines: list[str] = []
        if body is not None:
            for child in body:
                self.block(child, lines)
        self.notes.append((kind, " ".join(line.strip() for line in lines if line.strip())))
        parts.append(f"[{sum(1 for k, _ in self.notes if k == kind)}]")

    def _comment(self, annotation) -> None:
        author, lines = "", []
        for child in annotation:
            name = local(child.tag)
            if name == "creator":
                author = (child.text or "").strip()
            elif name in _BLOCKS or name == "list":
                self.block(child, lines)
        text = " ".join(line.strip() for line in lines if line.strip())
        if text:
            self.comments.append(f"Comment ({author}): {text}" if author else f"Comment: {text}")


def _rows(table):
    for child in table:
        name = local(child.tag)
        if name == "table-row":
            yield child
        elif name in ("table-header-rows", "table-rows", "table-row-group"):
            yield from _rows(child)


def _title(package: SafeZip) -> str | None:
    if not package.has("meta.xml"):
        return None
    for element in parse(package.read("meta.xml"), "meta.xml of the .odt").iter("{*}title"):
        if (element.text or "").strip():
            return element.text.strip()
    return None


def read(data: bytes, filename: str) -> Extracted:
    package = SafeZip(data, ".odt")
    if package.has("mimetype") and not package.read("mimetype").startswith(b"application/vnd.oasis.opendocument.text"):
        raise IngestError("not an OpenDocument text file (it is another kind of OpenDocument)")
    if not package.has("content.xml"):
        raise IngestError("not a .odt file (no content.xml)")
    content = parse(package.read("content.xml"), "content.xml of the .odt")
    text_root = next(content.iter("{*}text"), None)
    while text_root is not None and local(text_root.getparent().tag) != "body":
        text_root = next((e for e in text_root.itersiblings() if local(e.tag) == "text"), None)
    if text_root is None:
        raise IngestError("damaged .odt: no text body")
    walker, lines = _Walker(), []
    try:
        for element in text_root:
            walker.block(element, lines)
    except RecursionError:
        raise IngestError("damaged .odt: nested too deeply") from None
    counters: dict[str, int] = {}
    for kind, text in walker.notes:
        counters[kind] = counters.get(kind, 0) + 1
        if text:
            lines.append(f"{kind.capitalize()} {counters[kind]}: {text}")
    lines += walker.comments
    return Extracted(text=join_lines(lines), format="odt", title=_title(package))
