"""Parsing untrusted XML: no DTD, no entities, no network; XML that carries a DOCTYPE is refused.

A DOCTYPE has no business in a .docx or .odt part. Refusing it outright is safer than resolving
nothing: python-docx, for one, silently cuts a paragraph at an unresolved entity.
"""

from __future__ import annotations

import re

from lxml import etree

from qcode.ingest.base import IngestError

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                          huge_tree=False, remove_comments=True, remove_pis=True)
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def parse(data: bytes, what: str) -> etree._Element:
    """The root element of ``data``; ``what`` names the file and part for error messages."""
    probe = data
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        probe = data.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    if _DOCTYPE.search(probe):
        raise IngestError(f"{what} carries a DOCTYPE (entities are refused)")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise IngestError(f"damaged {what}: {exc.msg if hasattr(exc, 'msg') else exc}") from None
    if root is None:
        raise IngestError(f"damaged {what}: no XML content")
    return root


def local(tag) -> str:
    """The local name of an element's tag, whatever its namespace (``""`` for comments)."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""
