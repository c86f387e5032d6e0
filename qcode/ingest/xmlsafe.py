"""Parsing untrusted XML: no DTD, no entities, no network; XML that carries a DOCTYPE is refused.

A DOCTYPE has no business in a .docx or .odt part. Refusing it outright is safer than resolving
nothing: python-docx, for one, silently cuts a paragraph at an unresolved entity. It is looked for in
the bytes before parsing and again in what the parser found, since an encoding (UTF-16 without a
BOM, UTF-32, UTF-7) can hide it from a search of the bytes.
"""

from __future__ import annotations

import re

from lxml import etree

from qcode.ingest.base import IngestError

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                          huge_tree=False, remove_comments=True, remove_pis=True)
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


# the first bytes of XML in each encoding a parser may detect (XML 1.0, appendix F), and its codec
_WIDE = [(b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
         (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
         (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
         (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le")]


def _refuse_doctype(what: str) -> IngestError:
    return IngestError(f"{what} carries a DOCTYPE (entities are refused)")


def parse(data: bytes, what: str) -> etree._Element:
    """The root element of ``data``; ``what`` names the file and part for error messages."""
    probe = data
    for start, codec in _WIDE:
        if data.startswith(start):
            probe = data.decode(codec, errors="ignore").encode("utf-8", errors="ignore")
            break
    if _DOCTYPE.search(probe):
        raise _refuse_doctype(what)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        message = exc.msg if hasattr(exc, "msg") else str(exc)
        if "Excessive depth" in message:
            raise IngestError(f"damaged {what}: nested too deeply (hundreds of elements inside one another)") from None
        raise IngestError(f"damaged {what}: {message}") from None
    if root is None:
        raise IngestError(f"damaged {what}: no XML content")
    # whatever encoding hid it from the probe above, the parser saw any DOCTYPE: refuse it still
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _refuse_doctype(what)
    return root


def local(tag) -> str:
    """The local name of an element's tag, whatever its namespace (``""`` for comments)."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def attr(element, name: str) -> str:
    """The name of attribute ``name`` in the element's own namespace (``w:type``, ``text:c`` ...)."""
    namespace = element.tag.partition("}")[0] + "}" if element.tag.startswith("{") else ""
    return namespace + name
