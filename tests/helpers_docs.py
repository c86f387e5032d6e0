"""Builders of small test documents, made by hand so each test knows exactly what a file holds.

Nothing here needs a dependency beyond what qcode already uses (python-docx, lxml, pypdf): .odt and
.rtf are written as text, PDFs by a tiny writer of PDF syntax, hostile zips byte by byte.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

THIRD_PARTY = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "third-party"

# --------------------------------------------------------------------------------------------- zip


def zip_bytes(members: dict[str, bytes | str], *, stored_first: str | None = None) -> bytes:
    """A zip of ``members`` (name -> content), deflated; ``stored_first`` is written first, stored."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first is not None:
            content = members[stored_first]
            archive.writestr(zipfile.ZipInfo(stored_first), content, compress_type=zipfile.ZIP_STORED)
        for name, content in members.items():
            if name != stored_first:
                archive.writestr(name, content)
    return buffer.getvalue()


def replace_member(package: bytes, name: str, content: bytes | str) -> bytes:
    """``package`` with member ``name`` replaced by (or set to) ``content``."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members[name] = content.encode() if isinstance(content, str) else content
    return zip_bytes(members)


def raw_zip(entries: list[tuple[str, bytes]], *, central: list[tuple[str, int]] | None = None,
            declared_sizes: dict[str, int] | None = None) -> bytes:
    """A zip written byte by byte, so it can lie.

    ``entries`` are (name, content) written as stored local members. ``central`` lists the
    central-directory entries as (name, index of the local member whose data it points at); by
    default one per local member. ``declared_sizes`` makes a central entry declare another size.
    """
    out = bytearray()
    locals_: list[tuple[int, bytes, int]] = []  # offset, content, crc
    for name, content in entries:
        crc = zlib.crc32(content)
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, crc, len(content), len(content),
                           len(encoded), 0) + encoded + content
        locals_.append((offset, content, crc))
    central = central if central is not None else [(name, i) for i, (name, _) in enumerate(entries)]
    start = len(out)
    for name, index in central:
        offset, content, crc = locals_[index]
        size = (declared_sizes or {}).get(name, len(content))
        encoded = name.encode()
        out += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0, crc, len(content), size,
                           len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    size = len(out) - start
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), size, start, 0)
    return bytes(out)


# -------------------------------------------------------------------------------------------- docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def docx_document(build) -> bytes:
    """The bytes of a python-docx Document after ``build(document)`` has filled it."""
    import docx

    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_footnote(package: bytes, marker: str, note_text: str) -> bytes:
    """Put a footnote reference where the body says ``marker`` and add footnotes.xml by hand."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    document = members["word/document.xml"].decode()
    run = ('</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
           '<w:footnoteReference w:id="2"/></w:r><w:r><w:t xml:space="preserve">')
    assert marker in document
    members["word/document.xml"] = document.replace(marker, run, 1).encode()
    members["word/footnotes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
        '</w:p></w:footnote>'
        '<w:footnote w:id="2"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
        '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {note_text}</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>").encode()
    rels = members["word/_rels/document.xml.rels"].decode()
    members["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdFn1" Type="{_FOOTNOTES_REL}" Target="footnotes.xml"/></Relationships>').encode()
    types = members["[Content_Types].xml"].decode()
    if "/word/footnotes.xml" not in types:
        members["[Content_Types].xml"] = types.replace(
            "</Types>", f'<Override PartName="/word/footnotes.xml" ContentType="{_FOOTNOTES_TYPE}"/></Types>'
        ).encode()
    return zip_bytes(members)


def minimal_docx(body_xml: str, *, prolog: str = "") -> bytes:
    """A hand-written .docx whose body is ``body_xml``; ``prolog`` goes before the root element."""
    return zip_bytes({
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
        "word/document.xml": (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
                              f'<w:document xmlns:w="{W}"><w:body>{body_xml}</w:body></w:document>'),
    })


def w_p(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


# --------------------------------------------------------------------------------------------- odt

_ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'office:version="1.3"')


def odt_bytes(body: str, *, title: str | None = None, prolog: str = "",
              mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    """An .odt package whose office:text holds ``body`` (ODF XML, namespaces as in ``_ODT_NS``)."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<office:document-content {_ODT_NS}>'
               f"<office:automatic-styles/><office:body><office:text>{body}</office:text></office:body>"
               "</office:document-content>")
    members: dict[str, bytes | str] = {"mimetype": mimetype, "content.xml": content}
    if title is not None:
        members["meta.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {_ODT_NS}>'
                               f"<office:meta><dc:title>{title}</dc:title></office:meta>"
                               "</office:document-meta>")
    members["META-INF/manifest.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
        'opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/"'
        f' manifest:media-type="{mimetype}"/><manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>')
    return zip_bytes(members, stored_first="mimetype")


# --------------------------------------------------------------------------------------------- pdf


def _pdf_string(text: str) -> str:
    raw = text.encode("cp1252")
    out = []
    for byte in raw:
        ch = chr(byte)
        if ch in "()\\":
            out.append("\\" + ch)
        elif 32 <= byte < 127:
            out.append(ch)
        else:
            out.append(f"\\{byte:03o}")
    return "(" + "".join(out) + ")"


def pdf_bytes(pages: list[list[str]], *, title: str | None = None, font_size: int = 11) -> bytes:
    """A PDF with one page per item of ``pages``; each string is one visual line, in Helvetica.

    Lines are 14 points apart; an empty string leaves a blank line (a paragraph gap).
    """
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_id = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for lines in pages:
        ops = ["BT", f"/F1 {font_size} Tf", "14 TL", "72 760 Td"]
        for line in lines:
            if line:
                ops.append(f"{_pdf_string(line)} Tj")
            ops.append("T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >>"
            b" /Contents %d 0 R >>" % (pages_id, font, content)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                             + b"] /Count %d >>" % len(kids))
    info = add(b"<< /Title " + _pdf_string(title).encode("latin-1") + b" >>") if title else None
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
    if info:
        trailer += b" /Info %d 0 R" % info
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def blank_pdf(pages: int = 1) -> bytes:
    """A PDF of blank pages (no text layer), written by pypdf."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# -------------------------------------------------------------------------------------------- misc


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` with Markdown emphasis and table rules removed, spaces collapsed."""
    text = re.sub(r"[*_#|]", " ", text)
    text = re.sub(r"-{3,}", " ", text)
    found = []
    for piece in re.split(r"(?<=[.?!])\s+|\n+", text):
        piece = " ".join(piece.split())
        if piece:
            found.append(piece)
    return found
