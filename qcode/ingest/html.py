"""HTML pages (.html, .htm): the visible text only.

Left out: ``script``, ``style``, ``nav``, ``noscript``, ``template``, the ``head`` (but for the title),
embedded objects, forms' controls, and anything marked ``hidden`` or ``aria-hidden``. Each block
(paragraph, heading, list item, quotation, ``div`` ...) becomes one line; ``<br>`` breaks a line;
each table row becomes one line with its cells joined by `` | ``. Whitespace inside a block is
collapsed, as a browser does, except in ``<pre>``. The title comes from ``<title>``.

The declared charset is read as browsers read it (``iso-8859-1`` means Windows-1252). A page nested
more deeply than the parser allows (about 256 levels, where it would silently drop the rest) is refused.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from qcode.ingest.base import Extracted, IngestError, join_lines
from qcode.ingest.encoding import decode

_INVISIBLE = {"script", "style", "nav", "noscript", "template", "head", "object", "embed", "iframe",
              "svg", "math", "canvas", "select", "button", "input", "textarea", "audio", "video", "map"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre",
          "section", "article", "header", "footer", "main", "aside", "figure", "figcaption", "address",
          "ul", "ol", "dl", "table", "caption", "hr", "form", "fieldset", "legend", "details", "summary",
          "body", "center", "tbody", "thead", "tfoot"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


# Browsers read these labels as the Windows code page (the WHATWG Encoding Standard): a page that
# says iso-8859-1 and holds curly quotes or "ž" means Windows-1252. Read as Latin-1 they would be C1
# control characters, removed on import (and U+0098, U+009D to U+009F begin terminal escapes).
_WHATWG = {**dict.fromkeys(("iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "ascii",
                            "us-ascii", "iso-ir-100", "cp819", "ibm819", "csisolatin1", "x-cp1252",
                            "windows-1252", "cp1252"), "cp1252"),
           **dict.fromkeys(("iso-8859-9", "iso8859-9", "latin5", "l5", "iso-ir-148"), "cp1254"),
           **dict.fromkeys(("iso-8859-11", "tis-620", "tis620"), "cp874")}


def _text_of(data: bytes) -> tuple[str, str, list[str]]:
    match = _CHARSET.search(data[:4096])
    if match and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        name = match.group(1).decode("ascii").lower()
        name = _WHATWG.get(name, name)
        try:
            text = data.decode(name)
            return text, name, []
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common: fall back to the usual order
    return decode(data)


class _Walker:
    def __init__(self):
        self.lines: list[str] = []
        self.current: list[str] = []

    def flush(self) -> None:
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []

    def walk(self, element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower().rpartition("}")[2]
        if not tag or tag in _INVISIBLE or element.get("hidden") is not None \
                or (element.get("aria-hidden") or "").lower() == "true" \
                or re.search(r"display\s*:\s*none", element.get("style") or "", re.IGNORECASE):
            return
        if tag == "br":
            self.flush()
        elif tag == "tr":
            self.flush()
            cells = []
            for cell in element:
                if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th"):
                    inner = _Walker()
                    inner.walk_children(cell)
                    inner.flush()
                    cells.append(" ".join(inner.lines))
            self.lines.append(" | ".join(cells))
        elif tag == "pre":
            self.flush()
            self.lines.extend(element.text_content().split("\n"))
        elif tag in _BLOCK:
            self.flush()
            self.walk_children(element)
            self.flush()
        else:
            self.walk_children(element)

    def walk_children(self, element) -> None:
        if element.text:
            self.current.append(element.text)
        for child in element:
            self.walk(child)
            if child.tail:
                self.current.append(child.tail)


def read(data: bytes, filename: str) -> Extracted:
    text, encoding, warnings = _text_of(data)
    text = _XML_DECLARATION.sub("", text)
    if not text.strip():
        raise IngestError("the file is empty")
    parser = lxml.html.HTMLParser(no_network=True, recover=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise IngestError(f"damaged HTML ({exc})") from None
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        # libxml2 stops at 256 nested elements and silently drops the rest of the page
        raise IngestError("the HTML is nested too deeply (hundreds of elements inside one another)")
    title_element = root.find(".//title")
    title = " ".join(title_element.text_content().split()) if title_element is not None else None
    walker = _Walker()
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    return Extracted(text=join_lines(walker.lines), format="html", encoding=encoding, title=title or None,
                     warnings=warnings)
