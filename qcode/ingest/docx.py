"""Word .docx (Office Open XML, transitional or strict).

The body is read in document order: each paragraph (headings and list items included) becomes one
line; each table row becomes one line, its cells joined by `` | ``; text boxes follow the paragraph
that anchors them. Tracked insertions are kept and tracked deletions left out. After the body come
footnotes (``Footnote 1: ...``), endnotes and comments (``Comment (author): ...``), one a line; the
body marks where a footnote was with ``[1]``. The title comes from the document properties.

Parts are found through the package relationships, so files whose parts have unusual names (as other
programs write them) read as well as Word's own.
"""

from __future__ import annotations

from qcode.ingest.base import Extracted, IngestError, join_lines
from qcode.ingest.safezip import SafeZip
from qcode.ingest.xmlsafe import attr, local, parse

_SKIP = {"pPr", "rPr", "del", "moveFrom", "delText", "instrText", "commentReference", "fldChar",
         "bookmarkStart", "bookmarkEnd", "proofErr", "lastRenderedPageBreak", "sectPr", "tblPr",
         "tblGrid", "trPr", "tcPr", "Fallback"}
_REL_BASE = "/relationships/"


class _Walker:
    def __init__(self):
        self.notes: dict[tuple[str, str], int] = {}  # (kind, id) -> number, in order of reference
        self.extra_lines: list[str] = []

    def block(self, element, lines: list[str]) -> None:
        """Append the lines of a body-level element (paragraph, table, content control, ...)."""
        name = local(element.tag)
        if name == "p":
            boxes: list[str] = []
            lines.append(self.paragraph(element, boxes))
            lines.extend(boxes)
        elif name == "tbl":
            for row in element.iter("{*}tr"):
                if _nearest_table(row) is not element:
                    continue
                cells = []
                for cell in _cells(row):
                    inner: list[str] = []
                    for child in cell:
                        self.block(child, inner)
                    cells.append(" ".join(part.strip() for part in inner if part.strip()))
                lines.append(" | ".join(cells))
        elif name in _SKIP:
            return
        else:  # sdt, sdtContent, customXml, ins, moveTo, smartTag, ...: containers of blocks
            for child in element:
                self.block(child, lines)

    def paragraph(self, p, boxes: list[str]) -> str:
        parts: list[str] = []
        self._inline(p, parts, boxes)
        return "".join(parts)

    def _inline(self, element, parts: list[str], boxes: list[str]) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            name = tag[tag.find("}") + 1:]  # the local name, inline: this loop runs for every run
            if name == "t":
                parts.append(child.text or "")
            elif name == "r":
                self._inline(child, parts, boxes)
            elif name in _SKIP:
                continue
            elif name == "tab" or name == "ptab":
                parts.append("\t")
            elif name in ("br", "cr"):
                if child.get(attr(child, "type")) not in ("page", "column"):
                    parts.append("\n")
            elif name == "noBreakHyphen":
                parts.append("-")
            elif name in ("footnoteReference", "endnoteReference"):
                kind = "footnote" if name == "footnoteReference" else "endnote"
                key = (kind, child.get(attr(child, "id")) or "")
                if key not in self.notes:
                    self.notes[key] = sum(1 for k in self.notes if k[0] == kind) + 1
                parts.append(f"[{self.notes[key]}]")
            elif name == "txbxContent":
                for block in child:
                    self.block(block, boxes)
            elif name == "p":  # a paragraph nested where it should not be: keep its text
                boxes.append(self.paragraph(child, boxes))
            else:
                self._inline(child, parts, boxes)


def _cells(row):
    """The cells of a table row, looking through content controls that wrap them."""
    for child in row:
        name = local(child.tag)
        if name == "tc":
            yield child
        elif name in ("sdt", "sdtContent", "customXml"):
            yield from _cells(child)


def _nearest_table(row):
    parent = row.getparent()
    while parent is not None and local(parent.tag) != "tbl":
        parent = parent.getparent()
    return parent


def _relationships(package: SafeZip, part: str) -> dict[str, str]:
    """Relationship type (its last segment) -> target part name, for ``part``."""
    folder, _, name = part.rpartition("/")
    rels = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    if not package.has(rels):
        return {}
    found = {}
    for rel in parse(package.read(rels), f"{rels} of the .docx"):
        kind = (rel.get("Type") or "").rpartition("/")[2]
        if rel.get("TargetMode") == "External" or not rel.get("Target"):
            continue
        found.setdefault(kind, package.resolve(part, rel.get("Target")))
    return found


def _note_lines(package, part, walker: _Walker, kind: str, label: str) -> list[str]:
    if not part or not package.has(part):
        return []
    texts = {}
    for note in parse(package.read(part), f"{part} of the .docx"):
        if local(note.tag) != kind or note.get(attr(note, "type")) in ("separator", "continuationSeparator",
                                                                         "continuationNotice"):
            continue
        lines: list[str] = []
        for child in note:
            walker.block(child, lines)
        texts[note.get(attr(note, "id")) or ""] = " ".join(line.strip() for line in lines if line.strip())
    numbered = sorted((number, key[1]) for key, number in walker.notes.items() if key[0] == kind)
    return [f"{label} {number}: {texts[note_id]}" for number, note_id in numbered if texts.get(note_id)]


def _comment_lines(package, part, walker: _Walker) -> list[str]:
    if not part or not package.has(part):
        return []
    lines = []
    for comment in parse(package.read(part), f"{part} of the .docx"):
        if local(comment.tag) != "comment":
            continue
        inner: list[str] = []
        for child in comment:
            walker.block(child, inner)
        text = " ".join(line.strip() for line in inner if line.strip())
        if text:
            author = (comment.get(attr(comment, "author")) or "").strip()
            lines.append(f"Comment ({author}): {text}" if author else f"Comment: {text}")
    return lines


def _title(package: SafeZip, rels: dict[str, str]) -> str | None:
    part = rels.get("core-properties") or "docProps/core.xml"
    if not package.has(part):
        return None
    for element in parse(package.read(part), f"{part} of the .docx"):
        if local(element.tag) == "title" and (element.text or "").strip():
            return element.text.strip()
    return None


def read(data: bytes, filename: str) -> Extracted:
    package = SafeZip(data, ".docx")
    root_rels = _relationships(package, "")
    main = root_rels.get("officeDocument") or "word/document.xml"
    if not package.has(main):
        raise IngestError("not a .docx file (no main document part)")
    document = parse(package.read(main), f"{main} of the .docx")
    body = next((child for child in document if local(child.tag) == "body"), None)
    if body is None:
        raise IngestError("damaged .docx: the document has no body")
    walker = _Walker()
    lines: list[str] = []
    try:
        for element in body:
            walker.block(element, lines)
    except RecursionError:
        raise IngestError("damaged .docx: nested too deeply") from None
    rels = _relationships(package, main)
    lines += _note_lines(package, rels.get("footnotes"), walker, "footnote", "Footnote")
    lines += _note_lines(package, rels.get("endnotes"), walker, "endnote", "Endnote")
    lines += _comment_lines(package, rels.get("comments"), walker)
    return Extracted(text=join_lines(lines), format="docx", title=_title(package, root_rels))

